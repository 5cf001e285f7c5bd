using NodaTime;
using NodaTime.TimeZones;
using NodaTime.Text;

namespace Booking.BuildingBlocks.Time;

/// <summary>
/// What a time's zone is called then, for people: tzdb's abbreviation ("EDT", then "EST" once the clocks go back), or,
/// where tzdb has only a number ("+04", "-03"), "UTC+04" / "UTC+05:45". One rule for emails and pages alike.
/// Emails always name the zone (decision 68); pages name it on the days the clocks change (<see cref="OnChangeDay"/>,
/// decisions 78 and 86), where a bare time can be one of two or never happen.
/// </summary>
public static class ZoneAbbreviation
{
    private static readonly OffsetPattern WholeHours = OffsetPattern.CreateWithInvariantCulture("+HH");
    private static readonly OffsetPattern HoursAndMinutes = OffsetPattern.CreateWithInvariantCulture("+HH:mm");

    public static string Of(ZonedDateTime zoned) => Of(zoned.GetZoneInterval());

    public static string Of(ZoneInterval interval)
    {
        var name = interval.Name;
        if (name.Length > 0 && name.All(char.IsAsciiLetter))
        {
            return name;
        }

        var offset = interval.WallOffset;
        return "UTC" + (offset.Seconds % 3600 == 0 ? WholeHours : HoursAndMinutes).Format(offset);
    }

    /// <summary>
    /// True when the clocks change on this date in this zone (the offset at its start is not the next day's). The
    /// calendar's first and last days are never change days: the day after the last does not exist (asking threw), and
    /// the first day's start can lie before the first instant NodaTime holds.
    /// </summary>
    public static bool IsChangeDay(DateTimeZone zone, LocalDate date) =>
        date.Calendar == CalendarSystem.Iso && date > LocalDate.MinIsoValue && date < LocalDate.MaxIsoValue
        && zone.AtStartOfDay(date).Offset != zone.AtStartOfDay(date.PlusDays(1)).Offset;

    /// <summary>
    /// The abbreviation pages put after a time: on a day the clocks change ("EDT", then "EST"), else null, so an ordinary
    /// day's times stay as short as they were. The staff diary and the client portal share this rule.
    /// </summary>
    public static string? OnChangeDay(ZonedDateTime zoned) => IsChangeDay(zoned.Zone, zoned.Date) ? Of(zoned) : null;

    /// <summary>
    /// A typed wall-clock time that the clocks skip (spring forward), in the words every form that refuses one uses:
    /// "There is no 01:30 on Sunday 28 March 2027: the clocks go forward from 01:00 to 02:00 (GMT to BST). Choose another
    /// time." Null when the time exists (once or twice). <paramref name="time"/> writes a time of day as the reader's
    /// clock does, <paramref name="when"/> is the typed time and <paramref name="date"/> the date, both already in words.
    /// </summary>
    public static string? SkippedTimeMessage(DateTimeZone zone, LocalDateTime local, string when, string date, Func<LocalTime, string> time)
    {
        var mapping = zone.MapLocal(local);
        if (mapping.Count != 0)
        {
            return null;
        }

        var change = mapping.LateInterval.Start;
        var from = time(change.WithOffset(mapping.EarlyInterval.WallOffset).LocalDateTime.TimeOfDay);
        var to = time(change.WithOffset(mapping.LateInterval.WallOffset).LocalDateTime.TimeOfDay);
        return $"There is no {when} on {date}: the clocks go forward from {from} to {to} ({Of(mapping.EarlyInterval)} to {Of(mapping.LateInterval)}). Choose another time.";
    }
}
