using Booking.Roster.Contracts;
using Booking.Roster.Data;
using Booking.Roster.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Roster.Features.OnlineHours;

public sealed class GetBookingRulesHandler(RosterReader roster) : IQueryHandler<GetBookingRules, BookingRulesView>
{
    public async ValueTask<BookingRulesView> Handle(GetBookingRules query, CancellationToken cancellationToken)
    {
        return (await roster.GetAsync(cancellationToken)).Rules.ToView();
    }
}

public sealed class GetHoursVersionHandler(RosterReader roster) : IQueryHandler<GetHoursVersion, long>
{
    public async ValueTask<long> Handle(GetHoursVersion query, CancellationToken cancellationToken)
    {
        if (query.Fresh)
        {
            roster.Drop();
        }

        return (await roster.GetAsync(cancellationToken)).HoursVersion;
    }
}

public sealed class GetDiariesHandler(RosterReader roster) : IQueryHandler<GetDiaries, IReadOnlyList<DiaryView>>
{
    public async ValueTask<IReadOnlyList<DiaryView>> Handle(GetDiaries query, CancellationToken cancellationToken)
    {
        IEnumerable<Diary> diaries = (await roster.GetAsync(cancellationToken)).Diaries; // by name, then id
        if (query.Ids is not null)
        {
            var ids = query.Ids.ToHashSet();
            diaries = diaries.Where(d => ids.Contains(d.Id));
        }

        return diaries.Select(d => new DiaryView(d.Id, d.Name, d.ContactEmail, d.Active, d.Kind)).ToList();
    }
}

public sealed class GetOnlineHoursHandler(RosterReader roster, RosterDbContext db) : IQueryHandler<GetOnlineHours, IReadOnlyList<DiaryDayHours>>
{
    public async ValueTask<IReadOnlyList<DiaryDayHours>> Handle(GetOnlineHours query, CancellationToken cancellationToken)
    {
        if (query.DiaryIds.Count == 0 || query.To < query.From)
        {
            return [];
        }

        var snapshot = await roster.GetAsync(cancellationToken);
        var asked = query.DiaryIds.Distinct().ToList();
        var active = snapshot.Diaries.Where(d => d.Active).Select(d => d.Id).ToHashSet();
        active.IntersectWith(asked);
        if (active.Count == 0)
        {
            return [];
        }

        var blocks = snapshot.OnlineBlocks.Where(b => active.Contains(b.DiaryId));
        var exceptions = await DatedExceptions.ReadAsync(snapshot, db, active, query.From, query.To, cancellationToken);
        // Keep the caller's order of diaries; a date the business is closed has no hours for any diary (decision 289).
        var closed = await BusinessClosure.DatesAsync(snapshot, db, query.From, query.To, cancellationToken);
        return OnlineHoursCalculator.Compute(asked.Where(active.Contains), query.From, query.To, blocks, exceptions).Where(h => !closed.Contains(h.Date)).ToList();
    }
}

