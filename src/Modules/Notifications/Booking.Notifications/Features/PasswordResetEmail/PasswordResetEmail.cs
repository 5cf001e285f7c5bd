using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.AppointmentEmails;
using Booking.Notifications.Rendering;
using Booking.PortalAuth.Contracts;
using Mediator;

namespace Booking.Notifications.Features.PasswordResetEmail;

/// <summary>Emails the client the reset link PortalAuth made (the event carries it; only its hash is stored there).</summary>
public sealed class PasswordResetEmail(NotificationsDbContext db, MessageWriter writer) : INotificationHandler<PasswordResetRequested>
{
    public async ValueTask Handle(PasswordResetRequested evt, CancellationToken cancellationToken)
    {
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(PasswordResetEmail), cancellationToken))
        {
            return;
        }

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [MergeFields.ClientFirstName] = evt.FirstName,
            [MergeFields.ClientEmail] = evt.Email,
            [MergeFields.ResetUrl] = evt.ResetUrl,
            [MergeFields.ResetExpiresDateTime] = evt.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        writer.Add(evt.EventId, evt.Email, MessageKinds.ClientPasswordReset,
            new MessageContent(ClientTexts.PasswordReset.Subject, ClientTexts.PasswordReset.Body, fields, new MessageAction("Reset password", evt.ResetUrl)));
        await writer.SaveAndEnqueueAsync(cancellationToken);
    }
}
