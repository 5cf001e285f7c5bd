using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.FirstRequestGate;

/// <summary>
/// Asked only for a session that carries the "awaiting first request" mark and wants a route outside the booking flow
/// (<see cref="Booking.BuildingBlocks.Web.FirstRequest"/>): does the client's row still say so? Compiled once, like the
/// other reads of the signed-in path; the tenant filter reads the context's tenant when it runs.
/// </summary>
public sealed class ClientFirstRequestGate(PortalAuthDbContext db) : IFirstRequestGate
{
    private static readonly Func<PortalAuthDbContext, Guid, CancellationToken, Task<bool>> Awaiting =
        EF.CompileAsyncQuery((PortalAuthDbContext db, Guid id, CancellationToken ct) => db.Clients.Any(c => c.Id == id && c.AwaitingFirstRequest));

    public async ValueTask<bool> IsAwaitingAsync(Guid clientId, CancellationToken cancellationToken) =>
        await Awaiting(db, clientId, cancellationToken);
}

/// <summary>
/// The client's first appointment opens the portal for good: a booking request (a client awaiting approval, or a business
/// that approves bookings) or a confirmed booking, filed from the portal or booked for them by staff. Appointments writes
/// these events to its outbox in the booking's own transaction, so none is lost; clearing the mark is idempotent by itself
/// (an update to false), so a repeated event changes nothing. What later becomes of the appointment (declined, cancelled)
/// does not close the portal again.
/// </summary>
public sealed class FirstRequestFiledHandler(PortalAuthDbContext db)
    : INotificationHandler<BookingRequested>, INotificationHandler<AppointmentBooked>
{
    public ValueTask Handle(BookingRequested evt, CancellationToken cancellationToken) => OpenAsync(evt.ClientId, cancellationToken);

    public ValueTask Handle(AppointmentBooked evt, CancellationToken cancellationToken) => OpenAsync(evt.ClientId, cancellationToken);

    private async ValueTask OpenAsync(Guid clientId, CancellationToken cancellationToken) =>
        await db.Clients.Where(c => c.Id == clientId && c.AwaitingFirstRequest)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.AwaitingFirstRequest, false), cancellationToken);
}
