using Booking.BuildingBlocks.Data;

namespace Booking.Notifications.Domain;

/// <summary>A business's email template (Tools → Communication): text with {MergeField} tokens, never code.</summary>
public sealed class EmailTemplate : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string Subject { get; set; } = "";

    public string Body { get; set; } = "";

    public bool IsDefault { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
