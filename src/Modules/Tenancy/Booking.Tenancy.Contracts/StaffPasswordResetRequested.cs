using Booking.BuildingBlocks.Contracts;

namespace Booking.Tenancy.Contracts;

/// <summary>
/// A staff member asked to reset their password (or an owner or admin asked for them). Notifications emails the link
/// (valid until ExpiresAt) to the staff address. The link carries a single-use token; Tenancy stores only its hash, and
/// the event carries the link only encrypted (<c>ProtectedResetLinks.Protect</c>, Data Protection). <see cref="ProtectedResetUrl"/>
/// is null in an event written before it was added (it carried the plain link, no longer read): such an event sends nothing.
/// </summary>
public sealed record StaffPasswordResetRequested(Guid EventId, Guid TenantId, Guid StaffId, string Email, string Name, string? ProtectedResetUrl, DateTimeOffset ExpiresAt) : IIntegrationEvent;

/// <summary>
/// A staff member's sign-in email was changed: the link sent to the new address (<see cref="StaffEmailChangeRequested"/>)
/// was followed. Tenancy has already ended their sessions and cancelled their open reset links; Notifications tells the
/// old address, so a change the person did not make does not go unnoticed.
/// </summary>
public sealed record StaffSignInEmailChanged(Guid EventId, Guid TenantId, Guid StaffId, string OldEmail, string NewEmail, string Name) : IIntegrationEvent;

/// <summary>
/// Someone asked to change the address a staff member signs in with (the person themselves, with their current
/// password, or an owner or admin under Setup → Team). Nothing has changed yet: Notifications emails
/// <see cref="NewEmail"/> the link that makes the change (valid until ExpiresAt; carried only encrypted, as a reset link,
/// <c>ProtectedResetLinks.Protect</c>), and tells <see cref="OldEmail"/> that the change was asked for, with
/// <see cref="ForgotPasswordUrl"/> (the business's forgot-password page, no secret in it): a password reset stops the change.
/// </summary>
public sealed record StaffEmailChangeRequested(
    Guid EventId, Guid TenantId, Guid StaffId, string Name, string OldEmail, string NewEmail, string ProtectedConfirmUrl, string ForgotPasswordUrl,
    DateTimeOffset ExpiresAt) : IIntegrationEvent;
