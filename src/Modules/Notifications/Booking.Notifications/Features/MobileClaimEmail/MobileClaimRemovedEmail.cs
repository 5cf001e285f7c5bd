using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.AppointmentEmails;
using Booking.Notifications.Rendering;
using Booking.PortalAuth.Contracts;
using Mediator;

namespace Booking.Notifications.Features.MobileClaimEmail;

/// <summary>
/// Tells a client that the unproven mobile on their account went to the person who proved it by an SMS code
/// (decision 99). The number shows only by its last three digits: the address it goes to was never proven either.
/// </summary>
public sealed class MobileClaimRemovedEmail(NotificationsDbContext db, MessageWriter writer) : INotificationHandler<MobileClaimRemoved>
{
    public async ValueTask Handle(MobileClaimRemoved evt, CancellationToken cancellationToken)
    {
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(MobileClaimRemovedEmail), cancellationToken))
        {
            return;
        }

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [MergeFields.ClientFirstName] = evt.FirstName,
            [MergeFields.ClientEmail] = evt.Email,
            [MergeFields.MobileEnding] = evt.MobileEnding,
        };
        writer.Add(evt.EventId, evt.Email, MessageKinds.ClientMobileClaimRemoved,
            new MessageContent(ClientTexts.MobileClaimRemoved.Subject, ClientTexts.MobileClaimRemoved.Body, fields));
        await writer.SaveAndEnqueueAsync(cancellationToken);
    }
}
