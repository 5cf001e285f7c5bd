using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Security;

namespace Booking.PortalAuth.Domain;

public static class ClientStatus
{
    public const string Active = "active";
    public const string PendingApproval = "pending-approval";
}

/// <summary>A person a business serves. The same email or phone at another business is another, unrelated client.</summary>
public sealed class Client : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public string FirstName { get; set; } = "";

    public string LastName { get; set; } = "";

    /// <summary>Lower case; optional for clients who sign in by phone.</summary>
    public string? Email { get; set; }

    /// <summary>
    /// When the email last changed (the client's own emailed link, or staff); null if never. An email-change link made
    /// before it is dead, even once the email is back to the one the link names.
    /// </summary>
    public DateTimeOffset? EmailChangedAt { get; set; }

    /// <summary>
    /// When the email was proven by its owner: a reset link sent to it was used, or it became the client's through the
    /// client's own confirm-email link. Null while the address is only typed (registration, the new-client flow, staff),
    /// and again whenever staff change it. The first reset of an unproven email is a claim of the account by the
    /// address's owner (<c>AccountClaim</c>, decision 262): what whoever held the account before attached goes.
    /// </summary>
    public DateTimeOffset? EmailConfirmedAt { get; set; }

    /// <summary>E.164.</summary>
    public string? Mobile { get; set; }

    /// <summary>
    /// The mobile is the client's for phone sign-in: proven by an SMS code (the new-client flow) or put on file by
    /// staff or the seed. A mobile typed at email registration is only a claim: phone sign-in treats it as not on file,
    /// and the phone's proven owner takes it over through the new-client flow.
    /// </summary>
    public bool MobileVerified { get; set; }

    /// <summary>
    /// The mobile's verification is the business's (staff put the number on file, or the seed), not a code proven by
    /// whoever held the account: a claim of the account by its email's owner keeps it (decision 262).
    /// </summary>
    public bool MobileVouchedByStaff { get; set; }

    /// <summary>
    /// When a code texted to <see cref="Mobile"/> was last given back for this client: a phone sign-in, the portal's
    /// proof of a mobile, or the new-client flow. Null while the number was only typed (by staff, the seed or at
    /// registration) and never used: staff changing or removing such a number texts nobody (decision 304).
    /// </summary>
    public DateTimeOffset? MobileUsedAt { get; set; }

    /// <summary>
    /// The mobile is one its holder has used for this account (proven by a code), so changing or removing it is worth a
    /// text to it: a staff-typed number nobody ever signed in with has nothing to warn about (decision 304).
    /// </summary>
    public bool MobileUsed => MobileVerified && (!MobileVouchedByStaff || MobileUsedAt is not null);

    /// <summary>
    /// Another number to call the client on, E.164 of any type (a landline, a work number), put on file by staff
    /// (decision 292). Never used for sign-in or texts: <see cref="Mobile"/> is that number.
    /// </summary>
    public string? OtherPhone { get; set; }

    /// <summary>Null until the client sets a password (phone-only clients).</summary>
    public string? PasswordHash { get; set; }

    /// <summary>
    /// Goes up by one whenever the account is secured and the client's sessions end for it (a password change or reset,
    /// a replaced mobile, the client's or staff's, a change of email by staff, a merge that gives the record an email):
    /// <c>PortalSessions.EndAllInTransactionAsync</c> raises it in that change's transaction. An email-change link carries
    /// the stamp it was made under and is dead once it differs, so a link asked for from a session that ended with the
    /// change does not outlive it (decision 328). 0 for every client before it.
    /// </summary>
    public int SecurityStamp { get; set; }

    public string Status { get; set; } = ClientStatus.Active;

    /// <summary>
    /// Joined through the phone new-client flow and has filed no booking request yet: the portal opens only the booking
    /// flow. Cleared for good by the first appointment of theirs Appointments announces, whatever becomes of it.
    /// </summary>
    public bool AwaitingFirstRequest { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<Pet> Pets { get; set; } = [];
}

/// <summary>
/// One of a client's pets. A pet the client removes stays as a row (appointments name it, past and upcoming) with
/// <see cref="RemovedAt"/> set; the named query filter <see cref="OnFile"/> keeps it out of every read unless a read
/// names that filter to ignore (the appointments' names of pets, <c>GetPetNames</c>).
/// </summary>
public sealed class Pet : ITenantOwned
{
    /// <summary>The named query filter that leaves removed pets out (beside the tenant filter).</summary>
    public const string OnFile = "PetOnFile";

    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public string Name { get; set; } = "";

    public string Species { get; set; } = "";

    public string? Breed { get; set; }

    public string? Notes { get; set; }

    /// <summary>When the client removed the pet; null while it is on file. A concurrency token: a change or removal saves only while it is still null.</summary>
    public DateTimeOffset? RemovedAt { get; set; }
}

/// <summary>A client's single-use reset link; only the SHA-256 of its token is kept.</summary>
public sealed class PasswordResetToken : PasswordResetTokenRow
{
    public Guid ClientId { get; set; }
}

/// <summary>
/// A forgot-password request handed on to the background (where the address is looked up and, if registered, a
/// link is sent). Kept for registered and unknown addresses alike, for the per-address and per-IP limits.
/// </summary>
public sealed class PasswordResetRequest : PasswordResetRequestRow;
