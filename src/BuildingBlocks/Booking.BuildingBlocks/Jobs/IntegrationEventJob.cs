using System.Text.Json;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Outbox;
using Hangfire;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.BuildingBlocks.Jobs;

/// <summary>
/// The Hangfire job that publishes one outbox event to its in-process consumers, as the event's tenant.
/// Its arguments are ids and the event's own payload, never a tenant record.
/// </summary>
public sealed class IntegrationEventJob(IServiceScopeFactory scopes)
{
    [AutomaticRetry(Attempts = 10)]
    [JobDisplayName("event {2} for tenant {0}")]
    public async Task DeliverAsync(Guid tenantId, Guid eventId, string eventType, string payload, CancellationToken cancellationToken)
    {
        var type = Type.GetType(eventType, throwOnError: true)!;
        if (!typeof(IIntegrationEvent).IsAssignableFrom(type))
        {
            throw new InvalidOperationException($"{eventType} is not an integration event.");
        }

        var integrationEvent = (IIntegrationEvent)JsonSerializer.Deserialize(payload, type, OutboxMessage.Json)!;
        if (integrationEvent.TenantId != tenantId || integrationEvent.EventId != eventId)
        {
            throw new InvalidOperationException($"Event {eventId} does not match its envelope.");
        }

        await using var scope = await TenantScope.OpenAsync(scopes, tenantId, cancellationToken);
        await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish((object)integrationEvent, cancellationToken);
    }
}
