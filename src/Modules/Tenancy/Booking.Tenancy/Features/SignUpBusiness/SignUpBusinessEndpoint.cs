using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Features.StaffSession;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.Tenancy.Features.SignUpBusiness;

public sealed record SignUpResponse(Guid Id, string Slug, string PortalUrl, string StaffSignInUrl);

public static class SignUpBusinessEndpoint
{
    public static void MapSignUpBusiness(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/tenants", async (SignUpBusiness command, ISender sender, HttpContext http, PublicOrigin origin, TrustedDevices devices, CancellationToken ct) =>
            {
                var result = await sender.Send(command with { Ip = http.ClientIp() }, ct);
                await StaffSignIn.StaffSessions.SignInNewOwnerAsync(http, result.TenantId, result.OwnerId, result.OwnerName, result.OwnerRole);
                devices.Keep(http, DeviceArea.Staff, result.DeviceToken, result.Slug);
                var urls = BusinessUrls.For(origin, result.Slug);
                return Results.Created(urls.PublicProfile, new SignUpResponse(result.TenantId, result.Slug, urls.Portal, urls.StaffSignIn));
            })
            .WithName("SignUpBusiness")
            .WithTags("Platform")
            .Answers(429, ProblemKinds.RateLimited)
            .WithSummary("Sign up a business and its owner; signs the owner in.")
            .Accepts<SignUpBusiness>("application/json")
            .Produces<SignUpResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
}
