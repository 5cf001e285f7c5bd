using System.Globalization;
using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.PortalAuth.Features.RequestDecisionSms;
using NodaTime;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// Dates in the order the business's country writes them (CLDR, as its clock): an American business's portal and staff
/// pages say "Tuesday, December 8, 2026", an Australian or British one's "Tuesday 8 December 2026". The expected texts
/// are written out here with their own patterns, not through <see cref="DateStyle"/>.
/// </summary>
public sealed class DateStyleTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    /// <summary>A range as the pages write it (decision 205): an unspaced en dash, AM or PM once when both ends share it.</summary>
    private static string Range(string start, string end) =>
        start.Length > 3 && end.Length > 3 && start[^3..] == end[^3..] && start[^3..] is " AM" or " PM" ? $"{start[..^3]}–{end}" : $"{start}–{end}";

    [Theory]
    [InlineData("America/New_York", "US", true, "2:30 PM", "3:30 PM")]
    [InlineData("Australia/Sydney", "AU", false, "2:30 PM", "3:30 PM")]
    [InlineData("Europe/London", "GB", false, "14:30", "15:30")]
    public async Task The_portal_and_staff_pages_write_dates_in_the_country_s_order(string zone, string country, bool monthFirst, string start, string end)
    {
        var biz = await App.SignUpBusinessAsync("dates", zone, country);
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var diaryId = await biz.DiaryAsync("Dr Date");
        await biz.RosterEveryDayAsync(diaryId, "09:00", "18:00");
        var service = await biz.ServiceAsync("Consultation", 60, 0, [diaryId], currency: country switch { "US" => "USD", "GB" => "GBP", _ => "AUD" });
        var b = new Bookable(biz, diaryId, service);
        var tz = DateTimeZoneProviders.Tzdb[zone];
        var today = SystemClock.Instance.GetCurrentInstant().InZone(tz).Date;
        var day = today.PlusDays(5);
        while (ZoneAbbreviation.IsChangeDay(tz, day))
        {
            day = day.PlusDays(1); // a day the clocks change names the zone after each time
        }

        var alice = await App.RegisterClientAsync(biz);
        var at = day.At(new LocalTime(14, 30)).InZoneStrictly(tz).ToDateTimeOffset();
        (await alice.BookAsync(b, at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))).EnsureSuccessStatusCode();

        string Long(LocalDate d, bool year = true) =>
            d.ToString(monthFirst ? (year ? "dddd, MMMM d, yyyy" : "dddd, MMMM d") : (year ? "dddd d MMMM yyyy" : "dddd d MMMM"), CultureInfo.InvariantCulture);
        string DayMonth(LocalDate d, bool year = true) =>
            d.ToString(monthFirst ? (year ? "MMMM d, yyyy" : "MMMM d") : (year ? "d MMMM yyyy" : "d MMMM"), CultureInfo.InvariantCulture);

        // Other front ends are told the order (the portal business, public).
        var facts = await (await App.NewClient().GetAsync(new Uri($"/api/v1/portal/business?name={biz.Slug}", UriKind.Relative))).JsonAsync(System.Net.HttpStatusCode.OK);
        Assert.Equal(monthFirst ? "month-first" : "day-first", facts.GetProperty("dateOrder").GetString());

        // The portal: the client's appointment, and the booking page's day and last bookable day.
        var list = await alice.Http.PageAsync($"/ol/appointments?name={biz.Slug}");
        Assert.Contains(list.All(".appointment .when time"), t => t.TextContent == $"{Long(day)}, {Range(start, end)}");
        var booking = await alice.Http.PageAsync($"/ol/new-booking?name={biz.Slug}&service={service}&diary=any&date={SchedulingApi.Iso(day)}");
        Assert.Equal($"Free times on {Long(day, day.Year != today.Year)}", booking.One("#slots-heading")!.TextContent.Trim());
        var last = today.PlusDays(60);
        Assert.Equal($"Online booking is open up to {DayMonth(last, last.Year != today.Year)}.", booking.One("#date-hint")!.TextContent.Trim());
        var confirm = await alice.Http.PageAsync($"/ol/new-booking/confirm?name={biz.Slug}&service={service}&diary=any&start={Uri.EscapeDataString(at.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))}");
        Assert.Contains(confirm.All("dd time"), t => t.TextContent == $"{Long(day)} at {end}");

        // Staff pages: the diary's day and week, and the client's record.
        var dayView = await biz.Owner.PageAsync($"/staff/diary?date={SchedulingApi.Iso(day)}&view=day");
        Assert.Equal($"Diary: {Long(day)}", dayView.One("h1")!.TextContent.Trim());
        var weekView = await biz.Owner.PageAsync($"/staff/diary?date={SchedulingApi.Iso(day)}&view=week");
        Assert.Equal(day.ToString(monthFirst ? "ddd, MMM d" : "ddd d MMM", CultureInfo.InvariantCulture), weekView.One($"#day-{SchedulingApi.Iso(day)}")!.TextContent.Trim());
        var client = await biz.Owner.PageAsync($"/staff/clients/{alice.Id}");
        var since = client.All("dt").Single(dt => dt.TextContent == "Client since").NextElementSibling!.TextContent;
        Assert.Equal(DayMonth(SystemClock.Instance.GetCurrentInstant().InZone(tz).Date), since);
    }
}

