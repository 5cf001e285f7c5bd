using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using MimeKit;
using Calendar = Ical.Net.Calendar;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// The business's postal address (Setup → Business details, <c>address</c> of GET/PUT /api/v1/admin/business; decision
/// 274): stored as lines, kept by a PUT that leaves it out, cleared by a blank one, refused with control characters or
/// over 300 characters; carried on one line by the client emails' contact lines and the .ics LOCATION (the email's
/// invite and the portal's download). Real modules through the HTTP API, real PostgreSQL, real SMTP on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class BusinessAddressTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Phone = "02 9999 0000";

    private static string NewAddress(string who) => $"{who}-{Guid.NewGuid().ToString("N")[..8]}@example.com";

    private static Task<HttpResponseMessage> PutAsync(TestBusiness biz, object body) => biz.Owner.PutAsJsonAsync("/api/v1/admin/business", body);

    private static async Task<JsonElement> GetAsync(TestBusiness biz) =>
        await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/business", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static string? AddressOf(JsonElement details) =>
        details.GetProperty("address").ValueKind == JsonValueKind.Null ? null : details.GetProperty("address").GetString();

    private static string Text(MimeMessage m) => m.TextBody!.ReplaceLineEndings("\n");

    private static string Footer(MimeMessage m) => Text(m)[(Text(m).LastIndexOf("\n--\n", StringComparison.Ordinal) + 4)..];

    private static Calendar CalendarOf(MimeMessage message)
    {
        var part = message.Attachments.OfType<MimePart>().Single(a => a.ContentType.MimeType == "text/calendar");
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return Calendar.Load(Encoding.UTF8.GetString(stream.ToArray()))!;
    }

    /// <summary>A business with a phone and email for clients and one bookable diary; a client registered who books it, confirmed.</summary>
    private async Task<(TestBusiness Biz, string Desk, string ClientEmail, HttpClient Client, Guid AppointmentId)> BookedAsync(string? address)
    {
        var biz = await fixture.App.SignUpBusinessAsync("addr");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var desk = NewAddress("desk");
        await biz.SettingsAsync(x => x["contact"] = new JsonObject { ["phone"] = Phone, ["email"] = desk });
        if (address is not null)
        {
            await (await PutAsync(biz, new { name = $"Business {biz.Slug}", timeZone = "Australia/Sydney", countryCode = "AU", address })).JsonAsync(HttpStatusCode.OK);
        }

        var diary = await biz.DiaryAsync("Dr Lee");
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        var service = await biz.ServiceAsync("Consultation", 30, 0, [diary]);

        var http = fixture.App.NewClient();
        var email = NewAddress("client");
        await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName = "Pat", lastName = "Client", email, password = "a long client password 2026!" })).JsonAsync(HttpStatusCode.Created);
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddDays(3).AddHours(1), TimeSpan.Zero);
        var booked = await (await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}",
            new { serviceId = service, diaryId = diary, start = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("confirmed", booked.GetProperty("status").GetString());
        return (biz, desk, email, http, booked.GetProperty("id").GetGuid());
    }

    private async Task<MimeMessage> ConfirmationAsync(string to)
    {
        var mails = await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)),
            m => m.Any(x => x.Attachments.Any()), TimeSpan.FromSeconds(60), "the client's confirmation with its invite");
        return Assert.Single(mails, m => m.Attachments.Any());
    }

    private static async Task<string?> DownloadedLocationAsync(HttpClient client, TestBusiness biz, Guid id)
    {
        var download = await client.GetAsync(new Uri($"/ol/calendar?name={biz.Slug}&id={id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        return Assert.Single(Calendar.Load(await download.Content.ReadAsStringAsync())!.Events).Location;
    }

    [Fact]
    public async Task An_address_is_stored_as_trimmed_lines_kept_by_a_put_without_it_and_cleared_by_a_blank_one()
    {
        var biz = await fixture.App.SignUpBusinessAsync("addr-api");
        var name = $"Business {biz.Slug}";
        Assert.Null(AddressOf(await GetAsync(biz)));

        var saved = await (await PutAsync(biz, new { name, timeZone = "Australia/Sydney", countryCode = "AU", address = "  Level 2,  1 Harbour St \r\n\r\n Sydney NSW 2000\t\n" }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Level 2, 1 Harbour St\nSydney NSW 2000", AddressOf(saved));
        Assert.Equal("Level 2, 1 Harbour St\nSydney NSW 2000", AddressOf(await GetAsync(biz)));

        // Left out (as a client written before the field would send it): the stored address stays.
        await (await PutAsync(biz, new { name = "Renamed", timeZone = "Australia/Sydney", countryCode = "AU" })).JsonAsync(HttpStatusCode.OK);
        var kept = await GetAsync(biz);
        Assert.Equal("Renamed", kept.GetProperty("name").GetString());
        Assert.Equal("Level 2, 1 Harbour St\nSydney NSW 2000", AddressOf(kept));

        // The page's textarea holds it, labelled, with its hint.
        var page = await biz.Owner.PageAsync("/staff/setup/business");
        var box = page.One("textarea[name='Input.Address']")!;
        Assert.Equal("Level 2, 1 Harbour St\nSydney NSW 2000", box.TextContent.ReplaceLineEndings("\n").Trim('\n'));
        Assert.Contains("address-hint", box.GetAttribute("aria-describedby"), StringComparison.Ordinal);
        Assert.NotNull(page.One($"label[for='{box.Id}']"));
        Assert.Contains("Shown to clients in emails and calendar files", page.One("#address-hint")!.TextContent, StringComparison.Ordinal);

        // Blank: none.
        await (await PutAsync(biz, new { name, timeZone = "Australia/Sydney", countryCode = "AU", address = " \n " })).JsonAsync(HttpStatusCode.OK);
        Assert.Null(AddressOf(await GetAsync(biz)));
    }

    [Fact]
    public async Task A_control_character_invisible_filler_or_more_than_300_characters_is_a_validation_problem_naming_address_and_nothing_changes()
    {
        var biz = await fixture.App.SignUpBusinessAsync("addr-bad");
        var name = $"Business {biz.Slug}";
        await (await PutAsync(biz, new { name, timeZone = "Australia/Sydney", countryCode = "AU", address = "1 Harbour St" })).JsonAsync(HttpStatusCode.OK);

        foreach (var bad in new[] { "1 Harbour St\u0007", "1 Harbour St\u001b[2J", "1 Harbour\u202Egnp St", new string('x', 301), "\u3164", "\u2800\n\u115F", new string('x', 1201) })
        {
            var problem = await (await PutAsync(biz, new { name = "Changed", timeZone = "Australia/Sydney", countryCode = "AU", address = bad })).JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal("validation", Setup.SetupApi.Kind(problem));
            Assert.Equal(new[] { "address" }, Setup.SetupApi.ErrorFields(problem).ToArray());
        }

        var after = await GetAsync(biz);
        Assert.Equal(name, after.GetProperty("name").GetString());
        Assert.Equal("1 Harbour St", AddressOf(after));
    }

    [Fact]
    public async Task Three_full_lines_sent_with_form_line_breaks_are_counted_as_stored_as_the_page_s_textarea_counts_them()
    {
        var biz = await fixture.App.SignUpBusinessAsync("addr-crlf");
        var line = new string('a', 98);

        // 301 characters as sent (CRLF twice over), 298 as stored and as the textarea's maxlength="300" counts them.
        var sent = $"{line}\r\n{line}\r\n{line}\r\nb";
        Assert.Equal(301, sent.Length);
        var saved = await (await PutAsync(biz, new { name = $"Business {biz.Slug}", timeZone = "Australia/Sydney", countryCode = "AU", address = sent }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal($"{line}\n{line}\n{line}\nb", AddressOf(saved));
    }

    [Fact]
    public async Task The_booking_email_s_invite_location_contact_lines_and_the_portal_download_carry_the_address()
    {
        var (biz, desk, email, client, id) = await BookedAsync("Level 2, 1 Harbour St\nSydney NSW 2000");
        var name = $"Business {biz.Slug}";
        var expected = $"{name}, Level 2, 1 Harbour St, Sydney NSW 2000";

        var mail = await ConfirmationAsync(email);
        Assert.Equal(expected, Assert.Single(CalendarOf(mail).Events).Location);
        Assert.StartsWith($"{name}\nPhone: (02) 9999 0000\nEmail: {desk}\nAddress: Level 2, 1 Harbour St, Sydney NSW 2000\n", Footer(mail), StringComparison.Ordinal);
        Assert.Contains("Address: Level 2, 1 Harbour St, Sydney NSW 2000", mail.HtmlBody, StringComparison.Ordinal);

        Assert.Equal(expected, await DownloadedLocationAsync(client, biz, id));
    }

    [Fact]
    public async Task Without_an_address_the_location_is_the_business_s_name_and_no_address_line_is_written()
    {
        var (biz, desk, email, client, id) = await BookedAsync(address: null);
        var name = $"Business {biz.Slug}";

        var mail = await ConfirmationAsync(email);
        Assert.Equal(name, Assert.Single(CalendarOf(mail).Events).Location);
        Assert.StartsWith($"{name}\nPhone: (02) 9999 0000\nEmail: {desk}\nhttps://", Footer(mail), StringComparison.Ordinal);
        Assert.DoesNotContain("Address:", Text(mail), StringComparison.Ordinal);
        Assert.Equal(name, await DownloadedLocationAsync(client, biz, id));
    }
}
