using Booking.Appointments.Contracts;
using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;

namespace Booking.Appointments.Features.Scheduling;

/// <summary>
/// Where to move an appointment (decision 282). Diary: the diary to move it to; null with <paramref name="AnyDiary"/>
/// false = its current diary, with it true = any diary that offers the service at that time (its current one first).
/// ClientId: a client's move (the portal), held to the online offer as a booking is; null for staff, who may move it to
/// any time of an active diary. Admit: the caller's rules about the appointment as read under its row lock (status,
/// window, ownership); it throws the refusal.
/// </summary>
/// <remarks>
/// Limit: a client's moves limit (decision 326, <c>RecentMovesLimit</c>), read in the move's transaction under the
/// client's lock and answered right after <c>Admit</c> (decision 335); null: not limited.
/// </remarks>
public sealed record MoveOrder(
    Guid AppointmentId, Instant Start, Guid? DiaryId, bool AnyDiary, Guid? ClientId, Guid? StaffId, Action<Appointment> Admit)
{
    /// <summary>Where the caller saw the appointment (decision 288); null: no check. Judged under the row lock.</summary>
    public MoveExpectation? Expected { get; init; }

    /// <summary>The client's moves limit (a client's move only), checked under the client's lock; null: none.</summary>
    public RollingCheck? Limit { get; init; }

    /// <summary>
    /// A client's move of an appointment whose service is no longer bookable online: the refusal's words, which send the
    /// client to the business only where it gave a contact (<c>PortalMoves.ServiceGone</c>); null: the words with the contact.
    /// </summary>
    public string? ServiceGoneWords { get; init; }
}

/// <summary>The start and/or diary a caller saw the appointment at when it chose the new time (each null: not checked).</summary>
public sealed record MoveExpectation(Instant? Start, Guid? DiaryId)
{
    public bool Matches(Appointment a) => (Start is null || Start == a.StartAt) && (DiaryId is null || DiaryId == a.DiaryId);
}

/// <summary>What a move did: the appointment as it is now, and whether it moved (false: it was already there, a no-op).</summary>
public sealed record MoveResult(Appointment Appointment, bool Moved);

