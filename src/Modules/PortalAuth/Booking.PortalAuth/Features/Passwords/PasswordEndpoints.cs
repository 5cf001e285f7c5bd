using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Features.Sessions;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.PortalAuth.Features.Passwords;

public static class PasswordEndpoints
{
    public static void MapPasswordEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/portal/auth/forgot-password", async (ForgotPassword command, ISender sender, HttpContext http, CancellationToken ct) =>
            {
                await sender.Send(command with { Ip = http.ClientIp() }, ct);
                return Results.Accepted(value: new { message = "If the address is registered, a link to reset the password was sent." });
            })
            .WithTenantFromQuery()
            .RequirePortalEnabled()
            .WithName("PortalForgotPassword")
            .Answers(403, ProblemKinds.Forbidden)
            .Answers(429, ProblemKinds.RateLimited)
            .WithTags("Portal sign-in")
            .Accepts<ForgotPassword>("application/json")
            .Produces(StatusCodes.Status202Accepted);

        app.MapPost("/api/v1/portal/auth/reset-password", async (ResetPassword command, ISender sender, TrustedDevices devices, HttpContext http, CancellationToken ct) =>
            {
                devices.Keep(http, DeviceArea.Portal, (await sender.Send(command, ct)).DeviceToken);
                return Results.NoContent();
            })
            .WithTenantFromQuery()
            .RequirePortalEnabled()
            .WithName("PortalResetPassword")
            .WithTags("Portal sign-in")
            .Accepts<ResetPassword>("application/json")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem();

        app.MapPost("/api/v1/portal/auth/change-password", async (ChangePassword command, ISender sender, TrustedDevices devices, HttpContext http, CancellationToken ct) =>
            {
                var set = await sender.Send(command with { ClientId = http.User.SubjectId(), CurrentSession = PortalSessions.CurrentKey(http) }, ct);
                devices.Keep(http, DeviceArea.Portal, set.DeviceToken);
                return Results.NoContent();
            })
            .RequirePortalClient()
            .RequirePortalEnabled()
            .WithName("PortalChangePassword")
            .Answers(403, ProblemKinds.Forbidden) // a new client who has not filed their first booking request
            .Answers(429, ProblemKinds.RateLimited) // ten wrong current passwords from this session
            .WithTags("Portal sign-in")
            .Accepts<ChangePassword>("application/json")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem();
    }
}
