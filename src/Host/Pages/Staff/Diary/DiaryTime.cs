using System.Globalization;
using Booking.BuildingBlocks.Time;
using NodaTime;
using NodaTime.Text;

namespace Booking.Host.Pages.Staff.Diary;

/// <summary>
/// The business's local dates and times for staff pages (NodaTime, in the business's IANA zone), times of day on the
/// business's 12- or 24-hour clock (<see cref="TimeFormat"/>, the page's <c>StaffPageModel.TimeFormat</c>), dates in
/// its country's order (<see cref="DateStyle"/>, the page's <c>StaffPageModel.Dates</c>).
/// </summary>
public sealed class DiaryTime(string timeZone, TimeProvider clock, TimeFormat format, DateStyle dates)
{
    public TimeFormat Format => format;

    public DateStyle Dates => dates;

    public DateTimeZone Zone { get; } = DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) ?? DateTimeZone.Utc;

    public LocalDate Today => Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(Zone).Date;

    /// <summary>The dates staff may book on and the diary shows (StaffWindow: ten years either side of now).</summary>
    public (LocalDate First, LocalDate Last) Window => StaffWindow.Dates(Zone, Instant.FromDateTimeOffset(clock.GetUtcNow()));

    public bool InWindow(LocalDate date)
    {
        var (first, last) = Window;
        return date >= first && date <= last;
    }

    /// <summary>"from … to … (within 10 years of today)", said where a date lies outside <see cref="Window"/>.</summary>
    public string WindowText
    {
        get
        {
            var (first, last) = Window;
            return $"from {Long(first)} to {Long(last)} (within {StaffWindow.Years} years of today)";
        }
    }

    public static LocalDate? ParseDate(string? text) =>
        text is not null && LocalDatePattern.Iso.Parse(text.Trim()) is { Success: true } r ? r.Value : null;

    public static LocalTime? ParseTime(string? text) =>
        text is not null && LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(text.Trim()) is { Success: true } r ? r.Value : null;

    /// <summary>A wall-clock date and time as an instant with the business's offset (a time skipped by DST moves forward).</summary>
    public DateTimeOffset At(LocalDate date, LocalTime time) => date.At(time).InZoneLeniently(Zone).ToDateTimeOffset();

    /// <summary>
    /// "14:30" or "2:30 PM", with the zone's abbreviation on a day the clocks change ("01:30 EDT", "01:30 EST"): the
    /// portal's rule too.
    /// </summary>
    public string TimeOf(DateTimeOffset at)
    {
        var zoned = Instant.FromDateTimeOffset(at).InZone(Zone);
        var text = format.Time(zoned);
        return ZoneAbbreviation.OnChangeDay(zoned) is { } zone ? $"{text} {zone}" : text;
    }

    /// <summary>From–to ("9:00–10:00 AM", "11:30 AM–12:15 PM"); with short dates when the entry runs past midnight
    /// (<see cref="TimeFormat.Span"/>, the zone on a day the clocks change).</summary>
    public string Span(DateTimeOffset start, DateTimeOffset end) =>
        format.Span(Zoned(start), Zoned(end), dates, SpanDate.WhenNeeded);

    /// <summary>
    /// The date and times for one entry's own page: "Tuesday 8 December 2026, 9:00–9:45 AM"; "Sunday 7 November 2027,
    /// 01:30 EDT–01:00 EST" the night the clocks go back; past midnight both days ("Saturday 6 November 2027, 23:30 –
    /// Sunday 7 November 2027, 00:30"). Dates are the business's, by the instant (<see cref="TimeFormat.Span"/>).
    /// </summary>
    public string LongSpan(DateTimeOffset start, DateTimeOffset end) =>
        format.Span(Zoned(start), Zoned(end), dates, SpanDate.Long);

    /// <summary>"4 December 2026, 14:30" ("December 4, 2026, 2:30 PM" month first): an instant's date and time in the
    /// business's zone, for a record's moment.</summary>
    public string DateAndTime(DateTimeOffset at) => dates.DayMonth(LocalDateOf(at)) + ", " + TimeOf(at);

    private ZonedDateTime Zoned(DateTimeOffset at) => Instant.FromDateTimeOffset(at).InZone(Zone);

    /// <summary>The business's date of an instant, whatever offset it was written with.</summary>
    public LocalDate LocalDateOf(DateTimeOffset at) => Instant.FromDateTimeOffset(at).InZone(Zone).Date;

    /// <summary>
    /// The instant of a wall-clock time typed on a staff form. A time the clocks skip (spring forward) is refused; a
    /// time that happens twice (fall back) needs <paramref name="choice"/>: one of <see cref="LocalResolution.Choices"/>.
    /// </summary>
    public LocalResolution Resolve(LocalDate date, LocalTime time, string? choice)
    {
        var mapping = Zone.MapLocal(date.At(time));
        var hhmm = format.Time(time);
        if (mapping.Count == 1)
        {
            return new LocalResolution(mapping.Single().ToDateTimeOffset(), null, []);
        }

        if (mapping.Count == 0)
        {
            return new LocalResolution(null, ZoneAbbreviation.SkippedTimeMessage(Zone, date.At(time), hhmm, Long(date), format.Time), []);
        }

        var both = new[] { mapping.First(), mapping.Last() };
        var choices = both.Select(z => new TimeChoice(Value(z), $"{hhmm} {ZoneAbbreviation.Of(z)}")).ToList();
        foreach (var z in both)
        {
            if (Value(z) == choice)
            {
                return new LocalResolution(z.ToDateTimeOffset(), null, choices);
            }
        }

        return new LocalResolution(null,
            $"{hhmm} happens twice on {Long(date)} (the clocks go back): choose {choices[0].Label} (the first) or {choices[1].Label} (the second).",
            choices);

        static string Value(ZonedDateTime z) => z.Offset.Seconds.ToString(CultureInfo.InvariantCulture);
    }

    public static string Iso(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"Thursday 24 December 2026" or "Thursday, December 24, 2026".</summary>
    public string Long(LocalDate date) => dates.Long(date);

    /// <summary>"Thu 24 Dec" or "Thu, Dec 24".</summary>
    public string Short(LocalDate date) => dates.Short(date);

    public static LocalDate DateOf(DateTimeOffset at) => LocalDate.FromDateTime(at.DateTime);
}

/// <summary>One of the two instants of a repeated wall-clock time: the value posted back, and "01:30 EDT".</summary>
public sealed record TimeChoice(string Value, string Label);

/// <summary>A typed time's instant, or why there is none (and, for a repeated time, the choices to offer).</summary>
public sealed record LocalResolution(DateTimeOffset? At, string? Error, IReadOnlyList<TimeChoice> Choices);
