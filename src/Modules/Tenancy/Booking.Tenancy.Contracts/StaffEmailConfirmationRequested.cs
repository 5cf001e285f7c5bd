using Booking.BuildingBlocks.Contracts;

namespace Booking.Tenancy.Contracts;

/// <summary>
/// A staff member's sign-in email is to be confirmed (a new business's owner at sign-up, or a staff member who asked
/// again): Notifications emails them the link (valid until ExpiresAt). Opening it and confirming proves the address,
/// as a used reset link does, so the booking and cancellation request emails held back from it go there from then on.
/// The link carries a single-use token whose hash alone Tenancy keeps; the event carries it only encrypted
/// (<c>ProtectedResetLinks.Protect</c>), as the reset events do.
/// </summary>
public sealed record StaffEmailConfirmationRequested(
    Guid EventId, Guid TenantId, Guid StaffId, string Email, string Name, string ProtectedConfirmUrl, DateTimeOffset ExpiresAt) : IIntegrationEvent;
