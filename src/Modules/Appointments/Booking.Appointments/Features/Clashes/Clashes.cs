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

public sealed class FindHoursClashesHandler(ClashFinder finder, Schedule schedule) : IQueryHandler<FindHoursClashes, IReadOnlyList<AppointmentClash>>
{
    public async ValueTask<IReadOnlyList<AppointmentClash>> Handle(FindHoursClashes query, CancellationToken cancellationToken)
    {
        var date = LocalDate.FromDateOnly(query.Date);
        var (start, end) = schedule.Span(date, date);
        var live = await finder.LiveAsync(query.DiaryId, start, end, cancellationToken);
        // Only the date's part of an appointment counts: before and after it the new hours say nothing.
        var hours = WorkingTime.Of(schedule.Zone, [(date, query.Hours.Select(h => (h.Start, h.End)))],
            [(Instant.MinValue, start), (end, Instant.MaxValue)]);
        return await finder.NameAsync(live.Where(a => !hours.Covers(a.StartAt, a.EndAt)).ToList(), cancellationToken);
    }
}
