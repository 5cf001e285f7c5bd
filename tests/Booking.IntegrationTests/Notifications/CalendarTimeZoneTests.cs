using System.Globalization;
using Booking.Notifications.Rendering;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Calendar = Ical.Net.Calendar;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// The .ics read the way Outlook reads it: DTSTART's local time resolved through the file's own VTIMEZONE (its
/// observances' onsets and offsets, worked out here, never NodaTime's or tzdb's idea of the zone, which would only test
/// the input). Ical.Net 5's own block put Europe/Dublin's winter at +01:00, so a 10:00 appointment read as 09:00.
/// </summary>
public sealed class CalendarTimeZoneTests
{
    [Theory]
    [InlineData("Europe/Dublin", "2026-12-09T10:00:00Z", 60)] // winter, GMT: the reviewer's case
    [InlineData("Europe/Dublin", "2027-07-14T09:00:00Z", 45)] // summer, IST (+01:00)
    [InlineData("Europe/Dublin", "2027-03-28T09:00:00Z", 60)] // 10:00 IST on the day the clocks go forward (01:00 UTC)
    [InlineData("Europe/Dublin", "2026-10-25T00:30:00Z", 120)] // 01:30 IST to 01:30 GMT: across the change back
    [InlineData("America/New_York", "2026-07-14T13:00:00Z", 45)] // EDT
    [InlineData("America/New_York", "2026-12-09T14:00:00Z", 45)] // EST
    [InlineData("America/New_York", "2027-03-14T13:00:00Z", 60)] // 9:00 EDT on the day the clocks go forward
    [InlineData("Australia/Sydney", "2026-12-08T23:00:00Z", 45)] // 10:00 AEDT
    [InlineData("Australia/Sydney", "2027-07-14T00:00:00Z", 45)] // 10:00 AEST
    [InlineData("Australia/Sydney", "2027-04-04T00:00:00Z", 45)] // 10:00 AEST on the day the clocks go back
    [InlineData("Asia/Kolkata", "2026-12-09T04:30:00Z", 30)] // no DST: 10:00 IST (+05:30)
    [InlineData("UTC", "2026-12-09T10:00:00Z", 30)]
    public void Start_and_end_resolved_through_the_files_own_time_zone_block_are_the_appointments_instants(string zone, string startUtc, int minutes)
    {
        var start = DateTimeOffset.Parse(startUtc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var end = start.AddMinutes(minutes);
        var look = new BusinessLook("Acme", "acme", zone, "#334155", null, "https://booking.test/ol/book?name=acme");
        var text = EmailRenderer.BuildCalendar(new CalendarInvite(Guid.NewGuid(), CalendarInvite.Publish, 0, start, end, "Massage"),
            look, new CalendarParties("bookings@booking.test"), DateTimeOffset.UtcNow);
        var calendar = Calendar.Load(text)!;
        var evt = Assert.Single(calendar.Events);

        Assert.Equal(start, Resolve(calendar, evt.DtStart!));
        Assert.Equal(end, Resolve(calendar, evt.DtEnd!));
    }

    [Fact]
    public void Dublins_summer_is_the_daylight_part_and_its_winter_the_standard_one_each_with_its_own_offset()
    {
        var start = new DateTimeOffset(2026, 12, 9, 10, 0, 0, TimeSpan.Zero);
        var look = new BusinessLook("Acme", "acme", "Europe/Dublin", "#334155", null, "https://booking.test/ol/book?name=acme");
        var text = EmailRenderer.BuildCalendar(new CalendarInvite(Guid.NewGuid(), CalendarInvite.Publish, 0, start, start.AddHours(1), "Massage"),
            look, new CalendarParties("bookings@booking.test"), DateTimeOffset.UtcNow);
        Assert.Contains("DTSTART;TZID=Europe/Dublin:20261209T100000", text, StringComparison.Ordinal);
        var block = Assert.Single(Calendar.Load(text)!.TimeZones);
        Assert.NotEmpty(block.TimeZoneInfos);
        foreach (var part in block.TimeZoneInfos)
        {
            var (name, offset) = part.TimeZoneName == "IST" ? (Components.Daylight, TimeSpan.FromHours(1)) : (Components.Standard, TimeSpan.Zero);
            Assert.Equal(name, part.Name);
            Assert.Equal(offset, part.OffsetTo!.Offset);
        }

        Assert.Contains(block.TimeZoneInfos, p => p.TimeZoneName == "GMT" && p.Start!.Value.Year == 2026 && p.Start.Value.Month == 10);
    }

    /// <summary>
    /// A local DTSTART (TZID) as RFC 5545 3.6.5 reads it: each observance begins at its onsets (DTSTART, and the yearly
    /// RRULE Ical.Net's own block used, expanded here) in the offset it changes from; the local time is the instant
    /// whose offset is that of the observance in force then (the earlier one where a time happens twice). UTC stays UTC.
    /// </summary>
    private static DateTimeOffset Resolve(Calendar calendar, CalDateTime value)
    {
        if (value.TzId is null or "UTC")
        {
            Assert.True(value.IsUtc, "a DTSTART with neither TZID nor UTC");
            return new DateTimeOffset(DateTime.SpecifyKind(value.Value, DateTimeKind.Utc));
        }

        var block = Assert.Single(calendar.TimeZones, z => z.TzId == value.TzId);
        var onsets = new List<(DateTime Utc, TimeSpan Offset)>();
        foreach (var part in block.TimeZoneInfos)
        {
            Assert.DoesNotContain(part.Properties, p => p.Name == "RDATE");
            var from = part.OffsetFrom!.Offset;
            var to = part.OffsetTo!.Offset;
            foreach (var onset in Onsets(part))
            {
                onsets.Add((onset - from, to));
            }
        }

        onsets.Sort((a, b) => a.Utc.CompareTo(b.Utc));
        var local = value.Value;
        var matches = new List<DateTime>();
        for (var i = 0; i < onsets.Count; i++)
        {
            var utc = local - onsets[i].Offset;
            if (utc >= onsets[i].Utc && (i + 1 == onsets.Count || utc < onsets[i + 1].Utc))
            {
                matches.Add(utc);
            }
        }

        Assert.True(matches.Count > 0, $"{local:s} is in no observance of the block");
        return new DateTimeOffset(DateTime.SpecifyKind(matches.Min(), DateTimeKind.Utc));
    }

    private static IEnumerable<DateTime> Onsets(VTimeZoneInfo part)
    {
        var first = part.Start!.Value;
        yield return first;
        if (part.RecurrenceRule is { } rule)
        {
            Assert.Equal(FrequencyType.Yearly, rule.Frequency);
            var month = Assert.Single(rule.ByMonth);
            var day = Assert.Single(rule.ByDay);
            for (var year = first.Year + 1; year <= 2035; year++)
            {
                var date = NthWeekday(year, month, day.DayOfWeek, day.Offset ?? 1).Add(first.TimeOfDay);
                if (rule.Until is { } until && date > until.Value)
                {
                    break;
                }

                yield return date;
            }
        }
    }

    private static DateTime NthWeekday(int year, int month, DayOfWeek weekday, int nth)
    {
        if (nth < 0)
        {
            var last = new DateTime(year, month, DateTime.DaysInMonth(year, month), 0, 0, 0, DateTimeKind.Unspecified);
            return last.AddDays(-(((int)last.DayOfWeek - (int)weekday + 7) % 7)).AddDays(7 * (nth + 1));
        }

        var firstDay = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        return firstDay.AddDays(((int)weekday - (int)firstDay.DayOfWeek + 7) % 7).AddDays(7 * (nth - 1));
    }
}
