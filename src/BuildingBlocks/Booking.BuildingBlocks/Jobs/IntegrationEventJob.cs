using System.Text.Json;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Outbox;
using Hangfire;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Booking.BuildingBlocks.Jobs;

/// <summary>One outbox event as a job carries it: ids and the event's own payload, never a tenant record.</summary>
public sealed record EventEnvelope(Guid TenantId, Guid EventId, string EventType, string Payload);

/// <summary>
/// The Hangfire job that publishes outbox events to their in-process consumers, each as its event's tenant.
/// The relay hands over a batch per job (<see cref="DeliverAllAsync"/>): under load one job carries many events
/// instead of paying Hangfire's bookkeeping once per event. An event of a batch that fails is handed to a job of
/// its own (<see cref="DeliverAsync"/>, retried with backoff); the others are not held up by it.
/// </summary>
/// <remarks>
/// Its jobs run in their own queue (<see cref="QueueName"/>), served by workers of their own (the Host's events server,
/// decision 312): email sends and other slow jobs, which can hold a worker for the SMTP timeout, never keep an event
/// waiting. A failed event is retried within seconds (1, 2, 5, 10 s, then backing off to an hour), not after Hangfire's default 15–44 s
/// and more: a transient failure (a timeout under load) must not make an email a minute late.
/// </remarks>
public sealed class IntegrationEventJob(IServiceScopeFactory scopes, IBackgroundJobClient jobs, ILogger<IntegrationEventJob> logger)
{
    /// <summary>The Hangfire queue of event jobs (lower-case: Hangfire's queue names are).</summary>
    public const string QueueName = "events";

    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [1, 5, 30])]
    [Queue(QueueName)]
    [JobDisplayName("outbox events")]
    public Task DeliverAllAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken) =>
        BatchJob.EachAsync(
            events,
            "Event",
            e => e.EventId,
            e => DeliverAsync(e.TenantId, e.EventId, e.EventType, e.Payload, cancellationToken),
            e => jobs.Enqueue<IntegrationEventJob>(job => job.DeliverAsync(e.TenantId, e.EventId, e.EventType, e.Payload, CancellationToken.None)),
            logger,
            cancellationToken);

    // Ten retries as before; the first four within 18 s, so one or two transient failures keep an email in its budget.
    [AutomaticRetry(Attempts = 10, DelaysInSeconds = [1, 2, 5, 10, 30, 60, 300, 900, 1800, 3600])]
    [Queue(QueueName)]
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
