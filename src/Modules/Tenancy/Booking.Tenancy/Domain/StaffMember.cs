using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Contracts;

namespace Booking.Tenancy.Domain;

/// <summary>A person who works for a business and signs in to set it up or read the diary.</summary>
public sealed class StaffMember : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Lower case; unique within the business.</summary>
    public string Email { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    public string Role { get; set; } = StaffRoles.Practitioner;

    /// <summary>
    /// Goes up by one whenever the person's sessions end (a removal, a role change, a password change or reset, a change of
    /// sign-in email): <c>StaffSessions.EndAllInTransactionAsync</c> raises it first in that change's transaction. A sign-in
    /// reads it with the row before the password's check and stores its session only while the row still carries it, so a
    /// sign-in in flight never outlives the change (decision 337). 0 for everyone before it.
    /// </summary>
    public int SecurityStamp { get; set; }

    /// <summary>The diaries this person works in (Roster's ids); empty for none.</summary>
    public List<Guid> DiaryIds { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// When the person showed they read mail at <see cref="Email"/>: they used a password reset link emailed there.
    /// Null until then (sign-up and Team take the address as typed), and again after the email changes. Booking and
    /// cancellation request emails go only to a proven address (Notifications, through <c>GetStaffAddresses</c>).
    /// </summary>
    public DateTimeOffset? EmailProvenAt { get; set; }

    /// <summary>
    /// Marks <see cref="Email"/> proven at <paramref name="at"/> and publishes <see cref="StaffEmailProven"/> (through
    /// <paramref name="publish"/>, the outbox of the save that keeps it), so addresses waiting for confirmation as a diary
    /// contact or extra address are confirmed. An address proven before stays so (no second event), unless
    /// <paramref name="newAddress"/>: the email just changed to an address the link came back from.
    /// </summary>
    public void ProveEmail(DateTimeOffset at, Action<IIntegrationEvent> publish, bool newAddress = false)
    {
        if (EmailProvenAt is not null && !newAddress)
        {
            return;
        }

        EmailProvenAt = at;
        publish(new StaffEmailProven(Guid.CreateVersion7(), TenantId, Id, Email));
    }

    /// <summary>
    /// When they were added without a password and invited by email to choose one (decision 248); null once they have
    /// set a password (with the invitation's link or any reset link), and for everyone given a password when added.
    /// Until then <see cref="PasswordHash"/> is the hash of a random secret nobody was told: nobody signs in as them.
    /// </summary>
    public DateTimeOffset? InvitedAt { get; set; }

    /// <summary>
    /// The name of whoever sent their latest invitation (added them, sent it again, or changed their email while invited),
    /// for the email's "… added you to …" when the invitation is sent again without them: the person asked for it with
    /// "Forgot your password?". Null for people given a password, and for invitations sent before it was kept.
    /// </summary>
    public string? InvitedBy { get; set; }
}
