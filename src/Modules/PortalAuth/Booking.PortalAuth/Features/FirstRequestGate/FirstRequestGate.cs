using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.Services.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.FirstRequestGate;

/// <summary>
/// The one rule for "this client still owes their first booking request", for every place that reads the mark: the
/// client's row says so (set by the new-client flow), a request can be filed now, and Appointments has no appointment of
/// theirs (<see cref="ClientHasAppointment"/>). The row is cleared by <see cref="FirstRequestFiledHandler"/> from Appointments'
/// outbox, moments after the request is committed; in between, the row alone would send a client who has just filed
/// back to booking. Appointments is asked only while the row says so (a phone new client before or just after their
/// first request), so every other sign-in and request pays nothing for it.
/// <para>
/// "A request can be filed now" (decision 250): the business lets clients book online (<see cref="PortalRules.ClientsMayBook"/>)
/// and Services finds something bookable (<see cref="GetOnlineBookability"/>, kept per business). While either is not so
/// (booking switched off after the client joined, nothing bookable yet, every time taken), the limit would shut a client
/// the business has on file out of everything with no way through, so it does not hold: they have the portal as any
/// client on file does. The row keeps the mark, so a sign-in once booking is open again sends them to book first.
/// </para>
/// </summary>
public static class FirstRequestOwed
{
    public static async ValueTask<bool> StillAsync(ISender sender, IPortalRules portal, Guid clientId, bool rowSaysAwaiting, CancellationToken cancellationToken) =>
        rowSaysAwaiting
        && await RequestCanBeFiledAsync(sender, portal, cancellationToken)
        && !await sender.Send(new ClientHasAppointment(clientId), cancellationToken);

    /// <summary>Where a client who has just signed in stands: the status and the password from their row, the mark by this rule.</summary>
    public static async ValueTask<ClientStanding> StandingAsync(ISender sender, IPortalRules portal, Client client, CancellationToken cancellationToken) =>
        new(client.Status, await StillAsync(sender, portal, client.Id, client.AwaitingFirstRequest, cancellationToken), client.PasswordHash is not null, client.SecurityStamp);

    private static async ValueTask<bool> RequestCanBeFiledAsync(ISender sender, IPortalRules portal, CancellationToken cancellationToken) =>
        (await portal.GetAsync(cancellationToken)).ClientsMayBook
        && (await sender.Send(new GetOnlineBookability(), cancellationToken)).Bookable;
}

/// <summary>
/// Asked only for a session that carries the "awaiting first request" mark and wants a route outside the booking flow
/// (<see cref="Booking.BuildingBlocks.Web.FirstRequest"/>): does the client still owe their first request
/// (<see cref="FirstRequestOwed"/>)? The row's read is compiled once, like the other reads of the signed-in path; the
/// tenant filter reads the context's tenant when it runs.
/// </summary>
public sealed class ClientFirstRequestGate(PortalAuthDbContext db, ISender sender, IPortalRules portal) : IFirstRequestGate
{
    private static readonly Func<PortalAuthDbContext, Guid, CancellationToken, Task<bool>> Awaiting =
        EF.CompileAsyncQuery((PortalAuthDbContext db, Guid id, CancellationToken ct) => db.Clients.Any(c => c.Id == id && c.AwaitingFirstRequest));

    public async ValueTask<bool> IsAwaitingAsync(Guid clientId, CancellationToken cancellationToken) =>
        await FirstRequestOwed.StillAsync(sender, portal, clientId, await Awaiting(db, clientId, cancellationToken), cancellationToken);
}

/// <summary>
/// The client's first appointment opens the portal for good: a booking request (a client awaiting approval, or a business
/// that approves bookings) or a confirmed booking, filed from the portal or booked for them by staff. Appointments writes
/// these events to its outbox in the booking's own transaction, so none is lost; clearing the mark is idempotent by itself
/// (an update to false), so a repeated event changes nothing. What later becomes of the appointment (declined, cancelled)
/// does not close the portal again.
/// The event says whether the booking's read of the client found the mark (<c>ClientAwaitingFirstRequest</c>, from
/// <see cref="Booking.PortalAuth.Contracts.ClientView.AwaitingFirstRequest"/>). The mark is set only when the row is made
/// (the phone new-client flow) and only ever cleared, so a read that found none stays true: such a booking, every booking
/// but a phone new client's first, costs no statement here. Found, or not said (an older event), the update runs as
/// before, still only where the mark is, so two events at once (another device's booking) clear it once between them.
/// </summary>
public sealed class FirstRequestFiledHandler(PortalAuthDbContext db)
    : INotificationHandler<BookingRequested>, INotificationHandler<AppointmentBooked>
{
    public ValueTask Handle(BookingRequested evt, CancellationToken cancellationToken) => OpenAsync(evt.ClientId, evt.ClientAwaitingFirstRequest, cancellationToken);

    public ValueTask Handle(AppointmentBooked evt, CancellationToken cancellationToken) => OpenAsync(evt.ClientId, evt.ClientAwaitingFirstRequest, cancellationToken);

    private async ValueTask OpenAsync(Guid clientId, bool? awaiting, CancellationToken cancellationToken)
    {
        if (awaiting is false)
        {
            return; // the booking found no mark, and none is ever set again
        }

        await db.Clients.Where(c => c.Id == clientId && c.AwaitingFirstRequest)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.AwaitingFirstRequest, false), cancellationToken);
    }
}
