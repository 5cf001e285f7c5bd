using Mediator;

namespace Booking.Tenancy.Contracts;

/// <summary>
/// The current business's staff in the given roles (name them from BuildingBlocks' <c>StaffRoles</c>), with the email
/// each signs in with, ordered by email. No route: Notifications asks it for who can act on a request (the Requests
/// page's roles), so a request reaches someone who can open that page.
/// </summary>
public sealed record GetStaffAddresses(IReadOnlyList<string> Roles) : IQuery<IReadOnlyList<StaffAddressView>>;

/// <param name="EmailProven">
/// Whether the person showed they read mail at <paramref name="Email"/> (they used a password reset link sent there since
/// it became their sign-in email). Sign-up and Team take an address as typed, so it starts unproven.
/// </param>
public sealed record StaffAddressView(Guid Id, string Name, string Email, string Role, bool EmailProven);

/// <summary>
/// The names of the current business's staff members of these ids (id → name); an id of no member (removed, another
/// business's) is left out. No route: Appointments names who booked or cancelled an appointment on staff pages and answers.
/// </summary>
public sealed record GetStaffNames(IReadOnlyCollection<Guid> Ids) : IQuery<IReadOnlyDictionary<Guid, string>>;
