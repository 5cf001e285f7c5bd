using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.Me;
using Booking.PortalAuth.Features.NewClient;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Clients;

/// <summary>A pet's fields as staff send them (add and change): the portal's pet body.</summary>
public sealed record ClientPetBody(string? Name, string? Species, string? Breed, string? Notes);

/// <summary>
/// Staff add a pet for one of the business's clients (<c>POST /api/v1/admin/clients/{id}/pets</c>, the staff client
/// page's "Add a pet"): the client's own rules (<see cref="PetRules"/>: fields, at most 50 on file, adds and restores
/// taking turns on the client's row), only where the business books for pets.
/// </summary>
public sealed record AddClientPet(Guid ClientId, string? Name, string? Species, string? Breed, string? Notes) : ICommand<AdminPet>, IPetFields;

/// <summary>Staff change one of a client's pets on file (<c>PUT …/clients/{id}/pets/{petId}</c>): the whole pet, as the client's PUT.</summary>
public sealed record ChangeClientPet(Guid ClientId, Guid PetId, string? Name, string? Species, string? Breed, string? Notes) : ICommand<AdminPet>, IPetFields;

/// <summary>
/// Staff remove one of a client's pets (<c>DELETE …/clients/{id}/pets/{petId}</c>): the client's soft removal (appointments
/// still name it; staff may restore it).
/// </summary>
public sealed record RemoveClientPet(Guid ClientId, Guid PetId) : ICommand<Unit>;

/// <summary>One of a client's pets on file (the add's <c>Location</c>, the staff pet page).</summary>
public sealed record GetClientPet(Guid ClientId, Guid PetId) : IQuery<AdminPet>;

public sealed class AddClientPetValidator : AbstractValidator<AddClientPet>
{
    public AddClientPetValidator() => PetRules.Apply(this);
}

public sealed class ChangeClientPetValidator : AbstractValidator<ChangeClientPet>
{
    public ChangeClientPetValidator() => PetRules.Apply(this);
}

internal static class ClientPetRules
{
    /// <summary>
    /// <see cref="MyPetRules.ChangeAsync"/> with staff's 404 detail: another client's, another business's (the tenant
    /// filter), a removed or a missing pet, and a missing client, are not found alike (the restore's answer); a client
    /// merged away, whose pet is the kept client's now, is 409 <c>changed-meanwhile</c> naming it (decision 307).
    /// </summary>
    public static Task<Pet> ChangeAsync(PortalAuthDbContext db, ISender sender, Guid clientId, Guid petId, Action<Pet> change, CancellationToken ct) =>
        MyPetRules.ChangeAsync(db, clientId, petId, change, ct, staff: sender);

    /// <summary><see cref="MyPetRules.RewriteAsync"/> with staff's 404 detail and words for a name the client's other pet has.</summary>
    public static Task<Pet> RewriteAsync(PortalAuthDbContext db, ISender sender, Guid clientId, Guid petId, IPetFields fields, CancellationToken ct) =>
        MyPetRules.RewriteAsync(db, clientId, petId, fields, ClientHasOneCalled, ct, staff: sender);

    /// <summary>What staff are told when giving a pet the name another of the client's pets on file has.</summary>
    public static string ClientHasOneCalled(string name) =>
        $"This client already has a pet called {name}. Give this pet another name, so the two can be told apart when booking.";
}

public sealed class AddClientPetHandler(PortalAuthDbContext db, IPortalRules portal) : ICommandHandler<AddClientPet, AdminPet>
{
    public async ValueTask<AdminPet> Handle(AddClientPet command, CancellationToken cancellationToken)
    {
        await MyPetRules.RequireBooksForPetsAsync(portal, cancellationToken);
        var pet = await MyPetRules.AddAsync(db, command.ClientId, command, async room =>
        {
            var client = await db.Clients.AsNoTracking().Where(c => c.Id == command.ClientId)
                .Select(c => new { c.FirstName, c.LastName }).FirstOrDefaultAsync(cancellationToken)
                ?? throw ProblemException.NotFound("Client not found.");
            if (!room)
            {
                throw ProblemException.Invalid("name",
                    $"{$"{client.FirstName} {client.LastName}".Trim()} has {PetRules.MaxPerClient} pets on file, the most a client may have. Remove one first.");
            }
        }, ClientPetRules.ClientHasOneCalled, cancellationToken);
        return AdminClients.OnFile(pet);
    }
}

