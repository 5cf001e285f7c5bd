using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.AppointmentEmails;
using Booking.Notifications.Rendering;
using Booking.Tenancy.Contracts;
using Mediator;

namespace Booking.Notifications.Features.StaffPasswordResetEmail;

/// <summary>
/// Tells a staff member's old address that the address they sign in with was changed (kind
/// <see cref="MessageKinds.StaffSignInEmailChanged"/>): a change made by someone else, and a reset sent to the new
/// address, do not go unnoticed. Built-in text with the business's branding, as the staff reset email.
/// </summary>
public sealed class StaffSignInEmailChangedEmail(MessageWriter writer) : INotificationHandler<StaffSignInEmailChanged>
{
    public async ValueTask Handle(StaffSignInEmailChanged evt, CancellationToken cancellationToken) =>
        await writer.SendOnceAsync(evt.EventId, nameof(StaffSignInEmailChangedEmail), evt.OldEmail, MessageKinds.StaffSignInEmailChanged, StaffTexts.SignInEmailChanged,
            new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                [MergeFields.StaffName] = evt.Name,
                [MergeFields.NewSignInEmail] = evt.NewEmail,
            },
            cancellationToken);
}
