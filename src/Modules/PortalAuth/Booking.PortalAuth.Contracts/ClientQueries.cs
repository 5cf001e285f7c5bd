using Booking.BuildingBlocks.Contracts;
using Mediator;

namespace Booking.PortalAuth.Contracts;

/// <summary>Clients of the current business by id (missing ids are left out).</summary>
public sealed record GetClients(IReadOnlyCollection<Guid> Ids) : IQuery<IReadOnlyList<ClientView>>;

/// <summary>
/// Status: "active" or "pending-approval". Mobile in E.164. AwaitingFirstRequest: the client joined by phone and their
/// row still says they owe their first booking request (a mark that is only ever cleared, never set again): a booking
/// passes it on in its event (<c>AppointmentBooked.ClientAwaitingFirstRequest</c>), so PortalAuth clears the mark only
/// when there is one. MobileVerified: the mobile is the client's (proven by an SMS code, or put on file by staff or
/// the seed); false for a mobile only typed at email registration, which Notifications' <c>{ClientMobilePhone}</c>
/// leaves empty, as phone sign-in treats it as not on file. OtherPhone: another number staff call the client on (a
/// landline; decision 292), never texted.
/// </summary>
public sealed record ClientView(Guid Id, string FirstName, string LastName, string? Email, string? Mobile, string Status, IReadOnlyList<PetView> Pets,
    bool AwaitingFirstRequest = false, bool MobileVerified = false, string? OtherPhone = null)
{
    public string FullName => $"{FirstName} {LastName}".Trim();
}

/// <summary>A pet on file. <see cref="ClientView.Pets"/> lists only these: a pet the client removed is not offered or bookable.</summary>
public sealed record PetView(Guid Id, string Name, string Species, string? Breed)
{
    /// <summary>The notes on file (health, temperament, care); null without (the diary contact's {PetNotes}, decision 338).</summary>
    public string? Notes { get; init; }
}

/// <summary>
/// The names of pets of the current business by id, removed ones included (an appointment keeps naming the pet it was
/// for); missing ids are left out. For the few a client's <see cref="ClientView.Pets"/> no longer lists.
/// </summary>
public sealed record GetPetNames(IReadOnlyCollection<Guid> Ids) : IQuery<IReadOnlyDictionary<Guid, string>>;

/// <summary>
/// Pets of the current business by id, as staff pages name them (decision 311): name, species and breed as on file now
/// (a rename or a corrected breed follows the same animal into its appointments, past and upcoming), removed ones
/// included with <see cref="PetFacts.Removed"/>; missing ids are left out.
/// </summary>
public sealed record GetPetFacts(IReadOnlyCollection<Guid> Ids) : IQuery<IReadOnlyDictionary<Guid, PetFacts>>;

/// <summary>A pet as staff pages name it. Removed: taken off the client's pets (by the client, staff or a merge); its appointments stay.</summary>
public sealed record PetFacts(Guid Id, string Name, string Species, string? Breed, bool Removed)
{
    /// <summary>"dog, Shih-tzu", or the species alone without a breed ("" with neither).</summary>
    public string Kind => string.Join(", ", new[] { Species, Breed }.Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => w!.Trim()));

    /// <summary>"Thor (dog, Shih-tzu)": the name with what it is, for a groomer to know before the animal arrives.</summary>
    public string Described => Kind.Length == 0 ? Name : $"{Name} ({Kind})";

    /// <summary>
    /// The notes on file ("Bites when nervous": health, temperament, care, as the client or staff wrote them); null
    /// without. Staff pages show them where the groomer works (decision 338).
    /// </summary>
    public string? Notes { get; init; }

    /// <summary>The words after a removed pet's name on staff pages, with the space before them; "" while it is on file.</summary>
    public string RemovedNote => Removed ? " — removed from the client's pets; the appointment still stands" : "";
}

/// <summary>
/// A client asked to reset their password. Notifications emails the link (valid until ExpiresAt).
/// The link carries a single-use token; PortalAuth stores only its hash, and the event carries the link only encrypted
/// (<c>ProtectedResetLinks.Protect</c>, Data Protection): the outbox row and the job's arguments never hold a working link.
/// <see cref="ProtectedResetUrl"/> is null in an event written before it was added (it carried the plain link, which
/// is no longer read): such an event sends nothing, and the client asks again. <see cref="HasPassword"/> is false for a
/// client who has none yet (joined by phone, or added by staff): the link sets their first password, and the email says
/// so rather than "your password stays as it is" (true in an event written before it was added).
/// </summary>
public sealed record PasswordResetRequested(Guid EventId, Guid TenantId, Guid ClientId, string Email, string FirstName, string? ProtectedResetUrl, DateTimeOffset ExpiresAt, bool HasPassword = true) : IIntegrationEvent;

