using System.Globalization;
using System.Security.Cryptography;
using Booking.BuildingBlocks.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Booking.BuildingBlocks.Security;

/// <summary>
/// Where a device cookie lives: its purpose (a token made for one area does not open in the other), its cookie name
/// (one per business: <c>.&lt;slug&gt;</c> is added) and the sign-in paths it is sent to, the API's and the page's.
/// </summary>
public sealed record DeviceArea(string Purpose, string CookieKey, IReadOnlyList<string> Paths)
{
    public static readonly DeviceArea Portal = new("portal", "booking-portal-device", ["/api/v1/portal/auth/sign-in", "/ol/sign-in"]);

    public static readonly DeviceArea Staff = new("staff", "booking-staff-device", ["/api/v1/staff/auth/sign-in", "/staff/sign-in"]);
}

/// <summary>
/// OWASP's device cookie: a successful password sign-in leaves the browser a token (Data Protection, purpose
/// <see cref="Purpose"/> and the area) naming the business, the address signed in with and a random nonce. A later
/// sign-in that presents a valid one for the same business and address is counted by <see cref="PasswordThrottle"/>
/// against that nonce alone, so failures from elsewhere, which lock the address, do not lock out the device its owner
/// signs in from. The cookie is HttpOnly, SameSite=Lax, sent only to the sign-in paths, Secure (and <c>__Secure-</c>)
/// outside Development or over HTTPS, and kept <see cref="Lifetime"/>; the token carries the same expiry.
/// </summary>
public sealed class TrustedDevices(IDataProtectionProvider protection, TimeProvider clock, IHostEnvironment environment)
{
    public const string Purpose = "Booking.TrustedDevices.v1";

    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(180);

    private readonly bool secure = !environment.IsDevelopment();

    /// <summary>A new token for the address at the business, with a nonce of its own.</summary>
    public string Issue(DeviceArea area, Guid tenantId, string login)
    {
        var expires = (clock.GetUtcNow() + Lifetime).ToUnixTimeSeconds();
        return Protector(area).Protect(string.Join('\n', tenantId.ToString("N"), Guid.NewGuid().ToString("N"), expires.ToString(CultureInfo.InvariantCulture), login));
    }

    /// <summary>
    /// The nonce of <paramref name="token"/> when it is one this deployment made for the area, business and address and
    /// has not expired; otherwise (none, forged, altered, another account's or business's) null: an untrusted try.
    /// </summary>
    public Guid? Nonce(DeviceArea area, string? token, Guid tenantId, string login)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        string payload;
        try
        {
            payload = Protector(area).Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('\n', 4);
        return parts.Length == 4
            && Guid.TryParseExact(parts[0], "N", out var tenant) && tenant == tenantId
            && Guid.TryParseExact(parts[1], "N", out var nonce)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && clock.GetUtcNow().ToUnixTimeSeconds() < expires
            && string.Equals(parts[3], login, StringComparison.Ordinal)
                ? nonce
                : null;
    }

    /// <summary>The device cookie the request carries for the area at its business, if any.</summary>
    public string? Presented(HttpContext http, DeviceArea area) =>
        CookieName(http, area) is { } name ? http.Request.Cookies[name] : null;

    /// <summary>Leaves <paramref name="token"/> in the browser, once for each sign-in path of the area.</summary>
    public void Keep(HttpContext http, DeviceArea area, string token)
    {
        var name = CookieName(http, area) ?? throw new InvalidOperationException("A device cookie is kept per business: this request names none.");
        foreach (var path in area.Paths)
        {
            http.Response.Cookies.Append(name, token, new CookieOptions
            {
                HttpOnly = true,
                Secure = secure || http.Request.IsHttps,
                SameSite = SameSiteMode.Lax,
                Path = path,
                Expires = clock.GetUtcNow() + Lifetime,
                IsEssential = true,
            });
        }
    }

    private string? CookieName(HttpContext http, DeviceArea area) =>
        PerBusinessCookieManager.NameFor(http, (secure ? "__Secure-" : "") + area.CookieKey);

    private IDataProtector Protector(DeviceArea area) => protection.CreateProtector(Purpose, area.Purpose);
}
