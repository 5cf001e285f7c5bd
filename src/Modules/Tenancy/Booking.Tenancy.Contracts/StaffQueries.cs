using Mediator;

namespace Booking.Tenancy.Contracts;

/// <summary>
/// The current business's staff in the given roles (name them from BuildingBlocks' <c>StaffRoles</c>), with the email
/// each signs in with, ordered by email. No route: Notifications asks it for who can act on a request (the Requests
/// page's roles), so a request reaches someone who can open that page.
/// </summary>
public sealed record GetStaffAddresses(IReadOnlyList<string> Roles) : IQuery<IReadOnlyList<StaffAddressView>>;

public sealed record StaffAddressView(Guid Id, string Name, string Email, string Role);