public sealed class GetWorkingHoursHandler(RosterReader roster, RosterDbContext db) : IQueryHandler<GetWorkingHours, IReadOnlyList<DiaryDayHours>>
{
    public async ValueTask<IReadOnlyList<DiaryDayHours>> Handle(GetWorkingHours query, CancellationToken cancellationToken)
    {
        if (query.DiaryIds.Count == 0 || query.To < query.From)
        {
            return [];
        }

        var snapshot = await roster.GetAsync(cancellationToken);
        var known = snapshot.Diaries.Select(d => d.Id).ToHashSet();
        var asked = query.DiaryIds.Distinct().Where(known.Contains).ToList();
        if (asked.Count == 0)
        {
            return [];
        }

        var diaries = asked.ToHashSet();
        var blocks = snapshot.Blocks.Where(b => diaries.Contains(b.DiaryId));
        var listed = await DatedExceptions.ReadAsync(snapshot, db, diaries, query.From, query.To, cancellationToken);
        // A date the business is closed has no hours for any diary, one with no weekly roster too (decision 289).
        var closed = await BusinessClosure.DatesAsync(snapshot, db, query.From, query.To, cancellationToken);
        var worked = OnlineHoursCalculator.Compute(asked, query.From, query.To, blocks, listed, onlineOnly: false).Where(h => !closed.Contains(h.Date)).ToList();

        // A diary with no weekly roster (one staff book by hand) has no hours to be outside of: it works all day, except
        // on a date an exception sets (closed, or other hours), which says what staff meant for that date.
        var rostered = snapshot.Blocks.Select(b => b.DiaryId).ToHashSet();
        var unrostered = asked.Where(d => !rostered.Contains(d)).ToList();
        if (unrostered.Count == 0)
        {
            return worked;
        }

        var excepted = listed.Select(e => (e.DiaryId, e.Date)).ToHashSet();
        var allDay = new[] { new LocalTimeBlock(TimeSpan.Zero, TimeSpan.FromDays(1)) };
        var result = worked.ToList();
        foreach (var diaryId in unrostered)
        {
            for (var date = query.From; date <= query.To; date = date.AddDays(1))
            {
                if (!excepted.Contains((diaryId, date)) && !closed.Contains(date))
                {
                    result.Add(new DiaryDayHours(diaryId, date, allDay));
                }

                if (date == DateOnly.MaxValue)
                {
                    break;
                }
            }
        }

        return result;
    }
}

/// <summary>The dates the business is closed (decision 289), for the hours queries: as <see cref="DatedExceptions"/>, from the snapshot or, for an older range, the database.</summary>
internal static class BusinessClosure
{
    public static async Task<IReadOnlyList<BusinessClosedDay>> ReadAsync(RosterSnapshot snapshot, RosterDbContext db, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        from >= snapshot.ExceptionsFrom
            ? [.. snapshot.ClosedDays.Where(c => c.Date >= from && c.Date <= to)]
            : await db.ClosedDays.AsNoTracking().Where(c => c.Date >= from && c.Date <= to).OrderBy(c => c.Date).ToListAsync(cancellationToken);

    public static async Task<HashSet<DateOnly>> DatesAsync(RosterSnapshot snapshot, RosterDbContext db, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        (await ReadAsync(snapshot, db, from, to, cancellationToken)).Select(c => c.Date).ToHashSet();
}

/// <summary>The dated exceptions of some diaries in a range of dates, for the hours queries.</summary>
internal static class DatedExceptions
{
    /// <summary>
    /// From the snapshot, which holds exceptions from a little before today; an older range (the staff diary's past
    /// weeks) reads them from the database.
    /// </summary>
    public static async Task<IReadOnlyList<RosterException>> ReadAsync(RosterSnapshot snapshot, RosterDbContext db, HashSet<Guid> diaries,
        DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        from >= snapshot.ExceptionsFrom
            ? [.. snapshot.Exceptions.Where(e => diaries.Contains(e.DiaryId) && e.Date >= from && e.Date <= to)]
            : await db.Exceptions.AsNoTracking()
                .Where(e => diaries.Contains(e.DiaryId) && e.Date >= from && e.Date <= to)
                .ToListAsync(cancellationToken);
}

public sealed class GetBusinessClosedDaysHandler(RosterReader roster, RosterDbContext db) : IQueryHandler<GetBusinessClosedDays, IReadOnlyList<BusinessClosedDayView>>
{
    public async ValueTask<IReadOnlyList<BusinessClosedDayView>> Handle(GetBusinessClosedDays query, CancellationToken cancellationToken)
    {
        if (query.To < query.From)
        {
            return [];
        }

        var snapshot = await roster.GetAsync(cancellationToken);
        return (await BusinessClosure.ReadAsync(snapshot, db, query.From, query.To, cancellationToken))
            .Select(c => new BusinessClosedDayView(c.Date, c.Label)).ToList();
    }
}
