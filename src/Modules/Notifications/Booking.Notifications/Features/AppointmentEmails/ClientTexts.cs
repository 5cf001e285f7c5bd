namespace Booking.Notifications.Features.AppointmentEmails;

/// <summary>
/// The built-in client emails (not tenant templates): same merge-field language, fixed text. "For: {PetName}" names the
/// pet an appointment is for; the line is left out when it is for the client (no pet). Emails that leave the client
/// with something to take up with the business (a confirmation, a request received or declined, an approval) end with
/// "Questions? Contact {BusinessContact}." ("… Demo Clinic on (02) 9999 0000 or at hello@demo.example.", <see
/// cref="Rendering.PortalClosings.ContactText"/>: no brackets, which a phone number written "(02) …" would double); the
/// confirmations carry the cancellation policy ("Cancellation policy:" is left out when the business has no text).
/// What the client may do next at the portal is a closing field (<see cref="Rendering.PortalClosings"/>: "{ClosingBooked}"
/// and the like), put in at send time in the words for the business's access levels; where it already points to the
/// business, it takes the place of "Questions? Contact …". A booking's confirmation, its request's receipt and its
/// acceptance echo the client's own note ("Your note: {AppointmentNote}", left out without one; the handlers empty the
/// field for an appointment staff booked, whose note is staff's).
/// </summary>
public static partial class ClientTexts
{
    public static readonly (string Subject, string Body) BookingConfirmation = (
        "Your appointment with {BusinessName} is confirmed",
        "Hi {ClientFirstName},\n\nYour appointment is confirmed:\n{ServiceName} {WithDiary}\nFor: {PetName}\n{AppointmentTimes}\nYour note: {AppointmentNote}\n\nCancellation policy: {CancellationPolicy}\n\nThe attached calendar file adds it to your calendar.\n\n{ClosingBooked}");

    public static readonly (string Subject, string Body) CancellationConfirmation = (
        "Your appointment with {BusinessName} is cancelled",
        "Hi {ClientFirstName},\n\nThis appointment has been cancelled:\n{ServiceName} {WithDiary}\nFor: {PetName}\n{AppointmentStartDateTime}\nReason: {CancellationReason}\n\n{ClosingBookAgain}");

    public static readonly (string Subject, string Body) BookingRequestReceived = (
        "{BusinessName} received your booking request",
        "Hi {ClientFirstName},\n\n{BusinessName} received your request for:\n{ServiceName} {WithDiary}\nFor: {PetName}\n{AppointmentTimes}\nYour note: {AppointmentNote}\n\nThis is not yet confirmed: we will email you when the business has decided.\n\n{ClosingRequested}");

    public static readonly (string Subject, string Body) BookingRequestAccepted = (
        "{BusinessName} accepted your booking request",
        "Hi {ClientFirstName},\n\n{BusinessName} accepted your booking request:\n{ServiceName} {WithDiary}\nFor: {PetName}\n{AppointmentTimes}\nYour note: {AppointmentNote}\n\nCancellation policy: {CancellationPolicy}\n\nThe attached calendar file adds it to your calendar.\n\n{ClosingBooked}");

    public static readonly (string Subject, string Body) BookingRequestDeclined = (
        "{BusinessName} declined your booking request",
        "Hi {ClientFirstName},\n\n{BusinessName} could not accept your booking request for:\n{ServiceName} {WithDiary}\nFor: {PetName}\n{AppointmentStartDateTime}\nReason: {DecisionReason}\n\n{ClosingDeclined}");

    /// <summary>For decision events written before they carried the appointment.</summary>
    public static readonly (string Subject, string Body) BookingRequestDeclinedWithoutAppointment = (
        "{BusinessName} declined your booking request",
        "Hi {ClientFirstName},\n\n{BusinessName} could not accept your booking request.\nReason: {DecisionReason}\n\n{ClosingDeclined}");

    public static readonly (string Subject, string Body) BookingRequestWithdrawn = (
        "You withdrew your booking request to {BusinessName}",
        "Hi {ClientFirstName},\n\nYou withdrew your booking request for:\n{ServiceName} {WithDiary}\nFor: {PetName}\n{AppointmentStartDateTime}\n\nNothing was booked. {ClosingChooseAnotherTime}");

    public static readonly (string Subject, string Body) BookingRequestCancelled = (
        "{BusinessName} cancelled your booking request",
        "Hi {ClientFirstName},\n\n{BusinessName} cancelled your booking request for:\n{ServiceName} {WithDiary}\nFor: {PetName}\n{AppointmentStartDateTime}\nReason: {CancellationReason}\n\nNothing was booked. {ClosingChooseAnotherTime}");

