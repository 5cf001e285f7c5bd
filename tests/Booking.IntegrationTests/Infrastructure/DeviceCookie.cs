using System.Net.Http.Json;

namespace Booking.IntegrationTests.Infrastructure;

/// <summary>The device cookie a password sign-in leaves (BuildingBlocks <c>TrustedDevices</c>), as a test handles it.</summary>
internal static class DeviceCookie
{
    /// <summary>
    /// <c>name=value</c> of the device cookie the answer sets for the API's sign-in path (<paramref name="key"/>:
    /// <c>booking-portal-device</c> or <c>booking-staff-device</c>), after checking how it is kept.
    /// </summary>
    public static string From(HttpResponseMessage signIn, string key, string slug, string apiPath, string pagePath)
    {
        var set = signIn.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith($"{key}.{slug}=", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, set.Count); // one for the API's sign-in path, one for the page's
        Assert.Contains(set, c => c.Contains($"path={pagePath}", StringComparison.OrdinalIgnoreCase));
        var api = Assert.Single(set, c => c.Contains($"path={apiPath}", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("httponly", api, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", api, StringComparison.OrdinalIgnoreCase);
        var expires = DateTimeOffset.Parse(api.Split(';').Select(p => p.Trim()).Single(p => p.StartsWith("expires=", StringComparison.OrdinalIgnoreCase))["expires=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange((expires - DateTimeOffset.UtcNow).TotalDays, 179, 181);
        return api.Split(';')[0];
    }

    /// <summary>The value of a <c>name=value</c> cookie with one character in the middle changed.</summary>
    public static string Tampered(string cookie)
    {
        var at = cookie.IndexOf('=', StringComparison.Ordinal) + 1 + ((cookie.Length - cookie.IndexOf('=', StringComparison.Ordinal)) / 2);
        var swapped = cookie[at] == 'A' ? 'B' : 'A';
        return cookie[..at] + swapped + cookie[(at + 1)..];
    }

    /// <summary><paramref name="cookie"/>'s value under the name it would have at <paramref name="slug"/>.</summary>
    public static string Renamed(string cookie, string key, string slug) => $"{key}.{slug}=" + cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..];

    /// <summary>A JSON post from a browser that holds only <paramref name="cookie"/>.</summary>
    public static async Task<HttpResponseMessage> PostWithAsync(BookingApp app, string url, object body, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Cookie", cookie);
        return await app.CreateDefaultClient().SendAsync(request);
    }
}
