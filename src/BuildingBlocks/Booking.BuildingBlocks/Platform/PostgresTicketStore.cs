using System.Security.Claims;
using System.Security.Cryptography;
using Booking.BuildingBlocks.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Booking.BuildingBlocks.Platform;

/// <summary>
/// Cookie sessions stored in PostgreSQL, so sign-out ends a session on the server (a stolen cookie dies with it)
/// and several instances share sessions. The server enforces both timeouts: the idle one through the ticket's
/// sliding expiry (renewed by the cookie handler), the absolute one from the session's creation.
/// </summary>
public sealed class PostgresTicketStore(IServiceScopeFactory scopes, string scheme, TimeProvider clock, TimeSpan absoluteLifetime) : ITicketStore
{
    public const string TenantClaim = "tenant_id";

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        db.AuthSessions.Add(new AuthSession
        {
            Id = id,
            Scheme = scheme,
            BoundTenantId = Owner(ticket).Tenant,
            SubjectId = Owner(ticket).Subject,
            Ticket = TicketSerializer.Default.Serialize(ticket),
            CreatedAt = clock.GetUtcNow(),
            ExpiresAt = ticket.Properties.ExpiresUtc,
        });
        await db.SaveChangesAsync();
        return id;
    }

    /// <summary>
    /// The cookie handler renews the request's session under its id, also when a sign-in replaces whoever it was for.
    /// A session keeps its subject and business for life: a ticket for anyone else ends it instead (the cookie then
    /// names no session, so the request's sign-in fails closed). <see cref="SignInAsync"/> starts a new session,
    /// so only a sign-in that bypassed it gets here.
    /// </summary>
    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var (tenant, subject) = Owner(ticket);
        var renewed = await db.AuthSessions.Where(x => x.Id == key && x.Scheme == scheme && x.BoundTenantId == tenant && x.SubjectId == subject)
            .ExecuteUpdateAsync(u => u
                .SetProperty(x => x.Ticket, TicketSerializer.Default.Serialize(ticket))
                .SetProperty(x => x.ExpiresAt, ticket.Properties.ExpiresUtc));
        if (renewed == 0)
        {
            await db.AuthSessions.Where(x => x.Id == key && x.Scheme == scheme).ExecuteDeleteAsync();
        }
    }

    private static (Guid Tenant, Guid Subject) Owner(AuthenticationTicket ticket) => (
        Guid.TryParse(ticket.Principal.FindFirst(TenantClaim)?.Value, out var t) ? t : Guid.Empty,
        Guid.TryParse(ticket.Principal.FindFirst("sub")?.Value, out var s) ? s : Guid.Empty);

    /// <summary>
    /// Signs in with a new server-side session (new id). A session the request already carries for the scheme is
    /// ended and its cookie hidden from the cookie handler, which would otherwise renew it under its old id: whoever
    /// held that cookie (or planted it) would share the new session (session fixation), and ending the new person's
    /// sessions by subject would miss it. Call only on routes that have not authenticated the scheme's cookie.
    /// </summary>
    public static async Task SignInAsync(HttpContext http, string scheme, ClaimsPrincipal principal)
    {
        if (CurrentKey(http, scheme) is { } old)
        {
            var platform = http.RequestServices.GetRequiredService<PlatformDbContext>();
            await platform.AuthSessions.Where(s => s.Id == old && s.Scheme == scheme).ExecuteDeleteAsync(http.RequestAborted);
            var options = Options(http, scheme);
            var name = options.CookieManager is PerBusinessCookieManager
                ? PerBusinessCookieManager.NameFor(http, options.Cookie.Name!)!
                : options.Cookie.Name!;
            var kept = http.Request.Headers.Cookie.SelectMany(h => (h ?? "").Split(';'))
                .Select(c => c.Trim())
                .Where(c => c.Length > 0 && !c.StartsWith(name + "=", StringComparison.Ordinal) && !c.StartsWith(name + "C", StringComparison.Ordinal));
            http.Request.Headers.Cookie = string.Join("; ", kept);
        }

        await http.SignInAsync(scheme, principal);
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var now = clock.GetUtcNow();
        var createdAfter = now - absoluteLifetime;
        var bytes = await LiveTicket(db, key, scheme, createdAfter, now);
        return bytes is null ? null : TicketSerializer.Default.Deserialize(bytes);
    }

    /// <summary>
    /// Every signed-in request reads its session, so the query is compiled once: EF's per-call work of turning the
    /// LINQ expression into its cache key (a third of this read's CPU in a profile of bookings) is skipped.
    /// </summary>
    private static readonly Func<PlatformDbContext, string, string, DateTimeOffset, DateTimeOffset, Task<byte[]?>> LiveTicket =
        EF.CompileAsyncQuery((PlatformDbContext db, string key, string scheme, DateTimeOffset createdAfter, DateTimeOffset now) =>
            db.AuthSessions.AsNoTracking()
                .Where(x => x.Id == key && x.Scheme == scheme && x.CreatedAt > createdAfter && (x.ExpiresAt == null || x.ExpiresAt > now))
                .Select(x => x.Ticket)
                .FirstOrDefault());

    public async Task RemoveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        await db.AuthSessions.Where(x => x.Id == key && x.Scheme == scheme).ExecuteDeleteAsync();
    }

    /// <summary>The claim the cookie handler puts in a cookie's ticket to name its server-side session.</summary>
    private const string SessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    /// <summary>
    /// Ends every session of one subject (after a password reset, say), or every one but <paramref name="keep"/>
    /// (the device a password change is made from).
    /// </summary>
    public static async Task EndAllAsync(PlatformDbContext db, string scheme, Guid tenantId, Guid subjectId, CancellationToken cancellationToken, string? keep = null) =>
        await db.AuthSessions.Where(x => x.Scheme == scheme && x.BoundTenantId == tenantId && x.SubjectId == subjectId && (keep == null || x.Id != keep))
            .ExecuteDeleteAsync(cancellationToken);

    /// <summary>
    /// <see cref="EndAllAsync"/> inside the transaction a module's own context has open (the same database): the sessions
    /// end with the change that ends them, or not at all. For a change whose point is that nobody signed in before it
    /// goes on after it (a staff change of a client's sign-in email or mobile), a commit that left the sessions alive
    /// for a moment, or for good when the second step failed, would be a partial write. Likewise a password's change or
    /// reset, and a staff member's role change or removal (decision 271): ended after the commit, a request cut short
    /// between the two left a demoted or removed person their rights until the session expired. <paramref name="keep"/>:
    /// the session that made a change of password, which stays.
    /// </summary>
    public static async Task EndAllInTransactionAsync(DatabaseFacade database, string scheme, Guid tenantId, Guid subjectId, CancellationToken cancellationToken, string? keep = null)
    {
        if (database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("EndAllInTransactionAsync needs the caller's transaction open.");
        }

        await (keep is null
            ? database.ExecuteSqlAsync(
                $"DELETE FROM platform.auth_sessions WHERE scheme = {scheme} AND bound_tenant_id = {tenantId} AND subject_id = {subjectId}",
                cancellationToken)
            : database.ExecuteSqlAsync(
                $"DELETE FROM platform.auth_sessions WHERE scheme = {scheme} AND bound_tenant_id = {tenantId} AND subject_id = {subjectId} AND id <> {keep}",
                cancellationToken));
    }

    /// <summary>The server-side session id named by the request's cookie of <paramref name="scheme"/>, if any.</summary>
    public static string? CurrentKey(HttpContext http, string scheme)
    {
        var options = Options(http, scheme);
        var cookie = options.CookieManager.GetRequestCookie(http, options.Cookie.Name!);
        return string.IsNullOrEmpty(cookie) ? null : options.TicketDataFormat.Unprotect(cookie)?.Principal.FindFirst(SessionIdClaim)?.Value;
    }

    private static CookieAuthenticationOptions Options(HttpContext http, string scheme) =>
        http.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(scheme);
}
