using Booking.Tenancy.Contracts;

namespace Booking.Notifications.Rendering;

/// <summary>
/// The closing lines of the built-in client emails, which say only what the client can do at the portal now: each
/// email's text ends with one of these fields, and the renderer puts in the words for the business's access levels at
/// send time (<see cref="BusinessLook.PortalAccess"/>'s levels in effect: a switched-off portal reads as every level off), so a resend says
/// what is true then. Where the portal cannot do it, the line points to the business, "on" its phone "or" its email
/// (each only when given, <see cref="ContactText"/>); such a line takes the place of "Questions? Contact …", which would repeat it.
/// Not offered to tenant templates: they go to staff.
/// </summary>
public static class PortalClosings
{
    /// <summary>A booked appointment (the confirmation, the accepted booking request).</summary>
    public const string Booked = "ClosingBooked";

    /// <summary>
    /// A booked appointment already inside the cancellation window where the business refuses online cancellation
    /// then: the cancel page would only say it is too late, so the closing points to the business.
    /// </summary>
    public const string BookedLate = "ClosingBookedLate";

    /// <summary>A booked appointment already inside the window where the business takes cancellation requests.</summary>
    public const string BookedAskToCancel = "ClosingBookedAskToCancel";

    /// <summary>A booking request received: the client may withdraw it on its cancel page where cancelling is on.</summary>
    public const string Requested = "ClosingRequested";

    /// <summary>
    /// A cancellation request received (filed inside the policy window): the client may withdraw it and keep the
    /// appointment on its cancel page ("Keep my appointment", decision 228) where cancelling is on.
    /// </summary>
    public const string CancellationRequested = "ClosingCancellationRequested";

    /// <summary>
    /// A cancelled appointment (the cancellation, the accepted cancellation request): "To book again, visit …" then
    /// "Questions? Contact …" as the other client emails end, or "To book again, contact …" (which names the contact already).
    /// </summary>
    public const string BookAgain = "ClosingBookAgain";

    /// <summary>
    /// A booking request that came to nothing (withdrawn by the client, cancelled by staff): "To choose another time,
    /// visit …" then "Questions? Contact …", or "To choose another time, contact …" (which names the contact already).
    /// </summary>
    public const string ChooseAnotherTime = "ClosingChooseAnotherTime";

    /// <summary>A declined booking request.</summary>
    public const string Declined = "ClosingDeclined";

    /// <summary>A declined cancellation request: the appointment stands.</summary>
    public const string Stands = "ClosingStands";

    /// <summary>A client approved by staff.</summary>
    public const string Approved = "ClosingApproved";

    /// <summary>
    /// A mobile number taken off the client's account (they add theirs again under Your details), then "Questions? Contact
    /// …": they did nothing to cause it and may want to ask; with the portal off, "ask {business} to add it again" names
    /// the contact already.
    /// </summary>
    public const string MobileClaim = "ClosingMobileClaim";

    /// <summary>
    /// How to reach the business, for the built-in client texts ("contact {BusinessContact}."): its name, then "on" its
    /// phone and "or at" its email, each only when given (<see cref="ContactText"/>).
    /// </summary>
    public const string BusinessContact = "BusinessContact";

    public static readonly IReadOnlyList<string> Fields = [Booked, BookedLate, BookedAskToCancel, Requested, CancellationRequested, BookAgain, ChooseAnotherTime, Declined, Stands, Approved, MobileClaim, BusinessContact];

    /// <summary>
    /// "{BusinessName} on {BusinessPhone} or at {BusinessEmail}", "… on {BusinessPhone}", "… at {BusinessEmail}", or the
    /// name alone: <see cref="Booking.BuildingBlocks.Time.NoticePeriod.Reach"/>'s words (decision 341: one wording for every
    /// "contact X …", the policy's sentence in the same email included; before, "… or {BusinessEmail}" here). Words, not
    /// brackets: a phone number written the national way ("(02) 9999 0000") inside brackets read "((02) 9999 0000, …)".
    /// </summary>
    /// <summary>
    /// The words for {CancellationPolicy} of an appointment held to another window than the business's policy now
    /// (decisions 270, 273): its own window in plain words and what holds after it (decision 334), as the portal's pages
    /// say it; null while the appointment's window is the business's (the business's own text then). The confirmation,
    /// moved email and the portal's calendar download (decision 355) say it alike.
    /// </summary>
    public static string? PolicyAsBooked(Booking.Tenancy.Contracts.CancellationPolicyView current, Booking.Tenancy.Contracts.CancellationPolicyView kept,
        string business, Booking.Tenancy.Contracts.BusinessContactView contact) =>
        kept == current ? null
            : Booking.BuildingBlocks.Time.NoticePeriod.AsBookedWithAfter(kept.Hours, kept.TakesRequests, business, contact.PhoneDisplay ?? contact.Phone, contact.Email);

    public static string ContactText(bool hasPhone, bool hasEmail) =>
        "{BusinessName}" + Booking.BuildingBlocks.Time.NoticePeriod.Reach(hasPhone ? "{BusinessPhone}" : null, hasEmail ? "{BusinessEmail}" : null);

