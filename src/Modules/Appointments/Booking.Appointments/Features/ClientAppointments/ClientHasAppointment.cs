using Booking.Appointments.Contracts;
using Booking.Appointments.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Appointments.Features.ClientAppointments;

/// <summary>
/// <see cref="ClientHasAppointment"/>: one row at most, found by the index on client and start; the tenant filter reads the
/// context's tenant when it runs. Compiled once, as it sits on PortalAuth's sign-in and first-request paths.
/// </summary>
public sealed class ClientHasAppointmentHandler(AppointmentsDbContext db) : IQueryHandler<ClientHasAppointment, bool>
{
    private static readonly Func<AppointmentsDbContext, Guid, CancellationToken, Task<bool>> Any =
        EF.CompileAsyncQuery((AppointmentsDbContext db, Guid clientId, CancellationToken ct) => db.Appointments.Any(a => a.ClientId == clientId));

    public async ValueTask<bool> Handle(ClientHasAppointment query, CancellationToken cancellationToken) =>
        await Any(db, query.ClientId, cancellationToken);
}