    public static readonly (string Subject, string Body) CancellationRequestReceived = (
        "{BusinessName} received your cancellation request",
        "Hi {ClientFirstName},\n\n{BusinessName} received your request to cancel:\n{ServiceName} {WithDiary}\nFor: {PetName}\n{AppointmentStartDateTime}\nReason: {CancellationReason}\n\nThe appointment stands until the business decides; we will email you then.\n\n{ClosingCancellationRequested}");

    public static readonly (string Subject, string Body) CancellationRequestAccepted = (
        "{BusinessName} accepted your cancellation request",
        "Hi {ClientFirstName},\n\n{BusinessName} accepted your request to cancel this appointment:\n{ServiceName} {WithDiary}\nFor: {PetName}\n{AppointmentStartDateTime}\nReason: {CancellationReason}\n\nThe attached calendar file removes it from your calendar.\n\n{ClosingBookAgain}");

    public static readonly (string Subject, string Body) CancellationRequestDeclined = (
        "{BusinessName} declined your cancellation request",
        "Hi {ClientFirstName},\n\n{BusinessName} could not accept your request to cancel this appointment; it stands:\n{ServiceName} {WithDiary}\nFor: {PetName}\n{AppointmentStartDateTime}\nReason: {DecisionReason}\n\n{ClosingStands}");

    /// <summary>For decision events written before they carried the appointment.</summary>
    public static readonly (string Subject, string Body) CancellationRequestDeclinedWithoutAppointment = (
        "{BusinessName} declined your cancellation request",
        "Hi {ClientFirstName},\n\n{BusinessName} could not accept your request to cancel; the appointment stands.\nReason: {DecisionReason}\n\n{ClosingStands}");

    public static readonly (string Subject, string Body) PasswordReset = (
        "Reset your {BusinessName} password",
        "Hi {ClientFirstName},\n\nSomeone asked to reset the password of your {BusinessName} client portal account. If it was you, open this link before {ResetExpiresDateTime}:\n{ResetUrl}\n\nIf it was not you, ignore this email: your password stays as it is.");

    /// <summary>The same link to a client who has no password yet (joined by phone, added by staff): it sets their first one.</summary>
    public static readonly (string Subject, string Body) PasswordFirst = (
        "Set a password for {BusinessName}",
        "Hi {ClientFirstName},\n\nSomeone asked to set a password for your {BusinessName} client portal account, so you can sign in with this email and a password. If it was you, open this link before {ResetExpiresDateTime}:\n{ResetUrl}\n\nIf it was not you, ignore this email: nothing changes, and you sign in as before.");

    /// <summary>To the old address, once staff changed the address a client signs in with (PortalAuth's <c>ClientSignInEmailChanged</c>).</summary>
    public static readonly (string Subject, string Body) SignInEmailChanged = (
        "Your {BusinessName} sign-in email was changed",
        "Hi {ClientFirstName},\n\n{BusinessName} changed the email you use to sign in to their client portal from this address to {NewSignInEmail}. You have been signed out, and any password reset link sent before the change no longer works.\n\nIf you didn't ask for this, contact {BusinessContact}.");

    /// <summary>
    /// To the old address, once the client changed their email themselves (Your details), after proving the new one by
    /// the emailed link (PortalAuth's <c>ClientSignInEmailChanged</c> with <c>ByClient</c>).
    /// </summary>
    public static readonly (string Subject, string Body) EmailChangedByClient = (
        "Your {BusinessName} email was changed",
        "Hi {ClientFirstName},\n\nThe email on your {BusinessName} client portal account was changed from this address to {NewSignInEmail}. It was changed from your account, and the new address was confirmed from an email we sent to it. Emails from {BusinessName} now go to the new address, and any password reset link sent to this one no longer works.\n\nIf you didn't do this, contact {BusinessContact}.");

    /// <summary>To the new address a client asked for under Your details (PortalAuth's <c>ClientEmailChangeRequested</c>): the link that makes it theirs.</summary>
    public static readonly (string Subject, string Body) EmailConfirmation = (
        "Confirm your email for {BusinessName}",
        "Hi {ClientFirstName},\n\nYou asked to use this email address for your {BusinessName} client portal account. To confirm it, open this link before {ResetExpiresDateTime}:\n{ResetUrl}\n\nIf it wasn't you, ignore this email: nothing changes.");

