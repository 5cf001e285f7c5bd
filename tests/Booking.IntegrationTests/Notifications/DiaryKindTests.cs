using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using SetupApi = Booking.IntegrationTests.Setup.SetupApi;
using Ical.Net;
using MimeKit;
using NodaTime;
using Calendar = Ical.Net.Calendar;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// A diary may be a room or a piece of equipment (decision 280): it needs no contact email, and clients read it as
/// "Massage — Room Two" where a person's reads "Massage with Aoife", in emails, the .ics, the portal's pages and answers.
/// Everything through HTTP against real PostgreSQL and a real SMTP server.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class DiaryKindTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Zone = "Australia/Sydney";
    private const string Service = "Deep tissue massage";

    private sealed record Scene(TestBusiness Biz, Guid Room, Guid Person, Guid ServiceId, string PersonContact, string Tag);

    private static string NewTag() => Guid.NewGuid().ToString("N")[..8];

    private async Task<Scene> SceneAsync()
    {
        var tag = NewTag();
        var biz = await fixture.App.SignUpBusinessAsync("kind", Zone);
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var contact = $"aoife-{tag}@example.com";
        await biz.ConfirmAddressAsync(contact);
        var room = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Room Two", kind = "resource", active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var person = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Aoife", contactEmail = contact, active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(room, "08:00", "18:00");
        await biz.RosterEveryDayAsync(person, "08:00", "18:00");
        var service = await biz.ServiceAsync(Service, 45, 0, [room, person]);
        return new Scene(biz, room, person, service, contact, tag);
    }

    private async Task<(HttpClient Http, string Email)> RegisterAsync(Scene s, string who)
    {
        var http = fixture.App.NewClient();
        var email = $"{who}-{s.Tag}@example.com";
        var mobile = "+61412" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={s.Biz.Slug}",
            new { firstName = "Ana", lastName = "Client", email, password = "a long client password 2026!", mobile })).JsonAsync(HttpStatusCode.Created);
        return (http, email);
    }

    private static string Start(int days, int hour)
    {
        var date = SystemClock.Instance.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb[Zone]).Date.PlusDays(days);
        return date.At(new LocalTime(hour, 0)).InZoneStrictly(DateTimeZoneProviders.Tzdb[Zone]).ToDateTimeOffset()
            .ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    private static async Task<Guid> BookAsync(HttpClient http, Scene s, Guid diary, string start) =>
        (await (await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={s.Biz.Slug}",
            new { serviceId = s.ServiceId, diaryId = diary, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to, int count = 1) =>
        Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} email(s) to {to}");

    private async Task<MimeMessage> MailAsync(string to, Func<MimeMessage, bool> which, string what) =>
        (await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Count(which) == 1, TimeSpan.FromSeconds(60), what)).Single(which);

    private static string SummaryOf(MimeMessage message)
    {
        var part = message.Attachments.OfType<MimePart>().Single(a => a.ContentType.MimeType == "text/calendar");
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return Assert.Single(Calendar.Load(Encoding.UTF8.GetString(stream.ToArray()))!.Events).Summary!;
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string url) =>
        await (await http.GetAsync(new Uri(url, UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static string Squeezed(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    [Fact]
    public async Task A_resource_diary_needs_no_contact_email_keeps_its_kind_on_a_put_without_it_and_the_business_is_ready()
    {
        var s = await SceneAsync();
        var room = await GetAsync(s.Biz.Owner, $"/api/v1/admin/diaries/{s.Room}");
        Assert.Equal("resource", room.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, room.GetProperty("contactEmail").ValueKind);
        Assert.Equal(JsonValueKind.Null, room.GetProperty("contactEmailState").ValueKind);
        var list = await GetAsync(s.Biz.Owner, "/api/v1/admin/diaries");
        Assert.Equal(["Aoife person", "Room Two resource"],
            list.GetProperty("items").EnumerateArray().Select(d => $"{d.GetProperty("name").GetString()} {d.GetProperty("kind").GetString()}"));

        // A person still needs one; an unknown kind is named; nothing is made.
        var noContact = await (await s.Biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Bea", active = true })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["contactEmail"], SetupApi.ErrorFields(noContact));
        var badKind = await (await s.Biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Sunbed", kind = "room", contactEmail = "sun@kind.example", active = true })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["kind"], SetupApi.ErrorFields(badKind));
        Assert.Equal(2, (await GetAsync(s.Biz.Owner, "/api/v1/admin/diaries")).GetProperty("items").GetArrayLength());

        // A PUT written before kinds (no kind) keeps the diary's kind: the room stays a room, with no contact email.
        var renamed = await (await s.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{s.Room}", new { name = "Room 2", contactEmail = (string?)null, active = true }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("resource", renamed.GetProperty("kind").GetString());
        var person = await (await s.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{s.Person}", new { name = "Aoife", contactEmail = s.PersonContact, active = true }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("person", person.GetProperty("kind").GetString());
        // Made a person without a contact email: refused, and the room is as it was.
        var refused = await (await s.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{s.Room}", new { name = "Room 2", contactEmail = "", active = true, kind = "person" }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["contactEmail"], SetupApi.ErrorFields(refused));
        Assert.Equal("resource", (await GetAsync(s.Biz.Owner, $"/api/v1/admin/diaries/{s.Room}")).GetProperty("kind").GetString());
        // Turned into a person with an address, and back.
        var nowPerson = await (await s.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{s.Room}", new { name = "Room Two", contactEmail = $"desk-{s.Tag}@example.com", active = true, kind = "person" }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("person", nowPerson.GetProperty("kind").GetString());
        Assert.Equal("waiting", nowPerson.GetProperty("contactEmailState").GetString());
        await (await s.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{s.Room}", new { name = "Room Two", contactEmail = "", active = true, kind = "resource" }))
            .JsonAsync(HttpStatusCode.OK);

        // The portal's services answer names each diary's kind.
        var services = await GetAsync(fixture.App.NewClient(), $"/api/v1/portal/services?name={s.Biz.Slug}");
        var diaries = Assert.Single(services.GetProperty("items").EnumerateArray()).GetProperty("diaries").EnumerateArray()
            .Select(d => $"{d.GetProperty("name").GetString()} {d.GetProperty("kind").GetString()}");
        Assert.Equal(["Aoife person", "Room Two resource"], diaries);

        // With only the room offering it, the business is ready to take bookings.
        await (await s.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{s.ServiceId}",
            SetupApi.ServiceBody(Service, [s.Room], duration: 45))).JsonAsync(HttpStatusCode.OK);
        var readiness = await GetAsync(s.Biz.Owner, "/api/v1/admin/portal/readiness");
        Assert.True(readiness.GetProperty("ready").GetBoolean(), readiness.ToString());
    }

    [Fact]
    public async Task Booking_a_room_names_it_after_a_dash_in_the_email_ics_and_portal_and_a_person_keeps_with()
    {
        var s = await SceneAsync();
        await (await s.Biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = true, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        })).JsonAsync(HttpStatusCode.OK);
        var (http, email) = await RegisterAsync(s, "ana");

        var inRoom = await BookAsync(http, s, s.Room, Start(3, 10));
        var withAoife = await BookAsync(http, s, s.Person, Start(3, 14));
        var mails = await MailAsync(email, 2);
        var room = Assert.Single(mails, m => SummaryOf(m).Contains("Room Two", StringComparison.Ordinal));
        var aoife = Assert.Single(mails, m => SummaryOf(m).Contains("Aoife", StringComparison.Ordinal));

        Assert.Equal($"{Service} — Room Two", SummaryOf(room));
        Assert.Contains($"{Service} — Room Two\n", room.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"{Service} — Room Two", WebUtility.HtmlDecode(room.HtmlBody), StringComparison.Ordinal);
        Assert.DoesNotContain("with Room Two", room.TextBody + room.HtmlBody, StringComparison.Ordinal);
        Assert.Equal($"{Service} with Aoife", SummaryOf(aoife));
        Assert.Contains($"{Service} with Aoife\n", aoife.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        // The diary contact hears of Aoife's booking; the room has none, so nothing is written for it (not even withheld).
        var staff = await MailAsync(s.PersonContact, m => m.Subject!.StartsWith("New booking:", StringComparison.Ordinal), "the diary contact's email");
        Assert.Contains($"{Service} with Aoife", staff.TextBody, StringComparison.Ordinal);
        var messages = await Eventually.ReturnsAsync(
            async () => await GetAsync(s.Biz.Owner, "/api/v1/admin/messages"),
            m => m.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("kind").GetString() == "diary-contact-new"),
            TimeSpan.FromSeconds(30), "the diary contact's message");
        Assert.Equal([s.PersonContact], messages.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("kind").GetString() == "diary-contact-new").Select(i => i.GetProperty("to").GetString()));

        // The portal: the list, the booked page, the cancel page and the calendar file say the same.
        var list = await http.PageAsync($"/ol/appointments?name={s.Biz.Slug}");
        var lines = list.All("p").Select(p => Squeezed(p.TextContent)).ToList();
        Assert.Contains($"{Service} — Room Two", lines);
        Assert.Contains($"{Service} with Aoife", lines);
        var booked = await http.PageAsync($"/ol/booked?id={inRoom}&name={s.Biz.Slug}");
        Assert.Contains("Where Room Two", Squeezed(booked.One("dl.summary")!.TextContent), StringComparison.Ordinal);
        var bookedAoife = await http.PageAsync($"/ol/booked?id={withAoife}&name={s.Biz.Slug}");
        Assert.Contains("With Aoife", Squeezed(bookedAoife.One("dl.summary")!.TextContent), StringComparison.Ordinal);
        var ics = await http.GetStringAsync(new Uri($"/ol/calendar?id={inRoom}&name={s.Biz.Slug}", UriKind.Relative));
        Assert.Equal($"{Service} — Room Two", Assert.Single(Calendar.Load(ics)!.Events).Summary);

        // The booking page's diary choice: a room is among them, so "any" promises no person.
        var pick = await http.PageAsync($"/ol/new-booking?name={s.Biz.Slug}&service={s.ServiceId}");
        Assert.Equal("With or where", pick.One("label[for=diary]")!.TextContent.Trim());
        Assert.Equal("Any available", pick.One("#diary option[value=any]")!.TextContent.Trim());

        // Cancelled: the client's email says it the same way.
        await (await http.PostAsJsonAsync($"/api/v1/portal/appointments/{inRoom}/cancel?name={s.Biz.Slug}", new { reason = "Busy" })).JsonAsync(HttpStatusCode.OK);
        var cancelled = await MailAsync(email, m => m.Subject!.Contains("cancelled", StringComparison.Ordinal), "the client's cancellation email");
        Assert.Contains($"{Service} — Room Two\n", cancelled.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_template_written_with_DiaryName_renders_as_before_and_WithDiary_follows_the_kind()
    {
        var s = await SceneAsync();
        // The room has a contact email here (a resource may): the desk, which reads the business's template.
        var desk = $"desk-{s.Tag}@example.com";
        await s.Biz.ConfirmAddressAsync(desk);
        await (await s.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{s.Room}", new { name = "Room Two", contactEmail = desk, active = true }))
            .JsonAsync(HttpStatusCode.OK);
        var template = await (await s.Biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new
        {
            name = "Old words",
            subject = "Booked: {ServiceName}",
            body = "Old: {ServiceName} with {DiaryName}.\nNew: {ServiceName} {WithDiary}.",
        })).JsonAsync(HttpStatusCode.Created);
        await (await s.Biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = template.GetProperty("id").GetGuid() },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        })).JsonAsync(HttpStatusCode.OK);
        var (http, _) = await RegisterAsync(s, "tpl");

        await BookAsync(http, s, s.Room, Start(4, 10));
        await BookAsync(http, s, s.Person, Start(4, 14));

        var room = (await MailAsync(desk, m => m.Subject == $"Booked: {Service}", "the room's template email")).TextBody!.ReplaceLineEndings("\n");
        Assert.Contains($"Old: {Service} with Room Two.\nNew: {Service} — Room Two.", room, StringComparison.Ordinal);
        var person = (await MailAsync(s.PersonContact, m => m.Subject == $"Booked: {Service}", "the person's template email")).TextBody!.ReplaceLineEndings("\n");
        Assert.Contains($"Old: {Service} with Aoife.\nNew: {Service} with Aoife.", person, StringComparison.Ordinal);

        // The defaults a new business is given use the new field.
        var defaults = await Eventually.ReturnsAsync(() => GetAsync(s.Biz.Owner, "/api/v1/admin/templates"),
            t => t.GetProperty("items").GetArrayLength() >= 4, TimeSpan.FromSeconds(30), "the default templates");
        Assert.All(defaults.GetProperty("items").EnumerateArray().Where(t => t.GetProperty("name").GetString() != "Old words"),
            t => Assert.Contains("{ServiceName} {WithDiary}", t.GetProperty("body").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Staff_choose_the_kind_on_the_roster_pages_and_the_list_names_it()
    {
        var tag = NewTag();
        var biz = await fixture.App.SignUpBusinessAsync("kindpage", Zone);
        var index = await biz.Owner.PageAsync("/staff/setup/roster");
        Assert.True(((AngleSharp.Html.Dom.IHtmlInputElement)index.One("#NewDiary_Kind_person")!).IsChecked);
        Assert.Equal("A room or equipment", index.One("label[for=NewDiary_Kind_resource]")!.TextContent.Trim());

        // A room with no contact email: added.
        var added = await biz.Owner.SubmitAsync(index, new Dictionary<string, string>
        {
            ["NewDiary.Name"] = "Sunbed",
            ["NewDiary.ContactEmail"] = "",
            ["NewDiary.Kind"] = "resource",
        }, "form[action*=AddDiary]");
        Assert.Equal(HttpStatusCode.Redirect, added.Status);
        var id = Guid.Parse(added.Response.Headers.Location!.OriginalString.Split('/')[^1]);
        var saved = await GetAsync(biz.Owner, $"/api/v1/admin/diaries/{id}");
        Assert.Equal("resource", saved.GetProperty("kind").GetString());

        // A person with no contact email: refused on the page, beside the field.
        var refused = await biz.Owner.SubmitAsync(await biz.Owner.PageAsync("/staff/setup/roster"), new Dictionary<string, string>
        {
            ["NewDiary.Name"] = "Bea",
            ["NewDiary.ContactEmail"] = "",
            ["NewDiary.Kind"] = "person",
        }, "form[action*=AddDiary]");
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("Enter the diary's contact email", refused.One("#new-email-error")!.TextContent, StringComparison.Ordinal);

        var list = await biz.Owner.PageAsync("/staff/setup/roster");
        var row = Assert.Single(list.All("tbody tr"));
        Assert.Equal("A room or equipment", row.QuerySelector("td[data-kind]")!.TextContent.Trim());
        Assert.Equal("none", row.QuerySelector("td[data-contact-state]")!.GetAttribute("data-contact-state"));

        // Its page: the room is ticked, says nobody is emailed as its contact, and changes to a person with an address.
        var page = await biz.Owner.PageAsync($"/staff/setup/roster/{id}");
        Assert.True(((AngleSharp.Html.Dom.IHtmlInputElement)page.One("#Details_Kind_resource")!).IsChecked);
        Assert.Contains("No contact email", page.One("#details-email-state")!.TextContent, StringComparison.Ordinal);
        var changed = await biz.Owner.SubmitAsync(page, new Dictionary<string, string>
        {
            ["Details.Name"] = "Sunbed",
            ["Details.ContactEmail"] = $"tan-{tag}@example.com",
            ["Details.Kind"] = "person",
        }, "form[action*=Details]");
        Assert.Equal(HttpStatusCode.Redirect, changed.Status);
        Assert.Equal("person", (await GetAsync(biz.Owner, $"/api/v1/admin/diaries/{id}")).GetProperty("kind").GetString());
        Assert.Equal("A person", (await biz.Owner.PageAsync("/staff/setup/roster")).One("td[data-kind]")!.TextContent.Trim());
    }
}
