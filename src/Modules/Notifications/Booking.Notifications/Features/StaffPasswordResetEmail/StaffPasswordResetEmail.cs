using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.AppointmentEmails;
using Booking.Notifications.Rendering;
using Booking.Tenancy.Contracts;
using Mediator;

namespace Booking.Notifications.Features.StaffPasswordResetEmail;

/// <summary>Emails a staff member the reset link Tenancy made (the event carries it encrypted; only its hash is
/// stored there). The message's content keeps the encrypted link, which <see cref="MessageSender"/> decrypts only to
/// render the email and removes once it is sent or has failed; an event written before the link was encrypted (no
/// <c>ProtectedResetUrl</c>) sends nothing: its plain link is not carried on, and the person asks again.</summary>
public sealed class StaffPasswordResetEmail(NotificationsDbContext db, MessageWriter writer) : INotificationHandler<StaffPasswordResetRequested>
{
    public async ValueTask Handle(StaffPasswordResetRequested evt, CancellationToken cancellationToken)
    {
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(StaffPasswordResetEmail), cancellationToken))
        {
            return;
        }

        if (string.IsNullOrEmpty(evt.ProtectedResetUrl))
        {
            await db.SaveChangesAsync(cancellationToken); // the processed mark: an old event is not looked at again
            return;
        }

        var fields = MergeFields.StaffLink(evt.Name, evt.ProtectedResetUrl, evt.ExpiresAt);
        writer.Add(evt.EventId, evt.Email, MessageKinds.StaffPasswordReset,
            new MessageContent(StaffTexts.PasswordReset.Subject, StaffTexts.PasswordReset.Body, fields, new MessageAction("Reset password", evt.ProtectedResetUrl)));
        await writer.SaveAndEnqueueAsync(cancellationToken);
    }
}
