using Booking.Appointments.Contracts;
using Booking.Appointments.Data;
using Booking.Appointments.Features.Clashes;
using Booking.Appointments.Features.Scheduling;
using Booking.PortalAuth.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Appointments.Features.ClientMerge;

/// <summary>
/// <see cref="FindMergeOverlaps"/>: one read of the clients' live appointments ending after now, by the (tenant, client,
/// start) index, paired in memory (a client has a handful upcoming), named as clashes are.
/// </summary>
public sealed class FindMergeOverlapsHandler(AppointmentsDbContext db, Schedule schedule, ClashFinder finder, ISender sender)
    : IQueryHandler<FindMergeOverlaps, IReadOnlyList<MergeOverlap>>
{
    public async ValueTask<IReadOnlyList<MergeOverlap>> Handle(FindMergeOverlaps query, CancellationToken cancellationToken)
    {
        var others = query.OtherClientIds.Where(id => id != query.ClientId).Distinct().ToList();
        if (others.Count == 0)
        {
            return [];
        }

        var ids = others.Append(query.ClientId).ToList();
        var now = schedule.Now;
        var live = await db.Appointments.AsNoTracking()
            .Where(a => ids.Contains(a.ClientId) && a.EndAt > now && ClashFinder.Live.Contains(a.Status))
            .OrderBy(a => a.StartAt).ThenBy(a => a.Id)
            .ToListAsync(cancellationToken);
        var mine = live.Where(a => a.ClientId == query.ClientId).ToList();
        var overlapping = (from m in mine
                           from t in live
                           where t.ClientId != query.ClientId && m.StartAt < t.EndAt && t.StartAt < m.EndAt
                           orderby (m.StartAt < t.StartAt ? m.StartAt : t.StartAt), m.Id, t.Id
                           select (Mine: m, Theirs: t)).ToList();
        if (overlapping.Count == 0)
        {
            return [];
        }

        // Different pets at once are not a double (decision 338); the same animal on both records (a pet of the same
        // name, which the merge may combine) or a visit for no pet is. Pets' names, removed ones too, in one read.
        var petIds = overlapping.SelectMany(p => new[] { p.Mine.PetId, p.Theirs.PetId }).OfType<Guid>().Distinct().ToList();
        var pets = petIds.Count == 0 ? new Dictionary<Guid, string>() : await sender.Send(new GetPetNames(petIds), cancellationToken);
        string? PetName(Guid? id) => id is { } p ? pets.GetValueOrDefault(p) : null;
        var pairs = overlapping.Where(p => p.Mine.PetId is null || p.Theirs.PetId is null || p.Mine.PetId == p.Theirs.PetId
            || string.Equals(PetName(p.Mine.PetId)?.Trim(), PetName(p.Theirs.PetId)?.Trim(), StringComparison.CurrentCultureIgnoreCase)).ToList();
        if (pairs.Count == 0)
        {
            return [];
        }

        var named = (await finder.NameAsync(pairs.SelectMany(p => new[] { p.Mine, p.Theirs }).DistinctBy(a => a.Id).ToList(), cancellationToken))
            .ToDictionary(c => c.AppointmentId);
        AppointmentClash Side(Domain.Appointment a) =>
            named[a.Id] with { Pet = a.PetId is { } p ? new ClashPet(p, PetName(p) ?? "") : null };
        return pairs.Select(p => new MergeOverlap(p.Theirs.ClientId, Side(p.Mine), Side(p.Theirs))).ToList();
    }
}