/// <summary>A client came into being through the portal (register or the phone new-client flow).</summary>
public sealed record ClientJoined(Guid EventId, Guid TenantId, Guid ClientId, string Status, string Via) : IIntegrationEvent;

/// <summary>
/// A client's unproven mobile (typed at email registration) was taken off their account because someone proved the
/// number by an SMS code (the phone new-client flow, or another client verifying it from the portal). Notifications
/// tells the client by email. <see cref="MobileEnding"/>: the number's last three digits only, all the email shows.
/// </summary>
public sealed record MobileClaimRemoved(Guid EventId, Guid TenantId, Guid ClientId, string? Email, string FirstName, string MobileEnding) : IIntegrationEvent;

/// <summary>
/// Staff approved a client who was waiting for approval: their portal bookings are confirmed from now on, not
/// requested. Notifications emails the client; PortalAuth texts one who has no email but a mobile (review J17).
/// </summary>
public sealed record ClientApproved(Guid EventId, Guid TenantId, Guid ClientId) : IIntegrationEvent;

/// <summary>
/// Staff changed the email a client signs in with (<c>ChangeClient</c>), from one address to another. PortalAuth has
/// already cancelled the client's open reset links and ends their portal sessions; Notifications tells the old address
/// (kind <c>client-sign-in-email-changed</c>, never resent), so a change the client did not ask for (a mistaken edit,
/// or someone moving the sign-in to an address of their own to reset it there) does not go unnoticed. Not published
/// when the client had no email before (nobody to tell, nothing to take over), nor for a change of case only.
/// <para>
/// Also published when the client changed it themselves (<see cref="ByClient"/>: from Your details, once the new address
/// was proven by the link emailed to it, <see cref="ClientEmailChangeRequested"/>); their sessions then stay, and the
/// notice says the change was made from their account rather than by the business. False in events written before it.
/// </para>
/// </summary>
public sealed record ClientSignInEmailChanged(Guid EventId, Guid TenantId, Guid ClientId, string FirstName, string OldEmail, string NewEmail, DateTimeOffset ChangedAt,
    bool ByClient = false)
    : IIntegrationEvent;

/// <summary>
/// A signed-in client asked to use <see cref="NewEmail"/> on their account (Your details, <c>POST
/// /api/v1/portal/me/email/start</c>). Notifications emails that address a link that, opened before
/// <see cref="ExpiresAt"/>, makes it the client's email (kind <c>client-email-confirmation</c>, never resent). The link
/// is carried encrypted (<c>ProtectedResetLinks.Protect</c>), as a reset link is: no outbox row or job argument holds a
/// working one. Nothing changes until the link is used.
/// </summary>
public sealed record ClientEmailChangeRequested(Guid EventId, Guid TenantId, Guid ClientId, string NewEmail, string FirstName, string ProtectedConfirmUrl,
    DateTimeOffset ExpiresAt) : IIntegrationEvent;

/// <summary>
/// Staff changed or removed a client's mobile (<c>ChangeClient</c>), which phone sign-in finds them by. In the same
/// save PortalAuth ended the client's portal sessions and the sign-in codes in flight for the old number (and the
/// client's own proofs of a mobile); then PortalAuth texts the old number, when it was proven the client's
/// (<see cref="OldMobileProven"/>: a claim typed at registration may be someone else's), and Notifications emails the
/// client's sign-in email of before the change, when there was one (kind <c>client-mobile-changed</c>). Both say the
/// business made the change and whom to ask if the client did not ask for it, and show only the new number's last three
/// digits (<see cref="NewMobileEnding"/>, null when the mobile was removed). Not published when the client had no mobile
/// before, nor when the number is the same once read as E.164.
/// <para>
/// Also published when the client replaced their verified mobile themselves (<see cref="ByClient"/>: Your details, the
/// new number proven by a code texted to it, <c>VerifyMyMobile</c>; decision 348): the old number (when proven the
/// client's) and the email on file hear of it in their own words ("changed from your account", not "the business
/// changed"), in case the session was not the owner's. The client's other sessions ended (decision 320); this one stays.
/// False in events written before it.
/// </para>
/// </summary>
public sealed record ClientMobileChanged(
    Guid EventId,
    Guid TenantId,
    Guid ClientId,
    string FirstName,
    string? Email,
    string OldMobile,
    bool OldMobileProven,
    string? NewMobileEnding,
    DateTimeOffset ChangedAt,
    bool ByClient = false) : IIntegrationEvent
{
    /// <summary>The last three digits of an E.164 number: all a notice about it shows.</summary>
    public static string Ending(string mobile) => mobile.Length > 3 ? mobile[^3..] : mobile;
}

