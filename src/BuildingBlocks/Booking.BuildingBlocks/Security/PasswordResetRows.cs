using System.Linq.Expressions;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Microsoft.EntityFrameworkCore;

namespace Booking.BuildingBlocks.Security;

/// <summary>
/// A single-use reset link (a client's in PortalAuth, a staff member's in Tenancy); only the SHA-256 of its token is
/// kept. Each module maps its own table and adds whose link it is.
/// </summary>
public abstract class PasswordResetTokenRow : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public byte[] TokenHash { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }

    /// <summary>
    /// The address the link was emailed to (lower case). It sets a password only while that is still the person's
    /// sign-in email, checked under a lock on the person's row (<see cref="PasswordResets.LockPersonAsync"/>): a link
    /// issued at the very moment staff change the email, which the change's cancelling could not see, dies with it.
    /// Null (a link from before this was kept, none after the migration's backfill) works for no one.
    /// </summary>
    public string? SentTo { get; set; }

    /// <summary>A link works once, within its lifetime.</summary>
    public bool IsUsableAt(DateTimeOffset now) => UsedAt is null && ExpiresAt > now;

    /// <summary>The link was sent to <paramref name="currentEmail"/>, the person's sign-in email now.</summary>
    public bool SentToCurrent(string? currentEmail) =>
        SentTo is not null && currentEmail is not null && string.Equals(SentTo, currentEmail, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A forgot-password request handed on to the background (where the address is looked up and, if it is someone's,
/// a link is sent). Kept for known and unknown addresses alike, for the per-address and per-IP limits.
/// </summary>
public abstract class PasswordResetRequestRow : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    /// <summary>Lower case.</summary>
    public string Email { get; set; } = "";

    public string Ip { get; set; } = "";

    public DateTimeOffset At { get; set; }
}

/// <summary>The forgot-password and reset-password steps the client portal and staff share (decision 100).</summary>
public static class PasswordResets
{
    /// <summary>The window the per-address and per-IP limits count in.</summary>
    public static readonly TimeSpan CountingWindow = TimeSpan.FromHours(1);

    /// <summary>
    /// A forgot-password request, always the same work whoever the address is: under advisory locks (address, then IP:
    /// always that order, so requests at the same moment count each other) it counts the business's recent requests.
    /// Over the per-IP limit: rate-limited. Over the per-address limit: nothing is recorded or sent (the caller still
    /// answers 202) and false is returned. Else the request is recorded and <paramref name="handOn"/>'s event written to
    /// the outbox, one transaction, and true is returned.
    /// </summary>
    /// <param name="lockPrefix">Names the module's locks (<c>{prefix}-email:</c>, <c>{prefix}-ip:</c>).</param>
    public static async Task<bool> HandOnAsync<TRequest>(
        TenantDbContext db, Guid tenantId, string lockPrefix, string email, string ip, PasswordResetLimits limits, TimeProvider clock,
        Func<IIntegrationEvent> handOn, CancellationToken cancellationToken)
        where TRequest : PasswordResetRequestRow, new()
    {
        var requests = db.Set<TRequest>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.LockForTransactionAsync($"{lockPrefix}-email:{tenantId}:{email}", cancellationToken);
        await db.Database.LockForTransactionAsync($"{lockPrefix}-ip:{tenantId}:{ip}", cancellationToken);
        var now = clock.GetUtcNow();
        var since = now - CountingWindow;
        if (await requests.CountAsync(r => r.Ip == ip && r.At > since, cancellationToken) >= limits.ResetRequestsPerIpPerHour)
        {
            throw ProblemException.RateLimited((int)CountingWindow.TotalSeconds, "Too many password resets were asked for. Wait a little before asking again.");
        }

        if (await requests.CountAsync(r => r.Email == email && r.At > since, cancellationToken) >= limits.ResetEmailsPerAddressPerHour)
        {
            return false; // enough links went to this address this hour
        }

        requests.Add(new TRequest { Id = Guid.CreateVersion7(), Email = email, Ip = ip, At = now });
        db.Publish(handOn());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>A new link for someone: the row to add (the token's hash) and the token for the emailed link.</summary>
    public static (TToken Row, string Token) NewLink<TToken>(PasswordResetLimits limits, TimeProvider clock)
        where TToken : PasswordResetTokenRow, new()
    {
        var token = ResetTokens.NewToken();
        var now = clock.GetUtcNow();
        return (new TToken { Id = Guid.CreateVersion7(), TokenHash = ResetTokens.Hash(token), CreatedAt = now, ExpiresAt = now + limits.ResetLinkLifetime }, token);
    }

    /// <summary>
    /// Takes the row lock (<c>SELECT … FOR UPDATE</c>) on the person the link is for, inside the caller's transaction,
    /// before their email is read. A staff change of that email updates the same row in one transaction with cancelling
    /// the links, so either the change waits for this reset (the link was good when used; the change then ends the
    /// sessions), or this reset waits for the change to commit and reads the new address, which the link was not sent to.
    /// </summary>
    /// <param name="table">The person's table, schema-qualified (a constant of the module, never input).</param>
    public static Task LockPersonAsync(TenantDbContext db, string table, Guid personId, CancellationToken cancellationToken) =>
#pragma warning disable EF1002 // the table name is a constant of the calling module; the id is a parameter
        db.Database.ExecuteSqlRawAsync($"SELECT 1 FROM {table} WHERE id = {{0}} FOR UPDATE", [personId], cancellationToken);
#pragma warning restore EF1002

    /// <summary>The answer to a link that cannot set a password: used, expired, unknown, or sent to an address no longer the person's.</summary>
    public static Exception LinkDead() =>
        ProblemException.Invalid("token", "This reset link has expired or was already used. Ask for a new one.");

    /// <summary>
    /// The link's row, to be used now; a used, expired, unknown or other business's link (the tenant filter hides it)
    /// is a <c>token</c> validation problem.
    /// </summary>
    public static async Task<TToken> UsableLinkAsync<TToken>(DbSet<TToken> tokens, string token, DateTimeOffset now, CancellationToken cancellationToken)
        where TToken : PasswordResetTokenRow
    {
        var hash = ResetTokens.Hash(token);
        var reset = await tokens.FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        return reset is not null && reset.IsUsableAt(now) ? reset : throw LinkDead();
    }

    /// <summary>Marks the link used (saved with the caller's changes) and ends the person's other outstanding links at once.</summary>
    public static Task UseAsync<TToken>(DbSet<TToken> tokens, TToken reset, Expression<Func<TToken, bool>> samePerson, DateTimeOffset now, CancellationToken cancellationToken)
        where TToken : PasswordResetTokenRow
    {
        reset.UsedAt = now;
        return tokens.Where(samePerson).Where(t => t.UsedAt == null && t.Id != reset.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
    }

    /// <summary>
    /// Whether a link can still be used (not used, not expired, sent to the person's sign-in email now, which
    /// <paramref name="currentEmail"/> reads for the link's row): the reset pages show the form only then.
    /// </summary>
    public static async Task<bool> IsUsableAsync<TToken>(DbSet<TToken> tokens, string? token, DateTimeOffset now, Func<TToken, Task<string?>> currentEmail,
        CancellationToken cancellationToken)
        where TToken : PasswordResetTokenRow
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return false;
        }

        var hash = ResetTokens.Hash(token);
        var reset = await tokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        return reset is not null && reset.IsUsableAt(now) && reset.SentToCurrent(await currentEmail(reset));
    }

    /// <summary>How long spent rows are kept after they stop counting (for support), before a sweep deletes them.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(1);

    /// <summary>
    /// Deletes requests a day old (they count for an hour) and links a day past their expiry or their use (the sweeps of
    /// both modules): nothing reads them any more.
    /// </summary>
    public static async Task PurgeSpentAsync<TRequest, TToken>(TenantDbContext db, TimeProvider clock, CancellationToken cancellationToken)
        where TRequest : PasswordResetRequestRow
        where TToken : PasswordResetTokenRow
    {
        var before = clock.GetUtcNow() - Kept;
        await db.Set<TRequest>().Where(r => r.At < before).ExecuteDeleteAsync(cancellationToken);
        await db.Set<TToken>().Where(t => t.ExpiresAt < before || t.UsedAt < before).ExecuteDeleteAsync(cancellationToken);
    }
}
