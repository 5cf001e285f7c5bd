using System.Text.Json.Serialization;
using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.Clients;
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
        // Not an access level (view, book, cancel): the business has no pets to keep. The caller may not do this here.
        await MyPetRules.RequireBooksForPetsAsync(portal, cancellationToken);

        var pet = await MyPetRules.AddAsync(db, command.ClientId, command, async room =>
        {
            if (!await db.Clients.AnyAsync(c => c.Id == command.ClientId, cancellationToken))
            {
                throw ProblemException.Unauthenticated();
            }

            if (!room)
            {
                throw ProblemException.Invalid("name", $"You have {PetRules.MaxPerClient} pets on file; ask the business to add another.");
            }

            if (!await PetRowLimit.HasRoomAsync(db, command.ClientId, cancellationToken))
            {
                throw ProblemException.Invalid("name", PetRowLimit.Refusal); // added and removed too often (decision 322)
            }
        }, MyPetRules.YouHaveOneCalled, cancellationToken);
        return MyPetRules.View(pet);
    }
}

/// <summary>
/// A signed-in client changes one of their pets (<c>PUT /api/v1/portal/me/pets/{id}</c>, the My pets page): the whole
/// pet, by the same rules as adding one; a breed or notes left out or empty become none. Only where the business books
/// for pets; another client's pet, or a removed one, is not found.
/// </summary>
public sealed record ChangeMyPet(string? Name, string? Species, string? Breed, string? Notes) : ICommand<PortalPet>, IPetFields
{
    /// <summary>The signed-in client, from the session; never from the body.</summary>
    [JsonIgnore]
    public Guid ClientId { get; init; }

    /// <summary>From the route; never from the body.</summary>
    [JsonIgnore]
    public Guid Id { get; init; }
}

public sealed class ChangeMyPetValidator : AbstractValidator<ChangeMyPet>
{
    public ChangeMyPetValidator() => PetRules.Apply(this);
}

public sealed class ChangeMyPetHandler(PortalAuthDbContext db, IPortalRules portal) : ICommandHandler<ChangeMyPet, PortalPet>
{
    /// <summary>Removed meanwhile (the removal's save came first): the change runs again, finds no pet, and answers 404.</summary>
    public async ValueTask<PortalPet> Handle(ChangeMyPet command, CancellationToken cancellationToken)
    {
        await MyPetRules.RequireBooksForPetsAsync(portal, cancellationToken);
        return MyPetRules.View(await MyPetRules.RewriteAsync(db, command.ClientId, command.Id, command, MyPetRules.YouHaveOneCalled, cancellationToken));
    }
}

/// <summary>
/// A signed-in client removes one of their pets (<c>DELETE /api/v1/portal/me/pets/{id}</c>). A soft removal: the row
/// stays with <c>removed_at</c> set, so appointments (upcoming and past) still name the pet, but it is no longer on
/// file: not listed, not bookable, not counted against <see cref="PetRules.MaxPerClient"/>, and not found by id.
/// </summary>
public sealed record RemoveMyPet(Guid ClientId, Guid Id) : ICommand<Unit>;

public sealed class RemoveMyPetHandler(PortalAuthDbContext db, IPortalRules portal, TimeProvider clock) : ICommandHandler<RemoveMyPet, Unit>
{
    /// <summary>Two removals at once: the second save finds the pet removed (its token), looks again and answers 404.</summary>
    public async ValueTask<Unit> Handle(RemoveMyPet command, CancellationToken cancellationToken)
    {
        await MyPetRules.RequireBooksForPetsAsync(portal, cancellationToken);
        await MyPetRules.ChangeAsync(db, command.ClientId, command.Id, pet => pet.RemovedAt = clock.GetUtcNow(), cancellationToken);
        return Unit.Value;
    }
}

/// <summary>
/// The confirm page's compensating step: a pet it added for a booking that was then refused (the time taken meanwhile,
/// not offered, any refusal) is deleted outright, so a failed booking leaves nothing saved. The pet was added moments
/// before in the same request and nothing names it (the booking that would have was refused), so no row is kept, unlike
/// <see cref="RemoveMyPet"/>'s soft removal. Only the client's own pet; a missing one is nothing to do.
/// </summary>
public sealed record DiscardAddedPet(Guid ClientId, Guid Id) : ICommand<Unit>;

