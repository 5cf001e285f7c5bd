using System.ComponentModel;
using Booking.Roster.Domain;
using FluentValidation.Results;

namespace Booking.Roster.Features.WeeklyRoster;

/// <summary>
/// One block as sent: weekday only in the weekly roster; in a dated exception bookableOnline defaults to true.
/// Times are "HH:mm"; the end may be "24:00" (midnight at the end of the day), the start never.
/// </summary>
public sealed record BlockInput(
    string? Weekday,
    [property: Description("Local time \"HH:mm\", 00:00–23:59.")] string? Start,
    [property: Description("Local time \"HH:mm\" after start; \"24:00\" for midnight at the end of the day.")] string? End,
    bool? BookableOnline);

/// <summary>
/// Checks a list of blocks field by field (JSON paths like blocks[0].end) and then for overlaps within a day,
/// naming the block that overlaps an earlier one. Touching blocks (12:00–13:00 after 09:00–12:00) are fine.
/// </summary>
/// <summary>
/// The API's words for a block time or an exception date that does not read; Setup → Roster's diary page words them its
/// own way (its time inputs end a block at midnight with 00:00, its date input is chosen).
/// </summary>
public static class RosterProblemWords
{
    public const string BadStart = "Give the start as HH:mm, such as 09:00.";

    public const string BadEnd = "Give the end as HH:mm, such as 17:00, or 24:00 for midnight.";

    public const string BadDate = "Give the date as YYYY-MM-DD.";

    public const string BadFirstDate = "Give the first date as YYYY-MM-DD.";

    public const string BadLastDate = "Give the last date as YYYY-MM-DD.";
}

internal static class BlockValidation
{
    public const int MaxBlocks = 200;

    public static List<ValidationFailure> Check(IReadOnlyList<BlockInput?>? blocks, bool weekly, string path = "blocks")
    {
        var failures = new List<ValidationFailure>();
        if (blocks is null)
        {
            failures.Add(new ValidationFailure(path, "Give the blocks (an empty list for none)."));
            return failures;
        }

        if (blocks.Count > MaxBlocks)
        {
            failures.Add(new ValidationFailure(path, $"Use at most {MaxBlocks} blocks."));
            return failures;
        }

        var parsed = new List<(int Index, DayOfWeek Day, TimeSpan Start, TimeSpan End)>();
        for (var i = 0; i < blocks.Count; i++)
        {
            var at = $"{path}[{i}]";
            var block = blocks[i];
            if (block is null)
            {
                failures.Add(new ValidationFailure(at, "Give the block's times."));
                continue;
            }

            var day = DayOfWeek.Monday;
            if (weekly)
            {
                if (RosterFormats.ParseWeekday(block.Weekday) is { } d)
                {
                    day = d;
                }
                else
                {
                    failures.Add(new ValidationFailure($"{at}.weekday", "Use a weekday name: monday … sunday."));
                }
            }

            var start = RosterFormats.ParseTime(block.Start);
            var end = RosterFormats.ParseEnd(block.End);
            if (start is null)
            {
                failures.Add(new ValidationFailure($"{at}.start", block.Start == "24:00"
                    ? "A block cannot start at 24:00; start it at 00:00 of the next day."
                    : RosterProblemWords.BadStart));
            }

            if (end is null)
            {
                failures.Add(new ValidationFailure($"{at}.end", RosterProblemWords.BadEnd));
            }
            else if (start is not null && end <= start)
            {
                failures.Add(new ValidationFailure($"{at}.end", "The end must be after the start (a block cannot cross midnight)."));
            }

            if (weekly && block.BookableOnline is null)
            {
                failures.Add(new ValidationFailure($"{at}.bookableOnline", "Say whether clients may book this block online."));
            }

            if ((!weekly || RosterFormats.ParseWeekday(block.Weekday) is not null) && start is not null && end is not null && end > start)
            {
                parsed.Add((i, day, start.Value, end.Value));
            }
        }

        foreach (var group in parsed.GroupBy(p => p.Day))
        {
            var ordered = group.OrderBy(p => p.Start).ThenBy(p => p.Index).ToList();
            for (var k = 1; k < ordered.Count; k++)
            {
                var earlier = ordered[..k].MaxBy(p => p.End);
                var current = ordered[k];
                if (current.Start < earlier.End)
                {
                    var later = current.Index > earlier.Index ? current : earlier;
                    var other = later.Index == current.Index ? earlier : current;
                    // In words a person reads next to the row (the staff pages show it there), not the other row's JSON path:
                    // the field already says which block is refused.
                    var dayText = weekly ? other.Day + " " : "";
                    failures.Add(new ValidationFailure($"{path}[{later.Index}]",
                        $"Overlaps the block {dayText}{RosterFormats.FormatTime(other.Start)}–{RosterFormats.FormatTime(other.End)}."));
                }
            }
        }

        return failures;
    }
}
