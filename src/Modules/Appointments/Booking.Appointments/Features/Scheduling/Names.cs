using Booking.PortalAuth.Contracts;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Booking.Tenancy.Contracts;
using Mediator;

namespace Booking.Appointments.Features.Scheduling;

public sealed record NamedRef(Guid Id, string Name);

/// <summary>A diary named to a client: its <c>kind</c> (<c>person</c> or <c>resource</c>) says how to name it ("with Aoife", "— Room Two").</summary>
public sealed record DiaryRef(Guid Id, string Name, string Kind);

public sealed record ItemsView<T>(IReadOnlyList<T> Items);

/// <summary>Names of services, diaries, clients and pets, read once per answer from the modules that own them.</summary>
public sealed class Names(ISender sender)
{
    /// <summary>The sender the names are read through (the portal's answers read the online offer with it too).</summary>
    internal ISender Sender => sender;

    public IReadOnlyDictionary<Guid, string> Services { get; private set; } = new Dictionary<Guid, string>();

    public IReadOnlyDictionary<Guid, string> Diaries { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>Each diary's kind (<see cref="DiaryKinds"/>), read with <see cref="Diaries"/>.</summary>
    public IReadOnlyDictionary<Guid, string> DiaryKindsById { get; private set; } = new Dictionary<Guid, string>();

    public IReadOnlyDictionary<Guid, ClientView> Clients { get; private set; } = new Dictionary<Guid, ClientView>();

    public IReadOnlyDictionary<Guid, string> Pets { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>Staff members' names (Tenancy's <c>GetStaffNames</c>), for who booked, cancelled or noted an appointment.</summary>
    private readonly Dictionary<Guid, string> staff = [];

    /// <summary>Reads the names of these staff members not known yet: no query when there are none.</summary>
    public async Task LoadStaffAsync(IEnumerable<Guid?> staffIds, CancellationToken ct)
    {
        var unknown = staffIds.OfType<Guid>().Where(id => !staff.ContainsKey(id)).Distinct().ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        foreach (var (id, name) in await sender.Send(new GetStaffNames(unknown), ct))
        {
            staff[id] = name;
        }
    }

    /// <summary>A staff member read by <see cref="LoadStaffAsync"/>; null for none, and for one no longer on the team.</summary>
    public NamedRef? StaffMember(Guid? id) => id is { } s && staff.TryGetValue(s, out var name) ? new NamedRef(s, name) : null;

    /// <summary>Pets the clients no longer have on file (removed), named for the appointments that were for them.</summary>
    private readonly Dictionary<Guid, string> formerPets = [];

    /// <summary>A client the caller has already read: not read again, and their pets are named from it.</summary>
    public void Know(ClientView client) => Add([client]);

    /// <param name="petIds">
    /// The pets the answer names (the appointments' <c>PetId</c>s). Those the clients read no longer list (removed from
    /// their details) are named by one more read, only when there are any: the usual answer makes none.
    /// </param>
    public async Task LoadAsync(IReadOnlyCollection<Guid> diaryIds, IReadOnlyCollection<Guid> clientIds, CancellationToken ct, IEnumerable<Guid?>? petIds = null)
    {
        Services = (await sender.Send(new GetServices(false), ct)).ToDictionary(s => s.Id, s => s.Name);
        var diaries = diaryIds.Count == 0 ? [] : await sender.Send(new GetDiaries(diaryIds.Distinct().ToList()), ct);
        Diaries = diaries.ToDictionary(d => d.Id, d => d.Name);
        DiaryKindsById = diaries.ToDictionary(d => d.Id, d => d.Kind);
        var unknown = clientIds.Where(id => !Clients.ContainsKey(id)).Distinct().ToList();
        Add(unknown.Count > 0 ? await sender.Send(new GetClients(unknown), ct) : []);
        var former = (petIds ?? []).OfType<Guid>().Where(id => !Pets.ContainsKey(id) && !formerPets.ContainsKey(id)).Distinct().ToList();
        if (former.Count > 0)
        {
            foreach (var (id, name) in await sender.Send(new GetPetNames(former), ct))
            {
                formerPets[id] = name;
            }
        }
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

    /// <summary>The diary with its kind, for the client's answers.</summary>
    public DiaryRef DiaryWithKind(Guid id) => new(id, Diaries.GetValueOrDefault(id, ""), DiaryKindsById.GetValueOrDefault(id, DiaryKinds.Person));

    public NamedRef Client(Guid id) => new(id, Clients.TryGetValue(id, out var c) ? c.FullName : "");

    public NamedRef? Pet(Guid? id) => id is { } p ? new NamedRef(p, Pets.GetValueOrDefault(p) ?? formerPets.GetValueOrDefault(p, "")) : null;
}
