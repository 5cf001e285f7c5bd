using Booking.Appointments.Contracts;
using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.Scheduling;
using Mediator;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Appointments.Features.Clashes;

/// <summary>Live appointments that a diary's new hours or new busy time leave out: named for staff, never changed.</summary>
public sealed class ClashFinder(AppointmentsDbContext db, Schedule schedule, Names names)
{
    /// <summary>Statuses of an appointment still expected to happen (not cancelled, declined or already marked).</summary>
    public static readonly string[] Live = [AppointmentStatus.Requested, AppointmentStatus.Confirmed, AppointmentStatus.CancellationRequested];

    /// <summary>The diary's live appointments overlapping [start, end), by start.</summary>
    public async Task<List<Appointment>> LiveAsync(Guid diaryId, Instant start, Instant end, CancellationToken ct) =>
        await db.Appointments.AsNoTracking()
            .Where(a => a.DiaryId == diaryId && a.StartAt < end && a.EndAt > start && Live.Contains(a.Status))
            .OrderBy(a => a.StartAt).ThenBy(a => a.Id)
            .ToListAsync(ct);

    /// <summary>
    /// The diary's live appointments starting at or after <paramref name="notBefore"/> that overlap the dates
    /// [from, to] and that <paramref name="days"/>' hours don't hold on those dates (before and after them the hours say
    /// nothing), named.
    /// </summary>
    public async Task<IReadOnlyList<AppointmentClash>> OutsideAsync(Guid diaryId, LocalDate from, LocalDate to,
        IEnumerable<(LocalDate Date, IEnumerable<(TimeSpan Start, TimeSpan End)> Blocks)> days, Instant notBefore, CancellationToken ct)
    {
        var (start, end) = schedule.Span(from, to);
        var live = await LiveAsync(diaryId, notBefore > start ? notBefore : start, end, ct);
        var hours = WorkingTime.Of(schedule.Zone, days, [(Instant.MinValue, start), (end, Instant.MaxValue)]);
        return await NameAsync(live.Where(a => a.StartAt >= notBefore && !hours.Covers(a.StartAt, a.EndAt)).ToList(), ct);
    }

    public async Task<IReadOnlyList<AppointmentClash>> NameAsync(IReadOnlyList<Appointment> appointments, CancellationToken ct)
    {
        if (appointments.Count == 0)
        {
            return [];
        }

        await names.LoadAsync([], appointments.Select(a => a.ClientId).ToList(), ct);
        return appointments.Select(a => new AppointmentClash(a.Id, schedule.Render(a.StartAt), schedule.Render(a.EndAt),
            names.Client(a.ClientId).Name, names.Service(a.ServiceId).Name, a.Status)).ToList();
    }
}

public sealed class FindHoursClashesHandler(ClashFinder finder) : IQueryHandler<FindHoursClashes, IReadOnlyList<AppointmentClash>>
{
    public async ValueTask<IReadOnlyList<AppointmentClash>> Handle(FindHoursClashes query, CancellationToken cancellationToken)
    {
        var date = LocalDate.FromDateOnly(query.Date);
        var last = query.LastDate is { } lastDate && LocalDate.FromDateOnly(lastDate) > date ? LocalDate.FromDateOnly(lastDate) : date;
        var hours = query.Hours.Select(h => (h.Start, h.End)).ToList();
        var days = Enumerable.Range(0, Period.DaysBetween(date, last) + 1).Select(i => (date.PlusDays(i), (IEnumerable<(TimeSpan Start, TimeSpan End)>)hours));
        // Only the dates' part of an appointment counts, past or not: an exception may be saved for any date.
        return await finder.OutsideAsync(query.DiaryId, date, last, days, Instant.MinValue, cancellationToken);
    }
}

public sealed class FindHoursClashesOnDatesHandler(ClashFinder finder, Schedule schedule)
    : IQueryHandler<FindHoursClashesOnDates, IReadOnlyList<AppointmentClash>>
{
    public async ValueTask<IReadOnlyList<AppointmentClash>> Handle(FindHoursClashesOnDates query, CancellationToken cancellationToken)
    {
        var days = query.Days.GroupBy(d => LocalDate.FromDateOnly(d.Date))
            .Select(g => (Date: g.Key, Blocks: g.SelectMany(d => d.Hours).Select(h => (h.Start, h.End)).ToList()))
            .OrderBy(d => d.Date).ToList();
        if (days.Count == 0)
        {
            return [];
        }

        var (start, end) = schedule.Span(days[0].Date, days[^1].Date);
        var live = await finder.LiveAsync(query.DiaryId, start, end, cancellationToken);
        if (live.Count == 0)
        {
            return [];
        }

        // Before the first date, after the last and on the dates between not asked about, the hours say nothing.
        var asked = days.Select(d => d.Date).ToHashSet();
        var between = Enumerable.Range(1, Math.Max(0, Period.DaysBetween(days[0].Date, days[^1].Date) - 1)).Select(days[0].Date.PlusDays)
            .Where(d => !asked.Contains(d)).Select(d => schedule.Span(d, d));
        var hours = WorkingTime.Of(schedule.Zone, days.Select(d => (d.Date, (IEnumerable<(TimeSpan Start, TimeSpan End)>)d.Blocks)),
            [(Instant.MinValue, start), (end, Instant.MaxValue), .. between]);
        return await finder.NameAsync(live.Where(a => !hours.Covers(a.StartAt, a.EndAt)).ToList(), cancellationToken);
    }
}

public sealed class FindUpcomingHoursClashesHandler(ClashFinder finder, Schedule schedule)
    : IQueryHandler<FindUpcomingHoursClashes, IReadOnlyList<AppointmentClash>>
{
    public async ValueTask<IReadOnlyList<AppointmentClash>> Handle(FindUpcomingHoursClashes query, CancellationToken cancellationToken)
    {
        if (query.To < query.From)
        {
            return [];
        }

        return await finder.OutsideAsync(query.DiaryId, LocalDate.FromDateOnly(query.From), LocalDate.FromDateOnly(query.To),
            query.Days.Select(d => (LocalDate.FromDateOnly(d.Date), d.Hours.Select(h => (h.Start, h.End)))), schedule.Now, cancellationToken);
    }
}
