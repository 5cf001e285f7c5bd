using System.Globalization;
using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>The booking page's day: today up to the business's horizon, whatever date the link or the input names.</summary>
public sealed class BookingPageDatesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Theory]
    [InlineData("9999-12-31")] // once overflowed (the look-ahead added 13 days to it): a 500
    [InlineData("2100-01-01")]
    public async Task A_date_beyond_the_horizon_shows_the_last_bookable_day_and_says_how_far_booking_is_open(string date)
    {
        var b = await shared.App.BookableAsync(); // horizon 60 days
        var client = await shared.App.RegisterClientAsync(b.Biz);
        var last = SchedulingApi.Day(60);

        var page = await client.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&date={date}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(SchedulingApi.Iso(last), page.One("input#date")?.GetAttribute("value"));
        var heading = page.One("#slots-heading")!.TextContent;
        Assert.Contains(last.ToString("d MMMM", CultureInfo.InvariantCulture), heading, StringComparison.Ordinal);
        Assert.Contains("Online booking is open up to " + LastDayText(last), page.One("#slots")!.TextContent, StringComparison.Ordinal);
        // Only that day's times are offered, none past the horizon.
        var starts = page.All("#slots time[datetime]").Select(t => DateTimeOffset.Parse(t.GetAttribute("datetime")!, CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(starts);
        Assert.All(starts, s => Assert.Equal(SchedulingApi.Iso(last), s.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task The_day_input_stops_at_the_horizon_and_the_page_says_up_to_when_booking_is_open()
    {
        var b = await shared.App.BookableAsync();
        var client = await shared.App.RegisterClientAsync(b.Biz);

        var page = await client.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}");

        var input = page.One("input#date")!;
        Assert.Equal(SchedulingApi.Iso(SchedulingApi.Day(0)), input.GetAttribute("min"));
        Assert.Equal(SchedulingApi.Iso(SchedulingApi.Day(60)), input.GetAttribute("max"));
        // Described by the hint, and by the script's word beside the field for a typed day outside the range (empty until
        // then, decision 339).
        Assert.Equal(["date-hint", "date-out"], input.GetAttribute("aria-describedby")!.Split(' '));
        Assert.Equal("Online booking is open up to " + LastDayText(SchedulingApi.Day(60)) + ".", page.One("#date-hint")?.TextContent);
        Assert.Equal("", page.One("#date-out")?.TextContent);
        Assert.StartsWith("Online booking is open up to " + LastDayText(SchedulingApi.Day(60)) + ".", input.GetAttribute("data-after"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Day_labels_carry_the_year_when_it_is_not_this_year()
    {
        var b = await shared.App.BookableAsync();
        await b.Biz.RulesAsync(interval: 30, notice: 0, horizon: 400);
        var client = await shared.App.RegisterClientAsync(b.Biz);
        var nextYear = SchedulingApi.Day(380); // always next year's
        var thisYearDay = SchedulingApi.Day(0);

        var later = await client.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}&date={SchedulingApi.Iso(nextYear)}");
        Assert.EndsWith(nextYear.ToString("d MMMM yyyy", CultureInfo.InvariantCulture), later.One("#slots-heading")!.TextContent, StringComparison.Ordinal);
        Assert.All(later.All(".days a"), a => Assert.Matches(@" \d{4}$", a.TextContent));

        var today = await client.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}&date={SchedulingApi.Iso(thisYearDay)}");
        Assert.EndsWith(thisYearDay.ToString("d MMMM", CultureInfo.InvariantCulture), today.One("#slots-heading")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotMatch(@" \d{4}$", today.One("#slots-heading")!.TextContent);
    }

    private static string LastDayText(NodaTime.LocalDate last) =>
        last.ToString(last.Year == SchedulingApi.Day(0).Year ? "d MMMM" : "d MMMM yyyy", CultureInfo.InvariantCulture);
}
