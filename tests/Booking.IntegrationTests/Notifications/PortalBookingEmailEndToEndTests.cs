using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Ical.Net;
using Calendar = Ical.Net.Calendar;
using MimeKit;
using NodaTime;
using NodaTime.Text;

namespace Booking.IntegrationTests.Notifications;

/// <summary>The app with the real contract handlers (PortalAuth, Services, Roster, Tenancy) and a real SMTP server.</summary>
public sealed class RealFactsFixture : IAsyncLifetime
{
    public SmtpTestServer Smtp { get; private set; } = null!;

    public NotificationsTestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Smtp = await SmtpTestServer.StartAsync();
        App = new NotificationsTestApp(await NotificationsFixture.CreateDatabaseAsync("notify_e2e"), Smtp, realFacts: true);
        await AppStarts.StartAsync(App);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>
/// Issue 5 end to end: everything set up and booked through the HTTP API; nothing stands in for another module.
/// The business is in Chicago so that a time shown in the wrong zone (UTC, the server's, Sydney's) cannot pass.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class PortalBookingEmailEndToEndTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Zone = "America/Chicago";
    private static readonly DateTimeZone Chicago = DateTimeZoneProviders.Tzdb[Zone];
    // The abbreviation (CST or CDT) is taken from tzdb, as the emails take it.
    /// <summary>
    /// "+61412345678" as the emails write it for this business: "0412 345 678" (its zone is Chicago's, its country
    /// Australia, where the mobiles are from).
    /// </summary>
    private static string National(string mobile) => $"0{mobile[3..6]} {mobile[6..9]} {mobile[9..]}";

    private static readonly ZonedDateTimePattern Readable = ZonedDateTimePattern.CreateWithInvariantCulture("dddd d MMMM yyyy 'at' h:mm tt x", null);

    /// <summary>An appointment's times as the client emails write them: the date once, and AM or PM once when both share
    /// it: "Tuesday 8 December 2026, 2:00–2:45 PM CST", "…, 11:30 AM–12:15 PM CST".</summary>
    private static string Span(ZonedDateTime start, ZonedDateTime end) =>
        ZonedDateTimePattern.CreateWithInvariantCulture(start.Hour < 12 == end.Hour < 12 ? "dddd d MMMM yyyy, h:mm" : "dddd d MMMM yyyy, h:mm tt", null).Format(start) + "–"
        + ZonedDateTimePattern.CreateWithInvariantCulture("h:mm tt x", null).Format(end);

    private sealed record Scene(TestBusiness Biz, Guid DiaryId, Guid ServiceId, string DiaryContact);

    private sealed record Client(HttpClient Http, Guid Id, string Email, string Mobile, string Status);

    private async Task<Scene> SceneAsync(string tag, string? diaryContact = null)
    {
        var biz = await fixture.App.SignUpBusinessAsync("e2e", Zone);
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var contact = diaryContact ?? $"diary-{tag}@example.com";
        await biz.ConfirmAddressAsync(contact);
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Lee & Partners", contactEmail = contact, active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        var service = await biz.ServiceAsync("Deep tissue massage", 45, 15, [diary]);
        return new Scene(biz, diary, service, contact);
    }

