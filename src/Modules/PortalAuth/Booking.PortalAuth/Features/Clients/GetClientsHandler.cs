using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Clients;

/// <summary>
/// The contract other modules read clients through; the tenant filter keeps it to the current business, and the pets'
/// named filter (<see cref="Pet.OnFile"/>) to the pets on file.
/// </summary>
public sealed class GetClientsHandler(PortalAuthDbContext db) : IQueryHandler<GetClients, IReadOnlyList<ClientView>>
{
    public async ValueTask<IReadOnlyList<ClientView>> Handle(GetClients query, CancellationToken cancellationToken)
    {
        if (query.Ids.Count == 0)
        {
            return [];
        }

        List<Client> clients;
        if (query.Ids.Count == 1)
        {
            clients = await ClientReads.WithPets(db, query.Ids.First(), cancellationToken) is { } one ? [one] : [];
        }
        else
        {
            var ids = query.Ids.Distinct().ToList();
            clients = await db.Clients.AsNoTracking().Include(c => c.Pets).Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);
        }

        return clients.Select(c => new ClientView(c.Id, c.FirstName, c.LastName, c.Email, c.Mobile, c.Status,
                c.Pets.OrderBy(p => p.Name).Select(p => new PetView(p.Id, p.Name, p.Species, p.Breed) { Notes = p.Notes }).ToList(), c.AwaitingFirstRequest, c.MobileVerified, c.OtherPhone))
            .ToList();
    }
}

/// <summary>Pets' names by id, removed pets included: the one read that ignores <see cref="Pet.OnFile"/> (never the tenant filter).</summary>
public sealed class GetPetNamesHandler(PortalAuthDbContext db) : IQueryHandler<GetPetNames, IReadOnlyDictionary<Guid, string>>
{
    public async ValueTask<IReadOnlyDictionary<Guid, string>> Handle(GetPetNames query, CancellationToken cancellationToken)
    {
        if (query.Ids.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }

        var ids = query.Ids.Distinct().ToList();
        return await db.Pets.AsNoTracking().IgnoreQueryFilters([Pet.OnFile]).Where(p => ids.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
    }
}

/// <summary>Pets by id with species, breed and whether removed: like <see cref="GetPetNamesHandler"/>, ignores only <see cref="Pet.OnFile"/>.</summary>
public sealed class GetPetFactsHandler(PortalAuthDbContext db) : IQueryHandler<GetPetFacts, IReadOnlyDictionary<Guid, PetFacts>>
{
    public async ValueTask<IReadOnlyDictionary<Guid, PetFacts>> Handle(GetPetFacts query, CancellationToken cancellationToken)
    {
        if (query.Ids.Count == 0)
        {
            return new Dictionary<Guid, PetFacts>();
        }

        var ids = query.Ids.Distinct().ToList();
        return await db.Pets.AsNoTracking().IgnoreQueryFilters([Pet.OnFile]).Where(p => ids.Contains(p.Id))
            .Select(p => new PetFacts(p.Id, p.Name, p.Species, p.Breed, p.RemovedAt != null) { Notes = p.Notes })
            .ToDictionaryAsync(p => p.Id, cancellationToken);
    }
}
