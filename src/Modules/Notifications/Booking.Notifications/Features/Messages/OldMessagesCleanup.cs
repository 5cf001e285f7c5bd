using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Jobs;
using Booking.Notifications.Data;
using Booking.Notifications.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.Notifications.Features.Messages;

/// <summary>
/// Deletes this tenant's email rows (Tools → Messages) older than the message retention (<see cref="MessageRetention"/>,
/// the texts' too) once they are settled: sent, failed or withheld. One still queued or retrying that old is a fault for
/// the operator to see, not history to sweep. Its event's idempotency key goes with it: no event is re-delivered a year on.
/// An unsubscribe link in an email that old stops working; its page sends the reader to the most recent email's link.
/// The rows go oldest first, <see cref="MessageRetention.BatchOf"/> per statement (decision 266): a first run over a big
/// backlog holds no long lock.
/// </summary>
public sealed record PurgeOldMessages : ITenantJob;

public sealed class PurgeOldMessagesHandler(NotificationsDbContext db, IConfiguration configuration, TimeProvider clock)
    : ICommandHandler<PurgeOldMessages>
{
    public async ValueTask<Unit> Handle(PurgeOldMessages command, CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - MessageRetention.Of(configuration);
        var batch = MessageRetention.BatchOf(configuration);
        var settled = db.Messages
            .Where(m => m.CreatedAt < before && (m.Status == MessageStatus.Sent || m.Status == MessageStatus.Failed || m.Status == MessageStatus.Withheld));
        int deleted;
        do
        {
            // Oldest first, a batch per statement, each committed on its own (decision 266).
            var oldest = settled.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Select(m => m.Id).Take(batch);
            deleted = await db.Messages.Where(m => oldest.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
        }
        while (deleted >= batch);

        return Unit.Value;
    }
}

public static class OldMessagesCleanup
{
    public const string RecurringJobId = "notifications:old-messages-cleanup";

    /// <summary>Daily; <c>Notifications:OldMessagesCleanupCron</c> changes it.</summary>
    public static IServiceCollection AddOldMessagesCleanup(this IServiceCollection services) =>
        services.AddTenantSweep<PurgeOldMessages>(RecurringJobId, "Notifications:OldMessagesCleanupCron", "31 3 * * *");
}
