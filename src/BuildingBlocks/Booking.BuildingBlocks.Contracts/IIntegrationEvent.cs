using Mediator;

namespace Booking.BuildingBlocks.Contracts;

/// <summary>
/// A fact one module publishes for others. It travels through the publishing module's outbox,
/// so it carries its own id (consumers de-duplicate on it) and the tenant it belongs to.
/// </summary>
public interface IIntegrationEvent : INotification
{
    Guid EventId { get; }

    Guid TenantId { get; }
}
