using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Domain;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.Tenancy.Features.Staff;

public static class StaffEndpoints
{
    private const string Tag = "Staff";

    public static void MapStaffAdmin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/admin/staff", async (ISender sender, CancellationToken ct) => Results.Ok(await sender.Send(new ListStaff(), ct)))
            .RequireStaff(StaffRoles.Setup).WithName("ListStaff").WithTags(Tag).Produces<StaffList>();

        app.MapGet("/api/v1/admin/staff/{id}", async (string id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetStaffMember(ParseId(id)), ct)))
            .RequireStaff(StaffRoles.Setup).WithName("GetStaffMember").WithTags(Tag).Produces<StaffMemberView>();

        app.MapPost("/api/v1/admin/staff", async (StaffInput body, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var created = await sender.Send(new CreateStaffMember(Actor(http), body.Name, body.Email, body.Password, body.Role, body.DiaryIds), ct);
                return Results.Created($"/api/v1/admin/staff/{created.Id}", created);
            })
            .RequireStaff(StaffRoles.Setup).WithName("CreateStaffMember").WithTags(Tag)
            .Accepts<StaffInput>("application/json").Produces<StaffMemberView>(StatusCodes.Status201Created).ProducesValidationProblem();

        app.MapPut("/api/v1/admin/staff/{id}", async (string id, StaffInput body, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new UpdateStaffMember(Actor(http), ParseId(id), body.Name, body.Email, body.Role, body.DiaryIds, body.Password, body.CurrentPassword)
                {
                    CurrentSession = PostgresTicketStore.CurrentKey(http, AuthSchemes.Staff),
                }, ct)))
            .RequireStaff(StaffRoles.Setup).WithName("UpdateStaffMember").WithTags(Tag)
            .WithSummary("Saves a team member. A new `email` is not used yet: a link is emailed to it (and the old address is told), and it becomes "
                + "the sign-in email once followed (`POST /api/v1/staff/auth/confirm-email`); the answer's `pendingEmail` names it. "
                + "Changing your own email needs `currentPassword`.")
            .Answers(409, StaffProblems.LastOwnerKind, ProblemKinds.ChangedMeanwhile).Answers(429, ProblemKinds.RateLimited)
            .Accepts<StaffInput>("application/json").Produces<StaffMemberView>().ProducesValidationProblem();

        app.MapDelete("/api/v1/admin/staff/{id}", async (string id, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new RemoveStaffMember(Actor(http), ParseId(id)), ct);
                return Results.NoContent();
            })
            .RequireStaff(StaffRoles.Setup).WithName("RemoveStaffMember").WithTags(Tag)
            .Answers(409, StaffProblems.LastOwnerKind, ProblemKinds.ChangedMeanwhile).Produces(StatusCodes.Status204NoContent);
    }

    private static StaffActor Actor(HttpContext http) =>
        new(http.User.SubjectId(), http.User.FindFirst(BookingClaims.Role)?.Value ?? "");

    private static Guid ParseId(string id) => ProblemException.IdOrNotFound(id, "No such staff member.");
}
