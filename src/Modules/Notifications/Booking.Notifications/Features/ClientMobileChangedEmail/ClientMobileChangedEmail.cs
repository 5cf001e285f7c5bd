using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.AppointmentEmails;
using Booking.Notifications.Rendering;
using Booking.PortalAuth.Contracts;
using Mediator;

namespace Booking.Notifications.Features.ClientMobileChangedEmail;

/// <summary>
/// Tells a client by email that staff changed or removed the mobile they sign in with by phone (kind
/// <see cref="MessageKinds.ClientMobileChanged"/>), to the email they had before the change (nothing when they had none:
/// PortalAuth texts the old number). The new number shows by its last three digits only. Built-in text with the
/// business's branding and contact details, as the other client emails. The client's own replacement of their mobile
/// (<c>ByClient</c>, decision 348) is told to the email on file in its own words.
/// </summary>
public sealed class ClientMobileChangedEmail(MessageWriter writer) : INotificationHandler<ClientMobileChanged>
{
    public async ValueTask Handle(ClientMobileChanged evt, CancellationToken cancellationToken)
    {
        if (evt.Email is null)
        {
            return;
        }

        await writer.SendOnceAsync(evt.EventId, nameof(ClientMobileChangedEmail), evt.Email, MessageKinds.ClientMobileChanged,
            evt.ByClient ? ClientTexts.MobileChangedByClient : evt.NewMobileEnding is null ? ClientTexts.MobileRemoved : ClientTexts.MobileChanged,
            MergeFields.ClientNotice(evt.FirstName, evt.Email, MergeFields.MobileEnding, evt.NewMobileEnding), cancellationToken);
    }
}
