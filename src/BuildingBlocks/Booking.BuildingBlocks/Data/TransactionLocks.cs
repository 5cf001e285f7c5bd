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
}
