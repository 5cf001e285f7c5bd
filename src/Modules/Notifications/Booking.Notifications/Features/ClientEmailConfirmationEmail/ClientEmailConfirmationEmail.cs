using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.AppointmentEmails;
using Booking.Notifications.Rendering;
using Booking.PortalAuth.Contracts;
using Mediator;

namespace Booking.Notifications.Features.ClientEmailConfirmationEmail;

/// <summary>
/// Emails the new address a client asked for under Your details the link that makes it theirs (PortalAuth's
/// <see cref="ClientEmailChangeRequested"/>, kind <see cref="MessageKinds.ClientEmailConfirmation"/>). The link travels
/// as a reset link does (<see cref="MessageKinds.CarryResetLink"/>): encrypted while queued, decrypted only to render the
/// email, removed from the row once it is sent or has failed; never sent again from the log (a sign-in email).
/// </summary>
public sealed class ClientEmailConfirmationEmail(NotificationsDbContext db, MessageWriter writer) : INotificationHandler<ClientEmailChangeRequested>
{
    public async ValueTask Handle(ClientEmailChangeRequested evt, CancellationToken cancellationToken)
    {
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(ClientEmailConfirmationEmail), cancellationToken))
        {
            return;
        }

        var fields = MergeFields.ClientLink(evt.FirstName, evt.NewEmail, evt.ProtectedConfirmUrl, evt.ExpiresAt);
        writer.Add(evt.EventId, evt.NewEmail, MessageKinds.ClientEmailConfirmation,
            new MessageContent(ClientTexts.EmailConfirmation.Subject, ClientTexts.EmailConfirmation.Body, fields, new MessageAction("Confirm email", evt.ProtectedConfirmUrl)));
        await writer.SaveAndEnqueueAsync(cancellationToken);
    }
}
