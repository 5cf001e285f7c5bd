using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Jobs;
using Booking.PortalAuth.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.PortalAuth.Features.Housekeeping;

/// <summary>
/// Deletes this tenant's text rows (Tools → Messages) older than the message retention (<see cref="MessageRetention"/>,
/// the emails' too). A text that old was sent or given up long ago: nothing retries it, and its event's idempotency key
/// has nothing left to guard.
/// </summary>
public sealed record PurgeOldTexts : ITenantJob;

public sealed class PurgeOldTextsHandler(PortalAuthDbContext db, IConfiguration configuration, TimeProvider clock)
    : ICommandHandler<PurgeOldTexts>
{
    public async ValueTask<Unit> Handle(PurgeOldTexts command, CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - MessageRetention.Of(configuration);
        await db.Texts.Where(t => t.CreatedAt < before).ExecuteDeleteAsync(cancellationToken);
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
