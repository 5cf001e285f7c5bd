using Booking.BuildingBlocks.Problems;
using Microsoft.EntityFrameworkCore;

namespace Booking.BuildingBlocks.Data;

/// <summary>
/// Read, decide, save: when the save finds that a row it read has changed since (a concurrency token no longer
/// matches, so nothing was written and the transaction rolled back), the whole unit runs again from a fresh read,
/// and decides on what is there now: a second cancel finds the appointment cancelled, a decline finds the request
/// accepted. Anything the unit tracked or published (outbox rows) is dropped before it runs again.
/// </summary>
public static class ConcurrentChanges
{
    public const int MaxTries = 3;

    public static async Task<T> RetryOnConcurrentChangeAsync<T>(this DbContext db, Func<Task<T>> unit)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await unit();
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                if (attempt == MaxTries)
                {
                    throw new ProblemException(ProblemKinds.ChangedMeanwhile, 409, "Changed meanwhile",
                        "Someone else changed this at the same moment. Look at it again and retry.");
                }
            }
        }
    }
}
