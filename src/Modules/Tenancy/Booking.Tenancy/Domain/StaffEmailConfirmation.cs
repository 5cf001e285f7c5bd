using Booking.BuildingBlocks.Security;

namespace Booking.Tenancy.Domain;

/// <summary>
/// A staff email link (decision 236): a single-use link emailed to <see cref="PasswordResetTokenRow.SentTo"/> whose use
/// makes that address the person's sign-in email, proven. One kind for both of its uses: sent to the sign-in email
/// itself (a new business's owner at sign-up, "Send the link again") it proves the address; sent to another address (a
/// change of the sign-in email, decision 232) it also moves the sign-in there. The shape of a reset link's row: only the
/// SHA-256 of its token is kept, it expires, and it is used once.
/// </summary>
public sealed class StaffEmailConfirmationToken : PasswordResetTokenRow
{
    public Guid StaffId { get; set; }

    /// <summary>When a change of the sign-in email waiting for this link was called off (the link then says so).</summary>
    public DateTimeOffset? CalledOffAt { get; set; }
}

/// <summary>How long a staff email confirmation link lives and how many may be sent ("Tenancy:EmailConfirmation").</summary>
public sealed class StaffEmailConfirmationLimits
{
    public const string Section = "Tenancy:EmailConfirmation";

    /// <summary>
    /// Every staff email link's lifetime, whether it proves the sign-in email or changes it (decision 236): a day, as a
    /// client's email-change link (decision 214). A link that can move the sign-in to another inbox should not lie in
    /// a mistyped address's mailbox for a week; a new owner who reads the sign-up's email later sends another.
    /// </summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Links to one staff member in 24 hours, the one sent at sign-up included; more → rate-limited.</summary>
    public int LinksPerPersonPerDay { get; set; } = 3;

    /// <summary>Links from one business in 24 hours (a business adding staff at made-up addresses and sending to each).</summary>
    public int LinksPerBusinessPerDay { get; set; } = 20;
}
