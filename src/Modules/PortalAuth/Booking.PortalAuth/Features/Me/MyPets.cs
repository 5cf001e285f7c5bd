using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.NewClient;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Me;

/// <summary>
/// A signed-in client adds one of their pets (<c>POST /api/v1/portal/me/pets</c>, and the confirm page's "A pet not
/// listed yet"). Only where the business books for pets; the same field rules as the new-client flow's pets.
/// </summary>
public sealed record AddMyPet(string? Name, string? Species, string? Breed, string? Notes) : ICommand<PortalPet>, IPetFields
{
    /// <summary>The signed-in client, from the session; never from the body.</summary>
    [JsonIgnore]
    public Guid ClientId { get; init; }
}

public sealed class AddMyPetValidator : AbstractValidator<AddMyPet>
{
    public AddMyPetValidator() => PetRules.Apply(this);
}

public sealed class AddMyPetHandler(PortalAuthDbContext db, IPortalRules portal) : ICommandHandler<AddMyPet, PortalPet>
{
    public async ValueTask<PortalPet> Handle(AddMyPet command, CancellationToken cancellationToken)
    {
        if (!(await portal.GetAsync(cancellationToken)).BooksForPets)
        {
            // Not an access level (view, book, cancel): the business has no pets to keep. The caller may not do this here.
            throw ProblemException.Forbidden("This business does not book appointments for pets.");
        }

        if (!await db.Clients.AnyAsync(c => c.Id == command.ClientId, cancellationToken))
        {
            throw ProblemException.Unauthenticated();
        }

        if (await db.Pets.CountAsync(p => p.ClientId == command.ClientId, cancellationToken) >= PetRules.MaxPerClient)
        {
            throw ProblemException.Invalid("name", $"You have {PetRules.MaxPerClient} pets on file; ask the business to add another.");
        }

        var pet = PetRules.Create(command.ClientId, command);
        db.Pets.Add(pet);
        await db.SaveChangesAsync(cancellationToken);
        return new PortalPet(pet.Id, pet.Name, pet.Species, pet.Breed, pet.Notes);
    }
}

/// <summary>One of the signed-in client's pets (the Location of an added pet); another client's is not found.</summary>
public sealed record GetMyPet(Guid ClientId, Guid Id) : IQuery<PortalPet>;

public sealed class GetMyPetHandler(PortalAuthDbContext db) : IQueryHandler<GetMyPet, PortalPet>
{
    public async ValueTask<PortalPet> Handle(GetMyPet query, CancellationToken cancellationToken) =>
        await db.Pets.AsNoTracking().Where(p => p.Id == query.Id && p.ClientId == query.ClientId)
            .Select(p => new PortalPet(p.Id, p.Name, p.Species, p.Breed, p.Notes))
            .FirstOrDefaultAsync(cancellationToken)
        ?? throw ProblemException.NotFound();
}

public static class MyPetsEndpoints
{
    public static void MapMyPets(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/portal/me/pets", async (AddMyPet command, ISender sender, HttpContext http, CancellationToken ct) =>
            {
                var pet = await sender.Send(command with { ClientId = http.User.SubjectId() }, ct);
                return Results.Created($"/api/v1/portal/me/pets/{pet.Id}", pet);
            })
            .RequirePortalClient()
            .RequirePortalEnabled()
            .OpenBeforeFirstRequest() // the booking flow's "A pet not listed yet"
            .WithName("AddMyPet")
            .WithTags("Portal")
            .Answers(403, ProblemKinds.Forbidden)
            .WithSummary("Add a pet of the signed-in client's (only where the business books for pets: else 403 `forbidden`).")
            .Accepts<AddMyPet>("application/json")
            .Produces<PortalPet>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        app.MapGet("/api/v1/portal/me/pets/{id}", async (string id, ISender sender, HttpContext http, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetMyPet(http.User.SubjectId(), ProblemException.IdOrNotFound(id)), ct)))
            .RequirePortalClient()
            .RequirePortalEnabled()
            .OpenBeforeFirstRequest() // where a new pet's Location points
            .WithName("GetMyPet")
            .WithTags("Portal")
            .Answers(404, ProblemKinds.NotFound)
            .Produces<PortalPet>();
    }
}
