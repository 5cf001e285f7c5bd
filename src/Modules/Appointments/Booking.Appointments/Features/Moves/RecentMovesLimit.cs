using Booking.Appointments.Data;
using Booking.Appointments.Features.PortalAppointments;
using Booking.BuildingBlocks.Problems;
using Booking.Tenancy.Contracts;
using Microsoft.EntityFrameworkCore;
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
/// Staff moves are neither counted nor refused. Read before the move's transaction (the count is not under a lock):
/// moves sent at the same moment may pass it together, each one passing the booking queue and its row lock in turn, so a
/// burst can go past it by the requests in flight at once, never without end (the next request after them is refused).
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

    /// <summary>
    /// When the portal moves the client's appointments again (the oldest of their last <see cref="MaxMoves"/> moves in
    /// the window leaves it); null while they may move. Their own moves of the appointments that are theirs now (a merge
    /// brings the merged-away record's with its appointments). One statement.
    /// </summary>
    public static async Task<Instant?> MoveAgainAtAsync(AppointmentsDbContext db, Guid clientId, Instant now, CancellationToken ct)
    {
        var since = now - Window;
        var recent = await (
                from a in db.Appointments.AsNoTracking()
                where a.ClientId == clientId
                join m in db.ClientMoves.AsNoTracking() on a.Id equals m.AppointmentId
                where m.MovedAt > since
                orderby m.MovedAt descending
                select m.MovedAt)
            .Take(MaxMoves)
            .ToListAsync(ct);
        return recent.Count >= MaxMoves ? recent[^1] + Window : null;
    }

    /// <summary>
    /// 409 <c>booking-limit</c>, <c>reason</c> <c>recent-moves</c>, <c>limit</c> the number, <c>moveAgainAt</c> when the
    /// portal moves the client's appointments again; the detail sends them to the business, with its contact.
    /// </summary>
    public static ProblemException Refusal(string business, PortalSettingsView settings, DateTimeOffset moveAgainAt)
    {
        var problem = new ProblemException(ProblemKinds.BookingLimit, 409, "Too many changes of time", Words(business, settings));
        problem.Extensions["reason"] = Reason;
        problem.Extensions["limit"] = MaxMoves;
        problem.Extensions["moveAgainAt"] = moveAgainAt;
        return problem;
    }

    /// <summary>The refusal's detail: <see cref="PageWords"/> with how to reach the business after its name.</summary>
    public static string Words(string business, PortalSettingsView settings) => Words(business, BookPortalAppointmentHandler.Reach(settings.Contact));

    /// <summary>
    /// The refusal's words as the portal's Change time page says them (decision 334): without the phone and email after the
    /// business's name, which the page shows once right under them (<c>_BusinessContact</c>, as links), not twice.
    /// </summary>
    public static string PageWords(string business) => Words(business, "");

    private static string Words(string business, string reach) =>
        $"You have changed appointment times {MaxMoves} times in the last 24 hours, so {business} cannot take another change online for now. "
        + $"Your appointment stays as it is. To change it, please contact {business}{reach}.";
}
