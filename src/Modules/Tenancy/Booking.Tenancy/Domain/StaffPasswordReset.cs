using Booking.BuildingBlocks.Data;

namespace Booking.Tenancy.Domain;

/// <summary>A staff member's single-use reset link; only the SHA-256 of its token is kept.</summary>
public sealed class StaffPasswordResetToken : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public Guid StaffId { get; set; }

    public byte[] TokenHash { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }

    /// <summary>A link works once, within its lifetime.</summary>
    public bool IsUsableAt(DateTimeOffset now) => UsedAt is null && ExpiresAt > now;
}

/// <summary>
/// A staff forgot-password request handed on to the background (where the address is looked up and, if it is a
/// staff member's, a link is sent). Kept for staff and unknown addresses alike, for the per-address and per-IP limits.
/// </summary>
public sealed class StaffPasswordResetRequest : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    /// <summary>Lower case.</summary>
    public string Email { get; set; } = "";

    public string Ip { get; set; } = "";

    public DateTimeOffset At { get; set; }
}
