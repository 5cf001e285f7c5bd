using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SchedulingApi = Booking.IntegrationTests.Appointments.SchedulingApi;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.IntegrationTests.Setup;
using Booking.Tenancy.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>An app of its own for <see cref="SmsCountriesTests"/>: the real portal settings, and an address per client.</summary>
public sealed class SmsCountriesApp() : AppWithTestIp("smscountries");

/// <summary>
/// Against SMS pumping: a business texts one-time codes only to mobiles of the countries it chose (Setup → Client
/// Portal, <c>smsCountries</c>; its own country until then). A mobile from elsewhere is refused on <c>mobile</c>, naming
/// the countries in words, before anything is counted, saved or texted: phone sign-in, a resend, proving a mobile, on the
/// API and the pages. A British business, so neither Australia (the tests' usual country) nor +1 passes by default.
/// </summary>
public sealed class SmsCountriesTests(SmsCountriesApp fixture) : IClassFixture<SmsCountriesApp>
{
    private const string OnlyUk = "This business can only text codes to numbers in the United Kingdom.";

    private BookingApp App => fixture.App;

    private HttpClient NewClient()
    {
        var client = App.NewClient();
        client.DefaultRequestHeaders.Add("X-Test-Ip", $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}");
        return client;
    }

    private static string UkMobile() => "+447400" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Task<TestBusiness> UkBusinessAsync() => App.SignUpBusinessAsync("sms", "Europe/London", countryCode: "GB");

    private static async Task<JsonElement> SettingsAsync(TestBusiness biz) =>
        await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    /// <summary>The current settings sent back with <paramref name="countries"/> (left out when null).</summary>
    private static async Task<HttpResponseMessage> PutCountriesAsync(TestBusiness biz, object? countries, bool leaveOut = false)
    {
        var body = JsonSerializer.Deserialize<Dictionary<string, object?>>((await SettingsAsync(biz)).GetRawText())!;
        body.Remove("smsCountries");
        if (!leaveOut)
        {
            body["smsCountries"] = countries;
        }

        return await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", body);
    }

    private static string[] Countries(JsonElement settings) =>
        settings.GetProperty("smsCountries").EnumerateArray().Select(c => c.GetString()!).ToArray();

