using Booking.BuildingBlocks.Data;

namespace Booking.Notifications.Domain;

/// <summary>
/// One email to send: one row per (event, recipient, kind), unique in the database, so a re-delivered event
/// cannot make a second message. The delivery job claims the row atomically before it talks to SMTP.
/// </summary>
public sealed class OutboundMessage : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public Guid EventId { get; set; }

    public string Recipient { get; set; } = "";

    public string Kind { get; set; } = "";

    /// <summary>
    /// queued, retrying, sending (claimed, lease in LeaseUntil), sent, failed; withheld: written for the log only, never
    /// sent by itself (see <see cref="Note"/>), until staff send it again once its address is confirmed.
    /// </summary>
    public string Status { get; set; } = MessageStatus.Queued;

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>What to render, as JSON (<see cref="Rendering.MessageContent"/>): rendered by the job, at send time.</summary>
    public string Content { get; set; } = "{}";

    /// <summary>The subject as rendered when the message was written, for the log; null on rows written before it was kept.</summary>
    public string? Subject { get; set; }

    /// <summary>Whom an appointment's message is about (the client's name as it was then); null otherwise.</summary>
    public string? ClientName { get; set; }

    /// <summary>The appointment the message is about, for the log's link; null for other messages and older rows.</summary>
    public Guid? AppointmentId { get; set; }

    public DateTimeOffset? AppointmentStart { get; set; }

    /// <summary>"Full Groom for Rex with Gina the Groomer", as the calendar entry names it.</summary>
    public string? AppointmentSummary { get; set; }

    /// <summary>
    /// Why the message went where it went, or why it was not sent, in words for staff ("Not sent: the diary contact … has
    /// not confirmed their address…"); null for most messages.
    /// </summary>
    public string? Note { get; set; }

    /// <summary>
    /// Hex SHA-256 of the unsubscribe link's token the email carries (<see cref="MessageKinds.Unsubscribable"/> kinds
    /// only): a fresh 32 random bytes made by each claim that sends it, kept only as this hash, so no copy of a working
    /// link is at rest anywhere but in the email itself. The link is the row's: it unsubscribes the row's recipient
    /// from the row's business. Null for other kinds and rows never sent.
    /// </summary>
    public string? UnsubscribeTokenHash { get; set; }

    /// <summary>
    /// How many attempts failed over the message's whole life (each resend's too): unlike <see cref="Attempts"/> and
    /// <see cref="LastError"/>, which a resend starts afresh and a success clears, never lowered, so the log still says
    /// a message that went in the end failed first (decision 336).
    /// </summary>
    public int Failures { get; set; }

    /// <summary>When the first failed attempt ended; null while none has failed.</summary>
    public DateTimeOffset? FirstFailedAt { get; set; }

    /// <summary>When the latest failed attempt ended; null while none has failed.</summary>
    public DateTimeOffset? LastFailedAt { get; set; }

    /// <summary>The latest failed attempt's error ("SMTP 451: …"), kept after a later success or a resend.</summary>
    public string? LastFailure { get; set; }

    /// <summary>When staff last sent it again from the log; null if never.</summary>
    public DateTimeOffset? ResentAt { get; set; }

    /// <summary>Who last sent it again (the staff member's name as it was then); null if never, or not known.</summary>
    public string? ResentBy { get; set; }
}

public static class MessageStatus
{
    public const string Queued = "queued";
    public const string Retrying = "retrying";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";

    /// <summary>
    /// Not sent, and not to be sent by itself: nobody this business may mail could take it (a diary contact not confirmed
    /// and no confirmed stand-in; an owner's or admin's unproven sign-in email). Kept so the log shows it and why
    /// (<see cref="OutboundMessage.Note"/>); staff may send it once its address (or another) is confirmed.
    /// </summary>
    public const string Withheld = "withheld";

    /// <summary>
    /// The API's states: sent, failed, retrying (a temporary failure; tried again at NextAttemptAt), withheld (never sent,
    /// see the note), and queued (waiting for its first try, or being sent right now).
    /// </summary>
    public static string Public(string status) => status is Sent or Failed or Retrying or Withheld ? status : Queued;
}