public sealed class ChangeClientPetHandler(PortalAuthDbContext db, IPortalRules portal, ISender sender) : ICommandHandler<ChangeClientPet, AdminPet>
{
    /// <summary>Removed meanwhile (its save came first): the change runs again, finds no pet on file, and answers 404.</summary>
    public async ValueTask<AdminPet> Handle(ChangeClientPet command, CancellationToken cancellationToken)
    {
        await MyPetRules.RequireBooksForPetsAsync(portal, cancellationToken);
        return AdminClients.OnFile(await ClientPetRules.RewriteAsync(db, sender, command.ClientId, command.PetId, command, cancellationToken));
    }
}

public sealed class RemoveClientPetHandler(PortalAuthDbContext db, IPortalRules portal, TimeProvider clock, ISender sender) : ICommandHandler<RemoveClientPet, Unit>
{
    public async ValueTask<Unit> Handle(RemoveClientPet command, CancellationToken cancellationToken)
    {
        await MyPetRules.RequireBooksForPetsAsync(portal, cancellationToken);
        await ClientPetRules.ChangeAsync(db, sender, command.ClientId, command.PetId, pet => pet.RemovedAt = clock.GetUtcNow(), cancellationToken);
        return Unit.Value;
    }
}

public sealed class GetClientPetHandler(PortalAuthDbContext db) : IQueryHandler<GetClientPet, AdminPet>
{
    public async ValueTask<AdminPet> Handle(GetClientPet query, CancellationToken cancellationToken) =>
        await db.Pets.AsNoTracking().Where(p => p.Id == query.PetId && p.ClientId == query.ClientId)
            .Select(p => new AdminPet(p.Id, p.Name, p.Species, p.Breed, p.Notes))
            .FirstOrDefaultAsync(cancellationToken)
        ?? throw ProblemException.NotFound(AdminClients.PetNotFound);
}

public static class ClientPetsEndpoints
{
    public static void MapClientPets(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/clients/{id}/pets").WithTags("Staff");
        static Guid Id(string id) => ProblemException.IdOrNotFound(id, AdminClients.PetNotFound);

        group.MapPost("", async (string id, ClientPetBody body, ISender sender, CancellationToken ct) =>
            {
                var clientId = ProblemException.IdOrNotFound(id, "Client not found.");
                var pet = await sender.Send(new AddClientPet(clientId, body.Name, body.Species, body.Breed, body.Notes), ct);
                return Results.Created($"/api/v1/admin/clients/{clientId}/pets/{pet.Id}", pet);
            })
            .RequireStaff(StaffRoles.Setup)
            .WithName("AddClientPet")
            .WithSummary("Staff add a pet for a client (the portal's pet rules; at most 50 on file: `validation` on `name`; only where the business books for pets, else 403 `forbidden`).")
            .Answers(403, ProblemKinds.Forbidden)
            .Answers(404, ProblemKinds.NotFound)
            .Produces<AdminPet>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        group.MapGet("/{petId}", async (string id, string petId, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetClientPet(Id(id), Id(petId)), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("GetClientPet")
            .Answers(404, ProblemKinds.NotFound)
            .Produces<AdminPet>();

        group.MapPut("/{petId}", async (string id, string petId, ClientPetBody body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ChangeClientPet(Id(id), Id(petId), body.Name, body.Species, body.Breed, body.Notes), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("ChangeClientPet")
            .WithSummary("Staff change one of a client's pets (the whole pet; only where the business books for pets, else 403 `forbidden`).")
            .Answers(403, ProblemKinds.Forbidden)
            .Answers(404, ProblemKinds.NotFound)
            .Answers(409, ProblemKinds.ChangedMeanwhile) // the client was merged into another record (decision 307)
            .Produces<AdminPet>()
            .ProducesValidationProblem();

        group.MapDelete("/{petId}", async (string id, string petId, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new RemoveClientPet(Id(id), Id(petId)), ct);
                return Results.NoContent();
            })
            .RequireStaff(StaffRoles.Setup)
            .WithName("RemoveClientPet")
            .WithSummary("Staff remove one of a client's pets: no longer listed or bookable; appointments still name it; restore puts it back (only where the business books for pets, else 403 `forbidden`).")
            .Answers(403, ProblemKinds.Forbidden)
            .Answers(404, ProblemKinds.NotFound)
            .Answers(409, ProblemKinds.ChangedMeanwhile) // the client was merged into another record (decision 307)
            .Produces(StatusCodes.Status204NoContent);
    }
}
