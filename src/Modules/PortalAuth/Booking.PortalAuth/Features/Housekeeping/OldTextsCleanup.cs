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
/// sweep keeps). Nothing retries a settled text, and its event's idempotency key has nothing left to guard. The rows go
/// oldest first, <see cref="MessageRetention.BatchOf"/> per statement (decision 266): a first run over a big backlog holds
/// no long lock.
/// </summary>
public sealed record PurgeOldTexts : ITenantJob;

public sealed class PurgeOldTextsHandler(PortalAuthDbContext db, IConfiguration configuration, TimeProvider clock)
    : ICommandHandler<PurgeOldTexts>
{
    public async ValueTask<Unit> Handle(PurgeOldTexts command, CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - MessageRetention.Of(configuration);
        var batch = MessageRetention.BatchOf(configuration);
        var settled = db.Texts
            .Where(t => t.CreatedAt < before && (t.Status == TextStatuses.Sent || t.Status == TextStatuses.Refused || t.Status == TextStatuses.Failed));
        int deleted;
        do
        {
            // Oldest first, a batch per statement, each committed on its own (decision 266).
            var oldest = settled.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).Select(t => t.Id).Take(batch);
            deleted = await db.Texts.Where(t => oldest.Contains(t.Id)).ExecuteDeleteAsync(cancellationToken);
        }
        while (deleted >= batch);

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
