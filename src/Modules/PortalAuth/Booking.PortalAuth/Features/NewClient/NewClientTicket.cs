using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Booking.PortalAuth.Features.NewClient;

/// <summary>
/// Carries a verified unknown phone from phone/verify to new-client: a protected, HttpOnly cookie naming the
/// business and the attempt, valid 30 minutes. The attempt itself is checked again (verified, unused) on use.
/// </summary>
public sealed class NewClientTicket(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string CookieName = "booking-portal-new-client";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly ITimeLimitedDataProtector protector = protection.CreateProtector("PortalAuth.NewClient").ToTimeLimitedDataProtector();

    public void Issue(HttpContext http, Guid tenantId, Guid attemptId)
    {
        var value = protector.Protect($"{tenantId:N}:{attemptId:N}", clock.GetUtcNow() + Lifetime);
        http.Response.Cookies.Append(Name(http), value, Options(http));
    }

    public Guid? Read(HttpContext http, Guid tenantId)
    {
        if (!http.Request.Cookies.TryGetValue(Name(http), out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            var parts = protector.Unprotect(value, out var expiration).Split(':');
            return expiration > clock.GetUtcNow() && parts.Length == 2 && Guid.TryParse(parts[0], out var t) && t == tenantId && Guid.TryParse(parts[1], out var a)
                ? a
                : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public static void Clear(HttpContext http) => http.Response.Cookies.Delete(Name(http), Options(http));

    private static string Name(HttpContext http) => (http.Request.IsHttps ? "__Host-" : "") + CookieName;

    private static CookieOptions Options(HttpContext http) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps,
        Path = "/",
        MaxAge = Lifetime,
    };
}
