using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.Appointments.Contracts;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using MimeKit;
using NodaTime;
using NodaTime.Text;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// A client withdraws a cancellation request ("Keep my appointment"): the staff who were emailed the request (the diary
/// contact and the owners and admins) hear it is withdrawn and that the appointment stays booked; a request email not
/// sent yet is taken back with its withdrawal (neither goes); a request whose event arrives after its withdrawal sends
/// nothing. Everything through the HTTP API and a real SMTP server.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class CancellationWithdrawnEmailTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Zone = "America/Chicago";
    private static readonly DateTimeZone Chicago = DateTimeZoneProviders.Tzdb[Zone];

    private sealed record Scene(TestBusiness Biz, Guid DiaryId, Guid ServiceId, string DiaryContact);

    private sealed record Client(HttpClient Http, Guid Id, string Email, string Mobile);

    private async Task<Scene> SceneAsync(string contact)
    {
        var biz = await fixture.App.SignUpBusinessAsync("wd", Zone);
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        await biz.ConfirmAddressAsync(contact);
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Lee", contactEmail = contact, active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        var service = await biz.ServiceAsync("Deep tissue massage", 45, 15, [diary]);
        await biz.SettingsAsync(x => x["cancellationPolicy"] = new JsonObject { ["hours"] = 24 * 30, ["text"] = "A month's notice.", ["insideWindow"] = "request" });
        await biz.ProveStaffEmailsAsync(); // the owner's sign-in email proven: request emails go only to one
        // About the requests, not the booking emails: those off (decision 352's defaults would email the diary contact a
        // "New booking" before the request this class waits for and counts).
        await biz.BookingEmailsOffAsync();
        return new Scene(biz, diary, service, contact);
    }

    private async Task<Client> RegisterAsync(Scene s, string firstName, string lastName, string tag)
    {
        var http = fixture.App.NewClient();
        var email = $"client-{tag}@example.com";
        var mobile = "+61412" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        var json = await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={s.Biz.Slug}",
            new { firstName, lastName, email, password = "a long client password 2026!", mobile })).JsonAsync(HttpStatusCode.Created);
        // Verified, as an SMS code or staff would: the emails show only a verified mobile (decision 251).
        await Sql.AdminExecAsync(fixture.App.Database.Database, "update portalauth.clients set mobile_verified = true where id = @id", ("id", json.GetProperty("id").GetGuid()));
        return new Client(http, json.GetProperty("id").GetGuid(), email, mobile);
    }

    private static ZonedDateTime At(int days, int hour) =>
        SystemClock.Instance.GetCurrentInstant().InZone(Chicago).Date.PlusDays(days).At(new LocalTime(hour, 0)).InZoneStrictly(Chicago);

    private static async Task<Guid> BookAsync(Client client, Scene s, ZonedDateTime start) =>
        (await (await client.Http.PostAsJsonAsync($"/api/v1/portal/appointments?name={s.Biz.Slug}", new
        {
            serviceId = s.ServiceId, diaryId = s.DiaryId,
            start = start.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null,
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task AskToCancelAsync(Client client, Scene s, Guid id) =>
        Assert.Equal("cancellation-requested", (await (await client.Http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/cancel?name={s.Biz.Slug}", new { reason = "Moving house" }))
            .JsonAsync(HttpStatusCode.Accepted)).GetProperty("status").GetString());

    private static async Task KeepAsync(Client client, Scene s, Guid id) =>
        Assert.Equal("confirmed", (await (await client.Http.PostAsync(new Uri($"/api/v1/portal/appointments/{id}/keep?name={s.Biz.Slug}", UriKind.Relative), null))
            .JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());

    /// <summary>The emails to <paramref name="to"/> about appointments: the owner's sign-up confirmation (decision 233) left out.</summary>
    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to, int count = 1) =>
        Eventually.ReturnsAsync(
            () => Task.FromResult<IReadOnlyList<MimeMessage>>(fixture.Smtp.MessagesTo(to).Where(m => !(m.Subject ?? "").StartsWith("Confirm your email for ", StringComparison.Ordinal)).ToList()),
            m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} email(s) to {to}");

    private static async Task<List<JsonElement>> MessagesAsync(Scene s) =>
        (await (await s.Biz.Owner.GetAsync(new Uri("/api/v1/admin/messages?limit=100", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().ToList();

    /// <summary>"Tuesday 8 December 2026, 2:00–2:45 PM CST", as {AppointmentTimes} writes it.</summary>
    private static string Span(ZonedDateTime start, ZonedDateTime end) =>
        ZonedDateTimePattern.CreateWithInvariantCulture(start.Hour < 12 == end.Hour < 12 ? "dddd d MMMM yyyy, h:mm" : "dddd d MMMM yyyy, h:mm tt", null).Format(start) + "–"
        + ZonedDateTimePattern.CreateWithInvariantCulture("h:mm tt x", null).Format(end);

    [Fact]
    public async Task Staff_who_were_emailed_the_request_are_told_it_is_withdrawn_and_each_request_and_withdrawal_sent_is_followed_by_the_other()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var s = await SceneAsync($"diary-{tag}@example.com");
        var client = await RegisterAsync(s, "Kim", "Keeper", tag);
        var start = At(3, 11);
        var id = await BookAsync(client, s, start);
        await AskToCancelAsync(client, s, id);
        Assert.Single(await MailAsync(s.DiaryContact), m => m.Subject == "Cancellation request: Kim Keeper");
        Assert.Single(await MailAsync(s.Biz.OwnerEmail), m => m.Subject == "Cancellation request: Kim Keeper");

        await KeepAsync(client, s, id);
        foreach (var to in new[] { s.DiaryContact, s.Biz.OwnerEmail })
        {
            var mail = Assert.Single(await MailAsync(to, 2), m => m.Subject == "Cancellation request withdrawn: Kim Keeper");
            var national = $"0{client.Mobile[3..6]} {client.Mobile[6..9]} {client.Mobile[9..]}";
            Assert.Contains($"Kim Keeper ({national}, {client.Email}) has withdrawn their cancellation request for:\n"
                + $"Deep tissue massage with Dr Lee\n{Span(start, start.PlusMinutes(45))}\n\nThe appointment stays booked: there is nothing to cancel or keep.",
                mail.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.DoesNotContain("Reason:", mail.TextBody, StringComparison.Ordinal);
            Assert.Empty(mail.Attachments);
        }

        var labels = (await MessagesAsync(s)).Where(m => m.GetProperty("kind").GetString()!.EndsWith("cancellation-request-withdrawn", StringComparison.Ordinal))
            .Select(m => (m.GetProperty("to").GetString(), m.GetProperty("kindLabel").GetString())).Order().ToList();
        Assert.Equal(
            [(s.DiaryContact, "Cancellation request withdrawn, to diary contact"), (s.Biz.OwnerEmail, "Cancellation request withdrawn, to owner or admin")],
            labels.OrderBy(l => l.Item1 == s.DiaryContact ? 0 : 1).ToList());

        // Asked again and withdrawn again: each email staff may have read is followed by the other, in order.
        await AskToCancelAsync(client, s, id);
        await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(s.Biz.OwnerEmail)), m => m.Count(x => x.Subject == "Cancellation request: Kim Keeper") >= 2,
            TimeSpan.FromSeconds(60), "the second request");
        await KeepAsync(client, s, id);
        await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(s.Biz.OwnerEmail)), m => m.Count(x => (x.Subject ?? "").StartsWith("Cancellation request withdrawn", StringComparison.Ordinal)) >= 2,
            TimeSpan.FromSeconds(60), "the second withdrawal");
        // In the order they were written (message ids are time-ordered).
        var owner = fixture.Smtp.MessagesTo(s.Biz.OwnerEmail).Where(m => (m.Subject ?? "").StartsWith("Cancellation request", StringComparison.Ordinal))
            .OrderBy(m => m.MessageId, StringComparer.Ordinal).Select(m => m.Subject).ToList();
        Assert.Equal(["Cancellation request: Kim Keeper", "Cancellation request withdrawn: Kim Keeper", "Cancellation request: Kim Keeper", "Cancellation request withdrawn: Kim Keeper"],
            owner);
        // The client hears nothing of their own withdrawal (they did it on the page): the confirmation and two receipts.
        await Task.Delay(1500);
        Assert.Equal(3, fixture.Smtp.MessagesTo(client.Email).Count);
        Assert.Equal(4, fixture.Smtp.MessagesTo(s.DiaryContact).Count);
    }

    [Fact]
    public async Task A_request_email_not_sent_yet_when_the_client_withdraws_is_taken_back_and_its_address_gets_no_withdrawal()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        // The diary contact's server answers "try again later": its request email waits to be retried.
        var s = await SceneAsync($"busy-{tag}@example.com");
        var client = await RegisterAsync(s, "Tess", "Taken", tag);
        var id = await BookAsync(client, s, At(4, 10));
        await AskToCancelAsync(client, s, id);
        Assert.Single(await MailAsync(s.Biz.OwnerEmail), m => m.Subject == "Cancellation request: Tess Taken");
        await Eventually.ReturnsAsync(() => MessagesAsync(s),
            ms => ms.Any(m => m.GetProperty("to").GetString() == s.DiaryContact && m.GetProperty("status").GetString() == "retrying"),
            TimeSpan.FromSeconds(60), "the diary contact's request email waiting to be retried");

        await KeepAsync(client, s, id);
        // The owner read the request: they hear it is withdrawn.
        Assert.Single(await MailAsync(s.Biz.OwnerEmail, 2), m => m.Subject == "Cancellation request withdrawn: Tess Taken");
        var toContact = (await MessagesAsync(s)).Where(m => m.GetProperty("to").GetString() == s.DiaryContact).ToList();
        // The contact never got the request: it is taken back, and no withdrawal is written for it.
        var request = Assert.Single(toContact);
        Assert.Equal("diary-contact-cancellation-request", request.GetProperty("kind").GetString());
        Assert.Equal("withheld", request.GetProperty("status").GetString());
        Assert.Equal("Not sent: the client withdrew this cancellation request before the email went out, so neither it nor the withdrawal was sent.",
            request.GetProperty("note").GetString());
        await Task.Delay(1500);
        Assert.Single(await MessagesAsync(s), m => m.GetProperty("to").GetString() == s.DiaryContact);
    }

    [Fact]
    public async Task A_request_whose_event_arrives_after_its_withdrawal_sends_nobody_anything()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var s = await SceneAsync($"late-{tag}@example.com");
        var client = await RegisterAsync(s, "Lou", "Late", tag);
        var start = At(5, 10);
        var id = await BookAsync(client, s, start);
        Assert.Single(await MailAsync(client.Email)); // the confirmation

        // Events of one appointment may be handled out of order (a failed one is retried alone): the withdrawal first.
        var requestEvent = Guid.CreateVersion7();
        var (from, until) = (start.ToInstant().ToDateTimeOffset(), start.PlusMinutes(45).ToInstant().ToDateTimeOffset()); // UTC, as events carry them
        NotificationsTestApp.Deliver(fixture.App, new CancellationRequestWithdrawn(
            Guid.CreateVersion7(), s.Biz.Id, id, client.Id, s.DiaryId, s.ServiceId, from, until, DateTimeOffset.UtcNow, requestEvent));
        await Task.Delay(2000);
        NotificationsTestApp.Deliver(fixture.App, new CancellationRequested(
            requestEvent, s.Biz.Id, id, client.Id, s.DiaryId, s.ServiceId, from, until, ChangeSources.Portal, "Moving house"));
        await Task.Delay(3000);
        Assert.Empty(fixture.Smtp.MessagesTo(s.DiaryContact));
        Assert.DoesNotContain(fixture.Smtp.MessagesTo(s.Biz.OwnerEmail), m => (m.Subject ?? "").Contains("ancellation", StringComparison.Ordinal));
        Assert.Single(fixture.Smtp.MessagesTo(client.Email)); // no receipt of a request already withdrawn
        Assert.DoesNotContain(await MessagesAsync(s), m => m.GetProperty("kind").GetString()!.Contains("cancellation-request", StringComparison.Ordinal));
    }
}
