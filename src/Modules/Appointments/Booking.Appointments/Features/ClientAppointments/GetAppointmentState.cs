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
            .Select(a => new { a.Status, a.StartAt, a.EndAt }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new AppointmentState(row.Status, row.StartAt.ToDateTimeOffset(), row.EndAt.ToDateTimeOffset());
    }
}