/// <summary>
/// What a message is; part of its idempotency key. Every kind has plain words in <see cref="Labels"/>, the one place
/// pages and the API read them from (a test fails on a kind without words).
/// </summary>
public static class MessageKinds
{
    public const string DiaryContactNew = "diary-contact-new";
    public const string DiaryContactCancelled = "diary-contact-cancelled";
    public const string ExtraAddressNew = "extra-address-new";
    public const string ClientBookingConfirmation = "client-booking-confirmation";
    public const string ClientCancellationConfirmation = "client-cancellation-confirmation";
    public const string ClientBookingRequestReceived = "client-booking-request-received";
    public const string ClientBookingRequestAccepted = "client-booking-request-accepted";
    public const string ClientBookingRequestDeclined = "client-booking-request-declined";
    public const string ClientCancellationRequestAccepted = "client-cancellation-request-accepted";
    public const string ClientCancellationRequestDeclined = "client-cancellation-request-declined";
    public const string ClientPasswordReset = "client-password-reset";
    public const string StaffPasswordReset = "staff-password-reset";
    public const string ClientMobileClaimRemoved = "client-mobile-claim-removed";
    public const string ClientBookingRequestWithdrawn = "client-booking-request-withdrawn";
    public const string ClientBookingRequestCancelled = "client-booking-request-cancelled";
    public const string ClientCancellationRequestReceived = "client-cancellation-request-received";
    public const string DiaryContactBookingRequest = "diary-contact-booking-request";
    public const string DiaryContactCancellationRequest = "diary-contact-cancellation-request";
    public const string DiaryContactBookingRequestWithdrawn = "diary-contact-booking-request-withdrawn";
    public const string DiaryContactCancellationRequestWithdrawn = "diary-contact-cancellation-request-withdrawn";

    /// <summary>An appointment moved to another time (decision 282): the client's notice with the updated .ics, and the diary contact's.</summary>
    public const string ClientAppointmentMoved = "client-appointment-moved";
    public const string DiaryContactMoved = "diary-contact-moved";

    /// <summary>
    /// A request's email to the business's owners and admins (who can act on it under Requests), each address once and
    /// never the diary contact's, who is mailed as such.
    /// </summary>
    public const string StaffBookingRequest = "staff-booking-request";
    public const string StaffCancellationRequest = "staff-cancellation-request";
    public const string StaffBookingRequestWithdrawn = "staff-booking-request-withdrawn";
    public const string StaffCancellationRequestWithdrawn = "staff-cancellation-request-withdrawn";
    public const string ClientApproved = "client-approved";
    public const string StaffSignInEmailChanged = "staff-sign-in-email-changed";
    public const string ClientSignInEmailChanged = "client-sign-in-email-changed";
    public const string ExtraAddressConfirmation = "extra-address-confirmation";
    public const string DiaryContactConfirmation = "diary-contact-confirmation";
    public const string ClientMobileChanged = "client-mobile-changed";

    /// <summary>
    /// Decision 319: a merge gave the client's record (it has an email) the other record's mobile, a phone sign-in they
    /// never proved; to the kept record's email, the number by its last three digits only. Never sent again (<see cref="SignIn"/>).
    /// </summary>
    public const string ClientMergeAddedMobile = "client-merge-added-mobile";

    /// <summary>The link that proves a new email a client asked for under Your details, to that new address.</summary>
    public const string ClientEmailConfirmation = "client-email-confirmation";

    /// <summary>The link that makes a new address a staff member's sign-in email, to that new address (decision 232).</summary>
    public const string StaffEmailConfirmation = "staff-email-confirmation";

    /// <summary>To a staff member's sign-in address when a change of it was asked for: how to stop it.</summary>
    public const string StaffEmailChangeAsked = "staff-email-change-asked";

    /// <summary>The link that confirms a staff member's sign-in email (a new owner's at sign-up, or sent again on request).</summary>
    public const string StaffEmailVerification = "staff-email-verification";

    /// <summary>An invitation to a business's team: the link where the person added without a password chooses one (decision 248).</summary>
    public const string StaffInvitation = "staff-invitation";

    /// <summary>
    /// A diary contact's email sent instead to one of the business's confirmed extra addresses, because the contact has
    /// not confirmed its address (decision 196). Its own kind, so the log says it went to a stand-in; the row's note
    /// names the contact.
    /// </summary>
    public const string StandInCancelled = "stand-in-cancelled";
    public const string StandInBookingRequest = "stand-in-booking-request";
    public const string StandInCancellationRequest = "stand-in-cancellation-request";
    public const string StandInBookingRequestWithdrawn = "stand-in-booking-request-withdrawn";
    public const string StandInCancellationRequestWithdrawn = "stand-in-cancellation-request-withdrawn";

