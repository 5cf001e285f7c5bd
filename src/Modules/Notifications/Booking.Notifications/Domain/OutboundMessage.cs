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

    /// <summary>queued, retrying, sending (claimed, lease in LeaseUntil), sent, failed.</summary>
    public string Status { get; set; } = MessageStatus.Queued;

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>What to render, as JSON (<see cref="Rendering.MessageContent"/>): rendered by the job, at send time.</summary>
    public string Content { get; set; } = "{}";
}

public static class MessageStatus
{
    public const string Queued = "queued";
    public const string Retrying = "retrying";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";

    /// <summary>
    /// The API's four states: sent, failed, retrying (a temporary failure; tried again at NextAttemptAt), and queued
    /// (waiting for its first try, or being sent right now).
    /// </summary>
    public static string Public(string status) => status is Sent or Failed or Retrying ? status : Queued;
}

/// <summary>What a message is; part of its idempotency key.</summary>
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

    /// <summary>A message to a client (these carry the business's Reply-To); the rest go to staff or the business's addresses.</summary>
    public static bool ToClient(string kind) => kind.StartsWith("client-", StringComparison.Ordinal);
}
