using Booking.Host.Web;

namespace Booking.Host.Pages.Staff.Setup.Roster;

internal static class RosterForms
{
    /// <summary>Field names of a command's problem ("contactEmail") as the input names of one form on the page ("Details.ContactEmail").</summary>
    public static Func<string, string> Prefixed(string prefix) =>
        field => prefix + "." + PageProblems.DefaultInputName(field)["Input.".Length..];

    public static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public static string Title(string weekday) => weekday.Length == 0 ? weekday : char.ToUpperInvariant(weekday[0]) + weekday[1..];
}
