using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.AppointmentEmails;
using Booking.Notifications.Rendering;
using Booking.PortalAuth.Contracts;
using Mediator;

namespace Booking.Notifications.Features.ClientApprovedEmail;

/// <summary>
/// Staff approved a client who was waiting for approval (review J17): the client hears that their bookings are now
/// confirmed straight away. A client without an email is texted by PortalAuth instead (<c>ClientApprovedSmsHandler</c>).
/// </summary>
public sealed class ClientApprovedEmail(NotificationsDbContext db, INotificationFacts facts, MessageWriter writer) : INotificationHandler<ClientApproved>
{
    public async ValueTask Handle(ClientApproved evt, CancellationToken cancellationToken)
    {
        await using var held = await db.HoldConnectionAsync(cancellationToken);
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(ClientApprovedEmail), cancellationToken))
        {
            return;
        }

        var client = await facts.ClientAsync(evt.ClientId, cancellationToken);
        if (!string.IsNullOrWhiteSpace(client?.Email))
        {
            writer.Add(evt.EventId, client.Email, MessageKinds.ClientApproved,
                new MessageContent(ClientTexts.ClientApproved.Subject, ClientTexts.ClientApproved.Body, AppointmentValues.ClientFields(client)));
        }

        await writer.SaveAndEnqueueAsync(cancellationToken);
    }
}
