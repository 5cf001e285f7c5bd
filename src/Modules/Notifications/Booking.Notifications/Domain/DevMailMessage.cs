using Booking.BuildingBlocks.Data;

namespace Booking.Notifications.Domain;

/// <summary>
/// Development's local mail sink: what would have gone over SMTP when no server is configured.
/// </summary>
[CrossTenant("Development-only sink shown at /dev/mail across businesses, as the API contract asks; never written when SMTP is configured.")]
public sealed class DevMailMessage : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public string TenantSlug { get; set; } = "";

    public string To { get; set; } = "";

    public string Subject { get; set; } = "";

    public string Text { get; set; } = "";

    public string Html { get; set; } = "";

    /// <summary>JSON array of {fileName, contentType}.</summary>
    public string Attachments { get; set; } = "[]";

    public DateTimeOffset SentAt { get; set; }
}
