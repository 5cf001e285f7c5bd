using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.AppointmentEmails;
using Booking.Notifications.Rendering;
using Booking.PortalAuth.Contracts;
using Mediator;

namespace Booking.Notifications.Features.PasswordResetEmail;

/// <summary>Emails the client the reset link PortalAuth made (the event carries it encrypted; only its hash is
/// stored there). The message's content keeps the encrypted link, which <see cref="MessageSender"/> decrypts only to
/// render the email and removes once it is sent or has failed; an event written before the link was encrypted (no
/// <c>ProtectedResetUrl</c>) sends nothing: its plain link is not carried on, and the person asks again.</summary>
public sealed class PasswordResetEmail(NotificationsDbContext db, MessageWriter writer) : INotificationHandler<PasswordResetRequested>
{
    public async ValueTask Handle(PasswordResetRequested evt, CancellationToken cancellationToken)
    {
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(PasswordResetEmail), cancellationToken))
        {
            return;
        }

        if (string.IsNullOrEmpty(evt.ProtectedResetUrl))
        {
            await db.SaveChangesAsync(cancellationToken); // the processed mark: an old event is not looked at again
            return;
        }

        var fields = MergeFields.ClientLink(evt.FirstName, evt.Email, evt.ProtectedResetUrl, evt.ExpiresAt);
        writer.Add(evt.EventId, evt.Email, MessageKinds.ClientPasswordReset,
            evt.HasPassword
                ? new MessageContent(ClientTexts.PasswordReset.Subject, ClientTexts.PasswordReset.Body, fields, new MessageAction("Reset password", evt.ProtectedResetUrl))
                : new MessageContent(ClientTexts.PasswordFirst.Subject, ClientTexts.PasswordFirst.Body, fields, new MessageAction("Set a password", evt.ProtectedResetUrl)));
        await writer.SaveAndEnqueueAsync(cancellationToken);
    }
}
