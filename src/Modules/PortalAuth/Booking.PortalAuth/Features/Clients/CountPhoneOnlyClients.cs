using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Clients;

/// <summary><see cref="CountPhoneOnlyClients"/>: one count; the tenant filter keeps it to the current business.</summary>
public sealed class CountPhoneOnlyClientsHandler(PortalAuthDbContext db) : IQueryHandler<CountPhoneOnlyClients, int>
{
    public async ValueTask<int> Handle(CountPhoneOnlyClients query, CancellationToken cancellationToken) =>
        await db.Clients.CountAsync(c => c.Email == null && c.Mobile != null, cancellationToken);
}
