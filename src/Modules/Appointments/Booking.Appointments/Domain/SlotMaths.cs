using NodaTime;
using NodaTime.TimeZones;

namespace Booking.Appointments.Domain;

/// <summary>
/// A block of local time a diary may be booked online on one date; start inclusive, end exclusive. An End of 00:00 is
/// the midnight that ends the date (24:00, the start of the next date): a block never ends where the day begins.
/// </summary>
public readonly record struct OnlineBlock(LocalTime Start, LocalTime End)
{
    private const long MinutesPerDay = 24 * 60;

    /// <summary>Runs to the end of its date (24:00).</summary>
    public bool EndsAtMidnight => End == LocalTime.Midnight;

    public long StartMinute => Start.TickOfDay / NodaConstants.TicksPerMinute;

    /// <summary>Minutes of the clock after 00:00; 1440 for a block that runs to midnight.</summary>
    public long EndMinute => EndsAtMidnight ? MinutesPerDay : End.TickOfDay / NodaConstants.TicksPerMinute;

    /// <summary>The local date and time the block ends on <paramref name="date"/>: the next date's 00:00 for a block to midnight.</summary>
    public LocalDateTime EndOn(LocalDate date) => EndsAtMidnight ? date.PlusDays(1).AtMidnight() : date.At(End);

    /// <summary>From clock times after 00:00 (the roster's form), where an end of one day is 24:00.</summary>
    public static OnlineBlock FromClock(TimeSpan start, TimeSpan end) =>
        new(LocalTime.FromTicksSinceMidnight(start.Ticks), end >= TimeSpan.FromDays(1) ? LocalTime.Midnight : LocalTime.FromTicksSinceMidnight(end.Ticks));
}

/// <summary>One diary's online blocks on one local date (after the roster's dated exceptions).</summary>
public sealed record DiaryDay(Guid DiaryId, LocalDate Date, IReadOnlyList<OnlineBlock> Blocks);

/// <summary>
/// Time a diary cannot take a new appointment: an appointment with its buffer, or a busy block (<paramref name="Block"/>).
/// End exclusive. In staff mode a block counts only where the new appointment itself is, not its buffer (decision 347).
/// </summary>
public readonly record struct BusyTime(Guid DiaryId, Instant Start, Instant End, bool Block = false);

/// <summary>An offered start; End is start + service duration (the buffer is not the client's time).</summary>
public sealed record Slot(Instant Start, Instant End, IReadOnlyList<Guid> DiaryIds);

/// <summary>Everything the slot maths needs besides the roster and the busy time.</summary>
public sealed record SlotRules(
    DateTimeZone Zone,
    Instant Now,
    int SlotIntervalMinutes,
    int MinimumNoticeMinutes,
    int HorizonDays,
    Duration ServiceDuration,
    Duration BufferAfter)
{
    /// <summary>The span an appointment keeps its diary busy: the service and the buffer after it.</summary>
    public Duration Occupies => ServiceDuration + BufferAfter;

    public LocalDate Today => Now.InZone(Zone).Date;

    /// <summary>The last local date a client may book (the horizon counts days from today).</summary>
    public LocalDate LastBookableDate => Today.PlusDays(HorizonDays);

    /// <summary>
    /// Staff mode (the staff booking's free times, decision 278): no minimum notice and no horizon, since staff may book
    /// those; a start that has passed is still not offered. The blocks given are then the diary's working hours. A busy
    /// block counts only where the new appointment itself is (its buffer may run into one), as the staff check's
    /// <c>busy-time</c> and staff's "any" judge it (decisions 341 and 347); appointments still with both buffers.
    /// </summary>
    public bool ForStaff { get; init; }

    /// <summary>
    /// The day-before cut-off (<see cref="Appointments.Domain.DayBeforeCutoff"/>, decision 290): online bookings for a date
    /// close at this local time the day before; null for none. Clients only, like the notice.
    /// </summary>
    public LocalTime? DayBeforeCutoff { get; init; }

    /// <summary>The earliest start offered: <see cref="ClientEarliest"/> (staff: now).</summary>
    public Instant Earliest => ForStaff ? Now : ClientEarliest;

    /// <summary>
    /// The earliest start a client may book: the later of now plus the minimum notice and the start of the first date the
    /// day-before cut-off leaves open (both rules apply).
    /// </summary>
    public Instant ClientEarliest
    {
        get
        {
            var notice = Now + Duration.FromMinutes(MinimumNoticeMinutes);
            if (DayBeforeCutoff is not { } cutoff)
            {
                return notice;
            }

            var opens = Appointments.Domain.DayBeforeCutoff.Earliest(cutoff, Zone, Now);
            return opens > notice ? opens : notice;
        }
    }

    /// <summary>Whether the date may hold starts at all: not before today, nor (clients only) beyond the horizon.</summary>
    public bool OffersDate(LocalDate date) => date >= Today && (ForStaff || date <= LastBookableDate);
}

