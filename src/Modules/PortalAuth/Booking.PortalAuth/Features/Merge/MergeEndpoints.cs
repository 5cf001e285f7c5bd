using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Features.Clients;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.PortalAuth.Features.Merge;

public static class MergeEndpoints
{
    public static void MapClientMerge(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/clients").WithTags("Staff");

        group.MapGet("/{id}/duplicates", async (string id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new FindDuplicateClients(ProblemException.IdOrNotFound(id, ClientMerge.KeepNotFound)), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("FindDuplicateClients")
            .WithSummary("Other clients who may be the same person (same name whatever the case and accents, or the same mobile digits), newest first, at most 5; each with the pets a merge of it into this client could combine (sameNamePets).")
            .Produces<DuplicateClients>();

        group.MapPost("/{keepId}/merge", async (string keepId, MergeClientsBody body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new MergeClients(ProblemException.IdOrNotFound(keepId, ClientMerge.KeepNotFound), body.MergeId, body.CombinePets, body.ReplaceMobile ?? false), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("MergeClients")
            .WithSummary("The client mergeId names goes into this one: its appointments and pets move here; an empty email or mobile here is filled only with one proven there; both with an email, or a proven mobile against another number, is `validation` naming the field. combinePets [{fromPetId, intoPetId}] (optional): merged-away pets that are the kept client's pet of the same name; their appointments name the kept pet and they are deleted (decision 306). replaceMobile (optional): the kept client's unconfirmed mobile gives way to the merged-away client's proven one instead of that refusal (decision 340). The merged-away client is deleted (404 after).")
            .Answers(404, ProblemKinds.NotFound).Answers(409, ProblemKinds.ChangedMeanwhile)
            .Produces<AdminClient>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem();
    }
}
