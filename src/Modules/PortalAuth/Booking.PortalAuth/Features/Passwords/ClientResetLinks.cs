using Booking.BuildingBlocks.Security;
using Booking.PortalAuth.Data;

namespace Booking.PortalAuth.Features.Passwords;

/// <summary>Clients' password reset links, ended when the Data Protection keys are revoked (<see cref="IEmailedLinks"/>).</summary>
public sealed class ClientResetLinks(PortalAuthDbContext db) : IEmailedLinks
{
    public string What => "client password reset link";

    public Task<int> EndUsableAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        EmailedLinks.EndUsableResetLinksAsync(db.ResetTokens, now, cancellationToken);
}
