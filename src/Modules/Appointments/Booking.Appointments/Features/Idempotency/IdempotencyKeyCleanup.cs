using Booking.Appointments.Data;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Jobs;
using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Booking.Appointments.Features.Idempotency;

/// <summary>Deletes this tenant's Idempotency-Keys older than the 24 h they are kept (a retry after that is a new request anyway).</summary>
public sealed record PurgeExpiredIdempotencyKeys : ITenantJob;

public sealed class PurgeExpiredIdempotencyKeysHandler(AppointmentsDbContext db, TimeProvider clock) : ICommandHandler<PurgeExpiredIdempotencyKeys>
{
    public async ValueTask<Unit> Handle(PurgeExpiredIdempotencyKeys command, CancellationToken cancellationToken)
    {
        var expired = NodaTime.Instant.FromDateTimeOffset(clock.GetUtcNow() - IdempotentRequests.Kept);
        await db.IdempotencyKeys.Where(k => k.CreatedAt < expired).ExecuteDeleteAsync(cancellationToken);
        return Unit.Value;
    }
}

/// <summary>
/// The recurring entry point: one global Hangfire job that enqueues <see cref="PurgeExpiredIdempotencyKeys"/> per
/// tenant (row-level security lets a job see one tenant at a time, and one slow tenant then holds up nobody).
/// </summary>
public sealed class IdempotencyKeyCleanup(ITenantJobs jobs)
{
    public const string RecurringJobId = "appointments:idempotency-key-cleanup";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 2)]
    [JobDisplayName("Idempotency-Key cleanup: fan out to every tenant")]
    public Task<int> FanOutAsync(CancellationToken cancellationToken) =>
        jobs.EnqueueForEveryTenantAsync(() => new PurgeExpiredIdempotencyKeys(), cancellationToken);
}

/// <summary>Registers the recurring job at start (AddOrUpdate is idempotent across restarts and instances).</summary>
public sealed class IdempotencyKeyCleanupSchedule(IRecurringJobManager recurring, IConfiguration configuration) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var cron = configuration.GetValue("Appointments:IdempotencyCleanupCron", "17 * * * *"); // hourly, off the top of the hour
        recurring.AddOrUpdate<IdempotencyKeyCleanup>(IdempotencyKeyCleanup.RecurringJobId, j => j.FanOutAsync(CancellationToken.None), cron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
