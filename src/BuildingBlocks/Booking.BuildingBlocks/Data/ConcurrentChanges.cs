using Booking.BuildingBlocks.Problems;
using Microsoft.EntityFrameworkCore;

namespace Booking.BuildingBlocks.Data;

/// <summary>
/// Read, decide, save: when the save finds that a row it read has changed since (a concurrency token no longer
/// matches, so nothing was written and the transaction rolled back), the whole unit runs again from a fresh read,
/// and decides on what is there now: a second cancel finds the appointment cancelled, a decline finds the request
/// accepted. Anything the unit tracked or published (outbox rows) is dropped before it runs again.
/// <paramref name="alsoWhen"/> names other failures that mean the same (a unique key another request took first:
/// the row it was about to create now exists, so the unit runs again on it).
/// </summary>
public static class ConcurrentChanges
{
    /// <summary>Each run that meets a change means another save succeeded meanwhile; five in a row is not a race but a storm.</summary>
    public const int MaxTries = 5;

    public static async Task<T> RetryOnConcurrentChangeAsync<T>(this DbContext db, Func<Task<T>> unit, Func<DbUpdateException, bool>? alsoWhen = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await unit();
            }
            catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || alsoWhen?.Invoke(ex) == true)
            {
                db.ChangeTracker.Clear();
                if (attempt == MaxTries)
                {
                    throw ProblemException.ChangedMeanwhile("Someone else changed this at the same moment. Look at it again and retry.");
                }
            }
        }
    }
}
