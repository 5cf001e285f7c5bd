using System.Globalization;
using Booking.BuildingBlocks.Time;
using NodaTime;

namespace Booking.Tenancy.Tests;

/// <summary>
/// An appointment's start and end in one phrase (the emails' {AppointmentTimes}): the date once and an en dash when both
/// fall on one day in the business's zone, both dates past midnight, the business's clock and date order, and the zone's
/// abbreviation once unless the clocks changed in between.
/// </summary>
public sealed class TimeSpanTextTests
{
    [Theory]
    // One day: the date once, no spaces round the dash.
    [InlineData("Australia/Sydney", "2026-12-07T23:00:00Z", "2026-12-07T23:45:00Z", "24h", false, "Tuesday 8 December 2026, 10:00–10:45 AEDT")]
    [InlineData("Australia/Sydney", "2026-12-07T23:00:00Z", "2026-12-07T23:45:00Z", "12h", false, "Tuesday 8 December 2026, 10:00 AM–10:45 AM AEDT")]
    [InlineData("America/New_York", "2026-12-08T15:00:00Z", "2026-12-08T15:45:00Z", "12h", true, "Tuesday, December 8, 2026, 10:00 AM–10:45 AM EST")]
    // Across noon on a 12-hour clock: each time keeps its AM or PM.
    [InlineData("America/New_York", "2026-12-08T16:30:00Z", "2026-12-08T17:15:00Z", "12h", true, "Tuesday, December 8, 2026, 11:30 AM–12:15 PM EST")]
    // Past midnight: both dates, the dash spaced, as the staff pages write it.
    [InlineData("Europe/London", "2026-12-08T23:30:00Z", "2026-12-09T00:15:00Z", "24h", false, "Tuesday 8 December 2026, 23:30 – Wednesday 9 December 2026, 00:15 GMT")]
    // Ending at midnight is the next day's 00:00: said so, not "23:00–00:00" on the first date.
    [InlineData("Europe/London", "2026-12-08T23:00:00Z", "2026-12-09T00:00:00Z", "24h", false, "Tuesday 8 December 2026, 23:00 – Wednesday 9 December 2026, 00:00 GMT")]
    // The night the clocks go back: the two halves of the hour named apart.
    [InlineData("America/New_York", "2027-11-07T05:30:00Z", "2027-11-07T06:15:00Z", "24h", true, "Sunday, November 7, 2027, 01:30 EDT–01:15 EST")]
    // The same wall-clock date whatever the offset the instants were written with.
    [InlineData("Australia/Sydney", "2026-12-08T10:00:00+11:00", "2026-12-08T10:45:00+11:00", "24h", false, "Tuesday 8 December 2026, 10:00–10:45 AEDT")]
    public void A_span_writes_the_date_once_on_one_day_and_both_dates_past_midnight(
        string zone, string start, string end, string clock, bool monthFirst, string expected)
    {
        var tz = DateTimeZoneProviders.Tzdb[zone];
        var format = TimeFormat.FromCode(clock)!;
        var dates = monthFirst ? DateStyle.MonthFirst : DateStyle.DayFirst;
        Assert.Equal(expected, format.LongSpanWithZone(At(start, tz), At(end, tz), dates));
    }

    [Fact]
    public void The_one_day_span_starts_as_the_staff_pages_long_span_does_and_carries_the_single_times_words()
    {
        var tz = DateTimeZoneProviders.Tzdb["Australia/Sydney"];
        var (start, end) = (At("2026-12-07T23:00:00Z", tz), At("2026-12-07T23:45:00Z", tz));
        var text = TimeFormat.TwelveHour.LongSpanWithZone(start, end, DateStyle.DayFirst);
        // The start and end read on the business's clock, exactly as a single time is written.
        Assert.StartsWith(DateStyle.DayFirst.Long(start.Date) + ", " + TimeFormat.TwelveHour.Time(start) + "–", text, StringComparison.Ordinal);
        Assert.EndsWith(TimeFormat.TwelveHour.Time(end) + " " + ZoneAbbreviation.Of(end), text, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "December"));
    }

    private static ZonedDateTime At(string instant, DateTimeZone zone) =>
        Instant.FromDateTimeOffset(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture)).InZone(zone);
}
