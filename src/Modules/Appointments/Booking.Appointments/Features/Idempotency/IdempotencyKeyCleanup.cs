using Booking.Appointments.Data;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Jobs;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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

/// <summary>The recurring sweep of <see cref="PurgeExpiredIdempotencyKeys"/> (a <see cref="TenantSweep{TJob}"/>).</summary>
public static class IdempotencyKeyCleanup
{
    public const string RecurringJobId = "appointments:idempotency-key-cleanup";

    /// <summary>Hourly, off the top of the hour; <c>Appointments:IdempotencyCleanupCron</c> changes it.</summary>
    public static IServiceCollection AddIdempotencyKeyCleanup(this IServiceCollection services) =>
        services.AddTenantSweep<PurgeExpiredIdempotencyKeys>(RecurringJobId, "Appointments:IdempotencyCleanupCron", "17 * * * *");
}
