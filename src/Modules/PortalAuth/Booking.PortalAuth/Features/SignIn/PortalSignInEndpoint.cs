using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Features.Sessions;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.PortalAuth.Features.SignIn;

public static class PortalSignInEndpoint
{
    public static void MapPortalSignIn(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/portal/auth/sign-in", async (PortalSignIn command, ISender sender, ITenantContext tenant, TrustedDevices devices, HttpContext http, CancellationToken ct) =>
            {
                var client = await sender.Send(command with { DeviceToken = devices.Presented(http, DeviceArea.Portal), Ip = http.ClientIp() }, ct);
                await PortalSessions.SignInAsync(http, tenant.TenantId!.Value, client.Id, client.Standing.AwaitingFirstRequest, client.Standing.HasPassword, PortalSessions.ByEmail, client.Standing.SecurityStamp);
                devices.Keep(http, DeviceArea.Portal, client.DeviceToken);
                return Results.Ok(client);
            })
            .WithTenantFromQuery()
            .RequirePortalEnabled()
            .WithName("PortalSignIn")
            .WithSummary("Sign in with email and password. Besides API.md's `id`, `firstName`, `lastName` the answer says where the client "
                + "stands, as `phone/verify`'s `signed-in` does: `clientStatus` (`active` | `pending-approval`: bookings are requests until "
                + "the business approves the client) and `awaitingFirstRequest` (a phone new client who has not sent their first booking "
                + "request: only the booking flow answers until they do).")
            .Answers(401, ProblemKinds.Unauthenticated).Answers(403, ProblemKinds.Forbidden).Answers(429, ProblemKinds.RateLimited)
            .WithTags("Portal sign-in")
            .Accepts<PortalSignIn>("application/json")
            .Produces<SignedInClient>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        app.MapPost("/api/v1/portal/auth/sign-out", async (HttpContext http) =>
            {
                // The cookie handler removes the session from the server-side store.
                await http.SignOutAsync(AuthSchemes.Portal);
                return Results.NoContent();
            })
            .RequirePortalClient() // not RequirePortalEnabled: a client can always end their own session
            .OpenBeforeFirstRequest()
            .WithName("PortalSignOut")
            .WithTags("Portal sign-in")
            .Produces(StatusCodes.Status204NoContent);
    }
}
