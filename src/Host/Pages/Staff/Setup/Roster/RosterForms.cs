using Booking.Host.Web;
using Booking.Roster.Features.Exceptions;

namespace Booking.Host.Pages.Staff.Setup.Roster;

internal static class RosterForms
{
    /// <summary>Field names of a command's problem ("contactEmail") as the input names of one form on the page ("Details.ContactEmail").</summary>
    public static Func<string, string> Prefixed(string prefix) =>
        field => prefix + "." + PageProblems.DefaultInputName(field)["Input.".Length..];

    public static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>
    /// A block's end as the form sends it: 00:00 is midnight at the end of the day ("24:00"), which a time input cannot
    /// hold; a block never ends at the start of its own day, so 00:00 as an end means nothing else.
    /// </summary>
    public static string? EndFromForm(string? end) => end?.Trim() is "00:00" ? "24:00" : end?.Trim();

    /// <summary>A saved end for a time input: "24:00" shows as 00:00 (see <see cref="EndFromForm"/>).</summary>
    public static string EndToForm(string end) => end == "24:00" ? "00:00" : end;

    /// <summary>
    /// The exceptions as the page lists them: consecutive dates with the same exception (closed, or the same blocks)
    /// make one run ("closed from 22 December to 2 January"), removed in one go; a date alone is a run of one.
    /// </summary>
    public static IReadOnlyList<ExceptionRun> Runs(IReadOnlyList<RosterExceptionResponse> exceptions)
    {
        var runs = new List<List<RosterExceptionResponse>>();
        foreach (var e in exceptions.OrderBy(e => e.Date, StringComparer.Ordinal))
        {
            if (runs.Count > 0 && runs[^1][^1] is var last && NextDay(last.Date) == e.Date && SameHours(last, e))
            {
                runs[^1].Add(e);
            }
            else
            {
                runs.Add([e]);
            }
        }

        return runs.Select(r => new ExceptionRun(r)).ToList();
    }

    private static string? NextDay(string isoDate) =>
        NodaTime.Text.LocalDatePattern.Iso.Parse(isoDate) is { Success: true } parsed ? NodaTime.Text.LocalDatePattern.Iso.Format(parsed.Value.PlusDays(1)) : null;

    private static bool SameHours(RosterExceptionResponse a, RosterExceptionResponse b) =>
        a.Closed == b.Closed && a.Blocks.SequenceEqual(b.Blocks);

    public static string Title(string weekday) => weekday.Length == 0 ? weekday : char.ToUpperInvariant(weekday[0]) + weekday[1..];
}

/// <summary>One or more consecutive dates with the same exception, by date.</summary>
public sealed record ExceptionRun(IReadOnlyList<RosterExceptionResponse> Dates)
{
    public RosterExceptionResponse First => Dates[0];

    public RosterExceptionResponse Last => Dates[^1];

    /// <summary>What the run holds as the page shows it, sent with its Remove: the server removes nothing if that changed.</summary>
    public string Fingerprint => RosterExceptionFingerprint.Of(First.Date, Last.Date, Dates);
}
