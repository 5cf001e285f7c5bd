using Booking.BuildingBlocks.Contracts;
using Mediator;

namespace Booking.Services.Contracts;

/// <summary>One service of the current business, retired ones included (their past appointments keep them); null when missing.</summary>
public sealed record GetService(Guid Id) : IQuery<ServiceView?>;

/// <summary>Services of the current business; OnlineOnly = bookable online and not retired.</summary>
public sealed record GetServices(bool OnlineOnly) : IQuery<IReadOnlyList<ServiceView>>;

/// <summary>DiaryIds: the diaries that provide the service online.</summary>
public sealed record ServiceView(
    Guid Id,
    string Name,
    string Description,
    int DurationMinutes,
    int BufferAfterMinutes,
    Money Price,
    bool BookableOnline,
    bool Retired,
    IReadOnlyList<Guid> DiaryIds);
