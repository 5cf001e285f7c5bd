using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Jobs;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.PortalAuth.Features.Housekeeping;

/// <summary>
/// Deletes this tenant's text rows (Tools → Messages) older than the message retention (<see cref="MessageRetention"/>,
/// the emails' too) once settled: sent, refused or failed (one still retrying that old is a fault to see, as the emails'
/// sweep keeps). Nothing retries a settled text, and its event's idempotency key has nothing left to guard.
/// </summary>
public sealed record PurgeOldTexts : ITenantJob;

public sealed class PurgeOldTextsHandler(PortalAuthDbContext db, IConfiguration configuration, TimeProvider clock)
    : ICommandHandler<PurgeOldTexts>
{
    public async ValueTask<Unit> Handle(PurgeOldTexts command, CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - MessageRetention.Of(configuration);
        await db.Texts
            .Where(t => t.CreatedAt < before && (t.Status == TextStatuses.Sent || t.Status == TextStatuses.Refused || t.Status == TextStatuses.Failed))
            .ExecuteDeleteAsync(cancellationToken);
        return Unit.Value;
    }
}

public static class OldTextsCleanup
{
    public const string RecurringJobId = "portal-auth:old-texts-cleanup";

    /// <summary>Daily; <c>PortalAuth:OldTextsCleanupCron</c> changes it.</summary>
    public static IServiceCollection AddOldTextsCleanup(this IServiceCollection services) =>
        services.AddTenantSweep<PurgeOldTexts>(RecurringJobId, "PortalAuth:OldTextsCleanupCron", "29 3 * * *");
}
