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
                var created = await sender.Send(new CreateStaffMember(Actor(http), body.Name, body.Email, body.Password, body.Role, body.DiaryIds, body.CurrentPassword)
                {
                    CurrentSession = PostgresTicketStore.CurrentKey(http, AuthSchemes.Staff),
                }, ct);
                return Results.Created($"/api/v1/admin/staff/{created.Id}", created);
            })
            .RequireStaff(StaffRoles.Setup).WithName("CreateStaffMember").WithTags(Tag)
            .WithSummary("Adds a team member. With `password` they can sign in at once; without it (left out or null) they are emailed an invitation "
                + "whose link (7 days) lets them choose their own, and the answer's `invited` is true until they do (`POST …/staff/{id}/send-invitation` "
                + "sends it again). A new owner needs the acting owner's `currentPassword`.")
            .Answers(429, ProblemKinds.RateLimited)
            .Accepts<StaffInput>("application/json").Produces<StaffMemberView>(StatusCodes.Status201Created).ProducesValidationProblem();

        app.MapPut("/api/v1/admin/staff/{id}", async (string id, StaffInput body, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new UpdateStaffMember(Actor(http), ParseId(id), body.Name, body.Email, body.Role, body.DiaryIds, body.Password, body.CurrentPassword)
                {
                    CurrentSession = PostgresTicketStore.CurrentKey(http, AuthSchemes.Staff),
                }, ct)))
            .RequireStaff(StaffRoles.Setup).WithName("UpdateStaffMember").WithTags(Tag)
            .WithSummary("Saves a team member. A new `email` is not used yet: a link is emailed to it (and the old address is told), and it becomes "
                + "the sign-in email once followed (`POST /api/v1/staff/auth/confirm-email`); the answer's `pendingEmail` names it "
                + "(`DELETE …/staff/{id}/pending-email` calls it off). Changing your own email, or changing someone's role to owner, needs `currentPassword`.")
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

    /// <summary>Calling off a change of sign-in email waiting for its link (decision 236): one's own, or an owner or admin for a colleague.</summary>
    public static void MapStaffEmailChange(this IEndpointRouteBuilder app)
    {
        app.MapDelete("/api/v1/staff/me/pending-email", async (HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var actor = Actor(http);
                await sender.Send(new CallOffStaffEmailChange(actor, actor.Id), ct);
                return Results.NoContent();
            })
            .RequireStaff().WithName("CallOffMyEmailChange").WithTags(Tag)
            .WithSummary("Calls off the signed-in person's change of sign-in email waiting for its link: the link stops working at once (following it then "
                + "says the change was called off). 204 also when none was waiting.")
            .Produces(StatusCodes.Status204NoContent);

        app.MapDelete("/api/v1/admin/staff/{id}/pending-email", async (string id, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new CallOffStaffEmailChange(Actor(http), ParseId(id)), ct);
                return Results.NoContent();
            })
            .RequireStaff(StaffRoles.Setup).WithName("CallOffStaffEmailChange").WithTags(Tag)
            .WithSummary("Calls off a team member's change of sign-in email waiting for its link (an admin not an owner's: `forbidden`). 204 also when none was waiting.")
            .Produces(StatusCodes.Status204NoContent);
    }

    internal static StaffActor Actor(HttpContext http) =>
        new(http.User.SubjectId(), http.User.FindFirst(BookingClaims.Role)?.Value ?? "");

    internal static Guid ParseId(string id) => ProblemException.IdOrNotFound(id, "No such staff member.");
}
