using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Security;
using System.Security.Claims;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Data;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.Tenancy.Features.StaffSignIn;

public static class StaffSessions
{
    /// <summary>
    /// A new staff session (new id) bound to its business: the tenant id travels in the server-side ticket. A session
    /// the browser already carries is ended first (PostgresTicketStore.SignInAsync): renewed under its old id, it
    /// would outlive the removal of whoever signs in now. <paramref name="securityStamp"/>: the row's
    /// <see cref="Domain.StaffMember.SecurityStamp"/> as the sign-in read it before checking the password. The session is
    /// stored only while the row is still there with that stamp, under a lock on it (decision 337): someone removed, demoted
    /// or whose password changed while they were signing in gets 401, never a session (and never one carrying the old role).
    /// </summary>
    public static Task SignInAsync(HttpContext http, Guid tenantId, Guid staffId, string name, string role, int securityStamp)
    {
        var db = http.RequestServices.GetRequiredService<TenancyDbContext>();
        return PostgresTicketStore.SignInAsync(http, AuthSchemes.Staff, Principal(tenantId, staffId, name, role),
            (session, ct) => SessionRows.InsertIfStampAsync(db.Database, StaffTable, session, securityStamp, ct));
    }

    /// <summary>
    /// The first owner of a business this request signed up: the row and the business were made by it, so nothing can
    /// have ended its sessions yet, and the request's business is not yet the new one (row-level security would hide the
    /// row from the guarded insert). A plain insert.
    /// </summary>
    public static Task SignInNewOwnerAsync(HttpContext http, Guid tenantId, Guid ownerId, string name, string role) =>
        PostgresTicketStore.SignInAsync(http, AuthSchemes.Staff, Principal(tenantId, ownerId, name, role), stillAsRead: null);

    /// <summary>
    /// Ends every session of the person (but <paramref name="keep"/>, the session that changed its own password) in the
    /// transaction <paramref name="db"/> has open, with the change that ends them (decision 271). Raises the person's
    /// <see cref="Domain.StaffMember.SecurityStamp"/> first, then deletes, in a later statement (decision 337): a sign-in
    /// storing its session under the old stamp holds the row until it commits, so its session is either seen by the delete
    /// or never stored. Every end of a staff member's sessions goes through here.
    /// </summary>
    public static async Task EndAllInTransactionAsync(TenancyDbContext db, Guid tenantId, Guid staffId, CancellationToken cancellationToken, string? keep = null)
    {
        await db.Staff.Where(s => s.Id == staffId).ExecuteUpdateAsync(u => u.SetProperty(s => s.SecurityStamp, s => s.SecurityStamp + 1), cancellationToken);
        await PostgresTicketStore.EndAllInTransactionAsync(db.Database, AuthSchemes.Staff, tenantId, staffId, cancellationToken, keep);
    }

    /// <summary>The staff table, for the session's guarded insert.</summary>
    private const string StaffTable = "tenancy.staff_members";

    private static ClaimsPrincipal Principal(Guid tenantId, Guid staffId, string name, string role)
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
        return new ClaimsPrincipal(identity);
    }
}

public static class StaffSignInEndpoint
{
    public static void MapStaffSignIn(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/staff/auth/sign-in", async (StaffSignIn command, ISender sender, ITenantContext tenant, TrustedDevices devices, HttpContext http, CancellationToken ct) =>
            {
                var staff = await sender.Send(command with { DeviceToken = devices.Presented(http, DeviceArea.Staff), Ip = http.ClientIp() }, ct);
                await StaffSessions.SignInAsync(http, tenant.TenantId!.Value, staff.Id, staff.Name, staff.Role, staff.SecurityStamp);
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