public sealed class DiscardAddedPetHandler(PortalAuthDbContext db) : ICommandHandler<DiscardAddedPet, Unit>
{
    public async ValueTask<Unit> Handle(DiscardAddedPet command, CancellationToken cancellationToken)
    {
        await db.Pets.Where(p => p.Id == command.Id && p.ClientId == command.ClientId).ExecuteDeleteAsync(cancellationToken);
        return Unit.Value;
    }
}

internal static class MyPetRules
{
    /// <summary>
    /// A malformed route id is looked up as an id no pet has, so it gets the same checks first (a business that books
    /// no pets answers 403 for it too) and then the missing id's 404: API.md answers a malformed id like a missing one.
    /// </summary>
    public static Guid RouteId(string id) => Guid.TryParse(id, out var parsed) ? parsed : Guid.Empty;

    public static async Task RequireBooksForPetsAsync(IPortalRules portal, CancellationToken cancellationToken)
    {
        if (!(await portal.GetAsync(cancellationToken)).BooksForPets)
        {
            throw ProblemException.Forbidden("This business does not book appointments for pets.");
        }
    }

    /// <summary>
    /// The client's pet on file, tracked; a removed one, another client's or a missing id: not found alike (<see cref="NotTheirsAsync"/>).
    /// <paramref name="staff"/>: a staff write's mediator (its answers), null for the client's own.
    /// </summary>
    public static async Task<Pet> FindAsync(PortalAuthDbContext db, Guid clientId, Guid id, CancellationToken cancellationToken, ISender? staff = null) =>
        await db.Pets.FirstOrDefaultAsync(p => p.Id == id && p.ClientId == clientId, cancellationToken)
        ?? throw await NotTheirsAsync(db, clientId, staff, cancellationToken);

    /// <summary>
    /// No such pet on file for the client the request named. Usually 404 <c>not-found</c> (staff's in their words,
    /// <see cref="AdminClients.PetNotFound"/>). But when that client is gone, merged into another record (decision 307;
    /// the merge deletes the record and its pets become the kept client's, between a write's read and its save or
    /// before a page left open posts): the client's own write answers 401 <c>unauthenticated</c> (the merge ended their
    /// sessions, as <see cref="OwnWrites"/> answers for their other writes), and staff's 409 <c>changed-meanwhile</c>
    /// with <c>reason</c> <c>client-merged</c> and <c>keptClientId</c> (Appointments' record of the merge,
    /// <see cref="FindKeptClient"/>), as a booking for a merged-away client is answered (decision 299); a client id that
    /// never was stays 404. Nothing is changed either way. At most two small reads, on this path only.
    /// </summary>
    public static async Task<ProblemException> NotTheirsAsync(PortalAuthDbContext db, Guid clientId, ISender? staff, CancellationToken cancellationToken)
    {
        if (!await db.Clients.AnyAsync(c => c.Id == clientId, cancellationToken))
        {
            if (staff is null)
            {
                return ProblemException.Unauthenticated("Your sign-in ended while you were changing your pets, so nothing was changed. Sign in again.");
            }

            if (await staff.Send(new FindKeptClient(clientId), cancellationToken) is { } kept)
            {
                var merged = ProblemException.ChangedMeanwhile(
                    "This client's record was merged into another one, which has its pets now. Nothing was changed: open the kept record and change the pet there.");
                merged.Extensions["reason"] = ClientMergedReason;
                merged.Extensions["keptClientId"] = kept;
                return merged;
            }
        }

        return staff is not null ? ProblemException.NotFound(AdminClients.PetNotFound) : ProblemException.NotFound();
    }

    /// <summary>The <c>reason</c> of a staff pet write's 409 for a client merged away (the one a booking's has, decision 299).</summary>
    public const string ClientMergedReason = "client-merged";

