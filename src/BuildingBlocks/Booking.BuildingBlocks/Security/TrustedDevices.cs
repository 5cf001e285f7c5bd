using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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
/// OWASP's device cookie: a successful password sign-in (and a registration, a reset or a change of the password, each
/// of which proves the password as a sign-in does) leaves the browser a token (Data Protection, purpose
/// <see cref="Purpose"/> and the area) naming the business, the address signed in with, a random nonce and a stamp of
/// the password it was made under. A later sign-in that presents a valid one for the same business, address and
/// password is counted by <see cref="PasswordThrottle"/> against that nonce alone, so failures from elsewhere, which
/// lock the address, do not lock out the device its owner signs in from. The stamp (<see cref="Stamp"/>) ends every
/// earlier token once the password is set again: after a reset or a change, a browser that knew the old password is
/// no longer trusted. The cookie is HttpOnly, SameSite=Lax, sent only to the sign-in paths, Secure (and
/// <c>__Secure-</c>) outside Development or over HTTPS, and kept <see cref="Lifetime"/>; the token carries the same expiry.
/// </summary>
public sealed class TrustedDevices(IDataProtectionProvider protection, TimeProvider clock, IHostEnvironment environment)
{
    public const string Purpose = "Booking.TrustedDevices.v1";

    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(180);

    private readonly bool secure = !environment.IsDevelopment();

    /// <summary>
    /// A new token for the address at the business, with a nonce of its own, bound to <paramref name="passwordHash"/>
    /// (the account's stored hash, as it is once the sign-in, registration, reset or change is saved).
    /// </summary>
    public string Issue(DeviceArea area, Guid tenantId, string login, string passwordHash)
    {
        var expires = (clock.GetUtcNow() + Lifetime).ToUnixTimeSeconds();
        return Protector(area).Protect(string.Join('\n',
            tenantId.ToString("N"), Guid.NewGuid().ToString("N"), expires.ToString(CultureInfo.InvariantCulture), Stamp(passwordHash), login));
    }

    /// <summary>
    /// The nonce of <paramref name="token"/> when it is one this deployment made for the area, business and address,
    /// under the password the account has now (<paramref name="passwordHash"/>), and has not expired; otherwise (none,
    /// forged, altered, another account's or business's, made before the password was reset or changed, or no account
    /// or password to check it against) null: an untrusted try.
    /// </summary>
    public Guid? Nonce(DeviceArea area, string? token, Guid tenantId, string login, string? passwordHash)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        // A presented token is unprotected and its stamp worked out whether or not there is an account, so the time
        // a sign-in takes does not tell whether the address has one.
        var stamp = Stamp(passwordHash ?? string.Empty);

        string payload;
        try
        {
            payload = Protector(area).Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('\n', 5);
        return parts.Length == 5
            && Guid.TryParseExact(parts[0], "N", out var tenant) && tenant == tenantId
            && Guid.TryParseExact(parts[1], "N", out var nonce)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && clock.GetUtcNow().ToUnixTimeSeconds() < expires
            && passwordHash is not null
            && string.Equals(parts[3], stamp, StringComparison.Ordinal)
            && string.Equals(parts[4], login, StringComparison.Ordinal)
                ? nonce
                : null;
    }

    /// <summary>
    /// A password stamp: the first 8 bytes of SHA-256 over the stored hash, which has a new salt each time a password is
    /// set, so a reset or a change (and a rehash at sign-in, rare: only after the iteration count is raised) gives a new
    /// one. It travels only inside the encrypted token, and the hash it is worked out from is itself not the password.
    /// </summary>
    private static string Stamp(string passwordHash) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(passwordHash)), 0, 8);

    /// <summary>The device cookie the request carries for the area at its business, if any.</summary>
    public string? Presented(HttpContext http, DeviceArea area) =>
        CookieName(http, area) is { } name ? http.Request.Cookies[name] : null;

    /// <summary>
    /// Leaves <paramref name="token"/> in the browser, once for each sign-in path of the area, under the name of the
    /// request's business, or of <paramref name="slug"/> when given (a business signed up in this request).
    /// </summary>
    public void Keep(HttpContext http, DeviceArea area, string token, string? slug = null)
    {
        var name = (slug is null ? CookieName(http, area) : Prefixed(area) + "." + slug)
            ?? throw new InvalidOperationException("A device cookie is kept per business: this request names none.");
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

    private string? CookieName(HttpContext http, DeviceArea area) => PerBusinessCookieManager.NameFor(http, Prefixed(area));

    private string Prefixed(DeviceArea area) => (secure ? "__Secure-" : "") + area.CookieKey;

    private IDataProtector Protector(DeviceArea area) => protection.CreateProtector(Purpose, area.Purpose);
}
