using Booking.BuildingBlocks.Security;

namespace Booking.Tenancy.Domain;

/// <summary>
/// A single-use link that proves a staff member reads mail at their sign-in email (sent to a new business's owner at
/// sign-up, and again when they ask). The shape of a reset link's row: only the SHA-256 of its token is kept, it
/// expires, and it works only while <see cref="PasswordResetTokenRow.SentTo"/> is still the person's sign-in email.
/// </summary>
public sealed class StaffEmailConfirmationToken : PasswordResetTokenRow
{
    public Guid StaffId { get; set; }
}

/// <summary>How long a staff email confirmation link lives and how many may be sent ("Tenancy:EmailConfirmation").</summary>
public sealed class StaffEmailConfirmationLimits
{
    public const string Section = "Tenancy:EmailConfirmation";

    /// <summary>As an extra address's confirmation link: a new owner may not read the email the same day.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Links to one staff member in 24 hours, the one sent at sign-up included; more → rate-limited.</summary>
    public int LinksPerPersonPerDay { get; set; } = 3;

    /// <summary>Links from one business in 24 hours (a business adding staff at made-up addresses and sending to each).</summary>
    public int LinksPerBusinessPerDay { get; set; } = 20;
}
