using Booking.BuildingBlocks.Data;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Register;

/// <summary>
/// What registering (email and password) and the new-client flow (a verified phone) share: a business's email
/// addresses and mobiles belong to one client each, checked before the save and, for a request that registered the
/// same one at the same moment, by the unique indexes at the save (decision 58), with the same field error either
/// way; a new client is announced with <see cref="ClientJoined"/> in the same transaction.
/// </summary>
internal static class ClientJoining
{
    /// <param name="emailTakenThen">What the email-taken error tells the person to do instead.</param>
    public static async Task EnsureFreeAsync(PortalAuthDbContext db, string? email, string? mobile, string emailTakenThen, CancellationToken cancellationToken)
    {
        if (email is not null && await db.Clients.AnyAsync(c => c.Email == email, cancellationToken))
        {
            throw PortalProblems.EmailTaken(emailTakenThen);
        }

        if (mobile is not null && await db.Clients.AnyAsync(c => c.Mobile == mobile, cancellationToken))
        {
            throw PortalProblems.MobileTaken();
        }
    }

    /// <param name="via">How the client joined, as <see cref="ClientJoined"/> says it ("register", "phone").</param>
    public static async Task<RegisteredClient> SaveAsync(PortalAuthDbContext db, Guid tenantId, Client client, string via, string emailTakenThen, CancellationToken cancellationToken)
    {
        db.Clients.Add(client);
        db.Publish(new ClientJoined(Guid.CreateVersion7(), tenantId, client.Id, client.Status, via));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation(PortalAuthDbContext.ClientEmailIndex))
        {
            throw PortalProblems.EmailTaken(emailTakenThen); // registered by a concurrent request since the check
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation(PortalAuthDbContext.ClientMobileIndex))
        {
            throw PortalProblems.MobileTaken();
        }

        return new RegisteredClient(client.Id, client.Status);
    }
}
