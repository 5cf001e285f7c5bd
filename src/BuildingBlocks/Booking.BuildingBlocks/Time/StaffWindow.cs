using FluentValidation;
using FluentValidation.Results;
using NodaTime;

namespace Booking.BuildingBlocks.Time;

/// <summary>
/// How far from now staff may book, block, read the diary and give a diary's dated exception: ten years either way. A start in year 0001 or 9999 is a
/// slip, and such a time is no DateTimeOffset in the business's zone, so it broke every read after it was saved.
/// </summary>
public static class StaffWindow
{
    public const int Years = 10;

    public const string StartMessage = "Give a start within 10 years of today.";

    public const string EndMessage = "Give an end within 10 years of today.";

    /// <summary>The earliest and latest instant staff may give: now ± 10 calendar years (UTC).</summary>
    public static (Instant Earliest, Instant Latest) Around(Instant now)
    {
        var utc = now.InUtc().LocalDateTime;
        return (utc.PlusYears(-Years).InUtc().ToInstant(), utc.PlusYears(Years).InUtc().ToInstant());
    }

    /// <summary>True when absent (its own rule says so) or inside the window.</summary>
    public static bool Allows(TimeProvider clock, DateTimeOffset? at)
    {
        if (at is not { } value)
        {
            return true;
        }

        var (earliest, latest) = Around(Instant.FromDateTimeOffset(clock.GetUtcNow()));
        var instant = Instant.FromDateTimeOffset(value);
        return instant >= earliest && instant <= latest;
    }

    /// <summary>The business's dates that hold the window's instants: every bookable time lies on one of them.</summary>
    public static (LocalDate First, LocalDate Last) Dates(DateTimeZone zone, Instant now)
    {
        var (earliest, latest) = Around(now);
        return (earliest.InZone(zone).Date, latest.InZone(zone).Date);
    }

    /// <summary>True when absent (its own rule says so) or one of <see cref="Dates"/> in the business's zone.</summary>
    public static bool AllowsDate(TimeProvider clock, string? timeZone, LocalDate? date)
    {
        if (date is not { } value)
        {
            return true;
        }

        var (first, last) = Dates(ZoneOf(timeZone), Instant.FromDateTimeOffset(clock.GetUtcNow()));
        return value >= first && value <= last;
    }

    /// <summary><see cref="DatesMessage"/> for today's window in the business's zone.</summary>
    public static string DatesMessage(TimeProvider clock, string? timeZone)
    {
        var (first, last) = Dates(ZoneOf(timeZone), Instant.FromDateTimeOffset(clock.GetUtcNow()));
        return DatesMessage(first, last);
    }

    /// <summary>
    /// A read's date range (the diary, staff's free times) inside <see cref="Dates"/>, else a validation problem naming
    /// <c>from</c> and/or <c>to</c> (far dates also overflow the span's instants).
    /// </summary>
    public static void RequireDates(DateTimeZone zone, Instant now, LocalDate from, LocalDate to)
    {
        var (first, last) = Dates(zone, now);
        var outside = new[] { ("from", from), ("to", to) }.Where(d => d.Item2 < first || d.Item2 > last)
            .Select(d => new ValidationFailure(d.Item1, DatesMessage(first, last))).ToList();
        if (outside.Count > 0)
        {
            throw new ValidationException(outside);
        }
    }

    public static string DatesMessage(LocalDate first, LocalDate last) =>
        $"Give a date from {Iso(first)} to {Iso(last)} (within {Years} years of today).";

    private static DateTimeZone ZoneOf(string? timeZone) =>
        (timeZone is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone)) ?? DateTimeZone.Utc;

    private static string Iso(LocalDate date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