/// <summary>
/// The slot maths, pure: the slot grid inside each online block, in the business's local time, minus busy time,
/// within minimum notice and horizon. Starts are grid times on the local clock (block start + k × interval); a
/// local time in a spring-forward gap does not exist and is skipped, a local time in the fall-back repeated hour
/// exists twice and yields both instants. Block bounds are instants, so a slot never runs past the block's real end.
/// </summary>
public static class SlotMaths
{
    /// <summary>
    /// A start past the horizon by more than any zone's dates can stretch it: the horizon's last local date ends at
    /// most a day and a half after now + horizon days, so two days is beyond every offer. The one coarse guard, taken
    /// before any date maths (a start in year 9999 overflows a zone's rules), by the booking desk and the confirm page;
    /// the slot rules themselves decide everything nearer.
    /// </summary>
    public static bool BeyondHorizon(Instant start, Instant now, int horizonDays) => start > now + Duration.FromDays(horizonDays + 2);

    // A block starting in a gap starts when the clock resumes; a block ending in the repeated hour ends at its later pass.
    // A block ending where the repeated hour begins (London's 01:00 on the autumn night, Santiago's 23:00 when midnight
    // turns back) holds none of its times: it ends the first time the clock reads its end, not a pass later.
    private static readonly ZoneLocalMappingResolver BlockStartResolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnForwardShifted);

    private static readonly ZoneLocalMappingResolver BlockEndResolver =
        Resolvers.CreateMappingResolver((earlier, later) => later.LocalDateTime == later.GetZoneInterval().IsoLocalStart ? earlier : later, Resolvers.ReturnForwardShifted);

    /// <summary>Grid starts of one diary's day that fit the blocks, notice and horizon, ignoring busy time; ascending, distinct.</summary>
    public static List<Instant> Candidates(SlotRules rules, LocalDate date, IReadOnlyList<OnlineBlock> blocks)
    {
        var result = new List<Instant>();
        if (!rules.OffersDate(date) || rules.SlotIntervalMinutes <= 0)
        {
            return result;
        }

        var earliest = rules.Earliest;
        foreach (var block in blocks)
        {
            var startMinute = block.StartMinute;
            var endMinute = block.EndMinute;
            if (endMinute <= startMinute)
            {
                continue;
            }

            // A block to midnight ends where the next date starts in the zone (a zone whose clocks skip that midnight:
            // when they resume, which is the same instant as the change).
            var blockStart = rules.Zone.ResolveLocal(date.At(block.Start), BlockStartResolver).ToInstant();
            var blockEnd = rules.Zone.ResolveLocal(block.EndOn(date), BlockEndResolver).ToInstant();
            // Most blocks lie inside one zone interval (no offset change between their bounds): every local time in
            // them is then one instant at that offset, found by arithmetic. A block that spans a change maps each
            // grid time through the zone (gap: none, overlap: both).
            var interval = rules.Zone.GetZoneInterval(blockStart);
            var oneOffset = interval.Contains(blockEnd) || (interval.HasEnd && interval.End == blockEnd);
            for (var minute = startMinute; minute < endMinute; minute += rules.SlotIntervalMinutes)
            {
                var local = date.At(LocalTime.FromMinutesSinceMidnight((int)minute));
                if (oneOffset)
                {
                    Add(local.WithOffset(interval.WallOffset).ToInstant());
                    continue;
                }

                var mapping = rules.Zone.MapLocal(local);
                for (var i = 0; i < mapping.Count; i++)
                {
                    Add((i == 0 ? mapping.First() : mapping.Last()).ToInstant());
                }
            }

            void Add(Instant start)
            {
                if (start >= blockStart && start + rules.ServiceDuration <= blockEnd && start >= earliest)
                {
                    result.Add(start);
                }
            }
        }

        result.Sort();
        return DistinctSorted(result);
    }

    /// <summary>
    /// True when some online block of the day, within the horizon, still runs after the end of the minimum notice (and the
    /// day-before cut-off: <see cref="SlotRules.ClientEarliest"/>), whether or not a start of the service fits it: the hours
    /// are there, only too short.
    /// </summary>
    public static bool OpenAfterNotice(SlotRules rules, DiaryDay day)
    {
        if (day.Date < rules.Today || day.Date > rules.LastBookableDate)
        {
            return false;
        }

        var earliest = rules.ClientEarliest;
        return day.Blocks.Any(b => b.EndMinute > b.StartMinute && rules.Zone.ResolveLocal(b.EndOn(day.Date), BlockEndResolver).ToInstant() > earliest);
    }

    /// <summary>True when <paramref name="start"/> is an offered grid start of the day (busy time aside).</summary>
    public static bool IsOffered(SlotRules rules, DiaryDay day, Instant start) =>
        start.InZone(rules.Zone).Date == day.Date && Candidates(rules, day.Date, day.Blocks).BinarySearch(start) >= 0;

    /// <summary>
    /// Free slots over the given diary days: candidates whose span (service + buffer) overlaps no busy time of
    /// their diary. Starts shared by several diaries become one slot listing them all. Ascending by start.
    /// </summary>
    public static List<Slot> Free(SlotRules rules, IEnumerable<DiaryDay> days, IEnumerable<BusyTime> busy)
    {
        // Staff mode: busy blocks apart, judged against the appointment's own time (ServiceDuration), not its buffer.
        var all = busy as IReadOnlyCollection<BusyTime> ?? busy.ToList();
        var merged = all.Where(b => !(rules.ForStaff && b.Block)).GroupBy(b => b.DiaryId).ToDictionary(g => g.Key, g => Merge(g));
        var blocks = rules.ForStaff
            ? all.Where(b => b.Block).GroupBy(b => b.DiaryId).ToDictionary(g => g.Key, g => Merge(g))
            : new Dictionary<Guid, (Instant Start, Instant End)[]>();
        // Diaries on the same roster share their day's grid: computed once per distinct (date, blocks).
        var grids = new Dictionary<(LocalDate Date, string Blocks), List<Instant>>();
        var byStart = new Dictionary<Instant, List<Guid>>();
        foreach (var day in days)
        {
            var gridKey = (day.Date, BlocksKey(day.Blocks));
            if (!grids.TryGetValue(gridKey, out var candidates))
            {
                grids[gridKey] = candidates = Candidates(rules, day.Date, day.Blocks);
            }

            merged.TryGetValue(day.DiaryId, out var diaryBusy);
            foreach (var start in candidates)
            {
                if (diaryBusy is not null && Overlaps(diaryBusy, start, start + rules.Occupies))
                {
                    continue;
                }

                if (blocks.TryGetValue(day.DiaryId, out var diaryBlocks) && Overlaps(diaryBlocks, start, start + rules.ServiceDuration))
                {
                    continue;
                }

                if (!byStart.TryGetValue(start, out var diaries))
                {
                    byStart[start] = diaries = new List<Guid>(1);
                }

                if (!diaries.Contains(day.DiaryId))
                {
                    diaries.Add(day.DiaryId);
                }
            }
        }

        var starts = byStart.Keys.ToArray();
        Array.Sort(starts);
        var result = new List<Slot>(starts.Length);
        foreach (var start in starts)
        {
            var diaries = byStart[start];
            diaries.Sort();
            result.Add(new Slot(start, start + rules.ServiceDuration, diaries));
        }

        return result;
    }

    private static string BlocksKey(IReadOnlyList<OnlineBlock> blocks) =>
        string.Join(',', blocks.Select(b => $"{b.Start.TickOfDay}-{b.End.TickOfDay}"));

    /// <summary>Sorted, disjoint intervals, so one binary search answers an overlap question.</summary>
    internal static (Instant Start, Instant End)[] Merge(IEnumerable<BusyTime> busy)
    {
        var sorted = busy.Where(b => b.End > b.Start).OrderBy(b => b.Start).ToList();
        var result = new List<(Instant Start, Instant End)>(sorted.Count);
        foreach (var b in sorted)
        {
            if (result.Count > 0 && b.Start <= result[^1].End)
            {
                var last = result[^1];
                result[^1] = (last.Start, b.End > last.End ? b.End : last.End);
            }
            else
            {
                result.Add((b.Start, b.End));
            }
        }

        return result.ToArray();
    }

    /// <summary>Does [start, end) overlap any of the merged intervals? The last interval starting before end is the only candidate.</summary>
    internal static bool Overlaps((Instant Start, Instant End)[] merged, Instant start, Instant end)
    {
        int lo = 0, hi = merged.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (merged[mid].Start < end)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found >= 0 && merged[found].End > start;
    }

    private static List<Instant> DistinctSorted(List<Instant> sorted)
    {
        var result = new List<Instant>(sorted.Count);
        foreach (var i in sorted)
        {
            if (result.Count == 0 || result[^1] != i)
            {
                result.Add(i);
            }
        }

        return result;
    }
}
