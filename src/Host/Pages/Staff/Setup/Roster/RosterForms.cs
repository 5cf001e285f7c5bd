using Booking.Host.Web;

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

    public static string Title(string weekday) => weekday.Length == 0 ? weekday : char.ToUpperInvariant(weekday[0]) + weekday[1..];
}