    /// <summary>
    /// Adds a pet for the client (the client's and staff's add alike): counted and inserted in one transaction, on the
    /// client's row, so adds at the same moment take turns (<see cref="PetRules.HasRoomAsync"/>). <paramref name="refuse"/>
    /// runs inside it, after the count, told whether there is room: each side throws its own answer for a missing client
    /// or a full list there, or returns to let the add go on. A name another pet of the client's on file has, in any
    /// case, is refused on `name` in <paramref name="nameTaken"/>'s words (<see cref="EnsureNameFreeAsync"/>).
    /// </summary>
    public static async Task<Pet> AddAsync(
        PortalAuthDbContext db, Guid clientId, IPetFields fields, Func<bool, Task> refuse, Func<string, string> nameTaken, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await refuse(await PetRules.HasRoomAsync(db, clientId, cancellationToken));
        await EnsureNameFreeAsync(db, clientId, fields.Name!, null, nameTaken, cancellationToken);
        var pet = PetRules.Create(clientId, fields);
        db.Pets.Add(pet);
        await SaveNamedAsync(db, pet, nameTaken, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return pet;
    }

    /// <summary>
    /// Changes the client's pet on file (<see cref="FindAsync"/>; <paramref name="staff"/>: a staff write's mediator, for
    /// staff's answers when it is not there) by <paramref name="change"/> and saves it: the client's and staff's removal. A concurrent change or removal
    /// whose save came first makes it run again on a fresh read, so a pet removed meanwhile answers 404; so does a merge
    /// that made the pet the kept client's (the save names the client it read, decision 307), answered as
    /// <see cref="NotTheirsAsync"/> says.
    /// </summary>
    public static Task<Pet> ChangeAsync(PortalAuthDbContext db, Guid clientId, Guid id, Action<Pet> change, CancellationToken cancellationToken, ISender? staff = null) =>
        db.RetryOnConcurrentChangeAsync(async () =>
        {
            var pet = await FindAsync(db, clientId, id, cancellationToken, staff);
            change(pet);
            await db.SaveChangesAsync(cancellationToken);
            return pet;
        });

    /// <summary>
    /// Replaces the client's pet on file with <paramref name="fields"/> (the client's and staff's change), as
    /// <see cref="ChangeAsync"/> does, refusing a name another of the client's pets on file has, in any case, on `name`
    /// in <paramref name="nameTaken"/>'s words (its own name, in another case, is its own).
    /// </summary>
    public static Task<Pet> RewriteAsync(
        PortalAuthDbContext db, Guid clientId, Guid id, IPetFields fields, Func<string, string> nameTaken, CancellationToken cancellationToken, ISender? staff = null) =>
        db.RetryOnConcurrentChangeAsync(async () =>
        {
            var pet = await FindAsync(db, clientId, id, cancellationToken, staff);
            await EnsureNameFreeAsync(db, clientId, fields.Name!, pet.Id, nameTaken, cancellationToken);
            PetRules.Write(pet, fields);
            await SaveNamedAsync(db, pet, nameTaken, cancellationToken);
            return pet;
        });

    /// <summary>What the portal tells a client giving a pet the name another of their pets on file has.</summary>
    public static string YouHaveOneCalled(string name) =>
        $"You already have a pet called {name}. Give this pet another name, so you can tell them apart when booking.";

    /// <summary>
    /// Refuses, on `name` in <paramref name="nameTaken"/>'s words (told the other pet's name as stored), a name that
    /// another of the client's pets on file (not <paramref name="except"/>) has, trimmed and in any case: two "Rex"
    /// choices when booking cannot be told apart. What the unique index <see cref="PortalAuthDbContext.PetNameIndex"/>
    /// compares (names are stored trimmed).
    /// </summary>
    public static async Task EnsureNameFreeAsync(
        PortalAuthDbContext db, Guid clientId, string name, Guid? except, Func<string, string> nameTaken, CancellationToken cancellationToken)
    {
        if (await OnFileNamedAsync(db, clientId, name, except, cancellationToken) is { } other)
        {
            throw ProblemException.Invalid("name", nameTaken(other));
        }
    }

    /// <summary>The stored name of the client's pet on file (not <paramref name="except"/>) called <paramref name="name"/>, trimmed and in any case; or null.</summary>
    public static async Task<string?> OnFileNamedAsync(PortalAuthDbContext db, Guid clientId, string name, Guid? except, CancellationToken cancellationToken)
    {
        // Folded by PostgreSQL, as the index folds it (decision 300): .NET's ToLowerInvariant leaves "İ" as it is, lower() does not.
        var wanted = await FoldAsync(db, name.Trim(), cancellationToken);
#pragma warning disable CA1862 // EF translates ToLower() to PostgreSQL's lower(), as the index has it; string.Equals with a StringComparison is not translated
        return await db.Pets.Where(p => p.ClientId == clientId && p.Id != except && p.Name.ToLower() == wanted)
            .Select(p => p.Name).FirstOrDefaultAsync(cancellationToken);
#pragma warning restore CA1862
    }

    /// <summary>A name as PostgreSQL's <c>lower()</c> folds it: what the unique index <see cref="PortalAuthDbContext.PetNameIndex"/> compares.</summary>
    public static async Task<string> FoldAsync(PortalAuthDbContext db, string name, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<string>($"SELECT lower({name}) AS \"Value\"").ToListAsync(cancellationToken)).Single();

    /// <summary>
    /// Saves a pet whose name was just looked for: a pet given the same name by another save since the look (a change
    /// at the same moment as an add or another change) meets the unique index and is answered as the look would have
    /// answered it, `validation` on `name`, never a 500.
    /// </summary>
    public static async Task SaveNamedAsync(PortalAuthDbContext db, Pet pet, Func<string, string> nameTaken, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation(PortalAuthDbContext.PetNameIndex))
        {
            throw ProblemException.Invalid("name", nameTaken(pet.Name));
        }
    }

