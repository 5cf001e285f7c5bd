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
/// A staff member's sign-in email was changed (by an owner or admin, or by themselves). Tenancy has already ended their
/// sessions and cancelled their open reset links; Notifications tells the old address, so a change the person did not
/// make does not go unnoticed.
/// </summary>
public sealed record StaffSignInEmailChanged(Guid EventId, Guid TenantId, Guid StaffId, string OldEmail, string NewEmail, string Name) : IIntegrationEvent;
