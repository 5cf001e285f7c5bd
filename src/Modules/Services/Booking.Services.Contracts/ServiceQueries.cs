using Booking.BuildingBlocks.Contracts;
using Mediator;

namespace Booking.Services.Contracts;

/// <summary>One service of the current business, retired ones included (their past appointments keep them); null when missing.</summary>
public sealed record GetService(Guid Id) : IQuery<ServiceView?>;

/// <summary>Services of the current business; OnlineOnly = bookable online and not retired.</summary>
public sealed record GetServices(bool OnlineOnly) : IQuery<IReadOnlyList<ServiceView>>;

/// <summary>
/// The ids of the services a client could book online now: bookable online, not retired, and provided online by an
/// active diary. The one rule the portal's service list (<c>GET /api/v1/portal/services</c>) is made by, for modules that
/// need only which services are offered (Appointments' <c>canMove</c>, decision 318). Reference data kept in memory: no
/// statement.
/// </summary>
public sealed record GetServicesOfferedOnline : IQuery<IReadOnlyList<Guid>>;

/// <summary>
/// DiaryIds: the diaries that provide the service online. ForSpecies: the animals it is for (pets' species, trimmed, as
/// staff typed them); empty: any animal, or not about pets (<see cref="SpeciesFit"/>).
/// </summary>
public sealed record ServiceView(
    Guid Id,
    string Name,
    string Description,
    int DurationMinutes,
    int BufferAfterMinutes,
    Money Price,
    bool BookableOnline,
    bool Retired,
    IReadOnlyList<Guid> DiaryIds,
    IReadOnlyList<string> ForSpecies);