    public static PortalPet View(Pet pet) => new(pet.Id, pet.Name, pet.Species, pet.Breed, pet.Notes);
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
        app.MapPost("/api/v1/portal/me/pets", async (AddMyPet command, ISender sender, ITenantContext tenant, HttpContext http, CancellationToken ct) =>
            {
                var pet = await sender.Send(command with { ClientId = http.User.SubjectId() }, ct);
                return Results.Created($"/api/v1/portal/me/pets/{pet.Id}?name={Uri.EscapeDataString(tenant.Current!.Slug)}", pet);
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
                Results.Ok(await sender.Send(new GetMyPet(http.User.SubjectId(), MyPetRules.RouteId(id)), ct)))
            .RequirePortalClient()
            .RequirePortalEnabled()
            .OpenBeforeFirstRequest() // where a new pet's Location points
            .WithName("GetMyPet")
            .WithTags("Portal")
            .Answers(404, ProblemKinds.NotFound)
            .Produces<PortalPet>();

        app.MapPut("/api/v1/portal/me/pets/{id}", async (string id, ChangeMyPet command, ISender sender, HttpContext http, CancellationToken ct) =>
                Results.Ok(await sender.Send(command with { ClientId = http.User.SubjectId(), Id = MyPetRules.RouteId(id) }, ct)))
            .RequirePortalClient()
            .RequirePortalEnabled()
            .OpenBeforeFirstRequest() // as adding: a pet given in the booking flow can be put right there
            .WithName("ChangeMyPet")
            .WithTags("Portal")
            .Answers(403, ProblemKinds.Forbidden)
            .Answers(404, ProblemKinds.NotFound)
            .WithSummary("Change one of the signed-in client's pets (the whole pet; only where the business books for pets: else 403 `forbidden`).")
            .Accepts<ChangeMyPet>("application/json")
            .Produces<PortalPet>()
            .ProducesValidationProblem();

        app.MapDelete("/api/v1/portal/me/pets/{id}", async (string id, ISender sender, HttpContext http, CancellationToken ct) =>
            {
                await sender.Send(new RemoveMyPet(http.User.SubjectId(), MyPetRules.RouteId(id)), ct);
                return Results.NoContent();
            })
            .RequirePortalClient()
            .RequirePortalEnabled()
            .OpenBeforeFirstRequest()
            .WithName("RemoveMyPet")
            .WithTags("Portal")
            .Answers(403, ProblemKinds.Forbidden)
            .Answers(404, ProblemKinds.NotFound)
            .WithSummary("Remove one of the signed-in client's pets: no longer listed or bookable; appointments still name it (only where the business books for pets: else 403 `forbidden`).")
            .Produces(StatusCodes.Status204NoContent);
    }
}
