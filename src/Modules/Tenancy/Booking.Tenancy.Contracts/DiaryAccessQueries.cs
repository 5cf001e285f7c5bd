using Mediator;

namespace Booking.Tenancy.Contracts;

/// <summary>
/// Which diaries the signed-in staff member may read (their appointments, busy blocks and clients' names): every
/// diary for an owner or admin; for a practitioner only the diaries of their current <c>diaryIds</c>, read once
/// per request, so an owner's change counts from the next request. No staff session: none.
/// </summary>
public sealed record GetDiaryAccess : IQuery<DiaryAccess>;

/// <summary><see cref="Only"/> null = every diary; otherwise just these ids (possibly none).</summary>
public sealed record DiaryAccess(IReadOnlySet<Guid>? Only)
{
    public static readonly DiaryAccess Every = new((IReadOnlySet<Guid>?)null);

    public static readonly DiaryAccess None = new(new HashSet<Guid>());

    public bool AllowsEvery => Only is null;

    public bool Allows(Guid diaryId) => Only is null || Only.Contains(diaryId);
}
