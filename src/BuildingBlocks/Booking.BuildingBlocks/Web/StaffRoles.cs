namespace Booking.BuildingBlocks.Web;

/// <summary>
/// The staff roles, written once: the role a staff session carries (<see cref="BookingClaims.Role"/>), what Tenancy
/// stores on a staff member, what <see cref="TenantEndpointExtensions.RequireStaff{TBuilder}"/> and the staff pages
/// allow. It lives here, not in Tenancy, because every module's endpoints name roles and Roster may not see Tenancy.
/// </summary>
public static class StaffRoles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Practitioner = "practitioner";

    /// <summary>Who may change setup (services, roster, portal, communication, team) and handle requests.</summary>
    public static readonly IReadOnlyList<string> Setup = [Owner, Admin];

    /// <summary>Everyone on the team: the diary.</summary>
    public static readonly IReadOnlyList<string> Everyone = [Owner, Admin, Practitioner];
}
