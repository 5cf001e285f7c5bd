using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Features.Messages;

/// <summary>
/// Sends a message that failed permanently once more (an address fixed at the mail server, a server that refused by
/// mistake): the same row goes back to queued with a fresh retry budget, so the (event, recipient, kind) key still
/// holds and it cannot become two messages. A message still on its way answers as it is; a sent one is refused.
/// </summary>
public sealed record ResendMessage(Guid Id) : ICommand<MessageView>;

public sealed class ResendMessageHandler(NotificationsDbContext db, MessageQueue queue, ITenantContext tenant, TimeProvider clock)
    : ICommandHandler<ResendMessage, MessageView>
{
    public const string AlreadySent = "already-sent";

    public async ValueTask<MessageView> Handle(ResendMessage command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // One conditional statement: two resends at once requeue it once; the tenant filter keeps it to this business.
        var requeued = await db.Messages
            .Where(m => m.Id == command.Id && m.Status == MessageStatus.Failed)
            .ExecuteUpdateAsync(
                s => s.SetProperty(m => m.Status, MessageStatus.Queued)
                    .SetProperty(m => m.Attempts, 0)
                    .SetProperty(m => m.NextAttemptAt, now)
                    .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null),
                cancellationToken);
        var message = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == command.Id, cancellationToken)
            ?? throw ProblemException.NotFound("No such message.");
        if (requeued == 1)
        {
            queue.EnqueueAll(message.TenantId, [message.Id]);
        }
        else if (message.Status == MessageStatus.Sent)
        {
            throw new ProblemException(AlreadySent, 409, "Already sent", "This message was sent; sending it again would send it twice.");
        }

        return MessageView.From(message, tenant);
    }
}
