using Booking.BuildingBlocks.Security;

namespace Booking.Tenancy.Domain;

/// <summary>
/// A staff member's single-use reset link; only the SHA-256 of its token is kept. An <see cref="Invitation"/> is the
/// same kind of link, made when an owner or admin adds someone without a password (decision 248): it sets their first
/// password as a reset link sets a new one, and lives <see cref="StaffInvitationLimits.LinkLifetime"/> instead.
/// </summary>
public sealed class StaffPasswordResetToken : PasswordResetTokenRow
{
    public Guid StaffId { get; set; }

    /// <summary>The link of an invitation to the team (Setup → Team, added without a password), not a forgot-password link.</summary>
    public bool Invitation { get; set; }
}

/// <summary>Invitations to the team (<c>Tenancy:Invitation</c>, decision 248).</summary>
public sealed class StaffInvitationLimits
{
    public const string Section = "Tenancy:Invitation";

    /// <summary>
    /// How long an invitation's link works: 7 days, as a new colleague may not read the email the day they are added
    /// (a reset link, asked for by the person at that moment, lives minutes). Sending it again ends the earlier link.
    /// </summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Invitations to one person in an hour (the first and "Send the invitation again"); more → rate-limited.</summary>
    public int PerPersonPerHour { get; set; } = 3;

    /// <summary>Invitations from one business in an hour (a business adding people at made-up addresses); more → rate-limited.</summary>
    public int PerBusinessPerHour { get; set; } = 20;
}

/// <summary>
/// A staff forgot-password request handed on to the background (where the address is looked up and, if it is a
/// staff member's, a link is sent). Kept for staff and unknown addresses alike, for the per-address and per-IP limits.
/// </summary>
public sealed class StaffPasswordResetRequest : PasswordResetRequestRow;