    /// <summary>
    /// To the client's email, once staff changed the mobile a client signs in with by phone (PortalAuth's
    /// <c>ClientMobileChanged</c>): the new number by its last three digits only.
    /// </summary>
    public static readonly (string Subject, string Body) MobileChanged = (
        "The mobile number on your {BusinessName} account was changed",
        "Hi {ClientFirstName},\n\n{BusinessName} changed the mobile number on your client portal account to a number ending in {MobileEnding}. Your old number no longer signs you in, you have been signed out, and any sign-in code sent before the change no longer works.\n\nIf you didn't ask for this, contact {BusinessContact}.");

    /// <summary>
    /// To the client's email on file, once the client replaced their verified mobile themselves (Your details, the new
    /// number proven by a code; PortalAuth's <c>ClientMobileChanged</c> with <c>ByClient</c>, decision 348): a sign-in
    /// factor changed, so the owner hears of it in case the session was not theirs.
    /// </summary>
    public static readonly (string Subject, string Body) MobileChangedByClient = (
        "The mobile number on your {BusinessName} account was changed",
        "Hi {ClientFirstName},\n\nThe mobile number on your {BusinessName} client portal account was changed to a number ending in {MobileEnding}. It was changed from your signed-in account, and the new number was confirmed with a code sent to it by SMS. Your old number no longer signs you in, and any other device signed in to your account has been signed out.\n\nIf you didn't do this, someone else may be using your account: contact {BusinessContact}.");

    /// <summary>As <see cref="MobileChanged"/>, when staff took the mobile off the account.</summary>
    public static readonly (string Subject, string Body) MobileRemoved = (
        "The mobile number on your {BusinessName} account was removed",
        "Hi {ClientFirstName},\n\n{BusinessName} removed the mobile number from your client portal account, so it no longer signs you in. You have been signed out, and any sign-in code sent before the change no longer works.\n\nIf you didn't ask for this, contact {BusinessContact}.");

    /// <summary>
    /// To the kept record's email, once a merge gave that record the other record's mobile (PortalAuth's
    /// <c>ClientsMerged.NoticeEmail</c>, decision 319): a phone that can now sign in by a code, by its last three digits
    /// only (if the two records are not one person, the email must not hand over the other's number), and whom to contact.
    /// </summary>
    public static readonly (string Subject, string Body) MergeAddedMobile = (
        "A mobile number can now sign in to your {BusinessName} account",
        "Hi {ClientFirstName},\n\n{BusinessName} joined another client record into your client portal account, and that record's mobile number, ending in {MobileEnding}, is now on your account: whoever has that phone can sign in to your account with a code sent to it by SMS, and see your appointments. Your email and password sign you in as before.\n\nIf that record isn't yours, contact {BusinessContact}.");

    /// <summary>
    /// <see cref="MergeAddedMobile"/> when the carried number replaced the record's own unconfirmed one (staff's "replace the
    /// unconfirmed mobile" on the Merge page, decision 340): one email says both, instead of a "mobile removed" email first.
    /// The old number never signed in (it was never confirmed with a code), so nothing about the client's sign-in is lost.
    /// </summary>
    public static readonly (string Subject, string Body) MergeReplacedMobile = (
        "A mobile number can now sign in to your {BusinessName} account",
        "Hi {ClientFirstName},\n\n{BusinessName} joined another client record into your client portal account, and that record's mobile number, ending in {MobileEnding}, is now on your account in place of the number ending in {ReplacedMobileEnding}, which was never confirmed with a code. Whoever has the new phone can sign in to your account with a code sent to it by SMS, and see your appointments. Your email and password sign you in as before.\n\nIf that record isn't yours, contact {BusinessContact}.");

    public static readonly (string Subject, string Body) MobileClaimRemoved = (
        "A mobile number is no longer on your {BusinessName} account",
        "Hi {ClientFirstName},\n\nThe mobile number ending in {MobileEnding} is no longer on your {BusinessName} client portal account, because its owner proved it is theirs with a code sent to it by SMS. Your account, appointments and password are as they were.\n\n{ClosingMobileClaim}");
}

/// <summary>
/// The built-in emails to the diary contact about requests that wait for staff (not tenant templates). A booking request
/// (always the client's, at the portal) carries the client's note: "Note from the client: …", left out without one.
/// </summary>
public static partial class StaffTexts
{
    public static readonly (string Subject, string Body) PasswordReset = (
        "Reset your {BusinessName} staff password",
        "Hi {StaffName},\n\nSomeone asked to reset the password you use to sign in to the staff pages of {BusinessName}. If it was you (or you asked a colleague to), open this link before {ResetExpiresDateTime}:\n{ResetUrl}\n\nIf it was not you, ignore this email: your password stays as it is.");

