using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Security;
using System.Security.Claims;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.Tenancy.Features.StaffSignIn;

public static class StaffSessions
{
    /// <summary>
    /// A new staff session (new id) bound to its business: the tenant id travels in the server-side ticket. A session
    /// the browser already carries is ended first (PostgresTicketStore.SignInAsync): renewed under its old id, it
    /// would outlive the removal of whoever signs in now.
    /// </summary>
    public static Task SignInAsync(HttpContext http, Guid tenantId, Guid staffId, string name, string role)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(BookingClaims.Subject, staffId.ToString()),
                new Claim(BookingClaims.Tenant, tenantId.ToString()),
                new Claim(BookingClaims.Role, role),
                new Claim(BookingClaims.Name, name),
            ],
            AuthSchemes.Staff,
            BookingClaims.Name,
            BookingClaims.Role);
        return PostgresTicketStore.SignInAsync(http, AuthSchemes.Staff, new ClaimsPrincipal(identity));
    }
}

public static class StaffSignInEndpoint
{
    public static void MapStaffSignIn(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/staff/auth/sign-in", async (StaffSignIn command, ISender sender, ITenantContext tenant, TrustedDevices devices, HttpContext http, CancellationToken ct) =>
            {
                var staff = await sender.Send(command with { DeviceToken = devices.Presented(http, DeviceArea.Staff), Ip = http.ClientIp() }, ct);
                await StaffSessions.SignInAsync(http, tenant.TenantId!.Value, staff.Id, staff.Name, staff.Role);
                devices.Keep(http, DeviceArea.Staff, staff.DeviceToken);
                return Results.Ok(staff);
            })
            .WithTenantFromQuery()
            .WithName("StaffSignIn")
            .WithTags("Staff")
            .Answers(401, ProblemKinds.Unauthenticated).Answers(429, ProblemKinds.RateLimited)
            .Accepts<StaffSignIn>("application/json")
            .Produces<SignedInStaff>();

        app.MapPost("/api/v1/staff/auth/sign-out", async (HttpContext http) =>
            {
                await http.SignOutAsync(AuthSchemes.Staff);
                return Results.NoContent();
            })
            .RequireStaff()
            .WithName("StaffSignOut")
            .WithTags("Staff")
            .Produces(StatusCodes.Status204NoContent);
    }
}
