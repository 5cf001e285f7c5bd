using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Rendering;
using Booking.Tenancy.Contracts;
using Mediator;

namespace Booking.Notifications.Features.StaffEmailConfirmationEmail;

/// <summary>
/// Emails a staff member the link that confirms their sign-in email (Tenancy's <see cref="StaffEmailConfirmationRequested"/>:
/// a new business's owner at sign-up, or someone who pressed "Send the link again"), kind
/// <see cref="MessageKinds.StaffEmailVerification"/>. The link travels as a reset link does
/// (<see cref="MessageKinds.CarryResetLink"/>): encrypted while queued, decrypted only to render the email, removed from
/// the row once it is sent or has failed; never sent again from the log (<see cref="MessageKinds.SignIn"/>: sent to
/// another address, whoever reads it there could confirm an address they do not read).
/// </summary>
public sealed class StaffEmailConfirmationEmail(NotificationsDbContext db, MessageWriter writer) : INotificationHandler<StaffEmailConfirmationRequested>
{
    /// <summary>Our words; the business's name is the only thing in it the business wrote.</summary>
    public static readonly (string Subject, string Body) Text = (
        "Confirm your email for {BusinessName}",
        "Hi {StaffName},\n\nThis is the email address you sign in to the staff pages of {BusinessName} with. To confirm it is yours, open this link before {ResetExpiresDateTime} and press Confirm:\n{ResetUrl}\n\n"
        + "Until you do, we hold back the booking and cancellation request emails meant for you (the requests still wait for you under Requests).\n\n"
        + "If you don't work with {BusinessName}, ignore this email: nothing more is sent here unless the link is used.");

    public async ValueTask Handle(StaffEmailConfirmationRequested evt, CancellationToken cancellationToken)
    {
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(StaffEmailConfirmationEmail), cancellationToken))
        {
            return;
        }

        var fields = MergeFields.StaffLink(evt.Name, evt.ProtectedConfirmUrl, evt.ExpiresAt);
        writer.Add(evt.EventId, evt.Email, MessageKinds.StaffEmailVerification,
            new MessageContent(Text.Subject, Text.Body, fields, new MessageAction("Confirm email", evt.ProtectedConfirmUrl)));
        await writer.SaveAndEnqueueAsync(cancellationToken);
    }
}
