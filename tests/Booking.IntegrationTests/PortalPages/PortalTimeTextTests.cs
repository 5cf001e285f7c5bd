using Booking.Host.Pages.Ol;
using Booking.BuildingBlocks.Time;
using NodaTime;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// PortalTime's texts, without a server. The booking page's list of days the clocks change comes from the zone's
/// transitions; it must be exactly the days the shared rule calls change days, tested one by one over the longest
/// horizon (731 days), in zones that change at 2 am, at midnight (Santiago, Havana), by 30 minutes (Lord Howe), not at
/// all (Kolkata), or stopped changing (Tehran). A span past midnight names both days.
/// </summary>
public sealed class PortalTimeTextTests
{
    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Australia/Sydney")]
    [InlineData("Europe/London")]
    [InlineData("America/Santiago")]
    [InlineData("America/Havana")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("Pacific/Chatham")]
    [InlineData("Asia/Kolkata")]
    [InlineData("Asia/Tehran")]
    public void The_change_days_are_the_days_the_rule_names_one_by_one(string zoneId)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        foreach (var from in new[] { new LocalDate(2021, 1, 1), new LocalDate(2026, 11, 1), new LocalDate(2027, 4, 4) })
        {
            var to = from.PlusDays(730);
            var expected = new List<LocalDate>();
            for (var day = from; day <= to; day = day.PlusDays(1))
            {
                if (ZoneAbbreviation.IsChangeDay(zone, day))
                {
                    expected.Add(day);
                }
            }

            Assert.Equal(expected, new PortalTime(zone).ChangeDays(from, to).ToList());
        }
    }

    [Fact]
    public void A_range_that_starts_or_ends_on_a_change_day_includes_it()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var fallBack = new LocalDate(2026, 11, 1);
        Assert.Equal([fallBack], new PortalTime(zone).ChangeDays(fallBack, fallBack).ToList());
        Assert.Empty(new PortalTime(zone).ChangeDays(fallBack.PlusDays(1), fallBack.PlusDays(100)).ToList());
    }

    [Fact]
    public void A_span_past_midnight_names_both_days_and_one_within_a_day_names_it_once()
    {
        var time = new PortalTime(DateTimeZoneProviders.Tzdb["Australia/Sydney"]);
        var evening = new DateTimeOffset(2026, 12, 4, 23, 30, 0, TimeSpan.FromHours(11));
        Assert.Equal("Friday 4 December 2026, 11:30 pm – Saturday 5 December 2026, 12:30 am", time.Span(evening, evening.AddHours(1)));
        Assert.Equal("Friday 4 December 2026, 10:30 pm – 11:30 pm", time.Span(evening.AddHours(-1), evening));
    }
}
