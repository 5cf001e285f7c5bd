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
    [InlineData("Australia/Sydney", "2026-12-07T23:00:00Z", "2026-12-07T23:45:00Z", "12h", false, "Tuesday 8 December 2026, 10:00–10:45 AM AEDT")]
    [InlineData("America/New_York", "2026-12-08T15:00:00Z", "2026-12-08T15:45:00Z", "12h", true, "Tuesday, December 8, 2026, 10:00–10:45 AM EST")]
    // Both in the afternoon: PM once.
    [InlineData("America/New_York", "2026-12-08T19:00:00Z", "2026-12-08T20:00:00Z", "12h", true, "Tuesday, December 8, 2026, 2:00–3:00 PM EST")]
    // Across noon on a 12-hour clock: each time keeps its AM or PM.
    [InlineData("America/New_York", "2026-12-08T16:30:00Z", "2026-12-08T17:15:00Z", "12h", true, "Tuesday, December 8, 2026, 11:30 AM–12:15 PM EST")]
    // Past midnight: both dates, the dash spaced, as the staff pages write it.
    [InlineData("Europe/London", "2026-12-08T23:30:00Z", "2026-12-09T00:15:00Z", "24h", false, "Tuesday 8 December 2026, 23:30 – Wednesday 9 December 2026, 00:15 GMT")]
    // Past midnight on a 12-hour clock: both dates, each time with its own marker.
    [InlineData("Australia/Sydney", "2026-12-08T12:30:00Z", "2026-12-08T13:15:00Z", "12h", false, "Tuesday 8 December 2026, 11:30 PM – Wednesday 9 December 2026, 12:15 AM AEDT")]
    // Ending at midnight is the next day's 00:00: said so, not "23:00–00:00" on the first date.
    [InlineData("Europe/London", "2026-12-08T23:00:00Z", "2026-12-09T00:00:00Z", "24h", false, "Tuesday 8 December 2026, 23:00 – Wednesday 9 December 2026, 00:00 GMT")]
    // The night the clocks go back: the two halves of the hour named apart, each with its marker.
    [InlineData("America/New_York", "2027-11-07T05:30:00Z", "2027-11-07T06:15:00Z", "12h", true, "Sunday, November 7, 2027, 1:30 AM EDT–1:15 AM EST")]
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
    public void The_one_day_span_carries_the_single_times_words_with_the_shared_marker_once()
    {
        var tz = DateTimeZoneProviders.Tzdb["Australia/Sydney"];
        var (start, end) = (At("2026-12-07T23:00:00Z", tz), At("2026-12-07T23:45:00Z", tz));
        var text = TimeFormat.TwelveHour.LongSpanWithZone(start, end, DateStyle.DayFirst);
        // The end reads on the business's clock exactly as a single time is written; the start without its AM.
        Assert.StartsWith(DateStyle.DayFirst.Long(start.Date) + ", 10:00–", text, StringComparison.Ordinal);
        Assert.EndsWith(TimeFormat.TwelveHour.Time(end) + " " + ZoneAbbreviation.Of(end), text, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "December"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "AM"));
    }

    /// <summary>The pages' ranges (<see cref="TimeFormat.Span"/>, the zone only on a day the clocks change): the same shape as
    /// the emails'; a diary's day writes no date unless the range runs past midnight, then short dates.</summary>
    [Theory]
    [InlineData("Australia/Sydney", "2026-12-07T22:00:00Z", "2026-12-07T23:00:00Z", "24h", false, true, "Tuesday 8 December 2026, 09:00–10:00")]
    [InlineData("Australia/Sydney", "2026-12-07T22:00:00Z", "2026-12-07T23:00:00Z", "12h", false, true, "Tuesday 8 December 2026, 9:00–10:00 AM")]
    [InlineData("America/New_York", "2026-12-08T16:30:00Z", "2026-12-08T17:15:00Z", "12h", true, true, "Tuesday, December 8, 2026, 11:30 AM–12:15 PM")]
    [InlineData("America/New_York", "2026-12-08T16:30:00Z", "2026-12-08T17:15:00Z", "24h", true, true, "Tuesday, December 8, 2026, 11:30–12:15")]
    [InlineData("Australia/Sydney", "2026-12-08T12:30:00Z", "2026-12-08T13:15:00Z", "12h", false, true, "Tuesday 8 December 2026, 11:30 PM – Wednesday 9 December 2026, 12:15 AM")]
    [InlineData("Australia/Sydney", "2026-12-08T12:30:00Z", "2026-12-08T13:15:00Z", "24h", false, true, "Tuesday 8 December 2026, 23:30 – Wednesday 9 December 2026, 00:15")]
    // A diary's day: the times alone; past midnight short dates (month first with a comma before the time).
    [InlineData("Australia/Sydney", "2026-12-07T22:00:00Z", "2026-12-07T23:00:00Z", "12h", false, false, "9:00–10:00 AM")]
    [InlineData("Australia/Sydney", "2026-12-08T12:30:00Z", "2026-12-08T13:15:00Z", "24h", false, false, "Tue 8 Dec 23:30 – Wed 9 Dec 00:15")]
    [InlineData("America/New_York", "2026-12-09T04:30:00Z", "2026-12-09T05:15:00Z", "12h", true, false, "Tue, Dec 8, 11:30 PM – Wed, Dec 9, 12:15 AM")]
    // The night the clocks go back: the zone names each half; on that day a shared zone once at the end.
    [InlineData("America/New_York", "2027-11-07T05:30:00Z", "2027-11-07T06:15:00Z", "12h", true, false, "1:30 AM EDT–1:15 AM EST")]
    [InlineData("America/New_York", "2027-11-07T04:00:00Z", "2027-11-07T04:45:00Z", "12h", true, false, "12:00–12:45 AM EDT")]
    // Over several days with one end on a change day: each end names its own zone (review s31 #7), the same one once.
    [InlineData("Europe/London", "2027-03-27T22:00:00Z", "2027-03-28T02:00:00Z", "24h", false, false, "Sat 27 Mar 22:00 GMT – Sun 28 Mar 03:00 BST")]
    [InlineData("Europe/London", "2027-03-28T00:30:00Z", "2027-03-29T09:00:00Z", "24h", false, false, "Sun 28 Mar 00:30 GMT – Mon 29 Mar 10:00 BST")]
    [InlineData("Europe/London", "2027-03-28T12:00:00Z", "2027-03-29T09:00:00Z", "24h", false, false, "Sun 28 Mar 13:00 – Mon 29 Mar 10:00 BST")]
    public void Pages_write_ranges_in_the_emails_shape(string zone, string start, string end, string clock, bool monthFirst, bool longDate, string expected)
    {
        var tz = DateTimeZoneProviders.Tzdb[zone];
        var format = TimeFormat.FromCode(clock)!;
        var dates = monthFirst ? DateStyle.MonthFirst : DateStyle.DayFirst;
        Assert.Equal(expected, format.Span(At(start, tz), At(end, tz), dates, longDate ? SpanDate.Long : SpanDate.WhenNeeded));
    }

    /// <summary>A roster's hours: AM or PM once when shared; the "24:00" that ends a day is not the morning's.</summary>
    [Theory]
    [InlineData("12h", "09:00", "12:00", "9:00 AM–12:00 PM")]
    [InlineData("12h", "09:00", "11:30", "9:00–11:30 AM")]
    [InlineData("12h", "13:00", "17:00", "1:00–5:00 PM")]
    [InlineData("12h", "09:00", "24:00", "9:00 AM–12:00 AM")]
    [InlineData("24h", "09:00", "17:00", "09:00–17:00")]
    [InlineData("24h", "18:00", "24:00", "18:00–24:00")]
    public void Working_hours_are_written_as_a_range(string clock, string start, string end, string expected) =>
        Assert.Equal(expected, TimeFormat.FromCode(clock)!.WireRange(start, end));

    private static ZonedDateTime At(string instant, DateTimeZone zone) =>
        Instant.FromDateTimeOffset(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture)).InZone(zone);
}
