using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.AppointmentEmails;
using Booking.Notifications.Rendering;
using Booking.Tenancy.Contracts;
using Mediator;

namespace Booking.Notifications.Features.StaffPasswordResetEmail;

/// <summary>Emails a staff member the reset link Tenancy made (the event carries it; only its hash is stored there).</summary>
public sealed class StaffPasswordResetEmail(NotificationsDbContext db, MessageWriter writer) : INotificationHandler<StaffPasswordResetRequested>
{
    public async ValueTask Handle(StaffPasswordResetRequested evt, CancellationToken cancellationToken)
    {
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(StaffPasswordResetEmail), cancellationToken))
        {
            return;
        }

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [MergeFields.StaffName] = evt.Name,
            [MergeFields.ResetUrl] = evt.ResetUrl,
            [MergeFields.ResetExpiresDateTime] = evt.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        writer.Add(evt.EventId, evt.Email, MessageKinds.StaffPasswordReset,
            new MessageContent(StaffTexts.PasswordReset.Subject, StaffTexts.PasswordReset.Body, fields, new MessageAction("Reset password", evt.ResetUrl)));
        await writer.SaveAndEnqueueAsync(cancellationToken);
    }
}