    /// <summary>
    /// To the old address, once the new one followed its link (decision 232). No "contact the owner": the person may be
    /// the only owner. This address heard of the change when it was asked for (<see cref="EmailChangeAsked"/>).
    /// </summary>
    public static readonly (string Subject, string Body) SignInEmailChanged = (
        "Your {BusinessName} sign-in email was changed",
        "Hi {StaffName},\n\nThe email you use to sign in to the staff pages of {BusinessName} is now {NewSignInEmail} instead of this address: the change was confirmed from an email we sent to {NewSignInEmail}. You have been signed out everywhere, and any password reset link sent to this address no longer works.\n\nIf you expected this, there is nothing to do. If you didn't, someone who could sign in to the staff pages of {BusinessName} made the change: an owner of {BusinessName} can change your email back under Setup → Team.");

    /// <summary>
    /// To a staff member's sign-in address when a change of it was asked for (decision 232), before anything changes:
    /// the way to stop it is theirs alone (a reset link goes to this address, and using it ends the change's link), so it
    /// is right for an owner too, who has nobody to ask.
    /// </summary>
    public static readonly (string Subject, string Body) EmailChangeAsked = (
        "Change of your {BusinessName} sign-in email asked for",
        "Hi {StaffName},\n\nSomeone asked to change the email you use to sign in to the staff pages of {BusinessName} from this address to {NewSignInEmail}. The change takes effect only if {NewSignInEmail} confirms it from the email we sent there, before {ResetExpiresDateTime}. Until then you still sign in with this address.\n\nIf you expected this, there is nothing to do. If this wasn't you, reset your password now at {ForgotPasswordUrl} with this address: the reset stops the change and signs everyone out of your account.");

    /// <summary>To the new address of a staff member's sign-in email change: the link that makes it theirs.</summary>
    public static readonly (string Subject, string Body) EmailConfirmation = (
        "Confirm your {BusinessName} sign-in email",
        "Hi {StaffName},\n\nThis address was given as the new email {StaffName} signs in with to the staff pages of {BusinessName}. To make it so, open this link before {ResetExpiresDateTime}:\n{ResetUrl}\n\nUntil then, nothing changes. If you don't know why you got this, ignore it.");

    private const string BookingRequestLines =
        "{ClientFullName} ({ClientPhone}, {ClientEmail}) asked to book:\n{ServiceName} {WithDiary}\nFor: {PetName}\n{AppointmentTimes}\nNote from the client: {AppointmentNote}\n\n";

    private const string CancellationRequestLines =
        "{ClientFullName} ({ClientPhone}, {ClientEmail}) asked to cancel:\n{ServiceName} {WithDiary}\nFor: {PetName}\n{AppointmentStartDateTime}\nReason: {CancellationReason}\n\n";

    /// <summary>
    /// A booking request, to a reader who cannot decide it (a practitioner's or a stranger's address as the diary contact,
    /// or an extra address standing in): who decides is named in the third person, as the copy's link leads to the
    /// appointment rather than to Requests (decision 251). <see cref="BookingRequestToDecider"/> for an owner or admin.
    /// </summary>
    public static readonly (string Subject, string Body) BookingRequest = (
        "Booking request: {ClientFullName}",
        BookingRequestLines + "It is not booked until the business's owner or an admin confirms it under Requests.");

    /// <summary>A booking request, to an owner's or admin's sign-in address (the copy that links to Requests): they decide it.</summary>
    public static readonly (string Subject, string Body) BookingRequestToDecider = (
        BookingRequest.Subject,
        BookingRequestLines + "It is not booked until you or another owner or admin confirms it under Requests.");

    /// <summary>A cancellation request, to a reader who cannot decide it (as <see cref="BookingRequest"/>).</summary>
    public static readonly (string Subject, string Body) CancellationRequest = (
        "Cancellation request: {ClientFullName}",
        CancellationRequestLines + "The appointment stands until the business's owner or an admin decides under Requests.");

    /// <summary>A cancellation request, to an owner's or admin's sign-in address: they decide it.</summary>
    public static readonly (string Subject, string Body) CancellationRequestToDecider = (
        CancellationRequest.Subject,
        CancellationRequestLines + "The appointment stands until you or another owner or admin decides under Requests.");
}
