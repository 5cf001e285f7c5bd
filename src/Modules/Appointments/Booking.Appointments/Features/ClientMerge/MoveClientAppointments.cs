using Booking.Appointments.Contracts;
using Booking.Appointments.Data;
using Booking.PortalAuth.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Appointments.Features.ClientMerge;

/// <summary>
/// <see cref="MoveClientAppointments"/>: one UPDATE of <c>client_id</c> under the tenant filter (and row-level security),
/// found by the (tenant, client, start) index. Both clients' booking locks are taken first, in one order (the advisory
/// lock a portal booking's limit count and a client's move take, <c>BookingDesk.LockKey</c>), so a booking of either
/// client at that moment is counted before or after the move, never lost between. No outbox event: an appointment that
/// changes hands between two records of one person is no news to anyone.
/// </summary>
public sealed class MoveClientAppointmentsHandler(AppointmentsDbContext db) : ICommandHandler<MoveClientAppointments, int>
{
    public async ValueTask<int> Handle(MoveClientAppointments command, CancellationToken cancellationToken)
    {
        if (command.FromClientId == command.ToClientId)
        {
            return 0;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The rows first, then the booking locks: a client's move takes its appointment's row and then this lock, so
        // taking them the other way round could wait in a circle with it (PostgreSQL would cancel one as a deadlock).
        await db.Database.ExecuteSqlAsync(
            $"SELECT 1 FROM appointments.appointments WHERE tenant_id = {db.TenantId} AND client_id = {command.FromClientId} ORDER BY id FOR NO KEY UPDATE", cancellationToken);
        foreach (var client in new[] { command.FromClientId, command.ToClientId }.Order())
        {
            // The key BookingDesk.LockKey writes for a client's portal bookings.
            var key = $"portal-bookings:{client:D}";
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", cancellationToken);
        }

        var moved = await db.Appointments.Where(a => a.ClientId == command.FromClientId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ClientId, command.ToClientId), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return moved;
    }
}

/// <summary><see cref="CountClientAppointments"/>: one grouped count by the (tenant, client, start) index.</summary>
public sealed class CountClientAppointmentsHandler(AppointmentsDbContext db) : IQueryHandler<CountClientAppointments, IReadOnlyDictionary<Guid, int>>
{
    public async ValueTask<IReadOnlyDictionary<Guid, int>> Handle(CountClientAppointments query, CancellationToken cancellationToken)
    {
        var ids = query.ClientIds.Distinct().ToList();
        return ids.Count == 0
            ? new Dictionary<Guid, int>()
            : await db.Appointments.AsNoTracking().Where(a => ids.Contains(a.ClientId)).GroupBy(a => a.ClientId)
                .Select(g => new { g.Key, Count = g.Count() })
                .ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
    }
}

/// <summary>
/// The last sweep of a merge (decision 293): when PortalAuth's <see cref="ClientsMerged"/> arrives (after the merge's
/// commit, from its outbox), any appointment still under the merged-away client's id moves to the kept one. The merge
/// moved them twice itself; this catches a booking for the old record that was under way then and saved after (a staff
/// booking takes no client lock). Idempotent: a repeat finds nothing left to move.
/// </summary>
public sealed class ClientsMergedSweep(ISender sender) : INotificationHandler<ClientsMerged>
{
    public async ValueTask Handle(ClientsMerged notification, CancellationToken cancellationToken) =>
        await sender.Send(new MoveClientAppointments(notification.AwayId, notification.KeepId), cancellationToken);
}
