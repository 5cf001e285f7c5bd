using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.PortalAuth.Features.RequestDecisionSms;
using Booking.Tenancy.Features.PortalSettings;
using NodaTime;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// One clock per business (review s20 J16's "three clock styles"): its country's usual clock by CLDR, or its own
/// `timeFormat` setting, on the portal's times, the staff diary and the staff pages alike.
/// </summary>
public sealed class TimeFormatTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Theory]
    [InlineData("Europe/London", "GB", null, "14:30", "15:30")]
    [InlineData("Europe/Berlin", "DE", null, "14:30", "15:30")]
    [InlineData("America/New_York", "US", null, "2:30 PM", "3:30 PM")]
    [InlineData("America/New_York", "US", "24h", "14:30", "15:30")]
    [InlineData("Europe/London", "GB", "12h", "2:30 PM", "3:30 PM")]
    public async Task The_portal_and_the_staff_diary_show_times_on_the_business_clock(string zone, string country, string? setting, string start, string end)
    {
        var (b, day) = await BusinessAsync(zone, country, setting);
        var alice = await App.RegisterClientAsync(b.Biz);
        var at = day.At(new LocalTime(14, 30)).InZoneStrictly(DateTimeZoneProviders.Tzdb[zone]).ToDateTimeOffset();
        (await alice.BookAsync(b, at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))).EnsureSuccessStatusCode();
        // The date in the country's order (DateStyleTests): month first in the United States.
        var date = day.ToString(country == "US" ? "dddd, MMMM d, yyyy" : "dddd d MMMM yyyy", CultureInfo.InvariantCulture);

        // The portal: the free times of the day, and the client's own appointment.
        var slots = (await alice.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&date={SchedulingApi.Iso(day)}"))
            .All("#slots .slot time").Select(t => t.TextContent.Trim()).ToList();
        Assert.Contains(start == "14:30" ? "16:00" : "4:00 PM", slots);
        // The range as the emails write it: the date once, an en dash, PM once when both share it (decision 205).
        var range = start.EndsWith(" PM", StringComparison.Ordinal) ? $"{start[..^3]}–{end}" : $"{start}–{end}";
        var list = await alice.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Contains(list.All(".appointment .when time"), t => t.TextContent == $"{date}, {range}");

        // The staff diary and the appointment's own page.
        var diary = WebUtility.HtmlDecode(await b.Biz.Owner.GetStringAsync(new Uri($"/staff/diary?date={SchedulingApi.Iso(day)}&view=day", UriKind.Relative)));
        Assert.Contains(range, diary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_setting_is_answered_with_the_country_default_kept_when_left_out_and_cleared_by_null()
    {
        var biz = await App.SignUpBusinessAsync("clock", "Europe/London", "GB");
        var fresh = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("timeFormat").ValueKind);
        Assert.Equal("24h", fresh.GetProperty("defaultTimeFormat").GetString());
        Assert.Equal("24h", await PortalClockAsync(biz));

        var twelve = await biz.SettingsAsync(s => s["timeFormat"] = "12h");
        Assert.Equal("12h", twelve.GetProperty("timeFormat").GetString());
        Assert.Equal("24h", twelve.GetProperty("defaultTimeFormat").GetString());
        Assert.Equal("12h", await PortalClockAsync(biz));

        // A PUT written before the field existed leaves it as it is; null means the country's clock again.
        var kept = await biz.SettingsAsync(s => s.Remove("timeFormat"));
        Assert.Equal("12h", kept.GetProperty("timeFormat").GetString());
        var cleared = await biz.SettingsAsync(s => s["timeFormat"] = null);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("timeFormat").ValueKind);
        Assert.Equal("24h", await PortalClockAsync(biz));

        var us = await App.SignUpBusinessAsync("clock", "America/Chicago", "US");
        Assert.Equal("12h", (await (await us.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("defaultTimeFormat").GetString());
    }

    [Fact]
    public async Task OpenApi_lists_timeFormat_as_an_optional_field_of_the_settings_body()
    {
        using var doc = JsonDocument.Parse(await App.NewClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var schema = doc.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("UpdatePortalSettings");
        Assert.True(schema.GetProperty("properties").TryGetProperty("timeFormat", out _));
        Assert.DoesNotContain("timeFormat", schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("terms", schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    [Theory]
    [InlineData("\"12\"")]
    [InlineData("\"24H\"")]
    [InlineData("\"\"")]
    [InlineData("24")]
    [InlineData("true")]
    [InlineData("{\"clock\":\"24h\"}")]
    public async Task A_bad_time_format_is_a_validation_error_naming_the_field_and_nothing_is_saved(string json)
    {
        var biz = await App.SignUpBusinessAsync("clock", "Europe/London", "GB");
        await biz.SettingsAsync(s => s["timeFormat"] = "12h");
        var body = JsonNode.Parse(await biz.Owner.GetStringAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative)))!.AsObject();
        body["timeFormat"] = JsonNode.Parse(json);
        body["bookingInstructions"] = "Changed with the bad clock";

        var problem = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", body)).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal("validation", SetupApi.Kind(problem));
        Assert.Equal(["timeFormat"], SetupApi.ErrorFields(problem));
        var get = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("12h", get.GetProperty("timeFormat").GetString());
        Assert.NotEqual("Changed with the bad clock", get.GetProperty("bookingInstructions").GetString());
    }

    [Fact]
    public async Task Setup_Client_Portal_chooses_the_clock_and_the_roster_page_shows_it()
    {
        var biz = await App.SignUpBusinessAsync("clock", "Australia/Sydney", "AU");
        var form = await biz.Owner.PageAsync("/staff/setup/portal");
        Assert.Contains("Your country's usual clock (12-hour, 2:30 PM)", form.One("#Settings_TimeFormat")!.TextContent, StringComparison.Ordinal);

        var saved = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Settings.TimeFormat", "24h")), "form[action*='handler=Settings']");
        Assert.NotEqual(HttpStatusCode.BadRequest, saved.Status);
        var settings = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("24h", settings.GetProperty("timeFormat").GetString());

        var bad = await biz.Owner.SubmitAsync(await biz.Owner.PageAsync("/staff/setup/portal"), PortalHtml.Fields(("Settings.TimeFormat", "25h")),
            "form[action*='handler=Settings']");
        Assert.Equal(Booking.Host.Pages.Staff.Setup.PortalModel.SettingsInput.PageBadTimeFormat, bad.One("#time-format-error")?.TextContent.Trim());

        // The roster page's exceptions read on the clock too ("24:00", the end of the day, stays itself on a 24-hour clock).
        var diary = await biz.DiaryAsync("Dr Clock");
        var day = SchedulingApi.Day(10);
        (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{diary}/exceptions",
            new { date = SchedulingApi.Iso(day), closed = false, blocks = new[] { new { start = "13:00", end = "24:00", bookableOnline = true } } })).EnsureSuccessStatusCode();
        Assert.Contains("13:00–24:00 (online)", WebUtility.HtmlDecode(await biz.Owner.GetStringAsync(new Uri($"/staff/setup/roster/{diary}", UriKind.Relative))), StringComparison.Ordinal);
        await biz.SettingsAsync(s => s["timeFormat"] = null);
        Assert.Contains("1:00 PM–12:00 AM (online)", WebUtility.HtmlDecode(await biz.Owner.GetStringAsync(new Uri($"/staff/setup/roster/{diary}", UriKind.Relative))), StringComparison.Ordinal);
    }

    private static string Currency(string country) => country switch { "GB" => "GBP", "US" => "USD", "DE" => "EUR", _ => "AUD" };

    private async Task<string?> PortalClockAsync(TestBusiness biz) =>
        (await (await App.NewClient().GetAsync(new Uri($"/api/v1/portal/business?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
        .GetProperty("timeFormat").GetString();

    private async Task<(Bookable B, LocalDate Day)> BusinessAsync(string zone, string country, string? setting)
    {
        var biz = await App.SignUpBusinessAsync("clock", zone, country);
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var diary = await biz.DiaryAsync("Dr Clock");
        await biz.RosterEveryDayAsync(diary, "09:00", "18:00");
        var service = await biz.ServiceAsync("Consultation", 60, 0, [diary], currency: Currency(country));
        if (setting is not null)
        {
            await biz.SettingsAsync(s => s["timeFormat"] = setting);
        }

        // A day whose clocks do not change: those name the zone after each time.
        var day = SystemClock.Instance.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb[zone]).Date.PlusDays(5);
        while (ZoneAbbreviation.IsChangeDay(DateTimeZoneProviders.Tzdb[zone], day))
        {
            day = day.PlusDays(1);
        }

        return (new Bookable(biz, diary, service), day);
    }
}

/// <summary>The clock's rules without a server: CLDR's country defaults, the formats, the decision texts.</summary>
public sealed class TimeFormatRuleTests
{
    [Theory]
    [InlineData("GB", "24h")]
    [InlineData("IE", "24h")]
    [InlineData("DE", "24h")]
    [InlineData("FR", "24h")]
    [InlineData("JP", "24h")]
    [InlineData("US", "12h")]
    [InlineData("CA", "12h")]
    [InlineData("AU", "12h")]
    [InlineData("NZ", "12h")]
    [InlineData("PH", "12h")]
    [InlineData("IN", "12h")]
    [InlineData("us", "12h")]
    [InlineData("", "24h")]
    [InlineData("ZZ", "24h")]
    [InlineData("not a country", "24h")]
    public void A_country_s_usual_clock_is_CLDR_s(string country, string expected) =>
        Assert.Equal(expected, TimeFormat.ForCountry(country).Code);

    [Fact]
    public void The_business_setting_wins_over_its_country_and_times_read_as_that_clock()
    {
        Assert.Same(TimeFormat.TwentyFourHour, TimeFormat.For("US", "24h"));
        Assert.Same(TimeFormat.TwelveHour, TimeFormat.For("GB", "12h"));
        Assert.Same(TimeFormat.TwentyFourHour, TimeFormat.For("GB", null));
        var afternoon = new LocalTime(14, 30);
        Assert.Equal("2:30 PM", TimeFormat.TwelveHour.Time(afternoon));
        Assert.Equal("14:30", TimeFormat.TwentyFourHour.Time(afternoon));
        Assert.Equal("09:05", TimeFormat.TwentyFourHour.Time(new LocalTime(9, 5)));
        Assert.Equal("12:00 AM", TimeFormat.TwelveHour.WireTime("24:00"));
        Assert.Equal("24:00", TimeFormat.TwentyFourHour.WireTime("24:00"));
        var zoned = new LocalDateTime(2026, 12, 8, 14, 30).InZoneStrictly(DateTimeZoneProviders.Tzdb["Europe/London"]);
        Assert.Equal("Tuesday 8 December 2026 at 14:30 GMT", TimeFormat.TwentyFourHour.LongDateTimeWithZone(zoned, DateStyle.DayFirst));
        Assert.Equal("Tuesday 8 December 2026 at 2:30 PM GMT", TimeFormat.TwelveHour.LongDateTimeWithZone(zoned, DateStyle.DayFirst));
    }

    [Fact]
    public void A_decision_text_reads_the_time_on_the_business_clock()
    {
        var business = new TenantInfo(Guid.NewGuid(), "clock", "Clock & Co", "Europe/London", "GB", "GBP", true);
        var start = new DateTimeOffset(2026, 12, 8, 14, 30, 0, TimeSpan.Zero);
        var evt = new BookingRequestDecided(Guid.NewGuid(), business.Id, Guid.NewGuid(), Guid.NewGuid(), "booking", true, null, Start: start);
        Assert.Contains("Tuesday 8 December 2026 at 14:30 GMT", DecisionTexts.Body(evt, business, "Check-up", "https://b.test", TimeFormat.TwentyFourHour), StringComparison.Ordinal);
        Assert.Contains("Tuesday 8 December 2026 at 2:30 PM GMT", DecisionTexts.Body(evt, business, "Check-up", "https://b.test", TimeFormat.TwelveHour), StringComparison.Ordinal);
    }
}
