using Booking.Roster.Contracts;

namespace Booking.Roster.Domain;

/// <summary>
/// The pure rule behind GetOnlineHours: per diary and date, the weekly online blocks, unless a dated exception
/// says otherwise (closed removes the day; other hours replace it). Touching online blocks are merged so a slot
/// may run across the seam; a block that is not bookable online is simply left out. With <c>onlineOnly: false</c>
/// the same rule gives every block the diary works (GetWorkingHours).
/// </summary>
public static class OnlineHoursCalculator
{
    public static IReadOnlyList<DiaryDayHours> Compute(
        IEnumerable<Guid> diaryIds,
        DateOnly from,
        DateOnly to,
        IEnumerable<RosterBlock> weekly,
        IEnumerable<RosterException> exceptions,
        bool onlineOnly = true)
    {
        var byDiaryDay = weekly.Where(b => b.BookableOnline || !onlineOnly)
            .ToLookup(b => (b.DiaryId, b.Weekday), b => new LocalTimeBlock(b.Start, b.End));
        var byDiaryDate = exceptions.GroupBy(e => (e.DiaryId, e.Date)).ToDictionary(g => g.Key, g => g.Last());
        var result = new List<DiaryDayHours>();
        foreach (var diaryId in diaryIds.Distinct())
        {
            for (var date = from; date <= to; date = date.AddDays(1))
            {
                IEnumerable<LocalTimeBlock> blocks = byDiaryDate.TryGetValue((diaryId, date), out var exception)
                    ? exception.Closed ? [] : exception.Blocks.Where(b => b.BookableOnline || !onlineOnly).Select(b => new LocalTimeBlock(b.Start, b.End))
                    : byDiaryDay[(diaryId, date.DayOfWeek)];
                var merged = Merge(blocks);
                if (merged.Count > 0)
                {
                    result.Add(new DiaryDayHours(diaryId, date, merged));
                }

                if (date == DateOnly.MaxValue)
                {
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>Sorted, with overlapping or touching blocks joined; empty blocks dropped.</summary>
    public static IReadOnlyList<LocalTimeBlock> Merge(IEnumerable<LocalTimeBlock> blocks)
    {
        var merged = new List<LocalTimeBlock>();
        foreach (var block in blocks.Where(b => b.End > b.Start).OrderBy(b => b.Start))
        {
            if (merged.Count > 0 && block.Start <= merged[^1].End)
            {
                var last = merged[^1];
                merged[^1] = last with { End = block.End > last.End ? block.End : last.End };
            }
            else
            {
                merged.Add(block);
            }
        }

        return merged;
    }
}