    private async Task AssertNothingSentAsync(HttpClient http, string mobile)
    {
        Assert.Equal(0, (await http.DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(mobile)}")).GetArrayLength());
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from portalauth.code_sends where mobile = @m", ("m", mobile)));
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from portalauth.sign_in_attempts where mobile = @m", ("m", mobile)));
    }

    private static async Task AssertRefusedOnMobileAsync(HttpResponseMessage answer, string words)
    {
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = await answer.JsonAsync();
        Assert.EndsWith("/validation", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(words, problem.GetProperty("errors").GetProperty("mobile")[0].GetString());
    }

    [Fact]
    public async Task A_business_texts_codes_only_to_its_own_country_until_staff_add_another_and_a_mobile_from_elsewhere_is_refused_on_mobile_before_any_text()
    {
        var biz = await UkBusinessAsync();
        Assert.Equal(new[] { "GB" }, Countries(await SettingsAsync(biz)));

        // An Australian mobile (typed in full) at a British business: refused, nothing counted, saved or texted.
        var australian = PortalAuthHelpers.NewMobile();
        var http = NewClient();
        await AssertRefusedOnMobileAsync(await http.StartAsync(biz.Slug, australian), OnlyUk);
        await AssertNothingSentAsync(http, australian);

        // A +44 mobile of Guernsey (libphonenumber places +44 7911 1… there) looks British to the client: the refusal says
        // where the number is registered, so they are not left wondering why a "UK" number is refused.
        var guernsey = "+4479111" + Random.Shared.Next(10_000, 99_999).ToString(System.Globalization.CultureInfo.InvariantCulture); // 7911 1…: Guernsey's
        await AssertRefusedOnMobileAsync(await http.StartAsync(biz.Slug, guernsey),
            "This business can only text codes to numbers in the United Kingdom (this number is registered in Guernsey).");
        await AssertNothingSentAsync(http, guernsey);

        // A British one goes as before.
        var british = UkMobile();
        Assert.Equal(HttpStatusCode.Accepted, (await http.StartAsync(biz.Slug, british)).StatusCode);
        Assert.Matches("^[0-9]{6}$", await http.CodeSentToAsync(british));

        // Staff add Australia (any case, a repeat taken once): the answer and every read say so, and the mobile is texted.
        var saved = await (await PutCountriesAsync(biz, new[] { "gb", "AU", "GB" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { "GB", "AU" }, Countries(saved));
        Assert.Equal(new[] { "GB", "AU" }, Countries(await SettingsAsync(biz)));
        var started = await http.StartAsync(biz.Slug, australian);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var attempt = (await started.JsonAsync()).GetProperty("attemptId").GetString()!;
        await http.CodeSentToAsync(australian);

        // Other settings' saves leave the list alone.
        Assert.Equal(new[] { "GB", "AU" }, Countries(await (await PutCountriesAsync(biz, null, leaveOut: true)).JsonAsync(HttpStatusCode.OK)));
        Assert.Equal(new[] { "GB", "AU" }, Countries(await (await PutCountriesAsync(biz, null)).JsonAsync(HttpStatusCode.OK)));

        // Narrowed again: a resend on the attempt begun meanwhile is refused too, and texts nothing more.
        await (await PutCountriesAsync(biz, new[] { "GB" })).JsonAsync(HttpStatusCode.OK);
        await Sql.AdminExecAsync(App.Database.Database, "update portalauth.code_sends set at = at - interval '1 minute' where mobile = @m", ("m", australian));
        await AssertRefusedOnMobileAsync(await http.ResendAsync(biz.Slug, attempt), OnlyUk);
        Assert.Equal(1, (await http.DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(australian)}")).GetArrayLength());

        // Several countries are named in words, in the business's order.
        await (await PutCountriesAsync(biz, new[] { "GB", "IE", "FR" })).JsonAsync(HttpStatusCode.OK);
        var american = "+1201555" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await AssertRefusedOnMobileAsync(await NewClient().StartAsync(biz.Slug, american),
            "This business can only text codes to numbers in the United Kingdom, Ireland and France.");
    }

    /// <summary>A phone-only client staff add (no email) with <paramref name="mobile"/>; their id.</summary>
    private static async Task<Guid> PhoneOnlyClientAsync(TestBusiness biz, string mobile) =>
        (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients", new { firstName = "Pia", lastName = "Phone", email = (string?)null, mobile }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task StaffBooksAsync(TestBusiness biz, Guid diaryId, Guid serviceId, Guid clientId, int daysAhead) =>
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId, serviceId, diaryId, start = SchedulingApi.At(SchedulingApi.Day(daysAhead), 10) })).JsonAsync(HttpStatusCode.Created);

    [Fact]
    public async Task A_booking_text_goes_only_to_a_mobile_of_the_business_s_countries_and_the_log_says_why_another_was_not_sent()
    {
        var biz = await UkBusinessAsync();
        await SchedulingApi.RulesAsync(biz, interval: 30, notice: 0, horizon: 60);
        var diary = await SchedulingApi.DiaryAsync(biz, "Dr Alpha");
        await SchedulingApi.RosterEveryDayAsync(biz, diary, "00:00", "23:30");
        var service = await SchedulingApi.ServiceAsync(biz, "Consultation", 30, 0, [diary], currency: "GBP");
        var australian = PortalAuthHelpers.NewMobile();
        var british = UkMobile();
        // A number goes on file only while the business texts its country (decision 250): the Australian one was put
        // there before the business narrowed its list to the UK.
        await (await PutCountriesAsync(biz, new[] { "GB", "AU" })).JsonAsync(HttpStatusCode.OK);
        var abroad = await PhoneOnlyClientAsync(biz, australian);
        await (await PutCountriesAsync(biz, new[] { "GB" })).JsonAsync(HttpStatusCode.OK);
        var home = await PhoneOnlyClientAsync(biz, british);
        var http = NewClient();

        // Both booked by staff: the British mobile hears of it; the Australian one is not texted, and the log says why.
        await StaffBooksAsync(biz, diary, service, abroad, 3);
        await StaffBooksAsync(biz, diary, service, home, 4);
        Assert.StartsWith($"Business {biz.Slug} confirmed your appointment: Consultation", (await http.TextsToAsync(british, 1))[0], StringComparison.Ordinal);
        // Three minutes: under a loaded run the event's job may meet a retry or two (Hangfire's backoff) before the line is written.
        var logged = await Eventually.ReturnsAsync(
            () => Task.FromResult(App.Logs.Of(biz.Slug, Serilog.Events.LogEventLevel.Warning)),
            logs => logs.Any(l => l.Contains("AppointmentBookedSmsHandler", StringComparison.Ordinal)),
            TimeSpan.FromMinutes(3),
            "the log line of the text not sent");
        Assert.Contains(logged, l => l.Contains($"to the number ending \"{australian[^3..]}\" not sent: the number is outside the countries", StringComparison.Ordinal)
            && l.Contains("(\"United Kingdom\")", StringComparison.Ordinal));
        Assert.Equal(0, (await http.DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(australian)}")).GetArrayLength());

        // Staff see it too: a refused text in the message log, saying why (decision 252).
        var refused = Assert.Single(await Eventually.ReturnsAsync(
            async () => (await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/messages?status=refused", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
                .GetProperty("items").EnumerateArray().ToList(),
            items => items.Count > 0, TimeSpan.FromSeconds(30), "the refused text in the log"));
        Assert.Equal(australian, refused.GetProperty("to").GetString());
        Assert.Equal("text", refused.GetProperty("channel").GetString());
        Assert.Equal("text-booking-confirmation", refused.GetProperty("kind").GetString());
        Assert.Equal(0, refused.GetProperty("attempts").GetInt32());
        Assert.Equal("Not sent: the number is not in this business's texting countries (United Kingdom).", refused.GetProperty("note").GetString());
        var page = await biz.Owner.PageAsync("/staff/tools/messages?status=refused");
        Assert.Equal("Refused", page.One(".status-refused")!.TextContent.Trim());
        Assert.Equal("Not sent: the number is not in this business's texting countries (United Kingdom).", page.One(".message-note")!.TextContent.Trim());

        // Once staff add Australia, the next booking's text goes to it.
        await (await PutCountriesAsync(biz, new[] { "GB", "AU" })).JsonAsync(HttpStatusCode.OK);
        await StaffBooksAsync(biz, diary, service, abroad, 5);
        Assert.StartsWith($"Business {biz.Slug} confirmed your appointment: Consultation", Assert.Single(await http.TextsToAsync(australian, 1)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_client_proving_a_mobile_from_another_country_is_refused_on_mobile_and_nothing_is_texted()
    {
        var biz = await UkBusinessAsync();
        var http = NewClient();
        Assert.Equal(HttpStatusCode.Created, (await http.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);

        var australian = PortalAuthHelpers.NewMobile();
        await AssertRefusedOnMobileAsync(await http.StartProofAsync(biz.Slug, australian), OnlyUk);
        await AssertNothingSentAsync(http, australian);

        var british = UkMobile();
        Assert.Equal(HttpStatusCode.Accepted, (await http.StartProofAsync(biz.Slug, british)).StatusCode);
        await http.CodeSentToAsync(british);
    }

    [Fact]
    public async Task Unknown_empty_and_too_many_country_codes_are_refused_naming_the_field_and_nothing_changes()
    {
        var biz = await UkBusinessAsync();

        async Task<JsonElement> RefusedAsync(object countries)
        {
            var answer = await PutCountriesAsync(biz, countries);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            return (await answer.JsonAsync()).GetProperty("errors");
        }

        var unknown = await RefusedAsync(new[] { "GB", "XX", "" });
        Assert.Equal(
            "\"XX\" is not a country code we can text. Use two-letter ISO 3166 codes, e.g. GB for the United Kingdom or IE for Ireland.",
            unknown.GetProperty("smsCountries[1]")[0].GetString());
        Assert.True(unknown.TryGetProperty("smsCountries[2]", out _));
        Assert.False(unknown.TryGetProperty("smsCountries[0]", out _));
        Assert.Contains("at least one country", (await RefusedAsync(Array.Empty<string>())).GetProperty("smsCountries")[0].GetString(), StringComparison.Ordinal);
        string[] many = ["GB", "IE", "FR", "DE", "ES", "IT", "NL", "BE", "PT", "AT", "CH", "DK", "SE", "NO", "FI", "PL", "CZ", "HU", "GR", "RO", "BG"];
        Assert.Equal("Name at most 20 countries.", (await RefusedAsync(many)).GetProperty("smsCountries")[0].GetString());
        Assert.True((await RefusedAsync(new[] { "GBR" })).TryGetProperty("smsCountries[0]", out _));

        Assert.Equal(new[] { "GB" }, Countries(await SettingsAsync(biz)));
        Assert.Equal(many[..20], Countries(await (await PutCountriesAsync(biz, many[..20])).JsonAsync(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task The_phone_and_verify_mobile_pages_say_where_codes_go_and_show_the_refusal_on_the_mobile_field()
    {
        var biz = await UkBusinessAsync();
        var australian = PortalAuthHelpers.NewMobile();

        // Phone sign-in, where new clients start too.
        var browser = NewClient();
        var phone = await browser.PageAsync($"/ol/phone?name={biz.Slug}");
        Assert.Contains("texts codes to mobiles in the United Kingdom only", phone.One("#mobile-hint")!.TextContent, StringComparison.Ordinal);
        var refused = await browser.SubmitAsync(phone, PortalHtml.Fields(("Input.Mobile", australian)));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal(OnlyUk, refused.ErrorFor("Input.Mobile"));
        await AssertNothingSentAsync(browser, australian);

        // Proving a mobile under Your details.
        var client = NewClient();
        Assert.Equal(HttpStatusCode.Created, (await client.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);
        var proof = await client.PageAsync($"/ol/account/mobile?name={biz.Slug}");
        Assert.Contains("United Kingdom", proof.One("#mobile-hint")!.TextContent, StringComparison.Ordinal);
        var proofRefused = await client.SubmitAsync(proof, PortalHtml.Fields(("Input.Mobile", australian)));
        Assert.Equal(HttpStatusCode.OK, proofRefused.Status);
        Assert.Equal(OnlyUk, proofRefused.ErrorFor("Input.Mobile"));
        await AssertNothingSentAsync(client, australian);
    }

    [Fact]
    public async Task Staff_choose_the_countries_on_setup_client_portal_and_an_unknown_or_empty_list_is_refused_on_the_box()
    {
        var biz = await UkBusinessAsync();
        var form = await biz.Owner.PageAsync("/staff/setup/portal");
        Assert.Equal("GB", form.One("[name='Settings.SmsCountries']")!.GetAttribute("value"));
        Assert.Contains("Now: United Kingdom.", form.One("#sms-countries-hint")!.TextContent, StringComparison.Ordinal);

        var unknown = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Settings.SmsCountries", "GB, ZZ")), "form[action*='handler=Settings']");
        Assert.Equal(HttpStatusCode.OK, unknown.Status);
        Assert.StartsWith("\"ZZ\" is not a country code we can text.", unknown.One("#sms-countries-error")!.TextContent.Trim(), StringComparison.Ordinal);
        var empty = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Settings.SmsCountries", " ")), "form[action*='handler=Settings']");
        Assert.Equal(HttpStatusCode.OK, empty.Status);
        Assert.Equal("Enter at least one country code, e.g. GB. To text no codes at all, untick \"Mobile phone and a code by SMS\".",
            empty.One("#sms-countries-error")!.TextContent.Trim());
        Assert.Equal(new[] { "GB" }, Countries(await SettingsAsync(biz)));

        var saved = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Settings.SmsCountries", "gb ie,fr")), "form[action*='handler=Settings']");
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal(new[] { "GB", "IE", "FR" }, Countries(await SettingsAsync(biz)));
        var again = await biz.Owner.PageAsync("/staff/setup/portal");
        Assert.Equal("GB, IE, FR", again.One("[name='Settings.SmsCountries']")!.GetAttribute("value"));
        Assert.Contains("Now: United Kingdom, Ireland and France.", again.One("#sms-countries-hint")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_migration_gives_every_saved_business_its_own_country_and_a_first_save_or_logo_starts_there_too()
    {
        // Its own database: migrating down drops the column, and migrating up again makes it without the migrator's
        // row-level security and grants, so the fixture's other tests would fail on them (as LogoTests' backfill).
        await using var app = new BookingApp(await TestDatabaseServer.CreateDatabaseAsync("smsbackfill"));
        var british = await app.SignUpBusinessAsync("gb", "Europe/London", countryCode: "GB");
        var irish = await app.SignUpBusinessAsync("ie", "Europe/Dublin", countryCode: "IE");
        var unsaved = await app.SignUpBusinessAsync("au");
        foreach (var biz in new[] { british, irish })
        {
            await (await PutCountriesAsync(biz, new[] { "FR" })).JsonAsync(HttpStatusCode.OK);
        }

        var module = app.Services.GetServices<Booking.BuildingBlocks.Data.IModuleDatabase>().Single(m => m.ContextType == typeof(TenancyDbContext));
        await using (var tenancy = module.Create(app.Services, app.Database.OwnerConnectionString))
        {
            var migrator = tenancy.GetInfrastructure().GetRequiredService<IMigrator>();
            await migrator.MigrateAsync("20261205060000_StaffEmailProven");
            await migrator.MigrateAsync();
        }

        var db = app.Database.Database;
        Assert.Equal(new[] { "GB" }, await Sql.AdminScalarAsync<string[]>(db, "select sms_countries from tenancy.portal_settings where tenant_id = @t", ("t", british.Id)));
        Assert.Equal(new[] { "IE" }, await Sql.AdminScalarAsync<string[]>(db, "select sms_countries from tenancy.portal_settings where tenant_id = @t", ("t", irish.Id)));
        // The table is forced again (the owner sees no tenant's rows), and the column has no default to fall back on.
        Assert.Equal(0L, await Sql.ScalarAsync<long>(app.Database.OwnerConnectionString, "select count(*) from tenancy.portal_settings"));
        Assert.Null(await Sql.AdminScalarAsync<string>(db,
            "select column_default from information_schema.columns where table_schema = 'tenancy' and table_name = 'portal_settings' and column_name = 'sms_countries'"));

        // A business with no row yet reads as its own country; its first row, whichever save makes it, starts there.
        Assert.Equal(new[] { "AU" }, Countries(await SettingsAsync(unsaved)));
        var logo = new ByteArrayContent(LogoImages.Png(3, 3));
        logo.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        using var upload = new MultipartFormDataContent { { logo, "logo", "logo.png" } };
        Assert.Equal(HttpStatusCode.OK, (await unsaved.Owner.PutAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative), upload)).StatusCode);
        Assert.Equal(new[] { "AU" }, await Sql.AdminScalarAsync<string[]>(db, "select sms_countries from tenancy.portal_settings where tenant_id = @t", ("t", unsaved.Id)));
    }
}
