using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Booking.BuildingBlocks.Data;

/// <summary>One row per (event, consumer) a module has acted on: the idempotency key of its event handlers.</summary>
public sealed class ProcessedEvent : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid EventId { get; set; }

    public string Consumer { get; set; } = "";

    public DateTimeOffset ProcessedAt { get; set; }

    internal static void Configure(EntityTypeBuilder<ProcessedEvent> b)
    {
        b.ToTable("processed_events");
        b.HasKey(x => new { x.TenantId, x.EventId, x.Consumer });
        b.Property(x => x.Consumer).HasMaxLength(200);
    }
}
