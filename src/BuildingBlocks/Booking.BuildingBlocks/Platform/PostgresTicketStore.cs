using System.Security.Claims;
using System.Security.Cryptography;
using Booking.BuildingBlocks.Problems;
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
        var session = new AuthSession
        {
            Id = id,
            Scheme = scheme,
            BoundTenantId = Owner(ticket).Tenant,
            SubjectId = Owner(ticket).Subject,
            Ticket = TicketSerializer.Default.Serialize(ticket),
            CreatedAt = clock.GetUtcNow(),
            ExpiresAt = ticket.Properties.ExpiresUtc,
        };
        if (ticket.Properties.GetParameter<SessionInsert>(InsertParameter) is { } stillAsRead)
        {
            if (!await stillAsRead(session, CancellationToken.None))
            {
                throw ProblemException.Unauthenticated(ChangedMeanwhile);
            }

            return id;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        db.AuthSessions.Add(session);
        await db.SaveChangesAsync();
        return id;
    }

    /// <summary>
    /// The answer to a sign-in whose person changed between its check and its session (<see cref="SessionInsert"/>
    /// found them no longer as read): a 401 as a failed sign-in gets, saying to try again.
    /// </summary>
    public const string ChangedMeanwhile = "Your account changed while you were signing in. Sign in again.";

    /// <summary>Where <see cref="SignInAsync"/> hands the session's <see cref="SessionInsert"/> to <see cref="StoreAsync"/> (not stored).</summary>
    private const string InsertParameter = "booking.session-insert";

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
    /// <para>
    /// <paramref name="stillAsRead"/> writes the session's row, and only while the person is still as the sign-in read
    /// them (decision 337): the module's statement inserts it under a lock on the person's row, comparing the security
    /// stamp read before the password or code was checked. Every end of all the person's sessions raises that stamp
    /// first (taking the row) and deletes the sessions after, so a sign-in in flight either commits its session before
    /// the delete sees it, or waits and finds the stamp raised: no session. Otherwise <see cref="StoreAsync"/> answers
    /// 401 (<see cref="ChangedMeanwhile"/>). Null only for a person this very request created (a business's first
    /// owner at sign-up): there is nothing yet to end.
    /// </para>
    /// </summary>
    public static async Task SignInAsync(HttpContext http, string scheme, ClaimsPrincipal principal, SessionInsert? stillAsRead)
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

        var properties = new AuthenticationProperties();
        if (stillAsRead is not null)
        {
            properties.SetParameter(InsertParameter, stillAsRead);
        }

        await http.SignInAsync(scheme, principal, properties);
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

/// <summary>
/// Writes a new session's row (<see cref="AuthSession"/>, ticket serialised) in the module's own statement, only if the
/// person is still as the sign-in read them; true when it did (see <see cref="PostgresTicketStore.SignInAsync"/>).
/// </summary>
public delegate Task<bool> SessionInsert(AuthSession session, CancellationToken cancellationToken);

/// <summary>The statement a module's <see cref="SessionInsert"/> runs.</summary>
public static class SessionRows
{
    /// <summary>
    /// <c>INSERT INTO platform.auth_sessions (…) SELECT</c> the session's values <c>FROM</c> the person's row in
    /// <paramref name="personTable"/> (a module's constant, schema-qualified; its <c>tenant_id</c> and <c>id</c> are the
    /// session's business and subject) <c>WHERE</c> its <c>security_stamp</c> is still <paramref name="securityStamp"/>,
    /// <c>FOR SHARE</c>: one statement, no round trip more than the plain insert. In READ COMMITTED the lock waits for a
    /// transaction that is changing the row (an end of all sessions raises the stamp first) and then judges the row as
    /// that transaction left it: raised, or removed, writes nothing. Run through the module's own context, so the row is
    /// seen under its business's row-level security. True when it wrote the row.
    /// </summary>
    public static async Task<bool> InsertIfStampAsync(DatabaseFacade database, string personTable, AuthSession session, int securityStamp, CancellationToken cancellationToken)
    {
        var sql = System.Runtime.CompilerServices.FormattableStringFactory.Create(
            "INSERT INTO platform.auth_sessions (id, scheme, bound_tenant_id, subject_id, ticket, created_at, expires_at) "
            + "SELECT {0}, {1}, {2}, {3}, {4}, {5}, {6}::timestamptz FROM " + personTable + " p "
            + "WHERE p.tenant_id = {2} AND p.id = {3} AND p.security_stamp = {7} FOR SHARE",
            session.Id, session.Scheme, session.BoundTenantId, session.SubjectId, session.Ticket, session.CreatedAt, session.ExpiresAt, securityStamp);
        return await database.ExecuteSqlAsync(sql, cancellationToken) == 1;
    }
}
