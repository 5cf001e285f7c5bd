using Booking.Appointments.Data;
using Booking.Appointments.Features.PortalAppointments;
using Booking.Appointments.Features.Scheduling;
using Booking.Tenancy.Contracts;
using NodaTime;

namespace Booking.Appointments.Features.Moves;

/// <summary>
/// How many times one client may move their appointments through the portal in a day (decision 326). Every portal move
/// emails "Your appointment has moved" with a calendar file to the client's address (one nobody has to confirm) and,
/// where the business asks for it, to the diary contact; the moves limit nothing else, so a stranger who registered
/// someone else's address could move one booking back and forth and mail that address without end (decision 322's
/// churn limit counts cancellations, and a move is none). Once the client has moved <see cref="MaxMoves"/> times (any of
/// their appointments; recorded in <c>client_moves</c>, one row per move) in the last <see cref="Window"/>, the portal
/// moves nothing more for them (409 <c>booking-limit</c>, <c>reason</c> <see cref="Reason"/>, <c>moveAgainAt</c>) until
/// the oldest of those leaves the window; the appointment stays where it is, and cancelling is never refused by it.
/// Staff moves are neither counted nor refused. A move reads it in its transaction under the client's lock, the one a
/// portal booking's limit statement takes (<c>BookingDesk.MoveAsync</c>, decision 335; before, a read of its own ahead of
/// the transaction, which moves sent at once all passed): moves of one client take turns, and each counts the ones
/// before it. The answers that say <c>canMove</c> read it in a statement they make anyway (the list's page, the
/// appointment's withdrawn requests).
/// </summary>
public static class RecentMovesLimit
{
    /// <summary>
    /// Five in a day: a real client moves an appointment once, sometimes twice or three times while a day's plans settle;
    /// five moves in 24 hours is not a diary being arranged, and the business can still move it for them.
    /// </summary>
    public const int MaxMoves = 5;

    /// <summary>The rolling window the moves are counted in.</summary>
    public static readonly Duration Window = Duration.FromHours(24);

    /// <summary>The refusal's <c>reason</c>, and <c>cannotMoveReason</c> on the client's appointment answers.</summary>
    public const string Reason = "recent-moves";

    /// <summary>The limit: its refusal is 409 <c>booking-limit</c> with <c>reason</c>, <c>limit</c> and <c>moveAgainAt</c>.</summary>
    public static readonly RollingLimit Limit = new(MaxMoves, Window, Reason, "moveAgainAt", "Too many changes of time");

    /// <summary>
    /// The client's moves in the window, newest first: their own moves of the appointments that are theirs now (a merge
    /// brings the merged-away record's with its appointments). A query to compose into a statement the caller makes anyway;
    /// the <see cref="RollingLimit.Skip"/>-th of them (the limit's deciding move) is null while the client may move.
    /// </summary>
    public static IQueryable<Instant?> Recent(AppointmentsDbContext db, Guid clientId, Instant now)
    {
        var since = Limit.Since(now);
        return from a in db.Appointments
               where a.ClientId == clientId
               join m in db.ClientMoves on a.Id equals m.AppointmentId
               where m.MovedAt > since
               orderby m.MovedAt descending
               select (Instant?)m.MovedAt;
    }

    /// <summary>The limit as the move's statement checks it under the client's lock, in the refusal's words.</summary>
    public static RollingCheck Check(string business, PortalSettingsView settings, Func<Instant, DateTimeOffset> render) =>
        Limit.Check(Words(business, settings), render);

    /// <summary>The refusal's detail: <see cref="PageWords"/> with how to reach the business after its name.</summary>
    public static string Words(string business, PortalSettingsView settings) => Words(business, BookPortalAppointmentHandler.Reach(settings.Contact));

    /// <summary>
    /// The refusal's words as the portal's Change time page says them (decision 334): without the phone and email after the
    /// business's name, which the page shows once right under them (<c>_BusinessContact</c>, as links), not twice.
    /// </summary>
    /// <param name="reachable">The business gave a phone, email or address to show under them; without one the words send
    /// the client nowhere and say it gave none (decision 359).</param>
    public static string PageWords(string business, bool reachable = true) =>
        reachable ? Words(business, "") : Said(business) + BookPortalAppointmentHandler.NoContactGiven(business);

    private static string Words(string business, string reach) => Said(business) + $"To change it, please contact {business}{reach}.";

    private static string Said(string business) =>
        $"You have changed appointment times {MaxMoves} times in the last 24 hours, so {business} cannot take another change online for now. "
        + "Your appointment stays as it is. ";
}
