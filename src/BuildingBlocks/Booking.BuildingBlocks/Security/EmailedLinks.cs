using Microsoft.EntityFrameworkCore;

namespace Booking.BuildingBlocks.Security;

/// <summary>
/// A module's links that were emailed with their only copy at rest encrypted with the Data Protection keys (the
/// outbox payload, Hangfire's job arguments, a queued message: <see cref="ProtectedResetLinks"/>): anyone holding a
/// leaked key and a copy of the database could read them there. When the keys are revoked (the Host's
/// <c>keys revoke</c>, docs/operations.md), every link still usable is ended with them. Run in a tenant's scope, once
/// per business; answers how many links it ended.
/// </summary>
public interface IEmailedLinks
{
    /// <summary>What one link is, for the command's report ("client password reset link"; an s makes the plural).</summary>
    string What { get; }

    Task<int> EndUsableAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

public static class EmailedLinks
{
    /// <summary>Ends the reset links of <paramref name="tokens"/> not used and not expired: each now expires at <paramref name="now"/>.</summary>
    public static Task<int> EndUsableResetLinksAsync<TToken>(DbSet<TToken> tokens, DateTimeOffset now, CancellationToken cancellationToken)
        where TToken : PasswordResetTokenRow =>
        tokens.Where(t => t.UsedAt == null && t.ExpiresAt > now).ExecuteUpdateAsync(u => u.SetProperty(t => t.ExpiresAt, now), cancellationToken);
}
