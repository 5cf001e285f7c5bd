using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Ical.Net;
using MimeKit;
using NodaTime;
using Calendar = Ical.Net.Calendar;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// The note left with a booking ({AppointmentNote}): the client's "Note for &lt;business&gt;" reaches the diary contact and
/// the extra addresses, and the client's own confirmation echoes it; never another client's email, and staff's note from
/// the diary never reaches the client. Booked through the HTTP API with the real contract handlers, real SMTP.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class BookingNoteEmailTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Zone = "America/Chicago";
    private static readonly DateTimeZone Chicago = DateTimeZoneProviders.Tzdb[Zone];

    private sealed record Scene(TestBusiness Biz, Guid DiaryId, Guid ServiceId, string DiaryContact, string Tag);

    private sealed record Client(HttpClient Http, Guid Id, string Email);

    private async Task<Scene> SceneAsync(string prefix)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var biz = await fixture.App.SignUpBusinessAsync(prefix, Zone);
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var contact = $"diary-{tag}@example.com";
        await biz.ConfirmAddressAsync(contact);
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Lee", contactEmail = contact, active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        var service = await biz.ServiceAsync("Deep tissue massage", 45, 15, [diary]);
        return new Scene(biz, diary, service, contact, tag);
    }

    private async Task<Client> RegisterAsync(Scene s, string firstName)
    {
        var http = fixture.App.NewClient();
        var email = $"{firstName.ToLowerInvariant()}-{s.Tag}@example.com";
        var json = await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={s.Biz.Slug}", new
        {
            firstName, lastName = "Client", email, password = "a long client password 2026!",
            mobile = "+61412" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture),
        })).JsonAsync(HttpStatusCode.Created);
        return new Client(http, json.GetProperty("id").GetGuid(), email);
    }

    private static string At(int days, int hour) =>
        SystemClock.Instance.GetCurrentInstant().InZone(Chicago).Date.PlusDays(days).At(new LocalTime(hour, 0)).InZoneStrictly(Chicago)
            .ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static async Task<JsonElement> BookAsync(Client client, Scene s, string start, string? note) =>
        await (await client.Http.PostAsJsonAsync($"/api/v1/portal/appointments?name={s.Biz.Slug}",
            new { serviceId = s.ServiceId, diaryId = s.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note }))
            .JsonAsync(HttpStatusCode.Created);

    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to, int count = 1) =>
        Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} email(s) to {to}");

    private static string Text(MimeMessage m) => m.TextBody!.ReplaceLineEndings("\n");

    private static async Task PutSettingsAsync(Scene s, string[] extras, bool includeStaffChanges) =>
        await (await s.Biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = extras, templateId = (Guid?)null },
            includeStaffChanges,
        })).JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task A_clients_note_reaches_the_diary_contact_and_the_extra_address_and_only_that_clients_own_confirmation()
    {
        var s = await SceneAsync("note");
        var boss = $"boss-{s.Tag}@example.com";
        await fixture.App.ConfirmAddressesAsync(s.Biz.Id, boss);
        await PutSettingsAsync(s, [boss], includeStaffChanges: false);
        var ana = await RegisterAsync(s, "Ana");
        var ben = await RegisterAsync(s, "Ben");

        // Two lines, with characters HTML must encode.
        const string AnaNote = "Please use the side door <gate>.\nMy knee is sore & stiff.";
        await BookAsync(ana, s, At(5, 10), AnaNote);
        await BookAsync(ben, s, At(5, 14), note: null);

        var staff = await MailAsync(s.DiaryContact, 2);
        var toContactAboutAna = Assert.Single(staff, m => m.Subject!.Contains("Ana", StringComparison.Ordinal));
        var toContactAboutBen = Assert.Single(staff, m => m.Subject!.Contains("Ben", StringComparison.Ordinal));
        Assert.Contains("\nNote: Please use the side door <gate>.\nMy knee is sore & stiff.", Text(toContactAboutAna), StringComparison.Ordinal);
        Assert.Contains("Note: Please use the side door &lt;gate&gt;.<br />\nMy knee is sore &amp; stiff.",
            CalendarEmailTests.BodyHtml(toContactAboutAna), StringComparison.Ordinal);
        Assert.DoesNotContain("<gate>", toContactAboutAna.HtmlBody!, StringComparison.Ordinal);
        // Ben left no note: no "Note:" line, and nothing of Ana's.
        Assert.DoesNotContain("Note:", Text(toContactAboutBen), StringComparison.Ordinal);
        Assert.DoesNotContain("side door", Text(toContactAboutBen), StringComparison.Ordinal);

        var toBoss = await MailAsync(boss, 2);
        Assert.Contains("Note: Please use the side door <gate>.\nMy knee is sore & stiff.",
            Text(Assert.Single(toBoss, m => Text(m).Contains("Ana Client", StringComparison.Ordinal))), StringComparison.Ordinal);

        var anaConfirmation = Assert.Single(await MailAsync(ana.Email));
        Assert.Contains("\nYour note: Please use the side door <gate>.\nMy knee is sore & stiff.\n", Text(anaConfirmation), StringComparison.Ordinal);
        var benConfirmation = Assert.Single(await MailAsync(ben.Email));
        Assert.DoesNotContain("side door", Text(benConfirmation), StringComparison.Ordinal);
        Assert.DoesNotContain("side door", benConfirmation.HtmlBody!, StringComparison.Ordinal);
        Assert.DoesNotContain("Your note:", Text(benConfirmation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staffs_note_on_a_booking_reaches_the_diary_contact_but_never_the_client()
    {
        var s = await SceneAsync("staffnote");
        await PutSettingsAsync(s, [], includeStaffChanges: true);
        var ana = await RegisterAsync(s, "Ana");
        const string StaffNote = "Difficult to reach; confirm by phone.";
        var booked = await s.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = ana.Id, serviceId = s.ServiceId, diaryId = s.DiaryId, start = At(6, 9), petId = (Guid?)null, note = StaffNote });
        await booked.JsonAsync(HttpStatusCode.Created);

        Assert.Contains("Note: " + StaffNote, Text(Assert.Single(await MailAsync(s.DiaryContact))), StringComparison.Ordinal);
        var confirmation = Assert.Single(await MailAsync(ana.Email));
        Assert.DoesNotContain(StaffNote, Text(confirmation), StringComparison.Ordinal);
        Assert.DoesNotContain(StaffNote, confirmation.HtmlBody!, StringComparison.Ordinal);
        Assert.DoesNotContain("Your note:", Text(confirmation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_booking_requests_note_reaches_staff_and_the_request_is_offered_to_the_calendar_only_once_accepted()
    {
        var s = await SceneAsync("noteq");
        await s.Biz.SettingsAsync(x => x["newClientsNeedApproval"] = true);
        var pat = await RegisterAsync(s, "Pat");
        const string Note = "First visit: I use a wheelchair.";
        var requested = await BookAsync(pat, s, At(7, 11), Note);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
        var id = requested.GetProperty("id").GetGuid();

        var request = Assert.Single(await MailAsync(s.DiaryContact));
        Assert.StartsWith("Booking request", request.Subject, StringComparison.Ordinal);
        Assert.Contains("\nNote from the client: " + Note + "\n", Text(request), StringComparison.Ordinal);
        var received = Assert.Single(await MailAsync(pat.Email));
        Assert.Contains("\nYour note: " + Note + "\n", Text(received), StringComparison.Ordinal);
        Assert.Empty(received.Attachments);

        // Waiting for the business: no "Add to calendar", and no file (a decline sends none to take it out again).
        var booked = await pat.Http.PageAsync($"/ol/booked?name={s.Biz.Slug}&id={id}");
        Assert.Equal("Booking requested", booked.One("h1")?.TextContent.Trim());
        Assert.Null(booked.One("a[href^='/ol/calendar']"));
        var list = await pat.Http.PageAsync($"/ol/appointments?name={s.Biz.Slug}");
        Assert.Contains("Dr Lee", list.Text, StringComparison.Ordinal);
        Assert.Null(list.One("a[href^='/ol/calendar']"));
        Assert.Equal(HttpStatusCode.NotFound, (await pat.Http.GetAsync(new Uri($"/ol/calendar?name={s.Biz.Slug}&id={id}", UriKind.Relative))).StatusCode);

        await (await s.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{id}/accept", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        var accepted = Assert.Single(await MailAsync(pat.Email, 2), m => m.Subject == $"Business {s.Biz.Slug} accepted your booking request");
        Assert.Contains("\nYour note: " + Note + "\n", Text(accepted), StringComparison.Ordinal);

        var after = await pat.Http.PageAsync($"/ol/booked?name={s.Biz.Slug}&id={id}");
        Assert.NotNull(after.One("a[href^='/ol/calendar']"));
        var download = await pat.Http.GetAsync(new Uri($"/ol/calendar?name={s.Biz.Slug}&id={id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("CONFIRMED", Assert.Single(Calendar.Load(await download.Content.ReadAsStringAsync())!.Events).Status);
    }

    [Fact]
    public async Task The_download_names_the_business_email_as_organizer_and_without_one_names_none()
    {
        var s = await SceneAsync("org");
        var ana = await RegisterAsync(s, "Ana");
        var id = (await BookAsync(ana, s, At(8, 10), note: null)).GetProperty("id").GetGuid();
        // Its confirmation goes out before the business gives an email (the look is read when an email is sent).
        await MailAsync(ana.Email);

        async Task<Ical.Net.CalendarComponents.CalendarEvent> DownloadAsync()
        {
            var response = await ana.Http.GetAsync(new Uri($"/ol/calendar?name={s.Biz.Slug}&id={id}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return Assert.Single(Calendar.Load(await response.Content.ReadAsStringAsync())!.Events);
        }

        var without = await DownloadAsync();
        Assert.Null(without.Organizer);
        Assert.DoesNotContain("ORGANIZER", (await (await ana.Http.GetAsync(new Uri($"/ol/calendar?name={s.Biz.Slug}&id={id}", UriKind.Relative))).Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var desk = $"desk-{s.Tag}@business.example";
        await s.Biz.SettingsAsync(x => x["contact"] = new JsonObject { ["phone"] = null, ["email"] = desk });
        var with = await DownloadAsync();
        Assert.Equal("mailto:" + desk, with.Organizer!.Value!.ToString());
        Assert.Equal($"Business {s.Biz.Slug}", with.Organizer.CommonName);

        // The emailed invite of the next booking names the business too, not the no-reply sender.
        await BookAsync(ana, s, At(8, 14), note: null);
        var mails = await MailAsync(ana.Email, 2);
        var invites = mails.Select(m => Assert.Single(Calendar.Load(CalendarEmailTests.CalendarText(m))!.Events)).ToList();
        Assert.Contains(invites, e => e.Organizer?.Value?.ToString() == "mailto:" + desk);
        // The first, sent before the business gave an email, is a published entry with no organizer (decision 350): the
        // no-reply sender is named only where someone is asked to answer an invitation.
        Assert.Contains(invites, e => e.Organizer is null);
        Assert.DoesNotContain(invites, e => e.Organizer?.Value?.ToString() == "mailto:bookings@booking.test");
    }
}

/// <summary>{AppointmentNote} in templates: saved, previewed; unknown fields still refused. The preview's sample pet.</summary>
public sealed class AppointmentNoteTemplateTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task A_template_with_AppointmentNote_is_saved_and_previewed_and_a_misspelt_field_is_still_refused()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var saved = await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates",
            new { name = "With note", subject = "New: {ClientFullName}", body = "Booked {ServiceName}.\nNote: {AppointmentNote}" });
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);

        var refused = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates",
            new { name = "Typo", subject = "New", body = "Note: {AppointmentNotes}" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("{AppointmentNotes}", refused.GetProperty("errors").GetProperty("body").GetRawText(), StringComparison.Ordinal);

        var list = await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/templates");
        Assert.Contains("\"AppointmentNote\"", list.GetProperty("mergeFields").GetRawText(), StringComparison.Ordinal);

        var preview = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates/preview",
            new { subject = "Preview", body = "Note: {AppointmentNote}" })).JsonAsync(HttpStatusCode.OK);
        Assert.StartsWith("Note: Please call when you arrive", preview.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_preview_shows_a_sample_pet_only_for_a_business_that_books_for_pets()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        async Task<string> FirstLineAsync() =>
            (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates/preview", new { subject = "P", body = "[{PetName}] {ServiceName}" }))
                .JsonAsync(HttpStatusCode.OK)).GetProperty("text").GetString()!.Split('\n')[0].TrimEnd('\r');

        await biz.SettingsAsync(x => x["booksForPets"] = false);
        Assert.Equal("Sample service", await FirstLineAsync()); // empty square brackets go (decision 296)
        await biz.SettingsAsync(x => x["booksForPets"] = true);
        Assert.Equal("[Rex] Sample service", await FirstLineAsync());
    }

    [Fact]
    public async Task The_Communication_page_says_what_each_merge_field_holds()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var page = await biz.Owner.PageAsync("/staff/tools/communication");
        Assert.Contains("{AppointmentNote}", page.Text, StringComparison.Ordinal);
        Assert.Contains("The note left with the booking", page.Text, StringComparison.Ordinal);
        Assert.Contains("The pet the appointment is for", page.Text, StringComparison.Ordinal);
    }
}

/// <summary>{AppointmentTimes} is a template field: listed, saved, previewed, and described on the Communication page.</summary>
public sealed class AppointmentTimesTemplateTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task A_template_may_use_AppointmentTimes_and_the_Communication_page_says_what_it_holds()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var saved = await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates",
            new { name = "With times", subject = "New: {ClientFullName}", body = "Booked {ServiceName}, {AppointmentTimes}." });
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);

        var list = await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/templates");
        Assert.Contains("\"AppointmentTimes\"", list.GetProperty("mergeFields").GetRawText(), StringComparison.Ordinal);

        // The preview's sample: next Tuesday 9:00 for 45 minutes, the date once and AM once (a 12-hour clock).
        var preview = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates/preview",
            new { subject = "Preview", body = "When: {AppointmentTimes}." })).JsonAsync(HttpStatusCode.OK);
        Assert.Matches(@"^When: Tuesday \d{1,2} \w+ \d{4}, 9:00–9:45 AM [A-Z]+\.", preview.GetProperty("text").GetString());

        var page = await biz.Owner.PageAsync("/staff/tools/communication");
        Assert.Contains("{AppointmentTimes}", page.Text, StringComparison.Ordinal);
        Assert.Contains("When the appointment is, start to end, with the date written once", page.Text, StringComparison.Ordinal);
    }
}

