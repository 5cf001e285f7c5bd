using System.Linq.Expressions;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
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
    /// <summary>A client with an email and no proven mobile: one who can sign in only with their email.</summary>
    internal static readonly Expression<Func<Client, bool>> EmailOnly = c => c.Email != null && (c.Mobile == null || !c.MobileVerified);

    public async ValueTask<int> Handle(CountEmailOnlyClients query, CancellationToken cancellationToken) =>
        await db.Clients.CountAsync(EmailOnly, cancellationToken);
}

/// <summary><see cref="AnyPhoneOnlyClients"/>: whether one exists, as <see cref="CountPhoneOnlyClients"/> counts them.</summary>
public sealed class AnyPhoneOnlyClientsHandler(PortalAuthDbContext db) : IQueryHandler<AnyPhoneOnlyClients, bool>
{
    public async ValueTask<bool> Handle(AnyPhoneOnlyClients query, CancellationToken cancellationToken) =>
        await db.Clients.AnyAsync(c => c.Email == null && c.Mobile != null, cancellationToken);
}

/// <summary><see cref="AnyEmailOnlyClients"/>: whether one exists (the first found ends the read), as the count defines them.</summary>
public sealed class AnyEmailOnlyClientsHandler(PortalAuthDbContext db) : IQueryHandler<AnyEmailOnlyClients, bool>
{
    public async ValueTask<bool> Handle(AnyEmailOnlyClients query, CancellationToken cancellationToken) =>
        await db.Clients.AnyAsync(CountEmailOnlyClientsHandler.EmailOnly, cancellationToken);
}
