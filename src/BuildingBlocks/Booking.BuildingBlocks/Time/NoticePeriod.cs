using System.Globalization;

namespace Booking.BuildingBlocks.Time;

/// <summary>
/// A cancellation window's hours as a client reads them: "30 days" for a whole number of days from two days up
/// (720 hours is not how anyone says a month), "1 hour" and "36 hours" otherwise. One wording for the portal's pages, its
/// API answers and the emails (decision 273).
/// </summary>
public static class NoticePeriod
{
    public static string Text(int hours) =>
        hours >= 48 && hours % 24 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours / 24} days")
            : string.Create(CultureInfo.InvariantCulture, $"{hours} hour{(hours == 1 ? "" : "s")}");

    /// <summary>
    /// An appointment's own window when the business's policy has changed since it was booked (decision 270): today's
    /// policy text may name other hours, so the appointment's are said in plain words. With <paramref name="decidedBy"/>
    /// (the business's name, where its window takes cancellation requests) it says what happens after that, as the
    /// portal's Cancel page does.
    /// </summary>
    public static string AsBooked(int hours, string? decidedBy = null) =>
        $"When you booked this appointment, it could be cancelled online up to {Text(hours)} before its start"
        + (decidedBy is null ? "." : $"; after that, cancelling is a request {decidedBy} decides.");

    /// <summary>
    /// <see cref="AsBooked(int, string?)"/> for a window that refused inside it (decision 325): it goes on to say what
    /// holds after that, so a client met by the refusal is not left with only what applied when they booked: "…; after
    /// that, to cancel or change it, contact Harbour Physio on 02 9999 0000." <paramref name="reach"/> is how to reach the
    /// business (" on (phone) or at (email)", or empty), to follow its name.
    /// </summary>
    public static string AsBookedThenContact(int hours, string business, string reach) =>
        $"When you booked this appointment, it could be cancelled online up to {Text(hours)} before its start; "
        + $"after that, to cancel or change it, contact {business}{reach}.";

    /// <summary>
    /// An appointment's own window, booked under terms the business has since changed, as the portal's pages say it and the
    /// emails do (decision 334): <see cref="AsBooked(int, string?)"/> with what happens after it where the window takes
    /// requests, else <see cref="AsBookedThenContact"/> with how to reach the business (<see cref="Reach"/>). The one
    /// choice of those words, so a page and an email about one appointment cannot word it differently.
    /// </summary>
    public static string AsBookedWithAfter(int hours, bool takesRequests, string business, string? phone, string? email) =>
        takesRequests ? AsBooked(hours, business) : AsBookedThenContact(hours, business, Reach(phone, email));

    /// <summary>
    /// The business's own policy words while the appointment's window is still the business's: its text, or, for a blank
    /// one (saved before the settings required words, decision 250), the window itself, so an answer never says nothing.
    /// The Cancel page and the API's <c>policyText</c> both take it from here (decision 341).
    /// </summary>
    public static string AsWritten(string? text, int hours) =>
        string.IsNullOrWhiteSpace(text) ? $"Appointments cannot be cancelled online within {Text(hours)} of their start." : text;

    /// <summary>" on (phone) or at (email)": how to reach the business, to follow "contact X"; empty when it gave neither.</summary>
    public static string Reach(string? phone, string? email) => (phone, email) switch
    {
        ({ } p, { } e) => $" on {p} or at {e}",
        ({ } p, null) => $" on {p}",
        (null, { } e) => $" at {e}",
        _ => "",
    };
}
