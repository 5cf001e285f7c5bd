using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.BuildingBlocks.Tenancy;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Appointments.Features.Scheduling;

/// <summary>
/// Gathers what the slot maths needs for the current business: its zone and clock, the booking rules and
/// online hours (Roster, by mediator query) and the busy time (this module's appointments and busy blocks).
/// </summary>
public sealed class Schedule(AppointmentsDbContext db, ISender sender, ITenantContext tenant, TimeProvider clock)
{
    /// <summary>Appointments never keep a diary busy for longer than this; bounds the range scan below.</summary>
    private static readonly Duration LongestSpan = Duration.FromDays(2);

    public DateTimeZone Zone => DateTimeZoneProviders.Tzdb.GetZoneOrNull(tenant.Current!.TimeZone) ?? DateTimeZone.Utc;

    public Instant Now => Instant.FromDateTimeOffset(clock.GetUtcNow());

    /// <summary>
    /// Instants every zone can show as a DateTimeOffset (offsets stay within ±18 h, so a day inside its range). Rows
    /// saved before staff times were bounded (<see cref="Booking.BuildingBlocks.Time.StaffWindow"/>) may lie outside.
    /// </summary>
    public static readonly (Instant Min, Instant Max) Renderable =
        (Instant.FromDateTimeOffset(DateTimeOffset.MinValue.AddDays(1)), Instant.FromDateTimeOffset(DateTimeOffset.MaxValue.AddDays(-1)));

    /// <summary>In the business's offset; an instant outside <see cref="Renderable"/> in UTC, so a far row never fails a read.</summary>
    public DateTimeOffset Render(Instant instant)
    {
        if (instant >= Renderable.Min && instant <= Renderable.Max)
        {
            return instant.InZone(Zone).ToDateTimeOffset();
        }

        var (min, max) = (Instant.FromDateTimeOffset(DateTimeOffset.MinValue), Instant.FromDateTimeOffset(DateTimeOffset.MaxValue));
        return (instant < min ? min : instant > max ? max : instant).ToDateTimeOffset();
    }

    public async Task<SlotRules> RulesAsync(ServiceView service, CancellationToken ct)
    {
        var rules = await sender.Send(new GetBookingRules(), ct);
        return new SlotRules(Zone, Now, rules.SlotIntervalMinutes, rules.MinimumNoticeMinutes, rules.HorizonDays,
            Duration.FromMinutes(service.DurationMinutes), Duration.FromMinutes(Math.Max(0, service.BufferAfterMinutes)))
        {
            DayBeforeCutoff = DayBeforeCutoff.Parse(rules.DayBeforeCutoff),
        };
    }

    public async Task<List<DiaryDay>> OnlineDaysAsync(IReadOnlyCollection<Guid> diaryIds, LocalDate from, LocalDate to, CancellationToken ct)
    {
        if (diaryIds.Count == 0 || to < from)
        {
            return [];
        }

        var hours = await sender.Send(new GetOnlineHours(diaryIds, from.ToDateOnly(), to.ToDateOnly()), ct);
        return hours.Select(h => new DiaryDay(h.DiaryId, LocalDate.FromDateOnly(h.Date),
            h.Blocks.Select(b => OnlineBlock.FromClock(b.Start, b.End)).ToList())).ToList();
    }

    /// <summary>The instants of local dates [from, to]: from the start of the first day to the start of the day after the last.</summary>
    public (Instant Start, Instant End) Span(LocalDate from, LocalDate to) =>
        (from.AtStartOfDayInZone(Zone).ToInstant(), to.PlusDays(1).AtStartOfDayInZone(Zone).ToInstant());

    /// <summary>
    /// Live appointments (with their buffers) and busy blocks of the diaries that overlap [start, end), in one
    /// query (UNION ALL): one round trip, and outside a held connection one rent of a pooled connection.
    /// <paramref name="moving"/>: the appointment being moved (decision 308), left out of its own way in that same query, as
    /// the move's save is (it updates that row, so the exclusion constraint never weighs it against itself); the tenant
    /// filter still applies, so only this business's appointment of that id can be left out. Null: the query as ever.
    /// <paramref name="blocksUntil"/>: where busy blocks stop counting, when sooner than <paramref name="end"/>: a staff
    /// booking's "any" (decision 341) asks with the new appointment's own end, so a block in its buffer only is no
    /// obstacle, as the check's <c>busy-time</c> judges it (appointments are still weighed with both buffers, as the
    /// exclusion constraint weighs them). Null: blocks over the whole span, as a client's booking is held to.
    /// </summary>
    public async Task<List<BusyTime>> BusyAsync(IReadOnlyCollection<Guid> diaryIds, Instant start, Instant end, CancellationToken ct, Guid? moving = null,
        Instant? blocksUntil = null)
    {
        var blocksEnd = blocksUntil is { } until && until < end ? until : end;
        var earliest = start - LongestSpan; // lets the (tenant, diary, start_at) index bound the scan from below
        var live = db.Appointments.AsNoTracking()
            .Where(a => diaryIds.Contains(a.DiaryId) && a.StartAt >= earliest && a.StartAt < end && a.BlockedUntil > start
                && a.Status != AppointmentStatus.Cancelled && a.Status != AppointmentStatus.Declined);
        if (moving is { } movingId)
        {
            live = live.Where(a => a.Id != movingId); // only when moving: a booking's statement stays as it was
        }

        var appointments = live.Select(a => new { a.DiaryId, Start = a.StartAt, End = a.BlockedUntil, Block = false });
        var blocks = db.BusyBlocks.AsNoTracking()
            .Where(b => diaryIds.Contains(b.DiaryId) && b.StartAt < blocksEnd && b.EndAt > start)
            .Select(b => new { b.DiaryId, Start = b.StartAt, End = b.EndAt, Block = true });
        var rows = await appointments.Concat(blocks).ToListAsync(ct);
        return rows.ConvertAll(r => new BusyTime(r.DiaryId, r.Start, r.End, r.Block));
    }

    public async Task<HashSet<Guid>> BusyBlockDiariesAsync(IReadOnlyCollection<Guid> diaryIds, Instant start, Instant end, CancellationToken ct)
    {
        if (diaryIds.Count == 1)
        {
            var diaryId = diaryIds.First();
            return await AnyBusyBlock(db, diaryId, start, end, ct) ? [diaryId] : [];
        }

        return (await db.BusyBlocks.AsNoTracking()
            .Where(b => diaryIds.Contains(b.DiaryId) && b.StartAt < end && b.EndAt > start)
            .Select(b => b.DiaryId).ToListAsync(ct)).ToHashSet();
    }

    /// <summary>A client's booking on a chosen diary checks that diary's busy blocks: compiled once (see ClientReads).</summary>
    private static readonly Func<AppointmentsDbContext, Guid, Instant, Instant, CancellationToken, Task<bool>> AnyBusyBlock =
        EF.CompileAsyncQuery((AppointmentsDbContext db, Guid diaryId, Instant start, Instant end, CancellationToken ct) =>
            db.BusyBlocks.Any(b => b.DiaryId == diaryId && b.StartAt < end && b.EndAt > start));
}
