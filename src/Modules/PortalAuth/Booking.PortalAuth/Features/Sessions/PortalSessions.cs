using System.Security.Claims;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.PortalAuth.Features.Sessions;

public static class PortalSessions
{
    /// <summary>
    /// A new server-side session (new id) bound to the business: sub = client id, tenant_id (see PostgresTicketStore.SignInAsync).
    /// <paramref name="awaitingFirstRequest"/>: the client's row says they joined by phone and have filed no booking request
    /// yet; the session then opens only the booking flow (<see cref="FirstRequest"/>) until they do.
    /// <paramref name="hasPassword"/>: the client's row has a password (<see cref="HasPassword"/>).
    /// <paramref name="method"/>: how the client signed in, <see cref="ByEmail"/> or <see cref="ByPhone"/> (<see cref="Method"/>).
    /// <paramref name="securityStamp"/>: the client's <see cref="Client.SecurityStamp"/> as read before the password or code
    /// was checked (<see cref="ClientStanding.SecurityStamp"/>; a row this request made: 0). The session is stored only
    /// while the row still carries it, under a lock on the row (<see cref="SessionRows.InsertIfStampAsync"/>, decision 337):
    /// a sign-in in flight while the client's sessions end (<see cref="EndAllInTransactionAsync"/>) gets no session, but
    /// 401 "… changed while you were signing in".
    /// </summary>
    public static Task SignInAsync(HttpContext http, Guid tenantId, Guid clientId, bool awaitingFirstRequest, bool hasPassword, string method, int securityStamp)
    {
        List<Claim> claims =
        [
            new Claim(BookingClaims.Subject, clientId.ToString()),
            new Claim(BookingClaims.Tenant, tenantId.ToString()),
            new Claim(HasPasswordClaim, hasPassword ? "true" : "false"),
            new Claim(PortalSignInMethod.Claim, method),
        ];
        if (awaitingFirstRequest)
        {
            claims.Add(new Claim(BookingClaims.AwaitingFirstRequest, "true"));
        }

        var identity = new ClaimsIdentity(
            claims,
            AuthSchemes.Portal,
            BookingClaims.Name,
            BookingClaims.Role);
        var db = http.RequestServices.GetRequiredService<PortalAuthDbContext>();
        return PostgresTicketStore.SignInAsync(http, AuthSchemes.Portal, new ClaimsPrincipal(identity),
            (session, ct) => SessionRows.InsertIfStampAsync(db.Database, ClientsTable, session, securityStamp, ct));
    }

    /// <summary>The clients' table, for the session's guarded insert.</summary>
    private const string ClientsTable = "portalauth.clients";

    /// <summary>Email and password (sign-in, registration).</summary>
    public const string ByEmail = PortalSignInMethod.Email;

    /// <summary>Mobile and a code by SMS (phone sign-in, the new-client flow).</summary>
    public const string ByPhone = PortalSignInMethod.Phone;

    /// <summary>
    /// How the session's client signed in; null for a session begun before sessions said it. A session whose method the
    /// business has switched off since ends at its next request (<see cref="PortalSignInMethod"/>, decision 250).
    /// </summary>
    public static string? Method(ClaimsPrincipal session) => session.FindFirst(PortalSignInMethod.Claim)?.Value;

    /// <summary>The claim <see cref="HasPassword"/> reads.</summary>
    public const string HasPasswordClaim = "has_password";

    /// <summary>
    /// Whether the session's client has a password, as their row said when the session began: the portal's pages offer
    /// "Password" by it with no query. Null for a session begun before sessions said it: ask the row
    /// (<c>ClientHasPassword</c>). It cannot go stale: a password is taken away only with the email (staff's change, decision 300, or a merge), which ends every session of the client; the only way a client without one
    /// gets one is a reset through the emailed link, which ends every session they have (<c>ResetPasswordHandler</c>);
    /// a change keeps only the session that made it, which had one. The claim lives in the server-side ticket
    /// (<c>PostgresTicketStore</c>; the cookie names the session only), so a browser cannot set it, and it opens
    /// nothing: the change of password checks the row (and the current password) itself.
    /// </summary>
    public static bool? HasPassword(ClaimsPrincipal session) =>
        session.FindFirst(HasPasswordClaim)?.Value switch
        {
            "true" => true,
            "false" => false,
            _ => null,
        };

    /// <summary>The server-side session id named by the request's portal cookie, if any.</summary>
    public static string? CurrentKey(HttpContext http) => PostgresTicketStore.CurrentKey(http, AuthSchemes.Portal);

    /// <summary>Ends the client's sessions (all devices), except <paramref name="keep"/> when given.</summary>
    public static Task EndAllAsync(PlatformDbContext platform, Guid tenantId, Guid clientId, CancellationToken cancellationToken, string? keep = null) =>
        PostgresTicketStore.EndAllAsync(platform, AuthSchemes.Portal, tenantId, clientId, cancellationToken, keep);

    /// <summary>
    /// Ends the client's sessions (all devices, but <paramref name="keep"/> when given) in the transaction <paramref name="db"/>
    /// has open, with its change, and with them every link made before that could still change the account (decision 328):
    /// the client's <see cref="Client.SecurityStamp"/> goes up, so their pending email-change links are dead
    /// (<c>EmailChangeLink.StillFor</c>), and their unused password reset links are marked used at <paramref name="now"/>.
    /// Every caller ends sessions because the account was secured (a password changed or reset, a mobile replaced, an
    /// email changed by staff, a merge): a link asked for from a session ended here must not outlive it, and the session
    /// kept (<paramref name="keep"/>) asks again if it wants one. The caller holds the client's row already (it changed it
    /// or locked it), so this takes no new lock.
    /// The stamp goes up before the sessions are deleted, in an earlier statement (decision 337): a sign-in storing its
    /// session under the old stamp holds the row (FOR SHARE) until it commits, so either its session is committed
    /// before the delete's statement begins and is deleted, or it waits for this transaction and then finds the stamp
    /// raised and stores nothing.
    /// </summary>
    public static async Task EndAllInTransactionAsync(PortalAuthDbContext db, Guid tenantId, Guid clientId, DateTimeOffset now, CancellationToken cancellationToken,
        string? keep = null)
    {
        await db.Clients.Where(c => c.Id == clientId).ExecuteUpdateAsync(u => u.SetProperty(c => c.SecurityStamp, c => c.SecurityStamp + 1), cancellationToken);
        await PostgresTicketStore.EndAllInTransactionAsync(db.Database, AuthSchemes.Portal, tenantId, clientId, cancellationToken, keep);
        await db.ResetTokens.Where(t => t.ClientId == clientId && t.UsedAt == null).ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
    }
}

/// <summary>Whether the business still offers a session's way of signing in (<see cref="PortalSignInMethod"/>), from its portal settings.</summary>
public sealed class OfferedSignInMethods(IPortalRules portal) : IPortalSignInMethods
{
    public async ValueTask<bool> IsOfferedAsync(string method, CancellationToken cancellationToken)
    {
        var rules = await portal.GetAsync(cancellationToken);
        return method == PortalSignInMethod.Email ? rules.EmailSignIn : rules.PhoneSignIn;
    }
}
