using Booking.BuildingBlocks.Caching;
using Booking.BuildingBlocks.Tenancy;
using Booking.Roster.Data;
using Booking.Roster.Domain;
using Microsoft.EntityFrameworkCore;

namespace Booking.Roster.Features.OnlineHours;

/// <summary>
/// What the portal asks of a roster on every availability answer and booking, read once per business and kept as
/// reference data: the booking rules, the diaries, the weekly blocks (all of them, for the staff diary's working hours;
/// <see cref="OnlineBlocks"/> for the portal) and the dated exceptions and business closed days from
/// <see cref="ExceptionsFrom"/> on. Shared between requests, so never changed by a reader.
/// </summary>
public sealed record RosterSnapshot(
    BookingRules Rules,
    IReadOnlyList<Diary> Diaries,
    IReadOnlyList<RosterBlock> Blocks,
    IReadOnlyList<RosterException> Exceptions,
    DateOnly ExceptionsFrom,
    IReadOnlyList<BusinessClosedDay> ClosedDays,
    long HoursVersion = 0)
{
    public IReadOnlyList<RosterBlock> OnlineBlocks { get; } = Blocks.Where(b => b.BookableOnline).ToList();
}

/// <summary>The tenant's <see cref="RosterSnapshot"/>, from the cache or the database.</summary>
public sealed class RosterReader(RosterDbContext db, ITenantContext tenant, ReferenceDataCache cache, TimeProvider clock)
{
    /// <summary>Past exceptions are history; a snapshot keeps those from two days before today (UTC) on.</summary>
    private static readonly int PastDaysKept = 2;

    /// <summary>Drops this instance's snapshot of the tenant, so the next read loads it from the database (decision 347).</summary>
    public void Drop() => cache.Invalidate(RosterDbContext.SchemaName, tenant.TenantId ?? throw new InvalidOperationException("No tenant is set."));

    public ValueTask<RosterSnapshot> GetAsync(CancellationToken cancellationToken) =>
        cache.GetOrLoadAsync(RosterDbContext.SchemaName, tenant.TenantId ?? throw new InvalidOperationException("No tenant is set."), LoadAsync, cancellationToken);

    private async Task<RosterSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var from = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-PastDaysKept);
        // The hours version first (decision 347): a save committed between it and the reads below makes the hours newer
        // than the version says, never older, so a booking that compares it may judge again but never on old hours.
        var version = await db.HoursVersions.AsNoTracking().Select(h => h.Version).FirstOrDefaultAsync(cancellationToken);
        var rules = await db.BusinessRules.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new BookingRules();
        var diaries = await db.Diaries.AsNoTracking().OrderBy(d => d.Name).ThenBy(d => d.Id).ToListAsync(cancellationToken);
        var blocks = await db.Blocks.AsNoTracking().ToListAsync(cancellationToken);
        var exceptions = await db.Exceptions.AsNoTracking().Where(e => e.Date >= from).ToListAsync(cancellationToken);
        var closed = await db.ClosedDays.AsNoTracking().Where(c => c.Date >= from).OrderBy(c => c.Date).ToListAsync(cancellationToken);
        return new RosterSnapshot(rules, diaries, blocks, exceptions, from, closed, version);
    }
}
