using Booking.BuildingBlocks.Security;

namespace Booking.Tenancy.Domain;

/// <summary>A staff member's single-use reset link; only the SHA-256 of its token is kept.</summary>
public sealed class StaffPasswordResetToken : PasswordResetTokenRow
{
    public Guid StaffId { get; set; }
}

/// <summary>
/// A staff forgot-password request handed on to the background (where the address is looked up and, if it is a
/// staff member's, a link is sent). Kept for staff and unknown addresses alike, for the per-address and per-IP limits.
/// </summary>
public sealed class StaffPasswordResetRequest : PasswordResetRequestRow;
