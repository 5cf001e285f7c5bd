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

/// <summary>
/// <see cref="CountEmailOnlyClients"/>: one count; the tenant filter keeps it to the current business. A mobile counts only
/// when proven (<c>Client.MobileVerified</c>), as phone sign-in finds only such a client.
/// </summary>
public sealed class CountEmailOnlyClientsHandler(PortalAuthDbContext db) : IQueryHandler<CountEmailOnlyClients, int>
{
    public async ValueTask<int> Handle(CountEmailOnlyClients query, CancellationToken cancellationToken) =>
        await db.Clients.CountAsync(c => c.Email != null && (c.Mobile == null || !c.MobileVerified), cancellationToken);
}
