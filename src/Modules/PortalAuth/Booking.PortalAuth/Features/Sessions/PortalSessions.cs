using System.Security.Claims;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Booking.PortalAuth.Features.Sessions;

public static class PortalSessions
{
    /// <summary>
    /// A new server-side session (new id) bound to the business: sub = client id, tenant_id. A session the request
    /// already carries is ended and its cookie hidden from the cookie handler, which would otherwise renew it under
    /// its old id (session fixation). Call only on routes that have not authenticated the portal cookie.
    /// </summary>
    public static async Task SignInAsync(HttpContext http, Guid tenantId, Guid clientId)
    {
        var options = Options(http);
        if (CurrentKey(http) is { } old)
        {
            var platform = http.RequestServices.GetRequiredService<PlatformDbContext>();
            await platform.AuthSessions.Where(s => s.Id == old && s.Scheme == AuthSchemes.Portal).ExecuteDeleteAsync(http.RequestAborted);
            var name = options.Cookie.Name!;
            var kept = http.Request.Headers.Cookie.SelectMany(h => (h ?? "").Split(';'))
                .Select(c => c.Trim())
                .Where(c => c.Length > 0 && !c.StartsWith(name + "=", StringComparison.Ordinal) && !c.StartsWith(name + "C", StringComparison.Ordinal));
            http.Request.Headers.Cookie = string.Join("; ", kept);
        }

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

    /// <summary>The server-side session id named by the request's portal cookie, if any.</summary>
    public static string? CurrentKey(HttpContext http) => PostgresTicketStore.CurrentKey(http, AuthSchemes.Portal);

    /// <summary>Ends the client's sessions (all devices), except <paramref name="keep"/> when given.</summary>
    public static Task EndAllAsync(PlatformDbContext platform, Guid tenantId, Guid clientId, CancellationToken cancellationToken, string? keep = null) =>
        PostgresTicketStore.EndAllAsync(platform, AuthSchemes.Portal, tenantId, clientId, cancellationToken, keep);

    private static CookieAuthenticationOptions Options(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(AuthSchemes.Portal);
}
