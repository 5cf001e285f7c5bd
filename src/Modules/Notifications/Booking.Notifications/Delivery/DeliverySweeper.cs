using Booking.BuildingBlocks.Jobs;
using Booking.BuildingBlocks.Tenancy;
using Booking.Notifications.Data;
using Booking.Notifications.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Booking.Notifications.Delivery;

/// <summary>
/// The safety net under the per-message jobs: finds messages that are due but have no live job — a process that
/// died between commit and enqueue, a worker killed mid-send (its 'sending' lease expires) — and enqueues them.
/// Runs at start and then every SweepIntervalSeconds, one tenant at a time (row-level security allows no other
/// way); extra jobs are harmless since only one can claim a message.
/// </summary>
public sealed class DeliverySweeper(
    IServiceScopeFactory scopes,
    ITenantDirectory directory,
    MessageQueue queue,
    DeliveryOptions options,
    TimeProvider clock,
    ILogger<DeliverySweeper> logger) : BackgroundService
{
    /// <summary>A fresh queued message has its own job in flight; leave it that long before sweeping it.</summary>
    private static readonly TimeSpan FreshGrace = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var found = await SweepAsync(stoppingToken);
                if (found > 0)
                {
                    logger.LogInformation("Delivery sweeper enqueued {Count} due email(s)", found);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Delivery sweep failed; next sweep as scheduled");
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(options.SweepIntervalSeconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var tenantId in directory.ActiveTenantIdsAsync(cancellationToken))
        {
            await using var scope = await TenantScope.OpenAsync(scopes, tenantId, cancellationToken);
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            var now = clock.GetUtcNow();
            var stale = now - FreshGrace;
            var due = await db.Messages.AsNoTracking()
                .Where(m => ((m.Status == MessageStatus.Queued || m.Status == MessageStatus.Retrying) && m.NextAttemptAt <= stale)
                    || (m.Status == MessageStatus.Sending && m.LeaseUntil < now))
                .OrderBy(m => m.NextAttemptAt) // the longest overdue first, and the same 500 for the same rows
                .Select(m => m.Id)
                .Take(500)
                .ToListAsync(cancellationToken);
            foreach (var id in due)
            {
                queue.Enqueue(tenantId, id);
            }

            count += due.Count;
        }

        return count;
    }
}
