using Booking.Roster.Contracts;
using Booking.Roster.Data;
using Booking.Roster.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Roster.Features.OnlineHours;

public sealed class GetBookingRulesHandler(RosterDbContext db) : IQueryHandler<GetBookingRules, BookingRulesView>
{
    public async ValueTask<BookingRulesView> Handle(GetBookingRules query, CancellationToken cancellationToken)
    {
        var rules = await db.BookingRules.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new Domain.BookingRules();
        return new BookingRulesView(rules.SlotIntervalMinutes, rules.MinimumNoticeMinutes, rules.HorizonDays);
    }
}

public sealed class GetDiariesHandler(RosterDbContext db) : IQueryHandler<GetDiaries, IReadOnlyList<DiaryView>>
{
    public async ValueTask<IReadOnlyList<DiaryView>> Handle(GetDiaries query, CancellationToken cancellationToken)
    {
        var diaries = db.Diaries.AsNoTracking();
        if (query.Ids is not null)
        {
            var ids = query.Ids.Distinct().ToList();
            diaries = diaries.Where(d => ids.Contains(d.Id));
        }

        return await diaries.OrderBy(d => d.Name).ThenBy(d => d.Id)
            .Select(d => new DiaryView(d.Id, d.Name, d.ContactEmail, d.Active))
            .ToListAsync(cancellationToken);
    }
}

public sealed class GetOnlineHoursHandler(RosterDbContext db) : IQueryHandler<GetOnlineHours, IReadOnlyList<DiaryDayHours>>
{
    public async ValueTask<IReadOnlyList<DiaryDayHours>> Handle(GetOnlineHours query, CancellationToken cancellationToken)
    {
        if (query.DiaryIds.Count == 0 || query.To < query.From)
        {
            return [];
        }

        var asked = query.DiaryIds.Distinct().ToList();
        var active = await db.Diaries.AsNoTracking().Where(d => asked.Contains(d.Id) && d.Active).Select(d => d.Id).ToListAsync(cancellationToken);
        if (active.Count == 0)
        {
            return [];
        }

        var blocks = await db.Blocks.AsNoTracking().Where(b => active.Contains(b.DiaryId) && b.BookableOnline).ToListAsync(cancellationToken);
        var exceptions = await db.Exceptions.AsNoTracking()
            .Where(e => active.Contains(e.DiaryId) && e.Date >= query.From && e.Date <= query.To)
            .ToListAsync(cancellationToken);
        // Keep the caller's order of diaries.
        return OnlineHoursCalculator.Compute(asked.Where(active.Contains), query.From, query.To, blocks, exceptions);
    }
}
