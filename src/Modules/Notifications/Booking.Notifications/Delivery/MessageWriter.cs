using Booking.BuildingBlocks.Security;
using Booking.Notifications.Data;
using Booking.Notifications.Domain;
using Booking.Notifications.Rendering;

namespace Booking.Notifications.Delivery;

/// <summary>
/// Writes messages for one event in the consumer's unit of work, then enqueues their jobs after the commit.
/// The (event, recipient, kind) unique key makes a second write of the same message fail instead of duplicating it.
/// </summary>
public sealed class MessageWriter(NotificationsDbContext db, MessageQueue queue, TimeProvider clock)
{
    private readonly List<OutboundMessage> written = [];

    public void Add(Guid eventId, string? recipient, string kind, MessageContent content)
    {
        var trimmed = recipient?.Trim();
        if (!EmailAddress.IsValid(trimmed))
        {
            return; // no usable address (a client without email): nothing to send
        }

        var address = trimmed!.ToLowerInvariant();
        if (written.Any(m => m.Recipient == address && m.Kind == kind))
        {
            return; // the same address twice in one event (diary contact also on the extra list): one email per kind
        }

        var now = clock.GetUtcNow();
        var message = new OutboundMessage
        {
            Id = Guid.CreateVersion7(),
            EventId = eventId,
            Recipient = address,
            Kind = kind,
            Status = MessageStatus.Queued,
            NextAttemptAt = now,
            CreatedAt = now,
            Content = content.ToJson(),
        };
        db.Messages.Add(message);
        written.Add(message);
    }

    /// <summary>Commits the messages (and the consumer's processed-event marker), then starts their jobs.</summary>
    public async Task SaveAndEnqueueAsync(CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        foreach (var tenantMessages in written.GroupBy(m => m.TenantId))
        {
            queue.EnqueueAll(tenantMessages.Key, tenantMessages.Select(m => m.Id).ToList());
        }

        written.Clear();
    }
}