/// <summary>
/// How many clients of the current business have a mobile but no email: they can sign in to the portal only by phone,
/// so with phone sign-in off they cannot sign in at all. Setup → Client Portal asks it before phone sign-in is switched
/// off, and <c>PUT /api/v1/admin/portal-settings</c> reports it (<c>phoneOnlyClientsLockedOut</c>).
/// </summary>
public sealed record CountPhoneOnlyClients : IQuery<int>;

/// <summary>
/// How many clients of the current business have an email but no mobile they can sign in with (none on file, or one
/// typed at email registration and never proven by a code, which phone sign-in does not know): they can sign in to the
/// portal only with their email and password, so with email sign-in off they cannot sign in at all. Setup → Client
/// Portal asks it before email sign-in is switched off, and <c>PUT /api/v1/admin/portal-settings</c> reports it
/// (<c>emailOnlyClientsLockedOut</c>).
/// </summary>
public sealed record CountEmailOnlyClients : IQuery<int>;

/// <summary>
/// Whether the current business has any client who could sign in only with their email (as <see cref="CountEmailOnlyClients"/>
/// counts them): the client portal's pages ask it on every view while email sign-in is off, to tell such clients what to
/// do. It stops at the first such client, where the count reads them all.
/// </summary>
public sealed record AnyEmailOnlyClients : IQuery<bool>;

/// <summary>
/// Whether this business has a client with a mobile and no email: one who could only ever sign in by phone, the one
/// the portal's "if you used to sign in with your mobile" note is for while phone sign-in is off.
/// </summary>
public sealed record AnyPhoneOnlyClients : IQuery<bool>;

/// <summary>
/// How many clients of the current business would be cut off from texts if the countries the business texts to went
/// from <see cref="From"/> to <see cref="To"/> (ISO 3166-1 alpha-2): clients whose mobile is allowed now and refused then
/// (<c>SmsCountries.Allows</c>, the rule every text and code follows), counting a mobile proven the client's (they sign
/// in by phone with it) or the mobile of a client with no email (their texts go there). Those clients could no longer
/// sign in by phone nor get texts. Setup → Business details asks it before a change of the country moves the SMS
/// countries, and <c>PUT /api/v1/admin/business</c> answers 409 <c>clients-cut-off</c> with it unless confirmed.
/// </summary>
public sealed record CountClientsLosingTexts(IReadOnlyList<string> From, IReadOnlyList<string> To) : IQuery<int>;

/// <summary>
/// Staff merged client <paramref name="AwayId"/> into <paramref name="KeepId"/> (decision 287); the merged-away record is
/// gone. Published in the merge's save: Appointments moves any appointment still under the old id to the kept client
/// once more after the merge (decision 293), a booking for the old record that was under way while the merge ran and
/// saved after its own sweeps (a staff booking takes no client lock; a portal booking reads the client before it).
/// </summary>
public sealed record ClientsMerged(Guid EventId, Guid TenantId, Guid AwayId, Guid KeepId, DateTimeOffset MergedAt) : IIntegrationEvent
{
    /// <summary>
    /// Decision 314: the kept record's proven mobile when the merge gave that record an email and password sign-in its
    /// holder never proved (they signed in by phone): PortalAuth texts it one notice. Null: nothing to tell.
    /// </summary>
    public string? NoticeMobile { get; init; }

    /// <summary>
    /// Decision 319 (the mirror of <see cref="NoticeMobile"/>): the kept record has an email and gained the other record's
    /// mobile, a phone sign-in by code its holder never proved: Notifications emails that address one notice, naming the
    /// number by its last three digits only. Null: nothing to tell.
    /// </summary>
    public MergeEmailNotice? NoticeEmail { get; init; }
}

/// <summary>
/// Whom <see cref="ClientsMerged.NoticeEmail"/> tells: the kept record's <paramref name="Email"/> and first name, and the
/// carried mobile's last three digits (<see cref="ClientMobileChanged.Ending"/>), all a notice shows of the number.
/// </summary>
public sealed record MergeEmailNotice(string Email, string FirstName, string MobileEnding)
{
    /// <summary>
    /// Decision 340: the last three digits of the kept record's unconfirmed mobile that the carried one replaced (staff's
    /// "replace the unconfirmed mobile"), said in the same email; null when the kept record had no mobile.
    /// </summary>
    public string? ReplacedMobileEnding { get; init; }
}
