using System.Globalization;

namespace Booking.Roster.Domain;

/// <summary>The wire forms of roster values: weekday names and "HH:mm" local times ("24:00" as an end).</summary>
public static class RosterFormats
{
    public static readonly string[] WeekdayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public static DayOfWeek? ParseWeekday(string? name) => name?.ToLowerInvariant() switch
    {
        "monday" => DayOfWeek.Monday,
        "tuesday" => DayOfWeek.Tuesday,
        "wednesday" => DayOfWeek.Wednesday,
        "thursday" => DayOfWeek.Thursday,
        "friday" => DayOfWeek.Friday,
        "saturday" => DayOfWeek.Saturday,
        "sunday" => DayOfWeek.Sunday,
        _ => null,
    };

    public static string WeekdayName(DayOfWeek day) => day.ToString().ToLowerInvariant();

    /// <summary>Monday first, as people read a week.</summary>
    public static int WeekdayOrder(DayOfWeek day) => day == DayOfWeek.Sunday ? 7 : (int)day;

    /// <summary>The end of the day, "24:00": the midnight that ends a local date (the start of the next). An end, never a start.</summary>
    public static readonly TimeSpan EndOfDay = TimeSpan.FromDays(1);

    /// <summary>A start (or any time of the day): "00:00" to "23:59".</summary>
    public static TimeSpan? ParseTime(string? text) =>
        text is { Length: 5 } && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time.ToTimeSpan()
            : null;

    /// <summary>A block's end: "00:00" to "23:59", or "24:00" for midnight at the end of the day.</summary>
    public static TimeSpan? ParseEnd(string? text) => text == "24:00" ? EndOfDay : ParseTime(text);

    /// <summary>"HH:mm"; the end of the day is "24:00".</summary>
    public static string FormatTime(TimeSpan time) =>
        time >= EndOfDay ? "24:00" : time.ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    public static DateOnly? ParseDate(string? text) =>
        text is { Length: 10 } && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
