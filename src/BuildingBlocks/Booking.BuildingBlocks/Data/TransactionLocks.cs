using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Booking.BuildingBlocks.Data;

/// <summary>
/// A PostgreSQL advisory lock named by text, held until the current transaction ends: requests that count and then
/// write (sign-in codes, reset requests, wrong codes) take it first, so ones sent at the same moment count each other.
/// </summary>
public static class TransactionLocks
{
    public static Task LockForTransactionAsync(this DatabaseFacade database, string key, CancellationToken cancellationToken) =>
        database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", cancellationToken);

    /// <summary>
    /// The start of <see cref="HoursKey"/>: Appointments' trigger <c>appointments_business_hours_lock</c> writes the key as
    /// <c>'hours:' || tenant_id::text</c> (a uuid's text is its lowercase "D" form, as here).
    /// </summary>
    public const string HoursKeyPrefix = "hours:";

    /// <summary>
    /// The business's hours lock (decision 342): every booking and move holds it SHARED in its transaction (Appointments:
    /// a portal booking's limit statement, a client move's client statement, and the appointments trigger on every insert
    /// or change of time), so they never wait for each other; a save that cuts the hours (a closed day, a diary's dated
    /// exception or its removal, a weekly roster replaced: Roster) takes it EXCLUSIVE before it writes
    /// (<see cref="LockHoursAsync"/>), so it waits for the bookings under way to commit and the clashes it lists
    /// afterwards name them. Two modules, one key: neither calls the other for it.
    /// </summary>
    public static string HoursKey(Guid tenantId) => $"{HoursKeyPrefix}{tenantId:D}";

    /// <summary>The business's hours lock (<see cref="HoursKey"/>) EXCLUSIVE until the transaction ends: one statement.</summary>
    public static Task LockHoursAsync(this TenantDbContext db, CancellationToken cancellationToken) =>
        db.Database.LockForTransactionAsync(HoursKey(db.ActingTenantId ?? throw new InvalidOperationException("The hours lock needs a tenant.")), cancellationToken);
}
