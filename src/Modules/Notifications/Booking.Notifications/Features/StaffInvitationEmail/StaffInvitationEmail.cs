using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Rendering;
using Booking.Tenancy.Contracts;
using Mediator;

namespace Booking.Notifications.Features.StaffInvitationEmail;

/// <summary>
/// Emails someone added to a business's team without a password the link where they choose one (Tenancy's
/// <see cref="StaffInvited"/>, decision 248), kind <see cref="MessageKinds.StaffInvitation"/>, with the business's branding
/// as the other staff emails. The link travels as a reset link does (<see cref="MessageKinds.CarryResetLink"/>):
/// encrypted while queued, decrypted only to render the email, removed from the row once it is sent or has failed; never
/// sent again from the log (<see cref="MessageKinds.SignIn"/>): Team's "Send the invitation again" makes a new link.
/// </summary>
public sealed class StaffInvitationEmail(NotificationsDbContext db, MessageWriter writer) : INotificationHandler<StaffInvited>
{
    /// <summary>Who added them (the acting owner's or admin's name): only in this email.</summary>
    public const string InvitedBy = "InvitedBy";

    /// <summary>Our words; the names in it are the business's and its staff's.</summary>
    public static readonly (string Subject, string Body) Text = (
        "{InvitedBy} added you to {BusinessName} — set your password",
        "Hi {StaffName},\n\n{InvitedBy} added you to the team at {BusinessName}, to sign in to its staff pages with this email address. "
        + "To choose your password, open this link before {ResetExpiresDateTime}:\n{ResetUrl}\n\n"
        + "Once you have chosen it, sign in with this address and that password. If the link has expired, ask {InvitedBy} to send the invitation again.\n\n"
        + "If you don't know {BusinessName}, ignore this email: nobody can sign in as you unless the link is used.");

    /// <summary>
    /// The same invitation when Tenancy knows no name (an invitation from before it kept one, sent again by the person's
    /// own "Forgot your password?", decision 257): the same link and lifetime, without "who added you".
    /// </summary>
    public static readonly (string Subject, string Body) TextWithoutInviter = (
        "You were added to {BusinessName} — set your password",
        "Hi {StaffName},\n\nYou were added to the team at {BusinessName}, to sign in to its staff pages with this email address. "
        + "To choose your password, open this link before {ResetExpiresDateTime}:\n{ResetUrl}\n\n"
        + "Once you have chosen it, sign in with this address and that password. If the link has expired, ask the person who added you to send the invitation again.\n\n"
        + "If you don't know {BusinessName}, ignore this email: nobody can sign in as you unless the link is used.");

    public async ValueTask Handle(StaffInvited evt, CancellationToken cancellationToken)
    {
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(StaffInvitationEmail), cancellationToken))
        {
            return;
        }

        var fields = MergeFields.StaffLink(evt.Name, evt.ProtectedInviteUrl, evt.ExpiresAt);
        fields[InvitedBy] = evt.InvitedBy;
        var (subject, body) = string.IsNullOrWhiteSpace(evt.InvitedBy) ? TextWithoutInviter : Text;
        writer.Add(evt.EventId, evt.Email, MessageKinds.StaffInvitation,
            new MessageContent(subject, body, fields, new MessageAction("Choose your password", evt.ProtectedInviteUrl)));
        await writer.SaveAndEnqueueAsync(cancellationToken);
    }
}
