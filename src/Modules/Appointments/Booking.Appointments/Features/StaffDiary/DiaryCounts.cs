using Booking.Appointments.Contracts;
using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Appointments.Features.StaffDiary;

/// <summary>
/// <see cref="CountDiaryUpcoming"/>: one count over the index on diary and start, split by status (requested apart from
/// confirmed and cancellation-requested).
/// </summary>
public sealed class CountDiaryUpcomingHandler(AppointmentsDbContext db, TimeProvider clock) : IQueryHandler<CountDiaryUpcoming, DiaryUpcoming>
{
    private static readonly string[] Held = [AppointmentStatus.Confirmed, AppointmentStatus.CancellationRequested];

    public async ValueTask<DiaryUpcoming> Handle(CountDiaryUpcoming query, CancellationToken cancellationToken)
    {
        var now = Instant.FromDateTimeOffset(clock.GetUtcNow());
        var counts = await db.Appointments.AsNoTracking()
            .Where(a => a.DiaryId == query.DiaryId && a.StartAt > now
                && (a.Status == AppointmentStatus.Requested || Held.Contains(a.Status)))
            .GroupBy(a => 1)
            .Select(g => new
            {
                Requests = g.Count(a => a.Status == AppointmentStatus.Requested),
                All = g.Count(),
            })
            .SingleOrDefaultAsync(cancellationToken); // one group or none (First would have EF warn of no order)
        return counts is null ? new DiaryUpcoming(0, 0) : new DiaryUpcoming(counts.All - counts.Requests, counts.Requests);
    }
}

/// <summary><see cref="HasPortalBookings"/>: one row at most; the tenant filter keeps it to the current business.</summary>
public sealed class HasPortalBookingsHandler(AppointmentsDbContext db) : IQueryHandler<HasPortalBookings, bool>
{
    public async ValueTask<bool> Handle(HasPortalBookings query, CancellationToken cancellationToken) =>
        await db.Appointments.AnyAsync(a => a.Source == ChangeSources.Portal, cancellationToken);
}
