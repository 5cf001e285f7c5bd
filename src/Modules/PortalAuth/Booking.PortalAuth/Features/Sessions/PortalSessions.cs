using System.Security.Claims;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Booking.PortalAuth.Features.Sessions;

public static class PortalSessions
{
    /// <summary>A new server-side session (new id) bound to the business: sub = client id, tenant_id.</summary>
    public static async Task SignInAsync(HttpContext http, Guid tenantId, Guid clientId)
    {
        // The cookie handler would renew a session the request already carries under its old id; end it first
        // so every sign-in gets a fresh id (no session fixation) and a stale key is never reused.
        await http.SignOutAsync(AuthSchemes.Portal);
        var identity = new ClaimsIdentity(
            [
                new Claim(BookingClaims.Subject, clientId.ToString()),
                new Claim(BookingClaims.Tenant, tenantId.ToString()),
            ],
            AuthSchemes.Portal,
            BookingClaims.Name,
            BookingClaims.Role);
        await http.SignInAsync(AuthSchemes.Portal, new ClaimsPrincipal(identity));
    }

    /// <summary>Ends every session of the client (all devices), e.g. after a password change or reset.</summary>
    public static Task EndAllAsync(PlatformDbContext platform, Guid tenantId, Guid clientId, CancellationToken cancellationToken) =>
        PostgresTicketStore.EndAllAsync(platform, AuthSchemes.Portal, tenantId, clientId, cancellationToken);
}
