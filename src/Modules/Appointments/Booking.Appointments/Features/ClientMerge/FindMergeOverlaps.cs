using Booking.Appointments.Contracts;
using Booking.Appointments.Data;
using Booking.Appointments.Features.Clashes;
using Booking.Appointments.Features.Scheduling;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Appointments.Features.ClientMerge;

/// <summary>
/// <see cref="FindMergeOverlaps"/>: one read of the clients' live appointments ending after now, by the (tenant, client,
/// start) index, paired in memory (a client has a handful upcoming), named as clashes are.
/// </summary>
public sealed class FindMergeOverlapsHandler(AppointmentsDbContext db, Schedule schedule, ClashFinder finder)
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
        var pairs = (from m in mine
                     from t in live
                     where t.ClientId != query.ClientId && m.StartAt < t.EndAt && t.StartAt < m.EndAt
                     orderby (m.StartAt < t.StartAt ? m.StartAt : t.StartAt), m.Id, t.Id
                     select (Mine: m, Theirs: t)).ToList();
        if (pairs.Count == 0)
        {
            return [];
        }

        var named = (await finder.NameAsync(pairs.SelectMany(p => new[] { p.Mine, p.Theirs }).DistinctBy(a => a.Id).ToList(), cancellationToken))
            .ToDictionary(c => c.AppointmentId);
        return pairs.Select(p => new MergeOverlap(p.Theirs.ClientId, named[p.Mine.Id], named[p.Theirs.Id])).ToList();
    }
}
