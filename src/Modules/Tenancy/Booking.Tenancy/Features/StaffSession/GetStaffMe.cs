using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Data;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.StaffSession;

public sealed record GetStaffMe(Guid StaffId) : IQuery<StaffMe>;

public sealed record StaffBusiness(string Slug, string Name, string TimeZone, string PortalUrl);

/// <param name="PendingEmail">The address a change of the sign-in email waits on (its link sent there, not yet followed); null when none.</param>
public sealed record StaffMe(Guid Id, string Name, string Email, string Role, StaffBusiness Business, string? PendingEmail = null);

public sealed class GetStaffMeHandler(TenancyDbContext db, ITenantContext tenant, TimeProvider clock) : IQueryHandler<GetStaffMe, StaffMe>
{
    public async ValueTask<StaffMe> Handle(GetStaffMe query, CancellationToken cancellationToken)
    {
        var staff = await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.Id == query.StaffId, cancellationToken)
            ?? throw ProblemException.Unauthenticated();
        var business = tenant.Current!;
        var pending = await Staff.StaffEmailChangeLinks.PendingAsync(db, clock.GetUtcNow(), [staff.Id], cancellationToken);
        return new StaffMe(staff.Id, staff.Name, staff.Email, staff.Role,
            new StaffBusiness(business.Slug, business.Name, business.TimeZone, ""), pending.GetValueOrDefault(staff.Id));
    }
}

public static class GetStaffMeEndpoint
{
    public static void MapGetStaffMe(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/staff/me", async (ISender sender, HttpContext http, PublicOrigin origin, CancellationToken ct) =>
            {
                var me = await sender.Send(new GetStaffMe(http.User.SubjectId()), ct);
                return Results.Ok(me with { Business = me.Business with { PortalUrl = BusinessUrls.For(origin, me.Business.Slug).Portal } });
            })
            .RequireStaff()
            .WithName("GetStaffMe")
            .WithTags("Staff")
            .Produces<StaffMe>();
}
