using Booking.BuildingBlocks.Security;
using Booking.Notifications.Data;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Features.Settings;

/// <summary>
/// Address confirmation links (extra addresses, diary contacts) not yet answered, ended when the Data Protection keys are
/// revoked (<see cref="IEmailedLinks"/>): the address stays unconfirmed, and staff send the confirmation again.
/// </summary>
public sealed class ConfirmationLinks(NotificationsDbContext db) : IEmailedLinks
{
    public string What => "address confirmation link";

    public Task<int> EndUsableAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        db.AddressConfirmations.Where(c => c.TokenHash != null && c.TokenExpiresAt > now)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.TokenExpiresAt, now), cancellationToken);
}
