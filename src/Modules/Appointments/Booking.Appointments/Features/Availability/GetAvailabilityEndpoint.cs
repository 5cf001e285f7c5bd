using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.Appointments.Features.Availability;

public static class GetAvailabilityEndpoint
{
    public static void MapGetAvailability(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/portal/availability", async (string? service, string? diary, string? from, string? to, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetAvailability(service, diary, from, to), ct)))
            .WithTenantFromQuery()
            .RequirePortalEnabled()
            .WithName("GetAvailability")
            .Answers(403, ProblemKinds.AccessLevelOff)
            .WithTags("Portal")
            .WithSummary("Free slots of a service (one diary or any), dates from–to inclusive, at most 31 days.")
            .Produces<AvailabilityView>()
            .ProducesValidationProblem();
}