public sealed partial class BookingDesk
{
    /// <summary>
    /// Moves one appointment in ONE transaction: its row is read under a row lock (so two moves take turns; a cancel,
    /// outcome or pet change read before a move commits finds the move count changed and runs again on the moved
    /// appointment: <c>MoveCount</c> is a concurrency token), the caller's rules are applied to what is there, and its start, end, buffer and diary change in
    /// place, so the exclusion constraint judges the new time exactly as it judges a booking (a refusal is 409
    /// <c>slot-conflict</c>, with nothing changed: the transaction rolls back) and the old time is free the moment it
    /// commits. The appointment keeps its id, its length and buffer as booked, its kept cancellation terms and price.
    /// A client's move is held to the online offer as a booking is (<see cref="CandidateDiariesAsync"/>: notice, horizon,
    /// online hours, grid, the service bookable online; busy blocks; the client's own other appointments at that time).
    /// </summary>
    public async Task<MoveResult> MoveAsync(MoveOrder order, CancellationToken ct)
    {
        var online = order.ClientId is not null;
        // A client's move judged on hours read again from the database (decision 353): after its client statement found
        // another hours version than the one its cached hours were asked at.
        var freshHours = false;
        db.Database.AutoSavepointsEnabled = true; // a refused save rolls back to its savepoint; the next diary is tried
        await using (await db.HoldConnectionAsync(ct))
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                try
                {
                    var a = await LockAsync(order.AppointmentId, ct);
                    if (a is null || (order.ClientId is { } owner && a.ClientId != owner))
                    {
                        // Not the client's (any more: merged away meanwhile, the row read after the merge's move, is 401).
                        throw order.ClientId is { } client ? await Features.ClientMerge.MergedAwayClients.NotYoursAsync(db, client, ct) : ProblemException.NotFound();
                    }

                    if (a.Status == AppointmentStatus.Confirmed && order.Start == a.StartAt && (order.AnyDiary || (order.DiaryId ?? a.DiaryId) == a.DiaryId))
                    {
                        // Already there (a repeat of a move that was made): a no-op, before the rules for a move, which a
                        // time now inside the window would refuse. Rolled back: nothing was written.
                        return new MoveResult(a, false);
                    }

                    order.Admit(a);
                    var length = a.EndAt - a.StartAt;
                    var buffer = a.BlockedUntil - a.EndAt;
                    var end = order.Start + length;
                    var blockedUntil = end + buffer;
                    // A client's move takes the client's lock here: its moves limit is read (and answered now, after the
                    // appointment's own rules, as before) and its own overlap (answered below, where it was) in one
                    // statement under it. The hours version of the cached roster is asked first (decision 353, as a
                    // booking's, decision 347): the statement compares it under the hours lock, so the online hours read
                    // below from the cache are never older than the hours in force while the move holds that lock (a save
                    // committed on another instance reaches this one's cache only when its notification arrives).
                    // Cached: no statement (fresh: this instance's roster read again first).
                    var clash = online ? await LockClientAsync(a, order, end, await sender.Send(new GetHoursVersion(freshHours), ct), ct) : null;
                    if (order.Expected is { } expected && !expected.Matches(a))
                    {
                        // Moved (or changed diary) since the caller looked: a stale page must not move it again unseen.
                        throw Features.Moves.PortalMoves.Changed();
                    }

                    var service = await sender.Send(new GetService(a.ServiceId), ct)
                        ?? throw SchedulingProblems.SlotUnavailable("This service cannot be booked.");

                    List<Guid> candidates;
                    if (online)
                    {
                        if (service.Retired || !service.BookableOnline)
                        {
                            throw SchedulingProblems.SlotUnavailable(order.ServiceGoneWords ?? Features.Moves.PortalMoves.ServiceGone(contactable: true, ""));
                        }

                        // The appointment's own length and buffer, on the business's grid, notice and horizon (as a booking).
                        var rules = await schedule.RulesAsync(service, ct) with { ServiceDuration = length, BufferAfter = buffer };
                        Guid? chosen = order.AnyDiary ? null : order.DiaryId ?? a.DiaryId;
                        var asBooking = new BookingOrder(a.ClientId, a.PetId, a.ServiceId, chosen, order.Start, Online: true, a.Status, a.Source, null, null);
                        if (order.Start == a.StartAt && (chosen ?? a.DiaryId) == a.DiaryId)
                        {
                            return new MoveResult(a, false); // already there (rolled back: nothing was written)
                        }

                        candidates = await CandidateDiariesAsync(asBooking, service, rules, ct);
                        var blocked = await schedule.BusyBlockDiariesAsync(candidates, order.Start, blockedUntil, ct);
                        candidates = candidates.Where(d => !blocked.Contains(d)).OrderBy(d => d == a.DiaryId ? 0 : 1).ToList();
                        if (clash is not null)
                        {
                            throw SchedulingProblems.OwnOverlap(clash);
                        }
                    }
                    else
                    {
                        var target = order.DiaryId ?? a.DiaryId;
                        if (order.Start == a.StartAt && target == a.DiaryId)
                        {
                            return new MoveResult(a, false);
                        }

                        var diaries = await sender.Send(new GetDiaries([target]), ct);
                        if (!diaries.Any(d => d.Active))
                        {
                            throw ProblemException.Invalid("diaryId", diaries.Count == 0 ? "No such diary." : "This diary is inactive.");
                        }

                        candidates = [target];
                    }

                    var now = schedule.Now;
                    var (fromStart, fromEnd, fromDiary) = (a.StartAt, a.EndAt, a.DiaryId);
                    foreach (var diaryId in candidates)
                    {
                        a.DiaryId = diaryId;
                        a.StartAt = order.Start;
                        a.EndAt = end;
                        a.BlockedUntil = blockedUntil;
                        a.MovedAt = now;
                        a.MovedBy = online ? "client" : "staff";
                        a.MovedByStaffId = online ? null : order.StaffId;
                        a.MovedFromStartAt = fromStart;
                        a.MovedFromDiaryId = fromDiary;
                        a.MoveCount++;
                        a.UpdatedAt = now;
                        if (online)
                        {
                            // Each client move kept, for the client's moves limit (decision 326: RecentMovesLimit).
                            db.ClientMoves.Add(new ClientMove { Id = Guid.CreateVersion7(), AppointmentId = a.Id, MovedAt = now });
                        }

                        db.Publish(new AppointmentMoved(
                            Guid.CreateVersion7(), a.TenantId != Guid.Empty ? a.TenantId : db.TenantId, a.Id, a.ClientId, a.PetId, a.DiaryId, a.ServiceId,
                            a.StartAt.ToDateTimeOffset(), a.EndAt.ToDateTimeOffset(), fromDiary, fromStart.ToDateTimeOffset(), fromEnd.ToDateTimeOffset(),
                            online ? ChangeSources.Portal : ChangeSources.Staff, now.ToDateTimeOffset(), a.Note, a.CancellationHours, a.CancellationInsideWindow));
                        idempotency.MarkBooked(a.Id); // a claimed Idempotency-Key names the appointment it moved
                        try
                        {
                            using (await turns.EnterAsync(db.TenantId, diaryId, ct))
                            {
                                await db.SaveChangesAsync(ct);
                            }
                        }
                        catch (DbUpdateException ex) when (ex.IsOverlap())
                        {
                            // Rolled back to the save's savepoint: the row is as it was. Read again (still locked) for the next diary.
                            db.ChangeTracker.Clear();
                            a = await LockAsync(order.AppointmentId, ct) ?? throw ProblemException.NotFound();
                            continue;
                        }

                        await transaction.CommitAsync(ct);
                        outbox.Nudge(typeof(AppointmentsDbContext)); // the save's own nudge came before the commit
                        return new MoveResult(a, true);
                    }

                    throw SchedulingProblems.SlotConflict(online
                        ? "That time is no longer free. Choose another time; your appointment stays as it was."
                        : "Another appointment holds that time. Choose another time; the appointment stays where it was.");
                }
                catch (Exception ex) when (ex.IsTransient() && attempt < MaxAttempts)
                {
                    db.ChangeTracker.Clear();
                    await transaction.RollbackAsync(CancellationToken.None);
                    await Task.Delay(Random.Shared.Next(5, 20 * attempt), ct);
                }
                catch (HoursChangedProblem) when (!freshHours)
                {
                    // A save that cut the business's hours committed before this move's client statement was granted the
                    // hours lock, and the cached hours are older than it (decision 353): nothing was written; the move is
                    // judged once more from the start on hours read from the database. A second change in that moment is
                    // answered as it is (409 slot-unavailable, choose again), as a booking's (decision 347).
                    db.ChangeTracker.Clear();
                    await transaction.RollbackAsync(CancellationToken.None);
                    freshHours = true;
                }
                catch
                {
                    db.ChangeTracker.Clear(); // nothing of a refused or failed move stays tracked (the transaction rolls back)
                    throw;
                }
            }
        }
    }

    /// <summary>The appointment, tracked, under a row lock held until the transaction ends (tenant-filtered as every read).</summary>
    private Task<Appointment?> LockAsync(Guid id, CancellationToken ct) =>
        db.Appointments.FromSqlInterpolated($"SELECT * FROM appointments.appointments WHERE tenant_id = {db.TenantId} AND id = {id} FOR UPDATE")
            .FirstOrDefaultAsync(ct);

    /// <summary>
    /// A client's move takes the same advisory lock on the client that portal bookings take (<see cref="CheckLimitAsync"/>),
    /// held until the move's transaction ends, so a booking and a move of one client, and moves of one client sent at once,
    /// take turns. Under it, one statement reads (1) where <see cref="MoveOrder.Limit"/> is given, the moved_at of the
    /// client's Count-th most recent move in the window (the client's moves limit, decision 326; null while fewer), answered
    /// here with its refusal, so moves sent at once each count the ones before them (decision 335: before, the count was
    /// read ahead of the transaction and moves at once all passed it); (2) the client's own live appointment the new time
    /// (start to end, buffer not counted) overlaps, in any diary, returned for the caller to answer
    /// <see cref="SchedulingProblems.OwnOverlap"/> where it always did (after the time's own checks); another pet of a pet
    /// business is no overlap. One round trip: the lock and the read go as two statements of one command, the read a
    /// statement of its own so it sees what was committed while the lock was waited for; its text a constant, every
    /// value a parameter (decision 247), as the booking's limit statement.
    /// </summary>
    /// <remarks>
    /// <paramref name="hoursVersion"/>: the cached roster's hours version, asked before the move reads the online hours; the
    /// statement reads the version in force under the hours lock as one column more, and another one throws
    /// <see cref="HoursChangedProblem"/> before anything else is answered or written (decision 353).
    /// </remarks>
    private async Task<OwnClash?> LockClientAsync(Appointment a, MoveOrder order, Instant end, long hoursVersion, CancellationToken ct)
    {
        var limit = order.Limit;
        var now = schedule.Now;
        // Numbered as the booking's statement numbers them, so both use one own-overlap text (decision 341); the locks' keys
        // are where LockParameters.Move says ({11} the hours lock's here, {13} in the booking's), checked before sending.
        object[] parameters = [db.TenantId, a.ClientId, a.Id, limit is not null, limit?.Limit.Since(now) ?? now, order.Start, end, a.PetId ?? Guid.Empty,
            a.PetId is not null, LockKey(a.ClientId), limit?.Limit.Skip ?? 0, TransactionLocks.HoursKey(db.TenantId)];
        LockParameters.Move.Check(parameters);
        var command = db.GetService<IRawSqlCommandBuilder>().Build(ClientMoveSql, parameters, db.Model);
        Instant? counted;
        OwnClash? clash;
        long inForce;
        await using (var reader = await command.RelationalCommand.ExecuteReaderAsync(
            new RelationalCommandParameterObject(db.GetService<IRelationalConnection>(), command.ParameterValues, null, db,
                db.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.FromSqlQuery), ct))
        {
            var rows = reader.DbDataReader;
            // The locks' statements answer one row each (void); the read is the third statement's one row.
            if (!await rows.NextResultAsync(ct) || !await rows.NextResultAsync(ct) || !await rows.ReadAsync(ct))
            {
                throw new InvalidOperationException("The move's client statement answered no row.");
            }

            counted = rows.IsDBNull(0) ? null : rows.GetFieldValue<Instant>(0);
            clash = rows.IsDBNull(1)
                ? null
                : new OwnClash(rows.GetFieldValue<Guid>(1), rows.GetFieldValue<Guid>(2), rows.GetFieldValue<Instant>(3), rows.GetFieldValue<Instant>(4),
                    rows.IsDBNull(5) ? null : rows.GetFieldValue<Guid>(5));
            inForce = rows.GetInt64(6);
        }

        // The hours the move is about to read from the cache are older than a save that cut them and committed before this
        // statement's hours lock was granted (decision 353): MoveAsync judges the move again on fresh hours.
        if (inForce != hoursVersion)
        {
            throw new HoursChangedProblem();
        }

        if (limit is not null && counted is { } at)
        {
            throw limit.Refusal(at); // moved too often lately (decision 326): moveAgainAt, that move plus the window
        }

        return clash;
    }

    /// <summary>
    /// <see cref="LockClientAsync"/>'s three statements: the booking's locks (<see cref="LockSql"/>: the business's hours
    /// lock SHARED, decision 342, taken before the move reads the online hours, so a save cutting them waits for the move
    /// and lists it; then the client's lock), then the read. Parameters, numbered as the booking's limit statement numbers
    /// them: {0} tenant, {1} client, {2} the appointment moved, {3} whether the moves limit applies, {4} the start of its
    /// window, {5}–{6} the new start and end, {7} the pet (or empty), {8} whether it is for a pet, {9} the client lock's key,
    /// {10} how many of the most recent moves to skip (the count less one), {11} the hours lock's key
    /// (<see cref="TransactionLocks.HoursKey"/>, {13} in the booking's). The own overlap is <see cref="OwnLiveSql"/> and
    /// <see cref="OwnClashSql"/>, the booking's very text, and the earliest is named (start, then id, as the booking names it).
    /// The last column is the business's hours version in force (<see cref="HoursVersionSql"/>, the booking's very text;
    /// decision 353).
    /// </summary>
    private static readonly string ClientMoveSql = LockSql(LockParameters.Move) + """
        SELECT (SELECT m.moved_at FROM appointments.client_moves m
                JOIN appointments.appointments o ON o.tenant_id = m.tenant_id AND o.id = m.appointment_id
                WHERE {3} AND o.tenant_id = {0} AND o.client_id = {1} AND m.tenant_id = {0} AND m.moved_at > {4}
                ORDER BY m.moved_at DESC OFFSET {10} LIMIT 1) AS counted_move,
               c.id, c.service_id, c.start_at, c.end_at, c.pet_id,
        """ + "\n       " + HoursVersionSql + "\n" + """
        FROM (SELECT 1) AS one
        LEFT JOIN LATERAL (SELECT o.id, o.service_id, o.start_at, o.end_at, o.pet_id FROM appointments.appointments o
                           WHERE o.tenant_id = {0} AND o.client_id = {1} AND o.id <> {2}
        """ + "\n  AND " + OwnLiveSql + " AND " + OwnClashSql + "\n"
        + "ORDER BY o.start_at, o.id LIMIT 1) AS c ON true\n";
}
