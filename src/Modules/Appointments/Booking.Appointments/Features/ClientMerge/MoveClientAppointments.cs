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
/// changes hands between two records of one person is no news to anyone. The moved-away client is recorded in
/// <c>merged_clients</c> under its lock (decision 299), so no appointment is saved for it afterwards.
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

        // The merged-away client, recorded in the move's own transaction under the business's merge lock, taken
        // exclusive last (after the rows and the booking locks, the order everything else takes them; decision 299):
        // every save of an appointment's client takes it shared (the trigger on appointments), so a booking of the
        // merged-away client either committed before this (and is moved below) or sees the record from the commit on
        // and is refused. The first record stays (a repeat, the merge's second move and the event's sweep, changes
        // nothing); the kept client is no merged-away one any more (a record left by a merge whose last commit failed,
        // now kept in a merge the other way round); and whoever was merged into the merged-away client is now merged into
        // the kept one, so a refusal names a client that exists after A→B then B→C. One round trip: one command.
        var mergeLock = AppointmentsDbContext.MergeLockKey(db.TenantId);
        await db.Database.ExecuteSqlAsync($"""
            SELECT pg_advisory_xact_lock(hashtextextended({mergeLock}, 0));
            INSERT INTO appointments.merged_clients (tenant_id, client_id, kept_client_id, merged_at)
            VALUES ({db.TenantId}, {command.FromClientId}, {command.ToClientId}, now()) ON CONFLICT DO NOTHING;
            DELETE FROM appointments.merged_clients WHERE tenant_id = {db.TenantId} AND client_id = {command.ToClientId} AND kept_client_id = {command.FromClientId};
            UPDATE appointments.merged_clients SET kept_client_id = {command.ToClientId}
             WHERE tenant_id = {db.TenantId} AND kept_client_id = {command.FromClientId} AND client_id <> {command.ToClientId}
            """, cancellationToken);
        if (command.CombinedPets is { Count: > 0 } combined)
        {
            // Pets staff combined (decision 306): the merged-away pet's appointments name the kept pet, in this transaction,
            // before the client moves (so only the merged-away client's rows are read). One statement for all of them;
            // it names no client_id, so the merge trigger (decision 299) has nothing to judge.
            var from = combined.Select(c => c.FromPetId).ToArray();
            var into = combined.Select(c => c.IntoPetId).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                UPDATE appointments.appointments a SET pet_id = m.into_id
                  FROM unnest({from}, {into}) AS m(from_id, into_id)
                 WHERE a.tenant_id = {db.TenantId} AND a.client_id = {command.FromClientId} AND a.pet_id = m.from_id
                """, cancellationToken);
        }

        var moved = await db.Appointments.Where(a => a.ClientId == command.FromClientId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ClientId, command.ToClientId), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return moved;
    }
}

/// <summary><see cref="ForgetClientMerge"/>: one DELETE of the record, under the tenant (and row-level security).</summary>
public sealed class ForgetClientMergeHandler(AppointmentsDbContext db) : ICommandHandler<ForgetClientMerge, int>
{
    public async ValueTask<int> Handle(ForgetClientMerge command, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"""
            DELETE FROM appointments.merged_clients
             WHERE tenant_id = {db.TenantId} AND client_id = {command.FromClientId} AND kept_client_id = {command.ToClientId}
            """, cancellationToken);
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
/// moved them twice itself. Since decision 299 a booking for the old record can no longer be saved after the merge's
/// first move (the trigger on appointments refuses it under the client's booking lock), so this finds nothing; it stays
/// as a cheap guard for rows written before that. Idempotent: a repeat finds nothing left to move.
/// </summary>
public sealed class ClientsMergedSweep(ISender sender) : INotificationHandler<ClientsMerged>
{
    public async ValueTask Handle(ClientsMerged notification, CancellationToken cancellationToken) =>
        await sender.Send(new MoveClientAppointments(notification.AwayId, notification.KeepId), cancellationToken);
}
