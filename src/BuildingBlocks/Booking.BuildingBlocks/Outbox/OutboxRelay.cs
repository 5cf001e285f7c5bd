using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Booking.BuildingBlocks.Outbox;

/// <summary>
/// Moves one module's committed events to Hangfire, a batch (up to 100) per job. Rows are claimed with FOR UPDATE SKIP LOCKED, so several
/// app instances share the work without handing an event over twice; a failed hand-over is retried with backoff
/// (<see cref="Backoff"/>, at most 30 s).
/// Delivery is at least once: consumers de-duplicate on the event id.
/// </summary>
public sealed class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : TenantDbContext
{
    private const int BatchSize = 100;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// After a wake-up, events of other commits this close behind ride in the same job. Each job costs Hangfire about
    /// fifteen statements of bookkeeping, so under load the wait pays for itself; an email's budget is 5 s (decision 53).
    /// </summary>
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int handed;
            try
            {
                handed = await RelayBatchAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Outbox relay for {Context} failed; retrying", typeof(TContext).Name);
                handed = 0;
            }

            if (handed < BatchSize)
            {
                try
                {
                    await signal.WaitAsync(typeof(TContext), IdlePoll, stoppingToken);
                    await Task.Delay(Coalesce, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// The wait after a failed hand-over (Hangfire's storage unreachable): 1, 2, 4, 8, 16 s, then every 30 s, so events
    /// leave within 30 s of the storage coming back instead of up to 5 minutes later (decision 312).
    /// </summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(MaxBackoffSeconds, Math.Pow(2, Math.Max(0, attempts - 1))));

    public const int MaxBackoffSeconds = 30;

    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var jobs = scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var sql = $"""
            SELECT * FROM "{db.Schema}".outbox_messages
            WHERE dispatched_at IS NULL AND next_attempt_at <= now()
            ORDER BY occurred_at
            LIMIT {BatchSize}
            FOR UPDATE SKIP LOCKED
            """;
#pragma warning disable EF1002 // the schema is a compile-time module constant, not input
        var pending = await db.Outbox.FromSqlRaw(sql).AsTracking().ToListAsync(cancellationToken);
#pragma warning restore EF1002
        if (pending.Count > 0)
        {
            var events = pending.Select(m => new EventEnvelope(m.TenantId, m.Id, m.Type, m.Payload)).ToList();
            var handed = true;
            try
            {
                jobs.Enqueue<IntegrationEventJob>(job => job.DeliverAllAsync(events, CancellationToken.None));
            }
            catch (Exception ex)
            {
                handed = false;
                foreach (var message in pending)
                {
                    message.Attempts++;
                    message.LastError = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
                    message.NextAttemptAt = DateTimeOffset.UtcNow + Backoff(message.Attempts);
                }

                logger.LogWarning(ex, "Could not hand {Count} events to Hangfire (attempt {Attempts})", pending.Count, pending[0].Attempts);
            }

            if (handed)
            {
                // Marked in one statement for the batch (saving the tracked rows was an UPDATE per event).
                db.ChangeTracker.Clear();
                var marked = $"""UPDATE "{db.Schema}".outbox_messages SET dispatched_at = @now WHERE id = ANY (@ids)""";
#pragma warning disable EF1002 // the schema is a compile-time module constant, not input
                await db.Database.ExecuteSqlRawAsync(marked,
                    [new NpgsqlParameter("now", DateTimeOffset.UtcNow), new NpgsqlParameter("ids", pending.Select(m => m.Id).ToArray())],
                    cancellationToken);
#pragma warning restore EF1002
            }
        }

        await db.SaveChangesAsync(cancellationToken); // a failed hand-over's attempts and backoff
        await tx.CommitAsync(cancellationToken);
        return pending.Count;
    }
}
