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
public sealed class MobileClaimRemovedEmail(MessageWriter writer) : INotificationHandler<MobileClaimRemoved>
{
    public async ValueTask Handle(MobileClaimRemoved evt, CancellationToken cancellationToken) =>
        await writer.SendOnceAsync(evt.EventId, nameof(MobileClaimRemovedEmail), evt.Email, MessageKinds.ClientMobileClaimRemoved, ClientTexts.MobileClaimRemoved,
            MergeFields.ClientNotice(evt.FirstName, evt.Email, MergeFields.MobileEnding, evt.MobileEnding), cancellationToken);
}
