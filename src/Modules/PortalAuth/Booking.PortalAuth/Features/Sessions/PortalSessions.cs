using System.Security.Claims;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Data;
using Microsoft.AspNetCore.Http;

namespace Booking.PortalAuth.Features.Sessions;

public static class PortalSessions
{
    /// <summary>
    /// A new server-side session (new id) bound to the business: sub = client id, tenant_id (see PostgresTicketStore.SignInAsync).
    /// <paramref name="awaitingFirstRequest"/>: the client's row says they joined by phone and have filed no booking request
    /// yet; the session then opens only the booking flow (<see cref="FirstRequest"/>) until they do.
    /// </summary>
    public static Task SignInAsync(HttpContext http, Guid tenantId, Guid clientId, bool awaitingFirstRequest)
    {
        List<Claim> claims =
        [
            new Claim(BookingClaims.Subject, clientId.ToString()),
            new Claim(BookingClaims.Tenant, tenantId.ToString()),
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
        return PostgresTicketStore.SignInAsync(http, AuthSchemes.Portal, new ClaimsPrincipal(identity));
    }

    /// <summary>The server-side session id named by the request's portal cookie, if any.</summary>
    public static string? CurrentKey(HttpContext http) => PostgresTicketStore.CurrentKey(http, AuthSchemes.Portal);

    /// <summary>Ends the client's sessions (all devices), except <paramref name="keep"/> when given.</summary>
    public static Task EndAllAsync(PlatformDbContext platform, Guid tenantId, Guid clientId, CancellationToken cancellationToken, string? keep = null) =>
        PostgresTicketStore.EndAllAsync(platform, AuthSchemes.Portal, tenantId, clientId, cancellationToken, keep);

    /// <summary>Ends the client's sessions (all devices) in the transaction <paramref name="db"/> has open, with its change.</summary>
    public static Task EndAllInTransactionAsync(PortalAuthDbContext db, Guid tenantId, Guid clientId, CancellationToken cancellationToken) =>
        PostgresTicketStore.EndAllInTransactionAsync(db.Database, AuthSchemes.Portal, tenantId, clientId, cancellationToken);
}