/// <summary>Events already in the outbox when Note was added (JSON without it) still read, as having no note.</summary>
public sealed class AppointmentEventNotePayloadTests
{
    private const string Ids = "\"eventId\":\"0193a1b2-0000-7000-8000-000000000001\",\"tenantId\":\"0193a1b2-0000-7000-8000-000000000002\","
        + "\"appointmentId\":\"0193a1b2-0000-7000-8000-000000000003\",\"clientId\":\"0193a1b2-0000-7000-8000-000000000004\","
        + "\"diaryId\":\"0193a1b2-0000-7000-8000-000000000005\",\"serviceId\":\"0193a1b2-0000-7000-8000-000000000006\","
        + "\"start\":\"2026-12-08T09:00:00+00:00\",\"end\":\"2026-12-08T10:00:00+00:00\",\"source\":\"portal\"";

    [Fact]
    public void An_event_written_before_the_note_reads_with_none_and_a_new_one_keeps_it()
    {
        var json = Booking.BuildingBlocks.Outbox.OutboxMessage.Json;
        Assert.Null(System.Text.Json.JsonSerializer.Deserialize<Booking.Appointments.Contracts.AppointmentBooked>("{" + Ids + ",\"petId\":null,\"previousStatus\":null,\"changedAt\":null}", json)!.Note);
        Assert.Null(System.Text.Json.JsonSerializer.Deserialize<Booking.Appointments.Contracts.BookingRequested>("{" + Ids + ",\"petId\":null}", json)!.Note);
        Assert.Null(System.Text.Json.JsonSerializer.Deserialize<Booking.Appointments.Contracts.AppointmentCancelled>("{" + Ids + ",\"reason\":null,\"previousStatus\":\"confirmed\"}", json)!.Note);

        var booked = System.Text.Json.JsonSerializer.Deserialize<Booking.Appointments.Contracts.AppointmentBooked>("{" + Ids + ",\"petId\":null}", json)! with { Note = "Side door, please." };
        var again = System.Text.Json.JsonSerializer.Deserialize<Booking.Appointments.Contracts.AppointmentBooked>(System.Text.Json.JsonSerializer.Serialize(booked, json), json)!;
        Assert.Equal("Side door, please.", again.Note);
    }
}
