using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Features.Sessions;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.PortalAuth.Features.Register;

public static class RegisterEndpoint
{
    public static void MapRegister(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/portal/auth/register", async (Register command, ISender sender, ITenantContext tenant, TrustedDevices devices, HttpContext http, CancellationToken ct) =>
            {
                var client = await sender.Send(command with { Ip = http.ClientIp() }, ct);
                await PortalSessions.SignInAsync(http, tenant.TenantId!.Value, client.Id, awaitingFirstRequest: false, hasPassword: true, PortalSessions.ByEmail, securityStamp: 0); // a row this request made
                devices.Keep(http, DeviceArea.Portal, client.DeviceToken!);
                return Results.Created($"/api/v1/portal/me?name={Uri.EscapeDataString(tenant.Current!.Slug)}", client);
            })
            .WithTenantFromQuery()
            .RequirePortalEnabled()
            .WithName("PortalRegister")
            .Answers(403, ProblemKinds.Forbidden, ProblemKinds.NotAcceptingNewClients)
            .Answers(429, ProblemKinds.RateLimited)
            .WithTags("Portal sign-in")
            .WithSummary("Register with email and password; signs the new client in.")
            .Accepts<Register>("application/json")
            .Produces<RegisteredClient>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
}
