using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.AppointmentEmails;
using Booking.Notifications.Rendering;
using Booking.PortalAuth.Contracts;
using Mediator;

namespace Booking.Notifications.Features.ClientSignInEmailChangedEmail;

/// <summary>
/// Tells a client's old address that staff (or the client, from Your details: <c>ByClient</c>, its own words) changed the
/// address they sign in with (kind
/// <see cref="MessageKinds.ClientSignInEmailChanged"/>, a sign-in email: never sent again, to any address), naming the
/// new one: a change the client did not ask for, and a reset sent to the new address, do not go unnoticed. Built-in text
/// with the business's branding and contact details, as the other client emails; nothing goes to the new address.
/// </summary>
public sealed class ClientSignInEmailChangedEmail(MessageWriter writer) : INotificationHandler<ClientSignInEmailChanged>
{
    public async ValueTask Handle(ClientSignInEmailChanged evt, CancellationToken cancellationToken) =>
        await writer.SendOnceAsync(evt.EventId, nameof(ClientSignInEmailChangedEmail), evt.OldEmail, MessageKinds.ClientSignInEmailChanged,
            evt.ByClient ? ClientTexts.EmailChangedByClient : ClientTexts.SignInEmailChanged,
            MergeFields.ClientNotice(evt.FirstName, evt.OldEmail, MergeFields.NewSignInEmail, evt.NewEmail), cancellationToken);
}
