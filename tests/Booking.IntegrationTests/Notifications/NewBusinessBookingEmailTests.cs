using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Ical.Net;
using MimeKit;
using static Booking.IntegrationTests.Appointments.SchedulingApi;
using Calendar = Ical.Net.Calendar;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Decisions 350 and 352 (review s42 #3, #4, #7, #14), end to end through the HTTP API with the real modules and a real SMTP
/// server: a business signed up now emails its diary contact of a client's booking and cancellation without anyone
/// ticking a switch (no settings row is ever written); those staff emails carry the client's phone and email (tel: and mailto: links) and a button to the
/// appointment in the staff diary; the owner's own sign-in email made a diary's contact is asked no second time; the
/// client's .ics is a published entry (no Accept / Decline) with a DESCRIPTION, and the cancellation's publishes it
/// cancelled under the same UID and a higher SEQUENCE.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class NewBusinessBookingEmailTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Policy = "Two days' notice, please.";
    private const string DeskPhone = "02 9876 5432";

    private BookingApp App => fixture.App;

    private string Db => fixture.App.Database.Database;

    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to, Func<MimeMessage, bool> which, int count = 1) =>
        Eventually.ReturnsAsync(() => Task.FromResult<IReadOnlyList<MimeMessage>>(fixture.Smtp.MessagesTo(to).Where(which).ToList()),
            m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} email(s) to {to}");

    private static string Text(MimeMessage message) => message.TextBody!.ReplaceLineEndings("\n");

    private Task<long> DiaryContactConfirmationsAsync(Guid tenant, string address) =>
        Sql.AdminScalarAsync<long>(Db, "select count(*) from notifications.outbound_messages where tenant_id = @t and lower(recipient) = @a and kind = 'diary-contact-confirmation'",
            ("t", tenant), ("a", address.ToLowerInvariant()));

    private static async Task<JsonElement> DiaryAsync(TestBusiness biz, string name, string contact) =>
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name, contactEmail = contact, active = true })).JsonAsync(HttpStatusCode.Created);

    /// <summary>The owner follows the sign-up's "Confirm your email" link: their sign-in email is proven.</summary>
    private async Task ProveOwnerEmailAsync(TestBusiness biz)
    {
        var signUp = Assert.Single(await MailAsync(biz.OwnerEmail, m => m.Subject!.StartsWith("Confirm your email for", StringComparison.Ordinal)));
        var token = AccountChangeHelpers.ResetTokenOf(signUp, "/staff/verify-email");
        Assert.Equal(HttpStatusCode.OK,
            (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/confirm-email?name={biz.Slug}", new { token })).StatusCode);
    }

    private Task<long> SettingsRowsAsync(Guid tenant) =>
        Sql.AdminScalarAsync<long>(Db, "select count(*) from notifications.notification_settings where tenant_id = @t", ("t", tenant));

    private static Calendar CalendarOf(MimeMessage message)
    {
        var part = message.Attachments.OfType<MimePart>().Single(a => a.ContentType.MimeType == "text/calendar");
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        Assert.Equal("PUBLISH", part.ContentType.Parameters["method"]);
        return Calendar.Load(Encoding.UTF8.GetString(stream.ToArray()))!;
    }

    [Fact]
    public async Task A_new_business_emails_the_owner_as_diary_contact_of_a_booking_and_a_cancellation_with_the_client_s_phone_email_and_the_appointment()
    {
        var biz = await App.SignUpBusinessAsync("first");
        // Never saved: the new-business defaults, both switches on, standard texts (decision 352); Setup says nobody is
        // emailed yet because no diary has a confirmed contact, not that the emails are switched off.
        var settings = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/notification-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.True(settings.GetProperty("notifyDiaryContactOnNew").GetProperty("enabled").GetBoolean());
        Assert.True(settings.GetProperty("notifyDiaryContactOnCancelled").GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("notifyDiaryContactOnNew").GetProperty("templateId").ValueKind);
        Assert.False(settings.GetProperty("includeStaffChanges").GetBoolean());
        var fresh = await biz.Owner.GetStringAsync(new Uri("/staff/setup/portal", UriKind.Relative));
        Assert.Contains("data-nobody=\"true\">Nobody is emailed", fresh, StringComparison.Ordinal);
        Assert.DoesNotContain("switched off", fresh, StringComparison.Ordinal);

        // The owner proves her sign-in email, then makes it the diary's contact (in other letters' case): confirmed at
        // once, with no "Do you want booking emails from …" email (decision 251).
        await ProveOwnerEmailAsync(biz);
        var diary = await DiaryAsync(biz, "Gina", biz.OwnerEmail.ToUpperInvariant());
        Assert.Equal("confirmed", diary.GetProperty("contactEmailState").GetString());
        Assert.Equal(0L, await DiaryContactConfirmationsAsync(biz.Id, biz.OwnerEmail));
        var diaryId = diary.GetProperty("id").GetGuid();
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        await biz.RosterEveryDayAsync(diaryId, "00:00", "23:30");
        var b = new Bookable(biz, diaryId, await biz.ServiceAsync("Full groom", 90, 0, [diaryId]));
        await biz.SettingsAsync(s =>
        {
            s["contact"] = new JsonObject { ["phone"] = DeskPhone, ["email"] = null };
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = Policy, ["insideWindow"] = "refuse" };
        });

        // Setup → Client Portal says who hears of bookings.
        var setup = await biz.Owner.GetStringAsync(new Uri("/staff/setup/portal", UriKind.Relative));
        Assert.Contains("data-nobody=\"false\">Booking emails go to " + biz.OwnerEmail.ToLowerInvariant() + " (Gina&#x27;s contact).", setup, StringComparison.Ordinal);

        var client = await App.RegisterClientAsync(biz, "Polly", "Parker");
        await Sql.AdminExecAsync(Db, "update portalauth.clients set mobile_verified = true where id = @id", ("id", client.Id));
        var who = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{client.Id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var clientEmail = who.GetProperty("email").GetString()!;
        var mobile = who.GetProperty("mobile").GetString()!; // E.164
        var id = (await (await client.BookAsync(b, At(Day(10), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // The owner hears of it: the client's phone and email, and the appointment's page in the diary.
        var appointmentUrl = $"https://booking.test/staff/diary/appointments/{id}?name={biz.Slug}";
        var booked = Assert.Single(await MailAsync(biz.OwnerEmail, m => m.Subject == "New booking: Polly Parker"));
        var text = Text(booked);
        Assert.Contains($", {clientEmail}) has a new appointment, made by the client:", text, StringComparison.Ordinal);
        Assert.Contains("Open the appointment: " + appointmentUrl, text, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"mailto:{clientEmail}\">{clientEmail}</a>", booked.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"tel:{mobile}\">", booked.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"{WebUtility.HtmlEncode(appointmentUrl)}\"", booked.HtmlBody, StringComparison.Ordinal);

        // The client's file: published (no Accept / Decline, no attendee), with what to do and whom to ask.
        var confirmation = Assert.Single(await MailAsync(clientEmail, m => m.Attachments.Any()));
        var published = CalendarOf(confirmation);
        Assert.Equal("PUBLISH", published.Method);
        var entry = Assert.Single(published.Events);
        Assert.Empty(entry.Attendees);
        Assert.Equal("CONFIRMED", entry.Status);
        Assert.Equal(
            $"To cancel it, visit https://booking.test/ol/cancel?name={biz.Slug}&id={id}\nCancellation policy: {Policy}\nQuestions? Contact Business {biz.Slug} on (02) 9876 5432.",
            entry.Description);

        // The client cancels: the owner hears of that too, with the same link; the client's file removes the entry.
        await (await client.Http.CancelAsync(biz.Slug, id, "Moving house")).JsonAsync(HttpStatusCode.OK);
        var cancelled = Assert.Single(await MailAsync(biz.OwnerEmail, m => m.Subject == "Cancellation: Polly Parker"));
        Assert.Contains($", {clientEmail}): this appointment was cancelled by the client:", Text(cancelled), StringComparison.Ordinal);
        Assert.Contains("Open the appointment: " + appointmentUrl, Text(cancelled), StringComparison.Ordinal);
        Assert.Contains($"<a href=\"mailto:{clientEmail}\">", cancelled.HtmlBody, StringComparison.Ordinal);
        var gone = Assert.Single(CalendarOf((await MailAsync(clientEmail, m => m.Attachments.Any(), 2)).Single(m => m.MessageId != confirmation.MessageId)).Events);
        Assert.Equal(entry.Uid, gone.Uid);
        Assert.Equal("CANCELLED", gone.Status);
        Assert.True(gone.Sequence > entry.Sequence, $"the cancellation's SEQUENCE {gone.Sequence} is not above the booking's {entry.Sequence}");
        Assert.Empty(gone.Attendees);
        Assert.Equal($"This appointment is cancelled.\nQuestions? Contact Business {biz.Slug} on (02) 9876 5432.", gone.Description);

        // All of it came from the defaults: nobody saved the business's notification choices.
        Assert.Equal(0L, await SettingsRowsAsync(biz.Id));
    }

    [Fact]
    public async Task The_owner_s_unproven_sign_in_email_made_a_diary_contact_is_asked_no_second_time_and_is_confirmed_by_her_proof_while_another_address_is_asked()
    {
        var biz = await App.SignUpBusinessAsync("ownmail");
        var own = await DiaryAsync(biz, "Gina", biz.OwnerEmail.ToUpperInvariant());
        Assert.Equal("waiting", own.GetProperty("contactEmailState").GetString());
        var other = $"groomer-{Guid.NewGuid():N}@example.com";
        var second = await DiaryAsync(biz, "Sam", other);
        Assert.Equal("waiting", second.GetProperty("contactEmailState").GetString());

        // Another address is asked, once; the owner's own gets only the sign-up's "Confirm your email".
        Assert.Single(await MailAsync(other, m => m.Subject!.StartsWith("Do you want booking emails from", StringComparison.Ordinal)));
        Assert.Equal(1L, await DiaryContactConfirmationsAsync(biz.Id, other));
        Assert.Equal(0L, await DiaryContactConfirmationsAsync(biz.Id, biz.OwnerEmail));
        Assert.DoesNotContain(fixture.Smtp.MessagesTo(biz.OwnerEmail), m => m.Subject!.StartsWith("Do you want booking emails from", StringComparison.Ordinal));

        // Until someone confirms, Setup says nobody hears of bookings.
        var setup = await biz.Owner.GetStringAsync(new Uri("/staff/setup/portal", UriKind.Relative));
        Assert.Contains("data-nobody=\"true\">Nobody is emailed yet when a client books or cancels online:", setup, StringComparison.Ordinal);

        // Her proof of the sign-in email confirms the diary's contact (decision 259), still with no second email.
        await ProveOwnerEmailAsync(biz);
        await Eventually.ReturnsAsync(
            async () => (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{own.GetProperty("id").GetGuid()}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
                .GetProperty("contactEmailState").GetString(),
            s => s == "confirmed", TimeSpan.FromSeconds(60), "the owner's contact confirmed by her proof");
        Assert.Equal(0L, await DiaryContactConfirmationsAsync(biz.Id, biz.OwnerEmail));
        var after = await biz.Owner.GetStringAsync(new Uri("/staff/setup/portal", UriKind.Relative));
        Assert.Contains("Booking emails go to " + biz.OwnerEmail.ToLowerInvariant() + " (Gina&#x27;s contact).", after, StringComparison.Ordinal);
    }
}
