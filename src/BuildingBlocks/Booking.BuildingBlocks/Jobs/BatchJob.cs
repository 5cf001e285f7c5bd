using Microsoft.Extensions.Logging;

namespace Booking.BuildingBlocks.Jobs;

/// <summary>
/// The loop of a job that carries a batch (outbox events, email messages) instead of one job each: every item runs as
/// its own job would; one that throws is logged and handed to a job of its own, with that job's retries, so the others
/// are not held up by it. Cancellation (the server stopping) ends the batch, and Hangfire runs it again.
/// </summary>
public static class BatchJob
{
    public static async Task EachAsync<T>(
        IEnumerable<T> items, string what, Func<T, Guid> idOf, Func<T, Task> run, Action<T> alone, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            try
            {
                await run(item);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "{What} {Id} failed in a batch; it is retried on its own", what, idOf(item));
                alone(item);
            }
        }
    }
}