    /// <summary>The stand-in kind of each diary-contact kind that is stood in for (the "on new" email is not: see AppointmentBookedEmails).</summary>
    public static readonly IReadOnlyDictionary<string, string> StandIns = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [DiaryContactCancelled] = StandInCancelled,
        [DiaryContactBookingRequest] = StandInBookingRequest,
        [DiaryContactCancellationRequest] = StandInCancellationRequest,
        [DiaryContactBookingRequestWithdrawn] = StandInBookingRequestWithdrawn,
        [DiaryContactCancellationRequestWithdrawn] = StandInCancellationRequestWithdrawn,
    };

    /// <summary>
    /// The business's notification emails to the addresses of its settings: a diary's contact email and the extra
    /// addresses (standing in for a contact too). Their people are often not staff and asked for nothing themselves, so
    /// each such email carries a one-click unsubscribe (RFC 8058 <c>List-Unsubscribe</c> and <c>List-Unsubscribe-Post</c>,
    /// and "Stop these emails to …" in the footer). Not the client's emails (transactional, about the client's own
    /// booking), not the owners' and admins' request emails (to a staff member's sign-in email, for their role), not
    /// sign-in emails nor an address's confirmation (which asks first and is sent once).
    /// </summary>
    public static readonly IReadOnlySet<string> Unsubscribable = new HashSet<string>(StringComparer.Ordinal)
    {
        DiaryContactNew, DiaryContactCancelled, DiaryContactBookingRequest, DiaryContactCancellationRequest, DiaryContactBookingRequestWithdrawn,
        DiaryContactCancellationRequestWithdrawn, DiaryContactMoved,
        ExtraAddressNew, StandInCancelled, StandInBookingRequest, StandInCancellationRequest, StandInBookingRequestWithdrawn,
        StandInCancellationRequestWithdrawn,
    };

    /// <summary>Whether an unsubscribable kind went to the address as a diary's contact (else as an extra address).</summary>
    public static bool ToDiaryContact(string kind) => kind.StartsWith("diary-contact-", StringComparison.Ordinal);

    /// <summary>The owners' and admins' request emails: they go only to a proven sign-in email (or one confirmed in the business).</summary>
    public static readonly IReadOnlySet<string> ToDeciders = new HashSet<string>(StringComparer.Ordinal)
    {
        StaffBookingRequest, StaffCancellationRequest, StaffBookingRequestWithdrawn, StaffCancellationRequestWithdrawn,
    };

    /// <summary>
    /// Emails about signing in: a reset link, or the notice to an old address that the sign-in email changed. Staff may
    /// not send one again (<c>ResendMessage</c>): sent to another address it would hand an account's link to whoever
    /// typed it, or tell the change to someone other than the one it is about. A fresh reset is the way.
    /// </summary>
    public static readonly IReadOnlySet<string> SignIn = new HashSet<string>(StringComparer.Ordinal)
    {
        ClientPasswordReset, StaffPasswordReset, StaffSignInEmailChanged, ClientSignInEmailChanged, ClientEmailConfirmation,
        StaffEmailConfirmation, StaffEmailChangeAsked, StaffEmailVerification, StaffInvitation, ClientMergeAddedMobile,
    };

    /// <summary>
    /// Kinds whose content carries a reset link (encrypted while queued, removed once the email is sent or failed). The
    /// confirmation of an extra address carries its one-time link the same way.
    /// </summary>
    public static readonly IReadOnlySet<string> CarryResetLink = new HashSet<string>(StringComparer.Ordinal)
    {
        ClientPasswordReset, StaffPasswordReset, ExtraAddressConfirmation, DiaryContactConfirmation, ClientEmailConfirmation,
        StaffEmailConfirmation, StaffEmailVerification, StaffInvitation,
    };

    /// <summary>
    /// An address's confirmation email, asked as an extra address or as a diary's contact. Their limits count them
    /// together (one person, one business's asks).
    /// </summary>
    public static readonly IReadOnlySet<string> AddressConfirmations = new HashSet<string>(StringComparer.Ordinal)
    {
        ExtraAddressConfirmation, DiaryContactConfirmation,
    };

    /// <summary>
    /// Whether staff may send a failed message of this kind again. Not a sign-in email, and not an address's confirmation:
    /// sent to a corrected address it would let staff confirm an address themselves (Send again next to the address
    /// sends a fresh one, within its limits).
    /// </summary>
    public static bool MayResend(string kind) => !SignIn.Contains(kind) && !AddressConfirmations.Contains(kind);

    /// <summary>The words staff read for each kind: what it is, and to whom.</summary>
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [DiaryContactNew] = "New booking to diary contact",
        [DiaryContactCancelled] = "Cancelled booking to diary contact",
        [ExtraAddressNew] = "New booking to extra address",
        [DiaryContactBookingRequest] = "Booking request to diary contact",
        [DiaryContactCancellationRequest] = "Cancellation request to diary contact",
        [ClientBookingConfirmation] = "Booking confirmation to client",
        [ClientCancellationConfirmation] = "Cancellation confirmation to client",
        [ClientBookingRequestReceived] = "Booking request received, to client",
        [ClientBookingRequestAccepted] = "Booking request accepted, to client",
        [ClientBookingRequestDeclined] = "Booking request declined, to client",
        [ClientBookingRequestWithdrawn] = "Booking request withdrawn, to client",
        [ClientBookingRequestCancelled] = "Booking request cancelled by staff, to client",
        [ClientCancellationRequestReceived] = "Cancellation request received, to client",
        [ClientCancellationRequestAccepted] = "Cancellation request accepted, to client",
        [ClientCancellationRequestDeclined] = "Cancellation request declined, to client",
        [ClientPasswordReset] = "Password reset link to client",
        [StaffPasswordReset] = "Password reset link to staff member",
        [ClientMobileClaimRemoved] = "Mobile number removed, to client",
        [DiaryContactBookingRequestWithdrawn] = "Booking request withdrawn, to diary contact",
        [StaffBookingRequest] = "Booking request to owner or admin",
        [StaffCancellationRequest] = "Cancellation request to owner or admin",
        [StaffBookingRequestWithdrawn] = "Booking request withdrawn, to owner or admin",
        [DiaryContactCancellationRequestWithdrawn] = "Cancellation request withdrawn, to diary contact",
        [StaffCancellationRequestWithdrawn] = "Cancellation request withdrawn, to owner or admin",
        [StandInCancellationRequestWithdrawn] = "Cancellation request withdrawn, to extra address standing in for the diary contact",
        [ClientApproved] = "Approved as a client, to client",
        [StaffSignInEmailChanged] = "Sign-in email changed, to staff member's old address",
        [ClientSignInEmailChanged] = "Sign-in email changed, to client's old address",
        [ExtraAddressConfirmation] = "Confirm this address, to an extra address",
        [DiaryContactConfirmation] = "Confirm this address, to a diary contact",
        [ClientMobileChanged] = "Mobile number changed, to client",
        [ClientMergeAddedMobile] = "Mobile sign-in added by a merge, to client",
        [ClientEmailConfirmation] = "Confirm a new email, to the client's new address",
        [StaffEmailConfirmation] = "Confirm a new sign-in email, to the staff member's new address",
        [StaffEmailChangeAsked] = "Sign-in email change asked for, to staff member's address",
        [StaffEmailVerification] = "Confirm sign-in email, to staff member",
        [StaffInvitation] = "Invitation to the team, to the new staff member",
        [StandInCancelled] = "Cancelled booking to extra address, standing in for the diary contact",
        [StandInBookingRequest] = "Booking request to extra address, standing in for the diary contact",
        [StandInCancellationRequest] = "Cancellation request to extra address, standing in for the diary contact",
        [StandInBookingRequestWithdrawn] = "Booking request withdrawn, to extra address standing in for the diary contact",
        [ClientAppointmentMoved] = "Appointment moved, to client",
        [DiaryContactMoved] = "Appointment moved, to diary contact",
    };

    /// <summary>The kind in words; a kind no longer made (an old row) shows as "Email (code)".</summary>
    public static string Label(string kind) => Labels.TryGetValue(kind, out var label) ? label : $"Email ({kind})";

    /// <summary>A message to a client (these carry the business's Reply-To); the rest go to staff or the business's addresses.</summary>
    public static bool ToClient(string kind) => kind.StartsWith("client-", StringComparison.Ordinal);
}
