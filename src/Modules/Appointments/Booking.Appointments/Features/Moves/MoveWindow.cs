using Booking.Appointments.Features.PortalAppointments;
using Booking.BuildingBlocks.Time;

namespace Booking.Appointments.Features.Moves;

/// <summary>
/// A move into the cancellation window (decision 325): the moved appointment keeps its own terms (decision 270), so a new
/// time less than their hours away leaves the client unable to cancel it online outright (or only by a request the
/// business decides) and unable to move it again online (<see cref="PortalMoves.CanMove"/>). The portal's Change time
/// says so on its confirm step; the staff Move page says the same fact to staff, who are not refused (decision 334). One
/// rule and one opening for both, each audience's ending its own.
/// </summary>
public static class MoveWindow
{
    /// <summary>Whether <paramref name="start"/> is inside the window of <paramref name="terms"/> at <paramref name="now"/>; never for a window of 0 hours.</summary>
    public static bool Inside(AppointmentCancellationTerms terms, DateTimeOffset start, DateTimeOffset now) =>
        terms.Hours > 0 && terms.IsInside(start, now);

    /// <summary>
    /// The client's words: "This time is less than 24 hours away, inside the cancellation window: once moved, it cannot be
    /// cancelled or moved again online." (or "… cancelling it will be a request Harbour Physio decides, and it cannot be
    /// moved again online."). Null outside the window.
    /// </summary>
    public static string? ClientNote(AppointmentCancellationTerms terms, DateTimeOffset start, DateTimeOffset now, string business) =>
        !Inside(terms, start, now) ? null
        : Opening(terms) + (terms.TakesRequests
            ? $"once moved, cancelling it will be a request {business} decides, and it cannot be moved again online."
            : "once moved, it cannot be cancelled or moved again online.");

    /// <summary>
    /// Staff's words of the same fact: "This time is less than 24 hours away, inside the cancellation window: once moved,
    /// the client can no longer cancel it or move it online." (or "… the client can only ask to cancel it, a request you
    /// decide, and can no longer move it online."); <paramref name="moved"/>: said after the move, without "once moved, ".
    /// Null outside the window.
    /// </summary>
    public static string? StaffNote(AppointmentCancellationTerms terms, DateTimeOffset start, DateTimeOffset now, bool moved = false) =>
        !Inside(terms, start, now) ? null
        : Opening(terms) + (moved ? "" : "once moved, ") + (terms.TakesRequests
            ? "the client can only ask to cancel it, a request you decide, and can no longer move it online."
            : "the client can no longer cancel it or move it online.");

    private static string Opening(AppointmentCancellationTerms terms) =>
        $"This time is less than {NoticePeriod.Text(terms.Hours)} away, inside the cancellation window: ";
}
