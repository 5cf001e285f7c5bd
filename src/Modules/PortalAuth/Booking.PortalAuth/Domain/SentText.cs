using Booking.BuildingBlocks.Data;

namespace Booking.PortalAuth.Domain;

/// <summary>
/// One text the business sent or did not send (decision 252): the record staff read in Tools → Sent messages beside
/// the emails. Written where the text leaves (<c>PhoneOnlyClientSms</c> for the event texts, <c>SmsDispatcher</c> for
/// the one-time codes, whose body is never kept). One row per event and kind (a retry updates it).
/// </summary>
public sealed class SentText : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    /// <summary>One of <c>TextKinds</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>E.164.</summary>
    public string To { get; set; } = "";

    public Guid? ClientId { get; set; }

    /// <summary>The integration event the text answers (null for a code, which answers a request).</summary>
    public Guid? EventId { get; set; }

    public Guid? AppointmentId { get; set; }

    public DateTimeOffset? AppointmentStart { get; set; }

    /// <summary>One of <c>TextStatuses</c>.</summary>
    public string Status { get; set; } = "";

    /// <summary>As sent; null for a code.</summary>
    public string? Body { get; set; }

    /// <summary>
    /// The carrier refused it for good (<c>SmsSendException.Permanent</c>, set where the adapter reads the carrier's answer):
    /// sending it again to this number would fail the same way. False for a text sent, refused by the app, or failed for now
    /// (decision 348; the code pages and staff's log read this, not the note's words).
    /// </summary>
    public bool Permanent { get; set; }

    /// <summary>Why it was not sent (refused), or what happens next (retrying).</summary>
    public string? Note { get; set; }

    public string? LastError { get; set; }

    public int Attempts { get; set; }

    /// <summary>The carrier's id for the message (Twilio's sid), once sent.</summary>
    public string? CarrierId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }
}
