using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.Tenancy.Features.StaffEmailConfirmation;

public static class StaffEmailConfirmationEndpoints
{
    public static void MapStaffEmailConfirmation(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/staff/me/email-confirmation", async (ISender sender, HttpContext http, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetMyEmailConfirmation(http.User.SubjectId()), ct)))
            .RequireStaff()
            .WithName("GetMyEmailConfirmation")
            .WithTags("Staff")
            .WithSummary("Whether the signed-in staff member's sign-in email is confirmed (request emails go only to a confirmed one).")
            .Produces<MyEmailConfirmation>();

        app.MapPost("/api/v1/staff/me/email-confirmation/send", async (ISender sender, HttpContext http, CancellationToken ct) =>
                Results.Accepted(value: await sender.Send(new SendMyEmailConfirmation(http.User.SubjectId()), ct)))
            .RequireStaff()
            .WithName("SendMyEmailConfirmation")
            .WithTags("Staff")
            .WithSummary("Email the signed-in staff member a fresh link that confirms their sign-in email.")
            .Answers(429, ProblemKinds.RateLimited)
            .Produces<MyEmailConfirmation>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem();

        // One redeem for every staff email link (decision 236): confirm-email, with verify-email kept as its alias (the
        // links sign-up and "Send the link again" email open /staff/verify-email). The same body, command and answer.
        app.MapPost("/api/v1/staff/auth/confirm-email", async (ConfirmStaffEmail command, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(command, ct)))
            .WithTenantFromQuery()
            .WithName("ConfirmStaffEmail")
            .WithTags("Staff")
            .WithSummary("The emailed link's token (no session needed). A link to the person's sign-in email proves it; a link to another address (a change of it) "
                + "makes that the sign-in email, proven, and ends their sessions (`changed: true`). A dead link → `validation` on `token` (its words say when the "
                + "change was called off); the address another team member's by now → `validation` on `email`.")
            .Accepts<ConfirmStaffEmail>("application/json")
            .Produces<StaffEmailConfirmed>()
            .ProducesValidationProblem();

        app.MapPost("/api/v1/staff/auth/verify-email", async (ConfirmStaffEmail command, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(command, ct)))
            .WithTenantFromQuery()
            .WithName("VerifyStaffEmail")
            .WithTags("Staff")
            .WithSummary("The same as `POST /api/v1/staff/auth/confirm-email` (kept for the links that name it).")
            .Accepts<ConfirmStaffEmail>("application/json")
            .Produces<StaffEmailConfirmed>()
            .ProducesValidationProblem();
    }
}
