using Booking.Appointments.Contracts;
using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.Idempotency;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Time;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using NodaTime;

namespace Booking.Appointments.Features.Scheduling;

/// <summary>
/// What to book. DiaryId null = any diary that provides the service. Online = a client's booking, held to the roster.
/// Limit: how much of the business's time the client may hold (portal bookings; null for staff, who are never refused).
/// ClientAwaitingFirstRequest: as the client's read said (<c>ClientView.AwaitingFirstRequest</c>), for the event.
/// ExpectedPrice: the price the client was shown; another price now refuses the booking (<see cref="PriceChangedProblem"/>).
/// Policy: the cancellation policy the booking keeps (the portal's read of the settings; null: read here).
/// Pet: the pet <see cref="BookingOrder.PetId"/> names, as the portal's read of the client found it: an online booking for
/// it is refused when the service is for other animals (<see cref="SpeciesFit"/>, decision 358); null for staff, who may
/// book anything.
/// </summary>
public sealed record BookingOrder(
    Guid ClientId, Guid? PetId, Guid ServiceId, Guid? DiaryId, Instant Start, bool Online, string Status, string Source,
    int? AcceptedTermsVersion, string? Note, BookingLimit? Limit = null, bool? ClientAwaitingFirstRequest = null, Guid? BookedByStaffId = null,
    Money? ExpectedPrice = null, CancellationPolicyView? Policy = null, Booking.PortalAuth.Contracts.PetView? Pet = null);

/// <summary>
/// 409 <c>changed-meanwhile</c> with <c>reason</c> <c>price-changed</c>: the service costs another price than the one the
/// client was shown (<see cref="BookingOrder.ExpectedPrice"/>); nothing is booked. <c>price</c> is the price now; the
/// portal's handler words it with the service's name.
/// </summary>
public sealed class PriceChangedProblem : ProblemException
{
    public const string Reason = "price-changed";

    public PriceChangedProblem(Money now, string detail = "The price of this service has changed since you chose it. Nothing was booked: book again at the new price.")
        : base(ProblemKinds.ChangedMeanwhile, 409, "The price has changed", detail)
    {
        Price = now;
        Extensions["reason"] = Reason;
        Extensions["price"] = new { amount = now.Format(), currency = now.Currency };
    }

    public Money Price { get; }

