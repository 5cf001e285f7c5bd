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

        app.MapPost("/api/v1/staff/auth/verify-email", async (VerifyStaffEmail command, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(command, ct)))
            .WithTenantFromQuery()
            .WithName("VerifyStaffEmail")
            .WithTags("Staff")
            .WithSummary("Confirm a staff sign-in email with the emailed link's token.")
            .Accepts<VerifyStaffEmail>("application/json")
            .Produces<StaffEmailVerified>()
            .ProducesValidationProblem();
    }
}
