using Booking.Appointments.Features.Scheduling;
using Booking.Tenancy.Contracts;
using NodaTime;

namespace Booking.Appointments.Features.PortalAppointments;

/// <summary>
/// How much book-and-cancel churn one client may make through the portal (decision 322). Every portal booking emails the
/// client's address (a confirmation, or a request received) and every cancellation emails it again, with the diary
/// contact told of both where the business asks for it; the address is the one the client registered with, which nobody
/// has to confirm, and the client writes part of the email (their name, their pet's). Without a limit a stranger could
/// register someone else's address and book and cancel in a loop, so the business would mail that address without end.
/// Once the client has cancelled (or withdrawn a request for) <see cref="MaxCancellations"/> of their appointments in the
/// last <see cref="Window"/>, the portal takes no more bookings from them (409 <c>booking-limit</c>, <c>reason</c>
/// <see cref="Reason"/>) until the oldest of those leaves the window; cancelling is never refused (a client must always
/// be able to free a time they cannot keep). Staff bookings are never refused by it. Counted from the appointments
/// themselves (<c>cancelled_by</c> <c>client</c>, <c>cancelled_at</c>), so nothing new is stored. A booking checks it in
/// its limit statement, under the client's lock (<see cref="Check"/>, decision 329; a read of its own before it, decision
/// 322); the portal's pages count it in their booking-limit statement (<c>GetMyBookingLimit</c>, decision 335). Parallel
/// bookings of a client at 4 still all pass it (a booking cancels nothing, so none of them sees the count move), but each
/// counts against the upcoming limit, so a client's churn in a day stays below this limit plus the upcoming one.
/// </summary>
public static class RecentCancellationsLimit
{
    /// <summary>
    /// Five in a day: a genuine client rebooking a household's pets, or rearranging a week, cancels one or two and then
    /// talks to the business; five in 24 hours is a loop, not a diary.
    /// </summary>
    public const int MaxCancellations = 5;

    /// <summary>The rolling window the cancellations are counted in.</summary>
    public static readonly Duration Window = Duration.FromHours(24);

    public const string Reason = "recent-cancellations";

    /// <summary>The limit: its refusal is 409 <c>booking-limit</c> with <c>reason</c>, <c>limit</c> and <c>bookAgainAt</c>.</summary>
    public static readonly RollingLimit Limit = new(MaxCancellations, Window, Reason, "bookAgainAt", "Booking limit reached");

    /// <summary>
    /// The rule as the booking's limit statement checks it (<see cref="BookingDesk"/>), refusing in the refusal's words
    /// with <c>bookAgainAt</c> (the deciding cancellation plus the window) written by <paramref name="render"/>.
    /// </summary>
    public static RollingCheck Check(string business, PortalSettingsView settings, Func<Instant, DateTimeOffset> render) =>
        Limit.Check(Words(business, settings), render);

    /// <summary>The refusal's detail, as the portal's pages say it before the client chooses a time.</summary>
    public static string Words(string business, PortalSettingsView settings) =>
        $"You have cancelled {MaxCancellations} appointments in the last 24 hours, so {business} cannot take another booking from you online for now. "
        + $"To book, please contact {business}{BookPortalAppointmentHandler.Reach(settings.Contact)}.";
}
