using NodaTime;

namespace Booking.Appointments.Domain;

/// <summary>
/// A diary's working hours as instants: local blocks of dates (clock times after 00:00, an end of 24:00 being the next
/// date's start) placed in the business's zone, joined where they touch or overlap (so hours running to midnight and
/// on from the next 00:00 are one stretch). Whether an appointment lies inside them is <see cref="Covers"/>.
/// </summary>
public sealed class WorkingTime
{
    private readonly List<(Instant Start, Instant End)> stretches;

    private WorkingTime(List<(Instant Start, Instant End)> stretches) => this.stretches = stretches;

    /// <param name="days">Each date with its blocks; a date not given has no hours.</param>
    /// <param name="alsoOutside">Time counted as covered whatever the hours say (before and after the dates asked about).</param>
    public static WorkingTime Of(DateTimeZone zone, IEnumerable<(LocalDate Date, IEnumerable<(TimeSpan Start, TimeSpan End)> Blocks)> days,
        IEnumerable<(Instant Start, Instant End)>? alsoOutside = null)
    {
        var spans = days.SelectMany(day => day.Blocks.Where(b => b.End > b.Start).Select(b => (At(zone, day.Date, b.Start), At(zone, day.Date, b.End))))
            .Concat(alsoOutside ?? [])
            .Where(s => s.Item2 > s.Item1)
            .OrderBy(s => s.Item1);
        var merged = new List<(Instant Start, Instant End)>();
        foreach (var (start, end) in spans)
        {
            if (merged.Count > 0 && start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, end > merged[^1].End ? end : merged[^1].End);
            }
            else
            {
                merged.Add((start, end));
            }
        }

        return new WorkingTime(merged);
    }

    /// <summary>Whether one stretch of working time holds all of [start, end).</summary>
    public bool Covers(Instant start, Instant end) => stretches.Any(s => s.Start <= start && s.End >= end);

    /// <summary>A clock time of a date as an instant; a time the clocks skip moves on by the gap, as slots do.</summary>
    private static Instant At(DateTimeZone zone, LocalDate date, TimeSpan clock) =>
        date.AtMidnight().PlusTicks(clock.Ticks).InZoneLeniently(zone).ToInstant();
}