    /// <summary>The same price: the same amount (45 is 45.00) in the same currency.</summary>
    public static bool Same(Money expected, Money now) =>
        expected.Amount == now.Amount && string.Equals(expected.Currency, now.Currency, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// 409 <c>changed-meanwhile</c> with <c>reason</c> <c>client-merged</c> and <c>keptClientId</c> (decision 299): the client
/// the booking names was merged into another record while it was being made (the merge's move had recorded it, and the
/// database's trigger refused the save under the client's booking lock); nothing is booked. Staff book again for the
/// kept record; a portal booking answers 401 instead (the merge ended the merged-away client's sessions).
/// </summary>
public sealed class ClientMergedProblem : ProblemException
{
    public const string Reason = "client-merged";

    public ClientMergedProblem(Guid? keptClientId)
        : base(ProblemKinds.ChangedMeanwhile, 409, "The client was merged",
            "This client's record was merged into another one while the booking was being made. Nothing was booked: book again for the client's kept record.")
    {
        KeptClientId = keptClientId;
        Extensions["reason"] = Reason;
        Extensions["keptClientId"] = keptClientId;
    }

    public Guid? KeptClientId { get; }

    /// <summary>
    /// The save was refused by the trigger <see cref="AppointmentsDbContext.ClientMergedCheck"/>; its message ends with
    /// the kept client's id (the message, not the detail: Npgsql hides a server error's detail by default).
    /// </summary>
    public static bool Refused(Exception ex, out Guid? keptClientId)
    {
        keptClientId = null;
        if (ex.PostgresError() is not { SqlState: PostgresErrorCodes.RaiseException, ConstraintName: AppointmentsDbContext.ClientMergedCheck } pg)
        {
            return false;
        }

        if (pg.MessageText.Length >= 36 && Guid.TryParse(pg.MessageText[^36..], out var kept))
        {
            keptClientId = kept;
        }

        return true;
    }
}

/// <summary>
/// A client's limit, checked when the booking is saved (<see cref="BookingDesk"/>): Upcoming, the most live appointments
/// (requested or confirmed, starting after now, whoever booked them) the client may hold; WaitingRequests, when not null,
/// the most requests of theirs that may wait for the business. Refusal makes the problem to answer: true when it is the
/// requests' limit that was reached; then how many upcoming appointments the client holds. Churn, when not null, the
/// client's book-and-cancel limit (decision 322), counted by the same statement under the same lock.
/// </summary>
public sealed record BookingLimit(int Upcoming, int? WaitingRequests, Func<bool, int, ProblemException> Refusal, RollingCheck? Churn = null)
{
    /// <summary>
    /// The rule, for a client holding <paramref name="held"/> upcoming appointments of which <paramref name="waiting"/>
    /// are requests: 0 free to book, 1 the upcoming limit reached, 2 the waiting requests' (the limit statement in
    /// <see cref="BookingDesk"/> decides the same under its lock; the portal's pages ask <see cref="Reached"/> beforehand).
    /// </summary>
    public int Verdict(long held, long waiting) => held >= Upcoming ? 1 : waiting >= (WaitingRequests ?? int.MaxValue) ? 2 : 0;

    /// <summary>The refusal a booking would meet now (<see cref="Verdict"/>), or null while the client may book.</summary>
    public ProblemException? Reached(long held, long waiting) =>
        Verdict(held, waiting) is not 0 and var v ? Refusal(v == 2, (int)held) : null;
}

/// <summary>The client's own live appointment a portal booking overlaps (<see cref="SchedulingProblems.OwnOverlap"/>).</summary>
public sealed record OwnClash(Guid Id, Guid ServiceId, Instant Start, Instant End, Guid? PetId = null);

/// <summary>409 <c>own-appointment-overlap</c>, carrying the client's own appointment it met (the portal names it).</summary>
public sealed class OwnOverlapProblem(OwnClash? clash) : ProblemException(ProblemKinds.OwnAppointmentOverlap, 409,
    "You already have an appointment at this time", "You already have an appointment at this time. Choose another time, or see your appointments.")
{
    public OwnClash? Clash { get; } = clash;
}

public static class SchedulingProblems
{
    public static ProblemException SlotConflict(string detail = "That time is no longer free: another appointment or busy time holds it. Choose another time.") =>
        new(ProblemKinds.SlotConflict, 409, "That time is taken", detail);

    /// <summary>
    /// 409 <c>own-appointment-overlap</c>: a portal booking at a time the client already has a live appointment of their
    /// own (docs/api-additions.md). Pet businesses may book several pets at once: for another pet it is not refused.
    /// </summary>
    /// <paramref name="clash"/>: the client's own appointment at that time, which the portal names (never another's).
    public static OwnOverlapProblem OwnOverlap(OwnClash? clash = null) => new(clash);

    public static ProblemException SlotUnavailable(string detail = "That time isn't one of the free times offered for booking online. Choose another time.") =>
        new(ProblemKinds.SlotUnavailable, 409, "That time cannot be booked", detail);

    public static bool IsOverlap(this DbUpdateException ex) =>
        ex.PostgresError() is { SqlState: PostgresErrorCodes.ExclusionViolation };

    /// <summary>
    /// Concurrent inserts that overlap each other can deadlock inside the exclusion constraint's check (each waits
    /// for the other's uncommitted row); PostgreSQL aborts one. That loser has not been refused by a committed
    /// booking, so it is tried again rather than answered 500 or guessed to be a conflict. Npgsql's execution
    /// strategy hands it over wrapped in an InvalidOperationException, so the whole chain is looked at.
    /// </summary>
    public static bool IsTransient(this Exception ex) =>
        ex.PostgresError() is { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    /// <summary>
    /// The save or its commit failed with no answer from the server (the connection broke, a timeout): unlike the errors
    /// above, which PostgreSQL sends only for a transaction it rolled back, this one may come after the commit was done.
    /// </summary>
    public static bool IsOutcomeUnknown(this Exception ex) =>
        ex.PostgresError() is null && ex.Chain().Any(e => e is NpgsqlException or TimeoutException or IOException);

    /// <summary>
    /// 503 <c>booking-not-saved</c> (docs/api-additions.md): the save's connection failed and the booking was not found
    /// when read back (or the read-back ran out of time). A commit that became visible only after the read-back is
    /// possible, so the words send the reader to look before booking again (<paramref name="online"/>: a client, who
    /// looks in My appointments; else staff, who look in the diary). The same request with the same Idempotency-Key is
    /// safe either way: it answers the booking once it is there, else books it.
    /// </summary>
    public static ProblemException NotSaved(bool online) =>
        new(ProblemKinds.BookingNotSaved, 503, "The booking may not have been saved",
            "The connection to the database failed while this booking was being saved, so we could not confirm it. "
            + (online
                ? "Check My appointments before you try again: if it is there, you are booked."
                : "Check the diary before you try again: if it is there, it is booked.")) { RetryAfterSeconds = 2 };

    private static IEnumerable<Exception> Chain(this Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}

/// <summary>
/// Books an appointment. The server re-checks that a client's start is an offered slot (roster online hours, grid,
/// notice, horizon, a bookable service the diary provides); overlaps are left to the exclusion constraint alone,
/// whose violation becomes 409 slot-conflict. With "any diary", each free candidate is tried in turn.
/// </summary>
public sealed partial class BookingDesk(
    AppointmentsDbContext db, ISender sender, Schedule schedule, DiaryTurns turns, IdempotentRequests idempotency, Booking.BuildingBlocks.Outbox.OutboxSignal outbox,
    ReadBack readBack, ILogger<BookingDesk> logger)
{
    private const int MaxAttempts = 5;

    public async Task<(Appointment Appointment, ServiceView Service)> BookAsync(BookingOrder order, CancellationToken ct)
    {
        try
        {
            return await BookOnceAsync(order, freshHours: false, ct);
        }
        catch (HoursChangedProblem)
        {
            // A save that cut the business's hours committed between this booking's cached read of them and its limit
            // statement's hours lock (decision 347): judged once more, on hours read from the database. A second change
            // in that moment is answered as it is (409 slot-unavailable, choose again).
            return await BookOnceAsync(order, freshHours: true, ct);
        }
    }

    private async Task<(Appointment Appointment, ServiceView Service)> BookOnceAsync(BookingOrder order, bool freshHours, CancellationToken ct)
    {
        var service = await sender.Send(new GetService(order.ServiceId), ct)
            ?? throw ProblemException.Invalid("serviceId", "No such service.");
        if (service.Retired || (order.Online && !service.BookableOnline))
        {
            throw SchedulingProblems.SlotUnavailable("This service cannot be booked.");
        }

        if (order is { Online: true, Pet: { } pet } && !SpeciesFit.Fits(service.ForSpecies, pet.Species))
        {
            // The service is for other animals (decision 358): the service is the field to change, whatever the time.
            // Known from the cached service and the client's own read: no statement of its own.
            throw ProblemException.Invalid("serviceId", $"{SpeciesFit.IsFor(service.Name, service.ForSpecies)} Choose another service for {pet.Name}.");
        }

        if (order.ExpectedPrice is { } expected && !PriceChangedProblem.Same(expected, service.Price))
        {
            throw new PriceChangedProblem(service.Price);
        }

        // What the client is held to and was quoted, kept with the appointment (decision 270).
        var policy = order.Policy ?? (await sender.Send(new GetPortalSettings(), ct)).CancellationPolicy;

        // The hours version of the cached roster, asked before its hours are (decision 347): the limit statement compares
        // it under the hours lock. Cached, no statement (fresh: this instance's roster read again first).
        long? hoursVersion = order is { Online: true, Limit: not null } ? await sender.Send(new GetHoursVersion(freshHours), ct) : null;
        var rules = await schedule.RulesAsync(service, ct);
        var candidates = await CandidateDiariesAsync(order, service, rules, ct);
        var end = order.Start + rules.ServiceDuration;
        var blockedUntil = order.Start + rules.Occupies;

        // One connection for the checks and the insert: its tenant setting rides along with the first query and the
        // save finds it already set (a connection opened per statement would set it, and be reset, each time).
        await using (await db.HoldConnectionAsync(ct))
        {
            // Busy blocks are not in the constraint's table, so a client's booking checks them here (staff may book over
            // their own blocks). With "any diary", diaries with anything in the span (appointments or blocks, one
            // query) are skipped; a chosen diary is tried and the constraint decides. A chosen diary's blocks are
            // looked at with the limit's count where there is one (no round trip of their own), else here.
            var ordered = candidates;
            var blocksWithLimit = false;
            if (order.DiaryId is null)
            {
                // Staff's "any" counts a busy block only where the appointment itself is (not in its buffer), as the check's
                // busy-time does: what /check calls free, "any" takes (decision 341). A client's is held to the whole span.
                var taken = (await schedule.BusyAsync(candidates, order.Start, blockedUntil, ct, blocksUntil: order.Online ? null : end))
                    .Select(b => b.DiaryId).ToHashSet();
                ordered = ordered.Where(d => !taken.Contains(d)).ToList();
            }
            else if (order.Online && order.Limit is not null && candidates.Count == 1)
            {
                blocksWithLimit = true;
            }
            else if (order.Online)
            {
                var blocks = await schedule.BusyBlockDiariesAsync(candidates, order.Start, blockedUntil, ct);
                ordered = ordered.Where(d => !blocks.Contains(d)).ToList();
            }

            var now = schedule.Now;
            foreach (var diaryId in ordered)
            {
                var appointment = new Appointment
                {
                    Id = Guid.CreateVersion7(),
                    ClientId = order.ClientId,
                    PetId = order.PetId,
                    DiaryId = diaryId,
                    ServiceId = service.Id,
                    StartAt = order.Start,
                    EndAt = end,
                    BlockedUntil = blockedUntil,
                    Status = order.Status,
                    Source = order.Source,
                    AcceptedTermsVersion = order.AcceptedTermsVersion,
                    Note = string.IsNullOrWhiteSpace(order.Note) ? null : order.Note.Trim(),
                    CreatedAt = now,
                    UpdatedAt = now,
                    RequestedAt = order.Status == AppointmentStatus.Requested ? now : null,
                    BookedByStaffId = order.Online ? null : order.BookedByStaffId,
                    CancellationHours = policy.Hours,
                    CancellationInsideWindow = policy.InsideWindow,
                    PriceAmount = service.Price.Amount,
                    PriceCurrency = service.Price.Currency,
                };
                for (var attempt = 1; ; attempt++)
                {
                    // With a limit, the count and the insert are one transaction under the client's lock (below).
                    // No savepoint before the save (its own round trip): a failed save leaves the transaction to roll back.
                    db.Database.AutoSavepointsEnabled = order.Limit is null;
                    var limited = order.Limit is not null ? await db.Database.BeginTransactionAsync(ct) : null;
                    try
                    {
                        if (order.Limit is { } limit)
                        {
                            await CheckLimitAsync(order, end, limit, now, blocksWithLimit ? (diaryId, order.Start, blockedUntil) : null, hoursVersion ?? 0, ct);
                        }

                        db.Appointments.Add(appointment);
                        db.Publish(AppointmentEvents.Created(appointment, db, order.ClientAwaitingFirstRequest));
                        idempotency.MarkBooked(appointment.Id);
                        using (await turns.EnterAsync(db.TenantId, diaryId, ct))
                        {
                            await db.SaveChangesAsync(ct);
                        }

                        if (limited is not null)
                        {
                            await limited.CommitAsync(ct);
                            outbox.Nudge(typeof(AppointmentsDbContext)); // the save's own nudge came before the commit
                        }

                        return (appointment, service);
                    }
                    catch (Exception ex) when (ex.IsTransient() && attempt < MaxAttempts)
                    {
                        db.ChangeTracker.Clear();
                        if (limited is not null)
                        {
                            // Rolled back before the pause: the client's lock is not held while this attempt waits.
                            await limited.DisposeAsync();
                            limited = null;
                            db.Database.AutoSavepointsEnabled = true;
                        }

                        await Task.Delay(Random.Shared.Next(5, 20 * attempt), ct);
                    }
                    catch (Exception ex) when (ex.IsOutcomeUnknown())
                    {
                        // Never tried again with the same id: the first try may have committed. Whether it did is read.
                        db.ChangeTracker.Clear();
                        if (limited is not null)
                        {
                            await limited.DisposeAsync();
                            limited = null;
                            db.Database.AutoSavepointsEnabled = true;
                        }

                        if (!await IsSavedAsync(appointment.Id))
                        {
                            throw SchedulingProblems.NotSaved(order.Online);
                        }

                        outbox.Nudge(typeof(AppointmentsDbContext));
                        return (appointment, service);
                    }
                    catch (DbUpdateException ex) when (ClientMergedProblem.Refused(ex, out var kept))
                    {
                        // The client was merged away while this booking was made (decision 299): nothing is saved.
                        db.ChangeTracker.Clear();
                        throw new ClientMergedProblem(kept);
                    }
                    catch (DbUpdateException ex) when (ex.IsOverlap())
                    {
                        db.ChangeTracker.Clear();
                        break;
                    }
                    finally
                    {
                        if (limited is not null)
                        {
                            await limited.DisposeAsync(); // uncommitted (refused, failed): rolled back, nothing written
                            db.Database.AutoSavepointsEnabled = true;
                        }
                    }
                }
            }

            // Staff, who may read the diary, are told when only a buffer stands in the way (never a client: their answer
            // would speak of another's appointment). A staff "any" that found none free, or lost each to another booking
            // meanwhile, says so (decision 333).
            throw order is { Online: false, DiaryId: null }
                ? new NoFreeDiaryProblem(service.Name, offered: true)
                : !order.Online && ordered.Count == 1
                ? await StaffConflictAsync(ordered[0], order.Start, end, blockedUntil, service, ct)
                : SchedulingProblems.SlotConflict();
        }
    }

    /// <summary>
    /// Whether the appointment whose save lost its connection is there, read within <see cref="ReadBack.Bound"/> (not the
    /// request's token: a client that gave up still gets its booking answered for the Idempotency-Key's repeat). A read
    /// that fails or runs out of time counts as not found: the caller answers 503, which tells the reader to look first.
    /// </summary>
    private async Task<bool> IsSavedAsync(Guid appointmentId)
    {
        using var bound = new CancellationTokenSource(readBack.Bound);
        try
        {
            return await db.Appointments.AsNoTracking().AnyAsync(a => a.Id == appointmentId, bound.Token);
        }
        catch (Exception ex) when (bound.IsCancellationRequested || ex.IsOutcomeUnknown())
        {
            logger.LogWarning(ex, "The read-back of appointment {AppointmentId}, whose save lost its connection, gave up (bound {Seconds} s); answered booking-not-saved",
                appointmentId, readBack.Bound.TotalSeconds);
            return false;
        }
    }

    /// <summary>
    /// A staff booking refused by the exclusion constraint: where the appointments met overlap only through a buffer
    /// (this service's after its end, or another's after theirs), slot-conflict says so in plain words, with the time to
    /// choose instead; otherwise (or when nothing is found any more: freed meanwhile) the usual words.
    /// </summary>
    private async Task<ProblemException> StaffConflictAsync(Guid diaryId, Instant start, Instant end, Instant blockedUntil, ServiceView service, CancellationToken ct)
    {
        var met = await db.Appointments.AsNoTracking()
            .Where(a => a.DiaryId == diaryId && a.StartAt < blockedUntil && a.BlockedUntil > start
                && a.Status != AppointmentStatus.Cancelled && a.Status != AppointmentStatus.Declined)
            .OrderBy(a => a.StartAt).ToListAsync(ct);
        if (met.Count == 0)
        {
            // Freed between the refusal and this read: staff were never offered it as free, so no "no longer".
            return SchedulingProblems.SlotConflict(StaffHeldWords);
        }

        var settings = await sender.Send(new GetPortalSettings(), ct);
        var clock = TimeFormat.For(null, settings.TimeFormatInEffect);
        string At(Instant i) => clock.Time(i.InZone(schedule.Zone));
        string Minutes(Duration d) => d.TotalMinutes == 1 ? "1 minute" : $"{(long)d.TotalMinutes} minutes";
        if (met.FirstOrDefault(a => a.StartAt < end && a.EndAt > start) is { } holder)
        {
            // Staff may read the diary: name what holds the time (the client's name and service), as a busy block is named.
            var client = (await sender.Send(new Booking.PortalAuth.Contracts.GetClients([holder.ClientId]), ct)).FirstOrDefault()?.FullName;
            var held = holder.ServiceId == service.Id ? service.Name : (await sender.Send(new GetService(holder.ServiceId), ct))?.Name;
            var what = string.IsNullOrWhiteSpace(held) ? "appointment" : held;
            return SchedulingProblems.SlotConflict(
                $"{(string.IsNullOrWhiteSpace(client) ? "Another client" : client)}'s {what} {At(holder.StartAt)}–{At(holder.EndAt)} holds that time. Choose another time.");
        }
        if (met.FirstOrDefault(a => a.StartAt >= end) is { } next)
        {
            // This service's buffer runs into the next appointment.
            return SchedulingProblems.SlotConflict(
                $"The {Minutes(blockedUntil - end)} kept free after {service.Name} would overlap the next appointment at {At(next.StartAt)}. "
                + $"Start at {At(next.StartAt - (blockedUntil - start))} or earlier, or choose another time.");
        }

        var before = met.Last(a => a.EndAt <= start);
        var name = (await sender.Send(new GetService(before.ServiceId), ct))?.Name ?? "the appointment before";
        return SchedulingProblems.SlotConflict(
            $"The {Minutes(before.BlockedUntil - before.EndAt)} kept free after {name} (ending at {At(before.EndAt)}) run until {At(before.BlockedUntil)}. "
            + $"Start at {At(before.BlockedUntil)} or later, or choose another time.");
    }

    /// <summary>A staff booking's refusal when what held the time is gone by the time it is read.</summary>
    public const string StaffHeldWords = "Another appointment holds that time. Choose another time.";

    /// <summary>The detail of a client's booking with a diary that does not offer the service.</summary>
    public const string DiaryNotOffering = "That person doesn't offer this service online. Choose a time with anyone available, or another service.";

    /// <summary>
    /// <see cref="DiaryNotOffering"/> for a room's or equipment's diary (decision 292): what it is, by its name, rather
    /// than "that person".
    /// </summary>
    public static string ResourceNotOffering(string name) => $"{name} isn't available for this service online. Choose a time with any available, or another service.";

    /// <summary>
    /// The client's limit, counted under an advisory lock on the client held until this transaction ends, so portal
    /// bookings of one client at the same moment (another tab, a script, another instance) take turns and each counts
    /// the ones before it. One round trip: the lock and the count go as two statements of one command; the count is a
    /// statement of its own because, read committed, a statement sees what was committed when it began, and the lock
    /// may have been waited for. Counted by the (tenant, client, start) index. Only what is
    /// held counts: requested, confirmed and cancellation-requested appointments starting after now, booked by anyone (a
    /// cancellation asked for keeps its time until staff answer, so asking to cancel does not free a place).
    /// The same statement, under the same lock, looks for the client's own live appointment overlapping the new one's
    /// time (start to end, buffer not counted), so two bookings of one time sent at once (with different diaries: the
    /// exclusion constraint is per diary) cannot both pass: refused <see cref="SchedulingProblems.OwnOverlap"/>, unless
    /// both are for pets and the pets differ (a pet business books several pets at once).
    /// The same statement, under the same lock, reads the client's recent cancellations where the limit has a
    /// <see cref="BookingLimit.Churn"/> (decision 322; folded in here by decision 329, a round trip of its own before):
    /// the cancelled_at of the Max-th most recent of the client's own cancellations in the window, null while there are
    /// fewer. It is read after the lock is granted, so a cancellation committed while the booking waited its turn counts,
    /// and it is answered before anything else the statement finds, as it was when read first.
    /// <paramref name="blocks"/>: a chosen diary's span whose busy blocks the same statement looks at (a block there is
    /// a slot conflict, answered before the rest, as when they were read on their own before the transaction).
    /// The command's text is one of two constants and everything else is a parameter (the lock's key too), and it runs
    /// as a raw command through the context's connection and interceptors (the tenant setting rides along as with any
    /// read), not as a LINQ query: EF keys its query cache on a raw query's text, so a key written into the text (as a
    /// DO block once had it) compiled a new query for every client, and the text could never be auto-prepared
    /// (decision 247).
    /// </summary>
    private async Task CheckLimitAsync(BookingOrder order, Instant end, BookingLimit limit, Instant now, (Guid Diary, Instant Start, Instant End)? blocks,
        long hoursVersion, CancellationToken ct)
    {
        var clientId = order.ClientId;
        var waitingLimit = limit.WaitingRequests ?? int.MaxValue;
        var churn = limit.Churn;
        object[] parameters = [db.TenantId, clientId, now, limit.Upcoming, waitingLimit, order.Start, end, order.PetId ?? Guid.Empty, order.PetId is not null,
            LockKey(clientId), churn is not null, churn?.Limit.Since(now) ?? now, churn?.Limit.Skip ?? 0, TransactionLocks.HoursKey(db.TenantId)];
        if (blocks is { } b)
        {
            parameters = [.. parameters, b.Diary, b.Start, b.End];
        }

        LockParameters.Booking.Check(parameters);

        var command = db.GetService<IRawSqlCommandBuilder>().Build(blocks is null ? LimitSql : LimitWithBlocksSql, parameters, db.Model);
        LimitVerdict v;
        await using (var reader = await command.RelationalCommand.ExecuteReaderAsync(
            new RelationalCommandParameterObject(db.GetService<IRelationalConnection>(), command.ParameterValues, null, db,
                db.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.FromSqlQuery), ct))
        {
            var rows = reader.DbDataReader;
            // The locks' statements answer one row each (void); the verdict is the third statement's one row.
            if (!await rows.NextResultAsync(ct) || !await rows.NextResultAsync(ct) || !await rows.ReadAsync(ct))
            {
                throw new InvalidOperationException("The booking limit's statement answered no row.");
            }

            v = new LimitVerdict(
                rows.GetInt32(0),
                rows.IsDBNull(1) ? null : rows.GetFieldValue<Guid>(1),
                rows.IsDBNull(2) ? null : rows.GetFieldValue<Guid>(2),
                rows.IsDBNull(3) ? null : rows.GetFieldValue<Instant>(3),
                rows.IsDBNull(4) ? null : rows.GetFieldValue<Instant>(4),
                rows.IsDBNull(5) ? null : rows.GetFieldValue<Guid>(5),
                rows.GetInt64(6),
                rows.IsDBNull(7) ? null : rows.GetFieldValue<Instant>(7),
                rows.GetInt64(8));
        }

        // The hours it was judged on are older than a save that cut them and committed before this statement's hours lock
        // was granted (decision 347): nothing is written; BookAsync judges the time again on fresh hours.
        if (v.HoursVersion != hoursVersion)
        {
            throw new HoursChangedProblem();
        }

        // Booked and cancelled too often lately (decision 322): refused before anything else, as when it was read first.
        if (churn is not null && v.ChurnedAt is { } churnedAt)
        {
            throw churn.Refusal(churnedAt); // bookAgainAt: that cancellation plus the window (RollingLimit, decision 335)
        }

        switch (v.Value)
        {
            case 3:
                throw SchedulingProblems.SlotConflict();
            case 4:
                throw SchedulingProblems.OwnOverlap(new OwnClash(v.ClashId!.Value, v.ClashServiceId!.Value, v.ClashStart!.Value, v.ClashEnd!.Value, v.ClashPetId));
            case not 0 and var reached:
                throw limit.Refusal(reached == 2, (int)v.Held);
        }
    }

    /// <summary>The advisory lock's key for a client's portal bookings (hashed by PostgreSQL's hashtextextended, seed 0).</summary>
    private static string LockKey(Guid clientId) => $"{ClientLockPrefix}{clientId:D}";

    /// <summary>
    /// The start of <see cref="ClientLockKey"/>: a statement that knows the client only by its row writes the key as
    /// <c>{prefix} || client_id::text</c> (a uuid's text is its lowercase "D" form, as here; decision 347).
    /// </summary>
    public const string ClientLockPrefix = "portal-bookings:";

    /// <summary>
    /// <see cref="LockKey"/> for the client's own cancel (decision 342), which takes the same lock in its transaction
    /// after the appointment's row, so a booking's churn read and the client's cancellations take turns.
    /// </summary>
    public static string ClientLockKey(Guid clientId) => LockKey(clientId);

    /// <summary>
    /// The limit's three statements: the business's hours lock SHARED (decision 342: a save cutting the hours waits for
    /// this booking, and lists it; taken first, before the client's lock, the order every path keeps), the client's lock,
    /// then the verdict. Parameters {0}–{9}: tenant, client, now, the upcoming limit, the waiting limit, start, end, pet
    /// (or empty), whether a pet was named, the client lock's key; {10}–{12}: whether the churn limit applies, the start
    /// of its window, how many of the most recent cancellations to skip (its Max less one); {13}: the hours lock's key
    /// (<see cref="TransactionLocks.HoursKey"/>); with a chosen diary's blocks, {14}–{16}: diary, its span's start and end.
    /// </summary>
    private static string LockSql(LockParameters at) =>
        $"SELECT pg_advisory_xact_lock_shared(hashtextextended({{{at.HoursKey}}}, 0));\nSELECT pg_advisory_xact_lock(hashtextextended({{{at.ClientKey}}}, 0));\n";

    /// <summary>
    /// Where a statement that begins with <see cref="LockSql"/> keeps the two locks' keys among its parameters, by name
    /// (decision 347; before, the move's text was the booking's with "{13}" replaced by "{11}", which a renumbering would
    /// have broken without a word). Each statement's text is made from its own, and <see cref="Check"/> refuses, before the
    /// command is sent, parameters whose keys are not where the text reads them.
    /// </summary>
    private sealed record LockParameters(int ClientKey, int HoursKey)
    {
        /// <summary>The booking's limit statement: {9} the client lock's key, {13} the hours lock's.</summary>
        public static readonly LockParameters Booking = new(ClientKey: 9, HoursKey: 13);

        /// <summary>A client move's client statement (<c>ClientMoveSql</c>): {9} the client lock's key, {11} the hours lock's.</summary>
        public static readonly LockParameters Move = new(ClientKey: 9, HoursKey: 11);

        public void Check(object[] parameters)
        {
            if (parameters.ElementAtOrDefault(ClientKey) is not string client || !client.StartsWith(ClientLockPrefix, StringComparison.Ordinal)
                || parameters.ElementAtOrDefault(HoursKey) is not string hours || !hours.StartsWith(TransactionLocks.HoursKeyPrefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The locks' keys are not at {{{ClientKey}}} and {{{HoursKey}}} of the statement's parameters.");
            }
        }
    }

    /// <summary>
    /// <see cref="OwnOverlap"/> in SQL, the one text both the booking's verdict (<see cref="VerdictSql"/>) and a client's
    /// move (<c>ClientMoveSql</c>) use (decision 341): a live row of the client's (<see cref="OwnLiveSql"/>) whose time,
    /// start to end (buffer not counted), overlaps {5}–{6}, unless both are for pets and they differ ({8}: the new one is
    /// for a pet, {7}). Both statements number their parameters so, and name no table here (each reads one).
    /// </summary>
    private const string OwnClashSql = "start_at < {6} AND end_at > {5} AND (NOT {8} OR pet_id IS NULL OR pet_id = {7})";

    /// <summary>The statuses that hold a client's time (<see cref="OwnOverlap"/>'s live ones).</summary>
    private const string OwnLiveSql = "status IN ('requested', 'confirmed', 'cancellation-requested')";

    private const string VerdictSql = """
                    WHEN bool_or(own.clash) THEN 4
                    WHEN count(*) FILTER (WHERE start_at > {2}) >= {3} THEN 1
                    WHEN count(*) FILTER (WHERE start_at > {2} AND status = 'requested') >= {4} THEN 2
                    ELSE 0 END AS value,
               (array_agg(id ORDER BY start_at, id) FILTER (WHERE own.clash))[1] AS clash_id,
               (array_agg(service_id ORDER BY start_at, id) FILTER (WHERE own.clash))[1] AS clash_service_id,
               (array_agg(start_at ORDER BY start_at, id) FILTER (WHERE own.clash))[1] AS clash_start,
               (array_agg(end_at ORDER BY start_at, id) FILTER (WHERE own.clash))[1] AS clash_end,
               (array_agg(pet_id ORDER BY start_at, id) FILTER (WHERE own.clash))[1] AS clash_pet_id,
               count(*) FILTER (WHERE start_at > {2}) AS held,
               (SELECT c.cancelled_at FROM appointments.appointments c
                WHERE {10} AND c.tenant_id = {0} AND c.client_id = {1} AND c.cancelled_by = 'client' AND c.cancelled_at > {11}
                ORDER BY c.cancelled_at DESC OFFSET {12} LIMIT 1) AS churned_at,
        """ + "\n       " + HoursVersionSql + "\nFROM appointments.appointments,\n"
        + "     LATERAL (SELECT " + OwnClashSql + " AS clash) own\n"
        + "WHERE tenant_id = {0} AND client_id = {1} AND (start_at > {2} OR end_at > {5}) AND " + OwnLiveSql + "\n";

    /// <summary>
    /// The business's hours version in force (Roster's <c>roster.hours_versions</c>, 0 before its first save that cut hours;
    /// decision 347), a column of the booking's limit statement and of a client move's client statement (decision 353), read
    /// under the hours lock SHARED, which every save that raises it holds EXCLUSIVE. {0}: the tenant, in both.
    /// </summary>
    private const string HoursVersionSql = "COALESCE((SELECT h.version FROM roster.hours_versions h WHERE h.tenant_id = {0}), 0) AS hours_version";

    private static readonly string LimitSql = LockSql(LockParameters.Booking) + "SELECT CASE\n" + VerdictSql;

    private static readonly string LimitWithBlocksSql = LockSql(LockParameters.Booking) + """
        SELECT CASE WHEN EXISTS (SELECT 1 FROM appointments.busy_blocks b
                                 WHERE b.tenant_id = {0} AND b.diary_id = {14} AND b.start_at < {16} AND b.end_at > {15}) THEN 3

        """ + VerdictSql;

    /// <summary>The limit statement's row: the verdict, the client's own overlapping appointment (the earliest, and its
    /// pet) when 4, the client's upcoming appointments (for the refusal's words), and the cancellation that puts the
    /// client at the churn limit (null while they are under it, or it does not apply).</summary>
    private sealed record LimitVerdict(int Value, Guid? ClashId, Guid? ClashServiceId, Instant? ClashStart, Instant? ClashEnd, Guid? ClashPetId, long Held,
        Instant? ChurnedAt, long HoursVersion);

    /// <summary>
    /// 409 <c>slot-unavailable</c>: the business's hours changed (a closed day, an exception, a weekly roster) between the
    /// booking's read of them and its limit statement (decision 347). <see cref="BookAsync"/> catches the first and judges
    /// the time again on fresh hours; a second is answered.
    /// </summary>
    private sealed class HoursChangedProblem() : ProblemException(ProblemKinds.SlotUnavailable, 409, "That time cannot be booked",
        "The business changed its hours while you were booking. Choose a time again.");

    private async Task<List<Guid>> CandidateDiariesAsync(BookingOrder order, ServiceView service, SlotRules rules, CancellationToken ct)
    {
        if (!order.Online && order.DiaryId is null)
        {
            // Staff's "any" (decision 333): only a diary a client could book then, in hours; busy ones are skipped below.
            return await StaffAnyCandidatesAsync(service, rules, order.Start, ct);
        }

        if (!order.Online)
        {
            // Staff may book any active diary at any time; only overlaps are refused.
            var diaries = await sender.Send(new GetDiaries(order.DiaryId is { } id ? [id] : service.DiaryIds), ct);
            var active = diaries.Where(d => d.Active).Select(d => d.Id).ToList();
            if (order.DiaryId is not null && active.Count == 0)
            {
                throw ProblemException.Invalid("diaryId", diaries.Count == 0 ? "No such diary." : "This diary is inactive.");
            }

            return active;
        }

        // Before now or past the horizon is never offered; refused before any date maths, which year 9999 overflows.
        if (order.Start < rules.Now || SlotMaths.BeyondHorizon(order.Start, rules.Now, rules.HorizonDays))
        {
            throw SchedulingProblems.SlotUnavailable();
        }

        var providing = order.DiaryId is { } chosen
            ? service.DiaryIds.Where(d => d == chosen).ToList()
            : service.DiaryIds.ToList();
        if (providing.Count == 0 && order.DiaryId is not null)
        {
            // A diary the service was taken off (or never on): never booked with another diary instead. Said as the
            // diary's kind reads (decision 292); one not on file reads as before.
            var named = (await sender.Send(new GetDiaries([order.DiaryId.Value]), ct)).FirstOrDefault();
            throw SchedulingProblems.SlotUnavailable(named is not null && DiaryKinds.IsResource(named.Kind) ? ResourceNotOffering(named.Name) : DiaryNotOffering);
        }

        var date = order.Start.InZone(rules.Zone).Date;
        var days = await schedule.OnlineDaysAsync(providing, date, date, ct);
        var offered = days.Where(d => SlotMaths.IsOffered(rules, d, order.Start)).Select(d => d.DiaryId).Distinct().ToList();
        return offered.Count > 0 ? offered : throw SchedulingProblems.SlotUnavailable();
    }
}

/// <summary>The integration events of appointment changes.</summary>
public static class AppointmentEvents
{
    private static DateTimeOffset Utc(Instant i) => i.ToDateTimeOffset();

    /// <summary>clientAwaitingFirstRequest: as the booking's read of the client said (the events' ClientAwaitingFirstRequest).</summary>
    public static Booking.BuildingBlocks.Contracts.IIntegrationEvent Created(Appointment a, AppointmentsDbContext db, bool? clientAwaitingFirstRequest) =>
        a.Status == AppointmentStatus.Requested ? Requested(a, db, clientAwaitingFirstRequest) : Booked(a, db, clientAwaitingFirstRequest: clientAwaitingFirstRequest);

    /// <summary>
    /// previousStatus: what it was before it became confirmed (null for a new booking). Every caller sets UpdatedAt to
    /// the change's time before raising an event, so it is the event's ChangedAt.
    /// </summary>
    public static AppointmentBooked Booked(Appointment a, AppointmentsDbContext db, string? previousStatus = null, bool? clientAwaitingFirstRequest = null) =>
        new(Guid.CreateVersion7(), TenantOf(a, db), a.Id, a.ClientId, a.PetId, a.DiaryId, a.ServiceId, Utc(a.StartAt), Utc(a.EndAt), a.Source, previousStatus, Utc(a.UpdatedAt), a.Note,
            clientAwaitingFirstRequest, a.CancellationHours, a.CancellationInsideWindow);

    public static BookingRequested Requested(Appointment a, AppointmentsDbContext db, bool? clientAwaitingFirstRequest) =>
        new(Guid.CreateVersion7(), TenantOf(a, db), a.Id, a.ClientId, a.DiaryId, a.ServiceId, Utc(a.StartAt), Utc(a.EndAt), a.Source, a.PetId, a.Note, clientAwaitingFirstRequest);

    /// <summary>previousStatus: the status before it became cancelled.</summary>
    public static AppointmentCancelled Cancelled(Appointment a, AppointmentsDbContext db, string source, string? reason, string previousStatus) =>
        new(Guid.CreateVersion7(), TenantOf(a, db), a.Id, a.ClientId, a.DiaryId, a.ServiceId, Utc(a.StartAt), Utc(a.EndAt), source, reason, previousStatus, Utc(a.UpdatedAt), a.PetId, a.Note);

    public static CancellationRequested CancellationRequested(Appointment a, AppointmentsDbContext db, string? reason) =>
        new(Guid.CreateVersion7(), TenantOf(a, db), a.Id, a.ClientId, a.DiaryId, a.ServiceId, Utc(a.StartAt), Utc(a.EndAt), ChangeSources.Portal, reason, a.PetId);

    /// <summary>The withdrawal of the request <paramref name="requestEventId"/> named (UpdatedAt is when it was withdrawn).</summary>
    public static CancellationRequestWithdrawn CancellationWithdrawn(Appointment a, AppointmentsDbContext db, Guid? requestEventId) =>
        new(Guid.CreateVersion7(), TenantOf(a, db), a.Id, a.ClientId, a.DiaryId, a.ServiceId, Utc(a.StartAt), Utc(a.EndAt), Utc(a.UpdatedAt), requestEventId, a.PetId);

    public static BookingRequestDecided Decided(Appointment a, AppointmentsDbContext db, string kind, bool accepted, string? reason) =>
        new(Guid.CreateVersion7(), TenantOf(a, db), a.Id, a.ClientId, kind, accepted, reason, a.DiaryId, a.ServiceId, Utc(a.StartAt), Utc(a.EndAt), a.PetId);

    private static Guid TenantOf(Appointment a, AppointmentsDbContext db) => a.TenantId != Guid.Empty ? a.TenantId : db.TenantId;
}
