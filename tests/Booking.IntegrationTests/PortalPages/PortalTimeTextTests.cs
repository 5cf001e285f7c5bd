using Booking.BuildingBlocks.Time;
using Booking.Host.Pages.Ol;
using NodaTime;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>PortalTime's texts, without a server: a span past midnight names both days, one within a day names it once.</summary>
public sealed class PortalTimeTextTests
{
    [Fact]
    public void A_span_past_midnight_names_both_days_and_one_within_a_day_names_it_once()
    {
        var time = new PortalTime(DateTimeZoneProviders.Tzdb["Australia/Sydney"], TimeFormat.TwelveHour, DateStyle.DayFirst);
        var evening = new DateTimeOffset(2026, 12, 4, 23, 30, 0, TimeSpan.FromHours(11));
        Assert.Equal("Friday 4 December 2026, 11:30 PM – Saturday 5 December 2026, 12:30 AM", time.Span(evening, evening.AddHours(1)));
        Assert.Equal("Friday 4 December 2026, 10:30–11:30 PM", time.Span(evening.AddHours(-1), evening));

        // An American business writes the month first (DateStyle), the rest alike.
        var us = new PortalTime(DateTimeZoneProviders.Tzdb["America/New_York"], TimeFormat.TwelveHour, DateStyle.MonthFirst);
        var night = new DateTimeOffset(2026, 12, 4, 23, 30, 0, TimeSpan.FromHours(-5));
        Assert.Equal("Friday, December 4, 2026, 11:30 PM – Saturday, December 5, 2026, 12:30 AM", us.Span(night, night.AddHours(1)));
        Assert.Equal("Friday, December 4, 2026 at 11:30 PM", us.When(night));
    }
}
