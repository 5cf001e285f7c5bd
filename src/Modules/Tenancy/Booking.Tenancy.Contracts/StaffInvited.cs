using Booking.BuildingBlocks.Contracts;

namespace Booking.Tenancy.Contracts;

/// <summary>
/// Someone was added to a business's team without a password, or their invitation was sent again (Setup → Team, decision
/// 248), or, while invited, their email was changed or they asked "Forgot your password?" (decision 257): Notifications
/// emails <see cref="Email"/> the link where they choose their password (valid until ExpiresAt).
/// Following it also proves the address. <see cref="InvitedBy"/> is the name of the owner or admin who added them, sent it
/// again or changed their email; empty when not known (an invitation from before the name was kept, sent again by the
/// person's own "Forgot your password?"). The link carries a single-use token whose hash alone Tenancy keeps; the event carries it only encrypted
/// (<c>ProtectedResetLinks.Protect</c>), as the reset events do.
/// </summary>
public sealed record StaffInvited(
    Guid EventId, Guid TenantId, Guid StaffId, string Email, string Name, string InvitedBy, string ProtectedInviteUrl, DateTimeOffset ExpiresAt) : IIntegrationEvent;
