using System.Text.Json;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Booking.BuildingBlocks.Outbox;

/// <summary>An integration event waiting in a module's outbox until the relay hands it to Hangfire.</summary>
[CrossTenant("The relay reads every tenant's pending events; inserts are still stamped and checked by RLS.")]
public sealed class OutboxMessage : ITenantOwned
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>"Namespace.Type, Assembly": enough to load the event type, nothing version-bound.</summary>
    public string Type { get; set; } = "";

    public string Payload { get; set; } = "";

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? DispatchedAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public static OutboxMessage From(IIntegrationEvent integrationEvent)
    {
        var type = integrationEvent.GetType();
        var now = DateTimeOffset.UtcNow;
        return new OutboxMessage
        {
            Id = integrationEvent.EventId,
            TenantId = integrationEvent.TenantId,
            Type = TypeName(type),
            Payload = JsonSerializer.Serialize(integrationEvent, type, Json),
            OccurredAt = now,
            NextAttemptAt = now,
        };
    }

    /// <summary>
    /// The event type's name as stored ("Full.Name, Assembly"); kept per type, as <c>Assembly.GetName()</c> builds a new
    /// AssemblyName on every call and every published event asked for it (decision 247).
    /// </summary>
    public static string TypeName(Type type) => TypeNames.GetOrAdd(type, static t => $"{t.FullName}, {t.Assembly.GetName().Name}");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string> TypeNames = new();

    internal static void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("outbox_messages");
        b.HasKey(x => x.Id);
        b.Property(x => x.Type).HasMaxLength(300);
        b.Property(x => x.Payload).HasColumnType("jsonb");
        b.Property(x => x.LastError).HasMaxLength(2000);
        b.HasIndex(x => x.NextAttemptAt).HasFilter("dispatched_at IS NULL").HasDatabaseName("ix_outbox_messages_pending");
    }
}
