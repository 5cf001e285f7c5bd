using Booking.Appointments.Contracts;
using Booking.Appointments.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Appointments.Features.ClientAppointments;

/// <summary><see cref="GetAppointmentState"/>: one row by its key; the tenant filter keeps it to the current business.</summary>
public sealed class GetAppointmentStateHandler(AppointmentsDbContext db) : IQueryHandler<GetAppointmentState, AppointmentState?>
{
    public async ValueTask<AppointmentState?> Handle(GetAppointmentState query, CancellationToken cancellationToken)
    {
        var row = await db.Appointments.AsNoTracking().Where(a => a.Id == query.AppointmentId)
            .Select(a => new { a.Status, a.StartAt, a.EndAt, a.MovedAt }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new AppointmentState(row.Status, row.StartAt.ToDateTimeOffset(), row.EndAt.ToDateTimeOffset(), row.MovedAt?.ToDateTimeOffset());
    }
}

/// <summary>
/// <see cref="GetAppointmentStates"/>: the rows by their keys in one statement; the tenant filter keeps it to the current
/// business, so another business's id is simply not found.
/// </summary>
public sealed class GetAppointmentStatesHandler(AppointmentsDbContext db) : IQueryHandler<GetAppointmentStates, IReadOnlyDictionary<Guid, AppointmentState>>
{
    public async ValueTask<IReadOnlyDictionary<Guid, AppointmentState>> Handle(GetAppointmentStates query, CancellationToken cancellationToken)
    {
        var ids = query.AppointmentIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return new Dictionary<Guid, AppointmentState>();
        }

        var rows = await db.Appointments.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.Status, a.StartAt, a.EndAt, a.MovedAt }).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => new AppointmentState(r.Status, r.StartAt.ToDateTimeOffset(), r.EndAt.ToDateTimeOffset(), r.MovedAt?.ToDateTimeOffset()));
    }
}