    private async Task<Client> RegisterAsync(Scene s, string firstName, string lastName, string tag)
    {
        var http = fixture.App.NewClient();
        var email = $"client-{tag}@example.com";
        var mobile = "+61412" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        var json = await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={s.Biz.Slug}",
            new { firstName, lastName, email, password = "a long client password 2026!", mobile })).JsonAsync(HttpStatusCode.Created);
        // Verified, as an SMS code or staff would: {ClientMobilePhone} shows only a verified mobile (decision 251).
        await Sql.AdminExecAsync(fixture.App.Database.Database, "update portalauth.clients set mobile_verified = true where id = @id", ("id", json.GetProperty("id").GetGuid()));
        return new Client(http, json.GetProperty("id").GetGuid(), email, mobile, json.GetProperty("status").GetString()!);
    }

    private static LocalDate InDays(int days) => SystemClock.Instance.GetCurrentInstant().InZone(Chicago).Date.PlusDays(days);

    private static ZonedDateTime At(LocalDate date, int hour) => date.At(new LocalTime(hour, 0)).InZoneStrictly(Chicago);

    private static string Iso(ZonedDateTime t) => t.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static async Task<JsonElement> BookAsync(Client client, Scene s, ZonedDateTime start, HttpStatusCode expected) =>
        await (await client.Http.PostAsJsonAsync($"/api/v1/portal/appointments?name={s.Biz.Slug}",
            new { serviceId = s.ServiceId, diaryId = s.DiaryId, start = Iso(start), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(expected);

    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to, int count = 1) =>
        Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} email(s) to {to}");

    private static Calendar CalendarOf(MimeMessage message)
    {
        var part = message.Attachments.OfType<MimePart>().Single(a => a.ContentType.MimeType == "text/calendar");
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return Calendar.Load(Encoding.UTF8.GetString(stream.ToArray()))!;
    }

    private static void AssertInvite(Calendar calendar, Guid appointmentId, ZonedDateTime start, ZonedDateTime end)
    {
        Assert.Equal("PUBLISH", calendar.Method);
        Assert.Contains(calendar.TimeZones, z => z.TzId == Zone);
        var evt = Assert.Single(calendar.Events);
        Assert.Equal($"appointment-{appointmentId:N}@booking", evt.Uid);
        Assert.Equal(Zone, evt.DtStart!.TzId);
        Assert.Equal(start.LocalDateTime.ToDateTimeUnspecified(), evt.DtStart.Value);
        Assert.Equal(end.LocalDateTime.ToDateTimeUnspecified(), evt.DtEnd!.Value);
        Assert.Equal(start.ToDateTimeUtc(), evt.DtStart.AsUtc);
        Assert.Equal(end.ToDateTimeUtc(), evt.DtEnd.AsUtc);
    }

    [Fact]
    public async Task A_portal_booking_emails_the_diary_contact_the_edited_template_filled_with_the_real_values_and_the_client_an_ics()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var s = await SceneAsync(tag);

        // Edit the business's default "new appointment" template so that it uses every booking merge field.
        // The defaults are made in the background (BusinessSignedUp → Notifications), so wait for them.
        var templates = await Eventually.ReturnsAsync(
            async () => await (await s.Biz.Owner.GetAsync(new Uri("/api/v1/admin/templates", UriKind.Relative))).JsonAsync(HttpStatusCode.OK),
            t => t.GetProperty("items").GetArrayLength() > 0, TimeSpan.FromSeconds(30), "the default templates");
        var templateId = templates.GetProperty("items")[0].GetProperty("id").GetGuid();
        await (await s.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/templates/{templateId}", new
        {
            name = "New booking (edited)",
            subject = "New: {ClientFullName} for {ServiceName} at {AppointmentStartDateTime}",
            body = "First {ClientFirstName}; full {ClientFullName}; mobile {ClientMobilePhone}; email {ClientEmail}; service {ServiceName}; "
                + "diary {DiaryName}; business {BusinessName}; from {AppointmentStartDateTime} to {AppointmentEndDateTime}; next {NextAppointmentStartDateTime}; "
                + "portal {PortalUrl}; reason [{CancellationReason}]",
        })).JsonAsync(HttpStatusCode.OK);
        var settings = await (await s.Biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        })).JsonAsync(HttpStatusCode.OK);
        Assert.True(settings.GetProperty("notifyDiaryContactOnNew").GetProperty("enabled").GetBoolean());

        var client = await RegisterAsync(s, "Zoë", "O'Brien <3", tag);
        Assert.Equal("active", client.Status);
        var start = At(InDays(4), 14);
        var end = start.PlusMinutes(45);
        var booked = await BookAsync(client, s, start, HttpStatusCode.Created);
        Assert.Equal("confirmed", booked.GetProperty("status").GetString());
        var appointmentId = booked.GetProperty("id").GetGuid();

        var from = Readable.Format(start);
        var to = Readable.Format(end);
        var diary = Assert.Single(await MailAsync(s.DiaryContact));
        Assert.Equal($"New: Zoë O'Brien <3 for Deep tissue massage at {from}", diary.Subject);
        Assert.Contains(
            $"First Zoë; full Zoë O'Brien <3; mobile {National(client.Mobile)}; email {client.Email}; service Deep tissue massage; diary Dr Lee & Partners; "
            + $"business Business {s.Biz.Slug}; from {from} to {to}; next {from}; portal https://booking.test/ol/book?name={s.Biz.Slug}; reason",
            diary.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("[]", diary.TextBody, StringComparison.Ordinal); // brackets round only empty fields go (decision 296)
        Assert.Contains("O&#39;Brien &lt;3", diary.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Dr Lee &amp; Partners", diary.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("{", diary.TextBody, StringComparison.Ordinal);

        var confirmation = Assert.Single(await MailAsync(client.Email));
        Assert.Contains($"Deep tissue massage with Dr Lee & Partners\n{Span(start, end)}\n", confirmation.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        AssertInvite(CalendarOf(confirmation), appointmentId, start, end);
    }

    [Fact]
    public async Task An_accepted_booking_request_emails_the_client_the_decision_with_an_ics_of_the_appointment()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var s = await SceneAsync(tag);
        await s.Biz.SettingsAsync(x => x["newClientsNeedApproval"] = true);
        var client = await RegisterAsync(s, "Pat", "Pending", tag);
        Assert.Equal("pending-approval", client.Status);
        var start = At(InDays(6), 9);
        var end = start.PlusMinutes(45);
        var requested = await BookAsync(client, s, start, HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
        var id = requested.GetProperty("id").GetGuid();
        var received = Assert.Single(await MailAsync(client.Email));
        Assert.Equal($"Business {s.Biz.Slug} received your booking request", received.Subject);
        Assert.Empty(received.Attachments);

        await (await s.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{id}/accept", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);

        // Accepting confirms the booking (AppointmentBooked, previous status "requested"): that one email tells the client.
        var mails = await MailAsync(client.Email, 2);
        await Task.Delay(1500);
        mails = fixture.Smtp.MessagesTo(client.Email);
        Assert.Equal(2, mails.Count);
        var accepted = Assert.Single(mails, m => m.Subject == $"Business {s.Biz.Slug} accepted your booking request");
        Assert.Contains($"Deep tissue massage with Dr Lee & Partners\n{Span(start, end)}\n",
            accepted.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        AssertInvite(CalendarOf(accepted), id, start, end);
    }

    [Fact]
    public async Task A_request_accepted_after_the_policy_changed_is_confirmed_with_the_window_it_keeps()
    {
        // Decisions 270 and 273: the request keeps the policy it was filed under, and its acceptance says that window,
        // not the business's newer text (which the portal would not hold the client to).
        var tag = Guid.NewGuid().ToString("N")[..8];
        var s = await SceneAsync(tag);
        await s.Biz.SettingsAsync(x =>
        {
            x["newClientsNeedApproval"] = true;
            x["cancellationPolicy"] = new System.Text.Json.Nodes.JsonObject { ["hours"] = 24, ["text"] = "A day's notice, please.", ["insideWindow"] = "refuse" };
            x["contact"] = new System.Text.Json.Nodes.JsonObject { ["email"] = $"hello-{tag}@kept.example" };
        });
        var client = await RegisterAsync(s, "Kit", "Kept", tag);
        var id = (await BookAsync(client, s, At(InDays(6), 10), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Assert.Single(await MailAsync(client.Email)); // "received your booking request"

        await s.Biz.SettingsAsync(x => x["cancellationPolicy"] = new System.Text.Json.Nodes.JsonObject
        {
            ["hours"] = 72, ["text"] = "Three days' notice, please.", ["insideWindow"] = "request",
        });
        await (await s.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{id}/accept", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);

        var mails = await MailAsync(client.Email, 2);
        var accepted = Assert.Single(mails, m => m.Subject == $"Business {s.Biz.Slug} accepted your booking request");
        var text = accepted.TextBody!.ReplaceLineEndings("\n");
        // In the portal's words (decision 334): what holds after the window too, as the Cancel page says it.
        Assert.Contains("Cancellation policy: When you booked this appointment, it could be cancelled online up to 24 hours before its start; "
            + $"after that, to cancel or change it, contact Business {s.Biz.Slug} at hello-{tag}@kept.example.\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Three days' notice", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Three days' notice", accepted.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancellation_request_reaches_the_diary_contact_is_acknowledged_and_its_accept_is_one_email()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var s = await SceneAsync(tag);
        await s.Biz.SettingsAsync(x => x["cancellationPolicy"] = new System.Text.Json.Nodes.JsonObject
        {
            ["hours"] = 24 * 30, ["text"] = "A month's notice.", ["insideWindow"] = "request",
        });
        await s.Biz.ProveStaffEmailsAsync(); // the owner's sign-in email proven: request emails go only to one
        var client = await RegisterAsync(s, "Cas", "Request", tag);
        var start = At(InDays(3), 11);
        var id = (await BookAsync(client, s, start, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Assert.Single(await MailAsync(client.Email)); // the confirmation

        var asked = await (await client.Http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/cancel?name={s.Biz.Slug}", new { reason = "Moving house" }))
            .JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("cancellation-requested", asked.GetProperty("status").GetString());
        // The business never saved its notification choices: its diary contact heard of the booking (decision 352's
        // defaults) and then of the request.
        var toDiary = await MailAsync(s.DiaryContact, 2);
        Assert.Equal(2, toDiary.Count);
        Assert.Single(toDiary, m => m.Subject == "New booking: Cas Request");
        var staff = Assert.Single(toDiary, m => m.Subject == "Cancellation request: Cas Request");
        Assert.Contains($"Deep tissue massage with Dr Lee & Partners\n{Readable.Format(start)}\nReason: Moving house", staff.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        // The diary contact, not an owner or admin, is sent the appointment's page (decision 251); the owner, who can
        // decide it, hears of it too, with a link to the request on Requests.
        Assert.Contains($"https://booking.test/staff/diary/appointments/{id}?name={s.Biz.Slug}", staff.TextBody, StringComparison.Ordinal);
        var owner = Assert.Single(await MailAsync(s.Biz.OwnerEmail, 2), m => m.Subject == "Cancellation request: Cas Request"); // after sign-up's "Confirm your email"
        Assert.Contains($"https://booking.test/staff/requests?name={s.Biz.Slug}#request-{id}", owner.TextBody, StringComparison.Ordinal);
        Assert.Single(await MailAsync(client.Email, 2), m => m.Subject == $"Business {s.Biz.Slug} received your cancellation request");

        await (await s.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{id}/accept", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        await MailAsync(client.Email, 3);
        await Task.Delay(1500);
        var all = fixture.Smtp.MessagesTo(client.Email);
        Assert.Equal(3, all.Count); // confirmation, request received, decision: no separate "cancelled" email
        var decision = Assert.Single(all, m => m.Subject == $"Business {s.Biz.Slug} accepted your cancellation request");
        Assert.Contains($"Deep tissue massage with Dr Lee & Partners\n{Readable.Format(start)}", decision.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal("PUBLISH", CalendarOf(decision).Method);
        Assert.Equal("CANCELLED", CalendarOf(decision).Events.Single().Status);
    }

    [Fact]
    public async Task A_withdrawn_booking_request_tells_the_client_and_the_diary_contact_it_is_withdrawn_not_a_cancelled_booking()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var s = await SceneAsync(tag);
        await s.Biz.NotifyDiaryContactAsync(onNew: true, onCancelled: true, includeStaffChanges: false);
        await s.Biz.SettingsAsync(x => x["newClientsNeedApproval"] = true);
        var client = await RegisterAsync(s, "Wil", "Draw", tag);
        var start = At(InDays(5), 10);
        var id = (await BookAsync(client, s, start, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var request = Assert.Single(await MailAsync(s.DiaryContact), m => m.Subject == "Booking request: Wil Draw");
        // Staff's texts write the times as the client's do: the date once.
        Assert.Contains($"asked to book:\nDeep tissue massage with Dr Lee & Partners\n{Span(start, start.PlusMinutes(45))}\n",
            request.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        await (await client.Http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/cancel?name={s.Biz.Slug}", new { reason = (string?)null }))
            .JsonAsync(HttpStatusCode.OK);
        var withdrawn = Assert.Single(await MailAsync(client.Email, 2), m => m.Subject == $"You withdrew your booking request to Business {s.Biz.Slug}");
        Assert.Empty(withdrawn.Attachments);

        // Review J9: the diary contact, told to confirm or decline it, hears it is gone (no .ics: it never was in a calendar).
        var told = Assert.Single(await MailAsync(s.DiaryContact, 2), m => m.Subject == "Booking request withdrawn: Wil Draw");
        Assert.Empty(told.Attachments);
        var text = told.TextBody!.ReplaceLineEndings("\n");
        Assert.Contains($"Wil Draw ({National(client.Mobile)}, {client.Email}) withdrew their booking request for:\nDeep tissue massage with Dr Lee & Partners\n{Span(start, start.PlusMinutes(45))}\n", text, StringComparison.Ordinal);
        Assert.Contains("nothing to confirm or decline", text, StringComparison.Ordinal);
        await Task.Delay(1500);
        Assert.Equal(2, fixture.Smtp.MessagesTo(s.DiaryContact).Count); // the request and its withdrawal: no "cancelled appointment"
    }

    /// <summary>
    /// The diary contact may be a practitioner who cannot open Requests, so a request also reaches every
    /// owner and admin, once each (an admin who is the diary contact too gets one copy), with a link to the request;
    /// a practitioner who is not the diary contact gets nothing, and the withdrawal reaches the same people.
    /// </summary>
    [Fact]
    public async Task A_booking_request_reaches_the_owners_and_admins_once_each_with_a_link_to_it_and_so_does_its_withdrawal()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var admin = $"admin-{tag}@example.com";
        var practitioner = $"prac-{tag}@example.com";
        // The diary contact is the admin's address as someone typed it: the same person, so one copy.
        var s = await SceneAsync(tag, diaryContact: $"Admin-{tag}@Example.com");
        foreach (var (email, role) in new[] { (admin, "admin"), (practitioner, "practitioner") })
        {
            await (await s.Biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
                new { name = $"Staff {role}", email, password = TestBusiness.OwnerPassword, role, diaryIds = new[] { s.DiaryId } })).JsonAsync(HttpStatusCode.Created);
        }

        await s.Biz.ProveStaffEmailsAsync(); // the owner's and admin's sign-in emails proven: request emails go only to those
        await s.Biz.NotifyDiaryContactAsync(onNew: false, onCancelled: true, includeStaffChanges: false);
        await s.Biz.SettingsAsync(x => x["newClientsNeedApproval"] = true);
        var client = await RegisterAsync(s, "Req", "Uest", tag);
        var id = (await BookAsync(client, s, At(InDays(7), 10), HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var link = $"https://booking.test/staff/requests?name={s.Biz.Slug}#request-{id}";
        foreach (var to in new[] { s.Biz.OwnerEmail, admin })
        {
            // The owner's first email is the sign-up's "Confirm your email" (proven here by ProveStaffEmailsAsync).
            var mail = Assert.Single(await MailAsync(to, to == admin ? 1 : 2), m => m.Subject == "Booking request: Req Uest");
            Assert.Contains(link, mail.TextBody, StringComparison.Ordinal);
            Assert.Contains($"href=\"{link}\"", mail.HtmlBody, StringComparison.Ordinal);
        }

        await (await client.Http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/cancel?name={s.Biz.Slug}", new { reason = (string?)null }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Single(await MailAsync(s.Biz.OwnerEmail, 3), m => m.Subject == "Booking request withdrawn: Req Uest");
        Assert.Single(await MailAsync(admin, 2), m => m.Subject == "Booking request withdrawn: Req Uest");
        await Task.Delay(1500);
        Assert.Equal(2, fixture.Smtp.MessagesTo(admin).Count); // the request and its withdrawal, each once
        Assert.Equal(3, fixture.Smtp.MessagesTo(s.Biz.OwnerEmail).Count); // and the sign-up's confirmation
        Assert.Empty(fixture.Smtp.MessagesTo(practitioner));
        var kinds = (await (await s.Biz.Owner.GetAsync(new Uri("/api/v1/admin/messages?limit=50", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Where(m => m.GetProperty("to").GetString() == s.Biz.OwnerEmail)
            .Select(m => m.GetProperty("kindLabel").GetString()).Order().ToList();
        Assert.Equal(["Booking request to owner or admin", "Booking request withdrawn, to owner or admin", "Confirm sign-in email, to staff member"], kinds);
    }

    [Fact]
    public async Task A_withdrawn_booking_request_is_not_told_to_the_diary_contact_when_cancelled_notifications_are_off()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var s = await SceneAsync(tag);
        await s.Biz.NotifyDiaryContactAsync(onNew: true, onCancelled: false, includeStaffChanges: false);
        await s.Biz.SettingsAsync(x => x["newClientsNeedApproval"] = true);
        var client = await RegisterAsync(s, "Quiet", "Draw", tag);
        var id = (await BookAsync(client, s, At(InDays(6), 10), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Assert.Single(await MailAsync(s.DiaryContact), m => m.Subject == "Booking request: Quiet Draw"); // requests always go

        await (await client.Http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/cancel?name={s.Biz.Slug}", new { reason = (string?)null }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Single(await MailAsync(client.Email, 2), m => m.Subject == $"You withdrew your booking request to Business {s.Biz.Slug}");
        await Task.Delay(1500);
        Assert.Single(fixture.Smtp.MessagesTo(s.DiaryContact));
    }

    [Fact]
    public async Task Staff_recording_a_past_visit_and_cancelling_it_do_not_email_the_client_and_a_booking_ahead_does()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var s = await SceneAsync(tag);
        await s.Biz.NotifyDiaryContactAsync(onNew: true, onCancelled: true, includeStaffChanges: true);
        var client = await RegisterAsync(s, "Rec", "Orded", tag);
        async Task<Guid> StaffBookAsync(ZonedDateTime start) =>
            (await (await s.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
                new { clientId = client.Id, serviceId = s.ServiceId, diaryId = s.DiaryId, start = Iso(start) }))
                .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var past = await StaffBookAsync(At(InDays(-1), 10));
        // A visit that has happened is not cancelled (decision 208): its outcome is recorded, and nothing reaches the client.
        await (await s.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{past}/cancel", new { reason = "Entered twice" }))
            .JsonAsync(HttpStatusCode.Conflict);
        await (await s.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{past}/outcome", new { status = "no-show" }))
            .JsonAsync(HttpStatusCode.OK);
        var ahead = At(InDays(3), 11);
        var aheadId = await StaffBookAsync(ahead);

        // The diary contact (opted in to staff changes) hears of both bookings: then every event has been handled.
        await MailAsync(s.DiaryContact, 2);
        await Task.Delay(1500);
        var confirmation = Assert.Single(fixture.Smtp.MessagesTo(client.Email));
        Assert.Equal($"Your appointment with Business {s.Biz.Slug} is confirmed", confirmation.Subject);
        AssertInvite(CalendarOf(confirmation), aheadId, ahead, ahead.PlusMinutes(45));
    }
}
