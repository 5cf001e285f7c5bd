using Booking.BuildingBlocks.Data;
using Microsoft.EntityFrameworkCore;

namespace Booking.Roster.Data;

/// <summary>The business's hours lock, taken by Roster's saves that cut hours, and the hours version they raise (decision 347).</summary>
public static class HoursVersions
{
    /// <summary>
    /// The business's hours lock (<see cref="TransactionLocks.HoursKey"/>) EXCLUSIVE until the transaction ends, then the
    /// hours version raised (<see cref="Domain.HoursVersion"/>, its row made on the first): one command of two statements,
    /// one round trip as the lock alone was. Raised under the lock, so a booking that holds the lock SHARED and reads the
    /// version reads the one of the hours it will be judged against, and a booking whose cached hours came before this save
    /// finds another version and judges its time again on fresh hours.
    /// </summary>
    public static Task LockHoursAndRaiseVersionAsync(this RosterDbContext db, CancellationToken cancellationToken)
    {
        var tenantId = db.ActingTenantId ?? throw new InvalidOperationException("The hours lock needs a tenant.");
        return db.Database.ExecuteSqlAsync($"""
            SELECT pg_advisory_xact_lock(hashtextextended({TransactionLocks.HoursKey(tenantId)}, 0));
            INSERT INTO roster.hours_versions AS h (tenant_id, version) VALUES ({tenantId}, 1)
            ON CONFLICT (tenant_id) DO UPDATE SET version = h.version + 1
            """, cancellationToken);
    }
}
