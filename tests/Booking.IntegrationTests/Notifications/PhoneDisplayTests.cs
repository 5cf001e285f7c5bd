using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using MimeKit;
using NodaTime;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Phone numbers shown to people (PhoneDisplay): a mobile of the business's country in its national format, another
/// country's in the international one, on the portal's Your details, the staff clients list and a client's page (a
/// tel: link to the E.164 number there) and in the diary contact's email; the API and the edit form's round trip keep
/// E.164. A stored value that is not a number is shown as it is. A UK business, so neither Australia's defaults nor
/// E.164 can pass for the national format.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class PhoneDisplayTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Zone = "Europe/London";
    private const string UkMobile = "+447400123456", UkNational = "07400 123456";
    private const string UsMobile = "+12015550123", UsInternational = "+1 201-555-0123";

    private sealed record Scene(TestBusiness Biz, Guid DiaryId, Guid ServiceId, string DiaryContact, string Tag);

    private sealed record Client(HttpClient Http, Guid Id, string Email);

    private async Task<Scene> SceneAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var biz = await fixture.App.SignUpBusinessAsync("phone", Zone, countryCode: "GB");
        // A US mobile goes on file only where the business texts the US too (decision 250).
        var settings = System.Text.Json.Nodes.JsonNode.Parse(await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).Content.ReadAsStringAsync())!;
        settings["smsCountries"] = new System.Text.Json.Nodes.JsonArray("GB", "US");
        (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", settings)).EnsureSuccessStatusCode();
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var contact = $"diary-{tag}@example.com";
        await biz.ConfirmAddressAsync(contact);
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Lee", contactEmail = contact, active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        var service = await biz.ServiceAsync("Check-up", 30, 0, [diary], currency: "GBP");
        (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        })).EnsureSuccessStatusCode();
        return new Scene(biz, diary, service, contact, tag);
    }

    /// <summary>Registers at the portal with the mobile as typed; the client stays signed in.</summary>
    private async Task<Client> RegisterAsync(Scene s, string firstName, string mobile)
    {
        var http = fixture.App.NewClient();
        var email = $"{firstName.ToLowerInvariant()}-{s.Tag}@example.com";
        var json = await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={s.Biz.Slug}", new
        {
            firstName, lastName = "Client", email, password = "a long client password 2026!", mobile,
        })).JsonAsync(HttpStatusCode.Created);
        // As if proven by its code: the client's own pages show only a verified mobile (one typed at registration is a claim).
        await Sql.AdminExecAsync(fixture.App.Database.Database, "update portalauth.clients set mobile_verified = true where id = @i", ("i", json.GetProperty("id").GetGuid()));
        return new Client(http, json.GetProperty("id").GetGuid(), email);
    }

    private static string At(int days, int hour)
    {
        var london = DateTimeZoneProviders.Tzdb[Zone];
        return SystemClock.Instance.GetCurrentInstant().InZone(london).Date.PlusDays(days).At(new LocalTime(hour, 0)).InZoneStrictly(london)
            .ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    private static async Task BookAsync(Client client, Scene s, string start) =>
        await (await client.Http.PostAsJsonAsync($"/api/v1/portal/appointments?name={s.Biz.Slug}",
            new { serviceId = s.ServiceId, diaryId = s.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);

    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to, int count) =>
        Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} email(s) to {to}");

    [Fact]
    public async Task A_UK_business_shows_a_UK_mobile_nationally_and_a_US_one_internationally_on_pages_and_in_the_staff_email()
    {
        var s = await SceneAsync();
        var gemma = await RegisterAsync(s, "Gemma", "07400 123456");
        var uma = await RegisterAsync(s, "Uma", "+1 201 555 0123");

        // The API keeps E.164.
        Assert.Equal(UkMobile, (await (await gemma.Http.GetAsync(new Uri($"/api/v1/portal/me?name={s.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("mobile").GetString());

        // The portal's Your details.
        Assert.Equal(UkNational, (await gemma.Http.PageAsync($"/ol/account?name={s.Biz.Slug}")).One(".mobile")!.TextContent.Trim());
        Assert.Equal(UsInternational, (await uma.Http.PageAsync($"/ol/account?name={s.Biz.Slug}")).One(".mobile")!.TextContent.Trim());

        // The staff clients list: the number written for people, a link to call its E.164 address.
        var list = await s.Biz.Owner.PageAsync("/staff/clients");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal(UkNational, list.One($"td a[href='tel:{UkMobile}']")!.TextContent);
        Assert.Equal(UsInternational, list.One($"td a[href='tel:{UsMobile}']")!.TextContent);
        Assert.DoesNotContain(">" + UkMobile + "<", list.Html, StringComparison.Ordinal);

        // A client's page, and its edit form: shown nationally, saved back unchanged as E.164.
        var detail = await s.Biz.Owner.PageAsync($"/staff/clients/{gemma.Id}");
        Assert.Equal(UkNational, detail.One($"dd a[href='tel:{UkMobile}']")!.TextContent);
        Assert.Equal(UkNational, detail.One("form[action*='handler=Save'] [name='Input.Mobile']")!.GetAttribute("value"));
        var saved = await s.Biz.Owner.SubmitAsync(detail, PortalHtml.Fields(("Input.LastName", "Clientele")), "form[action*='handler=Save']");
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var read = await (await s.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{gemma.Id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(UkMobile, read.GetProperty("mobile").GetString());
        Assert.Equal("Clientele", read.GetProperty("lastName").GetString());

        // The diary contact's email: the text as the country writes it, the HTML a tel: link.
        await BookAsync(gemma, s, At(5, 10));
        await BookAsync(uma, s, At(5, 14));
        var staff = await MailAsync(s.DiaryContact, 2);
        var aboutGemma = Assert.Single(staff, m => m.Subject!.Contains("Gemma", StringComparison.Ordinal));
        var aboutUma = Assert.Single(staff, m => m.Subject!.Contains("Uma", StringComparison.Ordinal));
        Assert.Contains($"({UkNational}, ", aboutGemma.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(UkMobile, aboutGemma.TextBody, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"tel:{UkMobile}\">{UkNational}</a>", aboutGemma.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"({UsInternational}, ", aboutUma.TextBody, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"tel:{UsMobile}\">{UsInternational}</a>", aboutUma.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_mobile_that_is_not_a_number_is_shown_as_it_is_and_offered_to_no_one_to_call()
    {
        var s = await SceneAsync();
        var odd = await RegisterAsync(s, "Odd", "07400 654321");
        const string Stored = "ring 0740";
        await Sql.AdminExecAsync(fixture.App.Database.Database, "update portalauth.clients set mobile = @m where id = @i", ("m", Stored), ("i", odd.Id));

        var account = await odd.Http.PageAsync($"/ol/account?name={s.Biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, account.Status);
        Assert.Equal(Stored, account.One(".mobile")!.TextContent.Trim());

        var list = await s.Biz.Owner.PageAsync("/staff/clients");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal(Stored, list.One("td span.phone")!.TextContent);
        Assert.Null(list.One("td a[href^='tel:']"));

        var detail = await s.Biz.Owner.PageAsync($"/staff/clients/{odd.Id}");
        Assert.Equal(HttpStatusCode.OK, detail.Status);
        Assert.Equal(Stored, detail.One("dd span.phone")!.TextContent);

        await BookAsync(odd, s, At(6, 9));
        var mail = Assert.Single(await MailAsync(s.DiaryContact, 1));
        Assert.Contains($"({Stored}, ", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("tel:", mail.HtmlBody, StringComparison.Ordinal);
    }
}