    /// <summary>
    /// The closing's merge text for these access levels, the business named without its phone or email (not known here);
    /// null for a field that is not a closing.
    /// </summary>
    public static string? Text(string field, ClientPortalAccess access) => Text(field, access, ContactText(hasPhone: false, hasEmail: false));

    /// <summary>As <see cref="Text(string, ClientPortalAccess)"/>, the business reached as <paramref name="business"/> says.</summary>
    public static string? Text(string field, ClientPortalAccess access, string business)
    {
        var questions = "Questions? Contact " + business + ".";
        return Closing(field, access, business, questions);
    }

    private static string? Closing(string field, ClientPortalAccess access, string business, string questions) => field switch
    {
        BusinessContact => business,
        Booked => BookedText(access, BookedCancel.Online, business, questions),
        BookedLate => BookedText(access, BookedCancel.ContactOnly, business, questions),
        BookedAskToCancel => BookedText(access, BookedCancel.Request, business, questions),
        Requested => access.Levels.Cancel ? "To withdraw it, visit {CancelUrl}\n\n" + questions : questions,
        CancellationRequested => access.Levels.Cancel
            ? "Changed your mind? You can withdraw your request and keep the appointment at {CancelUrl}\n\n" + questions
            : $"Changed your mind? To withdraw your request and keep the appointment, contact {business}.",
        BookAgain => access.Levels.Book ? "To book again, visit {PortalUrl}\n\n" + questions : $"To book again, contact {business}.",
        ChooseAnotherTime => access.Levels.Book ? "To choose another time, visit {PortalUrl}\n\n" + questions : $"To choose another time, contact {business}.",
        Declined => access.Levels.Book ? "To choose another time, visit {PortalUrl}\n\n" + questions : $"To choose another time, contact {business}.",
        Stands => access.Levels.View ? "See your appointments at {AppointmentsUrl}\n\n" + questions : questions,
        Approved => access.Levels.Book ? "To book, visit {PortalUrl}\n\n" + questions : $"To book, contact {business}.",
        MobileClaim => access.Enabled
            ? "If that number is yours, sign in at {PortalUrl} and add it again under Your details: we will text it a code to prove it. Otherwise add your own number there.\n\n" + questions
            : $"If that number is yours, ask {business} to add it again.",
        _ => null,
    };

    /// <summary>
    /// Which booked closing a booking written at <paramref name="at"/> gets: <see cref="Booked"/> outside the policy
    /// window (<see cref="CancellationPolicyView.IsInside"/>, as the portal decides it); inside it,
    /// <see cref="BookedAskToCancel"/> where the business takes requests (<see cref="CancellationPolicyView.TakesRequests"/>),
    /// else <see cref="BookedLate"/>.
    /// </summary>
    public static string BookedField(CancellationPolicyView policy, DateTimeOffset start, DateTimeOffset at) =>
        !policy.IsInside(start, at) ? Booked
        : policy.TakesRequests ? BookedAskToCancel
        : BookedLate;

    /// <summary><paramref name="body"/> with its booked closing field replaced by <paramref name="field"/>.</summary>
    public static string WithBookedClosing(string body, string field) =>
        field == Booked ? body : body.Replace("{" + Booked + "}", "{" + field + "}", StringComparison.Ordinal);

    /// <summary>The body with its closing put in (the other fields are rendered after).</summary>
    public static string Expand(string body, ClientPortalAccess access) => MergeFields.Expand(body, field => Text(field, access));

    /// <summary>
    /// The body with its closing and <see cref="BusinessContact"/> put in, in the words for the business's access levels
    /// and the ways to reach it it gave (the other fields are rendered after).
    /// </summary>
    public static string Expand(string body, BusinessLook business)
    {
        var contact = ContactText(!string.IsNullOrEmpty(business.Phone), !string.IsNullOrEmpty(business.Email));
        return MergeFields.Expand(body, field => Text(field, business.PortalAccess, contact));
    }

    /// <summary>
    /// The list (the client's appointments page, {AppointmentsUrl}), where the client may see it; the appointment's own cancel page, where they may cancel (with the list
    /// off it is their only way to it; with the list on it saves finding it there); else how to reach the business.
    /// Inside the policy window the cancel page is offered only where the business takes requests ("ask to cancel"):
    /// where it refuses, the page would only say it is too late.
    /// </summary>
    private static string BookedText(ClientPortalAccess access, BookedCancel cancel, string business, string questions)
    {
        var lines = new List<string>();
        if (access.Levels.View)
        {
            lines.Add("See your appointments at {AppointmentsUrl}");
        }

        if (access.Levels.Cancel && cancel != BookedCancel.ContactOnly)
        {
            lines.Add(cancel == BookedCancel.Request ? "You can ask to cancel it at {CancelUrl}" : "To cancel it, visit {CancelUrl}");
            lines.Add("");
            lines.Add(questions);
        }
        else
        {
            if (lines.Count > 0)
            {
                lines.Add("");
            }

            lines.Add($"To change or cancel it, contact {business}.");
        }

        return string.Join('\n', lines);
    }

    private enum BookedCancel
    {
        Online,
        Request,
        ContactOnly,
    }
}
