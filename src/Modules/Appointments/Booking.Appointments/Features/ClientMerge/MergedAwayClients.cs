using Booking.Appointments.Contracts;
using Booking.Appointments.Data;
using Booking.BuildingBlocks.Problems;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Appointments.Features.ClientMerge;

/// <summary>
/// A client's own action on one of their appointments (cancel, keep, move) that finds it theirs no more (decision 307):
/// when staff merged the client away meanwhile (the merge's move recorded them in <c>merged_clients</c> and made the
/// appointment the kept client's; the action read it before and its save met the move, or its locked read came after),
/// the answer is 401 <c>unauthenticated</c>, the one the session's next request gets (the merge ended the merged-away
/// client's sessions), as a booking's is (decision 299). Otherwise the plain 404. One primary-key probe, on this path only.
/// </summary>
public static class MergedAwayClients
{
    public static async Task<ProblemException> NotYoursAsync(AppointmentsDbContext db, Guid clientId, CancellationToken cancellationToken) =>
        await db.MergedClients.AnyAsync(m => m.ClientId == clientId, cancellationToken)
            ? ProblemException.Unauthenticated("Your sign-in ended while you were changing this appointment, so nothing was changed. Sign in again to see your appointments.")
            : ProblemException.NotFound();
}

/// <summary><see cref="FindKeptClient"/>: one primary-key probe of <c>merged_clients</c>, under the tenant (and row-level security).</summary>
public sealed class FindKeptClientHandler(AppointmentsDbContext db) : IQueryHandler<FindKeptClient, Guid?>
{
    public async ValueTask<Guid?> Handle(FindKeptClient query, CancellationToken cancellationToken) =>
        await db.MergedClients.AsNoTracking().Where(m => m.ClientId == query.ClientId).Select(m => (Guid?)m.KeptClientId).FirstOrDefaultAsync(cancellationToken);
}
