using System.Globalization;
using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.AppointmentEmails;
using Booking.Notifications.Rendering;
using Booking.Tenancy.Contracts;
using Mediator;

namespace Booking.Notifications.Features.StaffPasswordResetEmail;

/// <summary>
/// A change of a staff member's sign-in email was asked for (Tenancy's <see cref="StaffEmailChangeRequested"/>, decision
/// 232): the new address gets the link that makes the change (kind <see cref="MessageKinds.StaffEmailConfirmation"/>,
/// carried as a reset link is: encrypted while queued, removed once sent or failed), and the address they sign in with
/// now is told, with the forgot-password page that stops it (<see cref="MessageKinds.StaffEmailChangeAsked"/>). Both
/// are sign-in emails: never sent again from the log. Built-in texts with the business's branding.
/// </summary>
public sealed class StaffEmailChangeEmails(NotificationsDbContext db, MessageWriter writer) : INotificationHandler<StaffEmailChangeRequested>
{
    public async ValueTask Handle(StaffEmailChangeRequested evt, CancellationToken cancellationToken)
    {
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(StaffEmailChangeEmails), cancellationToken))
        {
            return;
        }

        var expires = evt.ExpiresAt.ToString("O", CultureInfo.InvariantCulture);
        writer.Add(evt.EventId, evt.NewEmail, MessageKinds.StaffEmailConfirmation, new MessageContent(
            StaffTexts.EmailConfirmation.Subject, StaffTexts.EmailConfirmation.Body,
            MergeFields.StaffLink(evt.Name, evt.ProtectedConfirmUrl, evt.ExpiresAt),
            new MessageAction("Confirm this email", evt.ProtectedConfirmUrl)));
        writer.Add(evt.EventId, evt.OldEmail, MessageKinds.StaffEmailChangeAsked, new MessageContent(
            StaffTexts.EmailChangeAsked.Subject, StaffTexts.EmailChangeAsked.Body,
            new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                [MergeFields.StaffName] = evt.Name,
                [MergeFields.NewSignInEmail] = evt.NewEmail,
                [MergeFields.ForgotPasswordUrl] = evt.ForgotPasswordUrl,
                [MergeFields.ResetExpiresDateTime] = expires,
            }));
        await writer.SaveAndEnqueueAsync(cancellationToken);
    }
}