/// <summary>The date order's rules without a server: CLDR's order per country, the forms, the decision texts.</summary>
public sealed class DateStyleRuleTests
{
    [Theory]
    [InlineData("US", true)]
    [InlineData("us", true)]
    [InlineData(" US ", true)]
    [InlineData("CA", true)]
    [InlineData("PH", true)]
    [InlineData("PR", true)]
    [InlineData("GB", false)]
    [InlineData("AU", false)]
    [InlineData("NZ", false)]
    [InlineData("IE", false)]
    [InlineData("IN", false)]
    [InlineData("ZA", false)]
    [InlineData("DE", false)]
    [InlineData("NL", false)]
    [InlineData("FR", false)] // ICU has no en-FR: it would answer American English's order
    [InlineData("JP", false)]
    [InlineData("ZZ", false)]
    [InlineData("QQ", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("not a country", false)]
    public void A_country_s_date_order_is_CLDR_s_and_an_unknown_country_s_is_day_first(string? country, bool monthFirst) =>
        Assert.Equal(monthFirst, DateStyle.ForCountry(country).IsMonthFirst);

    [Fact]
    public void Month_first_writes_commas_day_first_none_and_both_keep_English_names()
    {
        var date = new LocalDate(2026, 12, 8);
        var us = DateStyle.ForCountry("US");
        Assert.Equal("Tuesday, December 8, 2026", us.Long(date));
        Assert.Equal("Tuesday, December 8", us.Long(date, withYear: false));
        Assert.Equal("December 8, 2026", us.DayMonth(date));
        Assert.Equal("December 8", us.DayMonth(date, withYear: false));
        Assert.Equal("Tue, Dec 8", us.Short(date));
        Assert.Equal("Tue, Dec 8, 2026", us.Short(date, withYear: true));
        Assert.Equal("Tue, Dec 8, 11:30 PM", us.ShortThen(date, "11:30 PM"));

        foreach (var country in new[] { "GB", "AU", "DE" })
        {
            var style = DateStyle.ForCountry(country);
            Assert.Equal("Tuesday 8 December 2026", style.Long(date));
            Assert.Equal("Tuesday 8 December", style.Long(date, withYear: false));
            Assert.Equal("8 December 2026", style.DayMonth(date));
            Assert.Equal("8 December", style.DayMonth(date, withYear: false));
            Assert.Equal("Tue 8 Dec", style.Short(date));
            Assert.Equal("Tue 8 Dec 2026", style.Short(date, withYear: true));
            Assert.Equal("Tue 8 Dec 23:30", style.ShortThen(date, "23:30"));
        }

        var zoned = new LocalDateTime(2026, 12, 8, 14, 30).InZoneStrictly(DateTimeZoneProviders.Tzdb["America/New_York"]);
        Assert.Equal("Tuesday, December 8, 2026 at 2:30 PM EST", TimeFormat.TwelveHour.LongDateTimeWithZone(zoned, DateStyle.MonthFirst));
        Assert.Equal("Tuesday 8 December 2026 at 14:30 EST", TimeFormat.TwentyFourHour.LongDateTimeWithZone(zoned, DateStyle.DayFirst));
    }

    [Theory]
    [InlineData("US", "America/New_York", "Tuesday, December 8, 2026 at 9:30 AM EST")]
    [InlineData("AU", "Australia/Sydney", "Wednesday 9 December 2026 at 1:30 AM AEDT")]
    public void A_decision_text_writes_the_date_in_the_business_s_order(string country, string zone, string expected)
    {
        var business = new TenantInfo(Guid.NewGuid(), "dates", "Dates & Co", zone, country, "USD", true);
        var start = new DateTimeOffset(2026, 12, 8, 14, 30, 0, TimeSpan.Zero);
        var evt = new BookingRequestDecided(Guid.NewGuid(), business.Id, Guid.NewGuid(), Guid.NewGuid(), "booking", true, null, Start: start);
        Assert.Contains(expected, DecisionTexts.Body(evt, business, "Check-up", "https://b.test", TimeFormat.ForCountry(country)), StringComparison.Ordinal);
    }
}
