using Booking.PortalAuth.Contracts;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Mediator;

namespace Booking.Appointments.Features.Scheduling;

public sealed record NamedRef(Guid Id, string Name);

public sealed record ItemsView<T>(IReadOnlyList<T> Items);

/// <summary>Names of services, diaries, clients and pets, read once per answer from the modules that own them.</summary>
public sealed class Names(ISender sender)
{
    public IReadOnlyDictionary<Guid, string> Services { get; private set; } = new Dictionary<Guid, string>();

    public IReadOnlyDictionary<Guid, string> Diaries { get; private set; } = new Dictionary<Guid, string>();

    public IReadOnlyDictionary<Guid, ClientView> Clients { get; private set; } = new Dictionary<Guid, ClientView>();

    public IReadOnlyDictionary<Guid, string> Pets { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>A client the caller has already read: not read again, and their pets are named from it.</summary>
    public void Know(ClientView client) => Add([client]);

    public async Task LoadAsync(IReadOnlyCollection<Guid> diaryIds, IReadOnlyCollection<Guid> clientIds, CancellationToken ct)
    {
        Services = (await sender.Send(new GetServices(false), ct)).ToDictionary(s => s.Id, s => s.Name);
        Diaries = diaryIds.Count == 0
            ? new Dictionary<Guid, string>()
            : (await sender.Send(new GetDiaries(diaryIds.Distinct().ToList()), ct)).ToDictionary(d => d.Id, d => d.Name);
        var unknown = clientIds.Where(id => !Clients.ContainsKey(id)).Distinct().ToList();
        Add(unknown.Count > 0 ? await sender.Send(new GetClients(unknown), ct) : []);
    }

    /// <summary>Clients read (the newest copy wins), and the names of all their pets.</summary>
    private void Add(IEnumerable<ClientView> clients)
    {
        var known = new Dictionary<Guid, ClientView>(Clients);
        foreach (var client in clients)
        {
            known[client.Id] = client;
        }

        Clients = known;
        Pets = known.Values.SelectMany(c => c.Pets).GroupBy(p => p.Id).ToDictionary(g => g.Key, g => g.First().Name);
    }

    public NamedRef Service(Guid id) => new(id, Services.GetValueOrDefault(id, ""));

    public NamedRef Diary(Guid id) => new(id, Diaries.GetValueOrDefault(id, ""));

    public NamedRef Client(Guid id) => new(id, Clients.TryGetValue(id, out var c) ? c.FullName : "");

    public NamedRef? Pet(Guid? id) => id is { } p ? new NamedRef(p, Pets.GetValueOrDefault(p, "")) : null;
}
