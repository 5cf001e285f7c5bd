using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.Appointments.Contracts;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Booking.IntegrationTests.PortalPages;
using Booking.PortalAuth.Contracts;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Decision 319, on the whole app with a real SMTP server and the development SMS sink. (1) A merge that gives a record
/// with an email the other record's mobile (a phone sign-in by code its holder never proved) emails that address once,
/// kind <c>client-merge-added-mobile</c>, naming only the number's last three digits. (2) An appointment event written
/// before a merge and delivered after it names the merged-away client: its client email (and text) go to the kept
/// client, once.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class ClientMergeNoticeTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Kind = "client-merge-added-mobile";

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private NotificationsTestApp App => fixture.App;

    private static Uri Clients(string rest) => new("/api/v1/admin/clients" + rest, UriKind.Relative);

    /// <summary>A client staff add at the desk ("Emma Client"), with a mobile (staff-vouched) or a landline only.</summary>
    private static async Task<Guid> WalkInAsync(TestBusiness biz, string? mobile = null) =>
        (await (await biz.Owner.PostAsJsonAsync(Clients(""), new
        {
            firstName = "Emma", lastName = "Client", mobile, otherPhone = mobile is null ? "+61293744000" : null,
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task MergeAsync(TestBusiness biz, Guid keep, Guid away) =>
        await (await biz.Owner.PostAsJsonAsync(Clients($"/{keep}/merge"), new { mergeId = away.ToString() })).JsonAsync(HttpStatusCode.OK);

    /// <summary>Staff book <paramref name="clientId"/> two days ahead; the AppointmentBooked event as written to the outbox, once every consumer has had it.</summary>
    private async Task<AppointmentBooked> BookedAsync(Bookable b, Guid clientId)
    {
        var id = (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(2), 10), note = "" })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var payload = await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<string?>(App.Database.Database,
                "select payload::text from appointments.outbox_messages where type like 'Booking.Appointments.Contracts.AppointmentBooked,%' and payload->>'appointmentId' = @a",
                ("a", id.ToString())),
            p => p is not null, TimeSpan.FromSeconds(30), "the booking's event");
        var evt = JsonSerializer.Deserialize<AppointmentBooked>(payload!, WebJson)!;
        // Delivered before the merge: Notifications and PortalAuth's texts have both had it (and found nobody to tell).
        await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<long>(App.Database.Database,
                "select (select count(*) from notifications.processed_events where event_id = @e) + (select count(*) from portalauth.processed_events where event_id = @e)",
                ("e", evt.EventId)),
            n => n >= 1, TimeSpan.FromSeconds(60), "the booking's event handled");
        return evt;
    }

    [Fact]
    public async Task A_merge_giving_an_email_client_a_mobile_sign_in_emails_them_once_naming_only_the_last_digits()
    {
        var biz = await App.SignUpBusinessAsync("mergemobile");
        var (keepId, email, device) = await App.SignedInClientAsync(biz);
        var keep = Guid.Parse(keepId);
        var mobile = PortalAuthHelpers.NewMobile();
        var away = await WalkInAsync(biz, mobile);

        var page = await biz.Owner.PageAsync($"/staff/clients/{keep}/merge?with={away}");
        Assert.Contains("Nobody is texted; only the email below goes.", page.One("#merge-effects")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"so {email} gets one email saying so", page.One("#merge-carries-mobile")!.TextContent, StringComparison.Ordinal);

        await MergeAsync(biz, keep, away);

        var notice = await fixture.MailAsync(email, $"A mobile number can now sign in to your Business {biz.Slug} account");
        Assert.Contains("Hi Emma", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains($"that record's mobile number, ending in {mobile[^3..]}, is now on your account: whoever has that phone can sign in", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains($"If that record isn't yours, contact Business {biz.Slug}", notice.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(mobile[3..^3], notice.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(mobile[3..^3], notice.HtmlBody, StringComparison.Ordinal);
        Assert.Equal((1, 1), await App.NoticesAsync(biz, "ClientsMerged", Kind));

        // Staff see it in Messages, in words; it is not sent again from there (a sign-in notice).
        var row = (await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/messages", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Single(m => m.GetProperty("kind").GetString() == Kind);
        Assert.Equal("Mobile sign-in added by a merge, to client", row.GetProperty("kindLabel").GetString());

        // A carried mobile alone keeps the kept record's sessions, and the merge texts nobody.
        Assert.Equal(HttpStatusCode.OK, (await device.MeAsync(biz.Slug)).StatusCode);
        Assert.Equal(0, (await App.NewClient().DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(mobile)}")).GetArrayLength());

        // Delivered again (at least once is the relay's promise): still one email.
        var payload = await Sql.AdminScalarAsync<string>(App.Database.Database,
            "select payload::text from portalauth.outbox_messages where type like 'Booking.PortalAuth.Contracts.ClientsMerged,%' and tenant_id = @t", ("t", biz.Id));
        NotificationsTestApp.Deliver(App, JsonSerializer.Deserialize<ClientsMerged>(payload!, WebJson)!);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal((1, 1), await App.NoticesAsync(biz, "ClientsMerged", Kind));
        Assert.Single(fixture.Smtp.MessagesTo(email), m => m.Subject?.StartsWith("A mobile number can now sign in", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_merge_that_carries_no_mobile_emails_nobody()
    {
        var biz = await App.SignUpBusinessAsync("mergenomobile");
        var (keepId, email, _) = await App.SignedInClientAsync(biz);
        var away = await WalkInAsync(biz); // a landline only

        var page = await biz.Owner.PageAsync($"/staff/clients/{keepId}/merge?with={away}");
        Assert.Contains("Nobody is emailed or texted.", page.One("#merge-effects")!.TextContent, StringComparison.Ordinal);
        await MergeAsync(biz, Guid.Parse(keepId), away);

        await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<long>(App.Database.Database,
                "select count(*) from portalauth.outbox_messages where type like 'Booking.PortalAuth.Contracts.ClientsMerged,%' and tenant_id = @t and dispatched_at is not null", ("t", biz.Id)),
            n => n == 1, TimeSpan.FromSeconds(30), "the merge's event dispatched");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal((1, 0), await App.NoticesAsync(biz, "ClientsMerged", Kind));
        Assert.DoesNotContain(fixture.Smtp.MessagesTo(email), m => m.Subject?.StartsWith("A mobile number", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_booking_event_delivered_after_its_client_was_merged_away_emails_the_kept_client_once()
    {
        var b = await App.BookableAsync();
        var (keepId, email, _) = await App.SignedInClientAsync(b.Biz);
        var keep = Guid.Parse(keepId);
        var away = await WalkInAsync(b.Biz); // no email, no mobile: told of nothing
        var booked = await BookedAsync(b, away);

        await MergeAsync(b.Biz, keep, away);

        // The event as one committed just before the merge and delivered after it: it names the deleted record.
        var late = booked with { EventId = Guid.CreateVersion7() };
        Assert.Equal(away, late.ClientId);
        NotificationsTestApp.Deliver(App, late);
        NotificationsTestApp.Deliver(App, late);

        var confirmation = await fixture.MailAsync(email, $"Your appointment with Business {b.Biz.Slug} is confirmed");
        Assert.Contains("Hi Emma", confirmation.TextBody, StringComparison.Ordinal);
        Assert.Contains("Consultation", confirmation.TextBody, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(fixture.Smtp.MessagesTo(email), m => m.Subject?.StartsWith("Your appointment with", StringComparison.Ordinal) == true);
        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from notifications.outbound_messages where event_id = @e and kind = 'client-booking-confirmation' and recipient = @r",
            ("e", late.EventId), ("r", email.ToLowerInvariant())));
    }

    [Fact]
    public async Task A_booking_event_delivered_after_its_client_was_merged_away_texts_a_phone_only_kept_client()
    {
        var b = await App.BookableAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        var keep = await WalkInAsync(b.Biz, mobile); // a mobile and no email: told by text
        var away = await WalkInAsync(b.Biz);
        var booked = await BookedAsync(b, away);

        await MergeAsync(b.Biz, keep, away);
        var late = booked with { EventId = Guid.CreateVersion7() };
        NotificationsTestApp.Deliver(App, late);

        // Its record names the kept client and the number it went to (before: the deleted client was found nowhere, nothing sent).
        var sentTo = await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<string?>(App.Database.Database,
                "select client_id::text || ' ' || \"to\" || ' ' || status from portalauth.texts where event_id = @e", ("e", late.EventId)),
            r => r is not null, TimeSpan.FromSeconds(60), "the late event's text");
        Assert.Equal($"{keep} {mobile} sent", sentTo);
        Assert.Contains(await App.NewClient().TextsToAsync(mobile, 1), t => t.StartsWith($"Business {b.Biz.Slug} confirmed your appointment", StringComparison.Ordinal));
    }
}
