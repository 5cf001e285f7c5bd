using Mediator;

namespace Booking.BuildingBlocks.Contracts;

/// <summary>
/// A command that runs in the background for one tenant. The job runner receives the tenant id
/// as an explicit argument and restores that tenant before it resolves the handler.
/// </summary>
public interface ITenantJob : ICommand
{
}
