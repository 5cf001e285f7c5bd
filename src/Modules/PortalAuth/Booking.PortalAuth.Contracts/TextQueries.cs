using Mediator;

namespace Booking.PortalAuth.Contracts;

/// <summary>
/// The texts the current business sent or did not send (PortalAuth's record of every text, decision 252), newest first
/// by (CreatedAt, Id): at most <see cref="Limit"/>, only those before (<see cref="BeforeCreatedAt"/>,
/// <see cref="BeforeId"/>) when given (a keyset page, as Notifications pages its emails). Status: one of
/// <see cref="TextStatuses"/>, null = all; any other is no text.
/// </summary>
public sealed record ListTexts(string? Status, int Limit, DateTimeOffset? BeforeCreatedAt = null, Guid? BeforeId = null) : IQuery<IReadOnlyList<TextView>>;

/// <summary>
/// One text: To in E.164; Kind one of <see cref="TextKinds"/> (KindLabel the same in words); Status one of
/// <see cref="TextStatuses"/>; Attempts how many times a carrier was asked; LastError the carrier's last refusal; Note
/// why it was not sent (refused) or what happens next (retrying). Body as sent, null for a code (the code is never
/// kept). ClientId and ClientName: whose number it went to, where the app knows; EventId, AppointmentId and
/// AppointmentStart: the event it answers and the appointment it is about. Times in UTC. RefusedForGood: the carrier
/// refused it for good (an invalid or unreachable number; the record's <c>permanent</c>, decision 348), so sending it
/// again would fail the same way; false for every other text.
/// </summary>
public sealed record TextView(
    Guid Id, string To, string Kind, string KindLabel, string Status, int Attempts, string? LastError, string? Note,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string? Body, Guid? ClientId, string? ClientName,
    Guid? EventId, Guid? AppointmentId, DateTimeOffset? AppointmentStart, bool RefusedForGood = false);

/// <summary>A text's status: sent to the carrier, refused by the app (never sent), to be tried again, or given up.</summary>
public static class TextStatuses
{
    public const string Sent = "sent";
    public const string Refused = "refused";
    public const string Retrying = "retrying";
    public const string Failed = "failed";
}

/// <summary>What a text is, as a code (the messages list's <c>kind</c>) and in words.</summary>
public static class TextKinds
{
    public const string BookingConfirmation = "text-booking-confirmation";
    public const string Cancellation = "text-cancellation";
    public const string Moved = "text-appointment-moved";
    public const string RequestDecision = "text-request-decision";
    public const string RequestReceived = "text-request-received";
    public const string CancellationRequestReceived = "text-cancellation-request-received";
    public const string ClientApproved = "text-client-approved";
    public const string MobileChanged = "text-mobile-changed";
    public const string MergeAddedSignIn = "text-merge-added-sign-in";
    public const string SignInCode = "text-sign-in-code";
    public const string MobileCode = "text-mobile-code";
    public const string EmailChangeCode = "text-email-change-code";
    public const string MobileChangeCode = "text-mobile-change-code";

    /// <summary>The one-time codes: their texts are recorded without the code (the body is never kept).</summary>
    public static bool IsCode(string kind) => kind is SignInCode or MobileCode or EmailChangeCode or MobileChangeCode;

    public static string Label(string kind) => kind switch
    {
        BookingConfirmation => "Booking confirmation text to client",
        Cancellation => "Cancellation text to client",
        Moved => "Appointment moved text to client",
        RequestDecision => "Request decision text to client",
        RequestReceived => "Request received text to client",
        CancellationRequestReceived => "Cancellation request received text to client",
        ClientApproved => "Client approved text",
        MobileChanged => "Mobile changed text to the old number",
        MergeAddedSignIn => "Merge added a sign-in text to client",
        SignInCode => "Sign-in code text (code not shown)",
        MobileCode => "Mobile check code text (code not shown)",
        EmailChangeCode => "Email change code text (code not shown)",
        MobileChangeCode => "Mobile change code text (code not shown)",
        _ => kind,
    };
}
