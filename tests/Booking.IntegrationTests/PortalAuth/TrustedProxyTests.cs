using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Behind a reverse proxy every request comes from the proxy; without forwarded headers the per-IP code limit was
/// one limit shared by every client of every business (decision 62). The app now takes the client's address and
/// scheme from the proxies it is told to trust, and from nobody else.
/// </summary>
[Collection(nameof(EdgeApp))]
public sealed class TrustedProxyTests(EdgeApp edge)
{
    private BookingApp App => edge.App;

    /// <summary>
    /// Asks a new business for a sign-in code as a request arriving from <paramref name="from"/> (a business of its
    /// own: this app's businesses send 3 codes an hour); answers the address the send was counted against.
    /// </summary>
    private async Task<string> CountedAgainstAsync(string from, string? forwardedFor)
    {
        var slug = (await App.SignUpBusinessAsync()).Slug;
        var mobile = PortalAuthHelpers.NewMobile();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/portal/auth/phone/start?name={slug}") { Content = JsonContent.Create(new { mobile }) };
        request.Headers.Add("X-Test-Ip", from);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        var response = await App.NewClient().SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await Sql.AdminScalarAsync<string>(App.Database.Database, "SELECT ip FROM portalauth.code_sends WHERE mobile = @m", ("m", mobile)))!;
    }

    /// <summary>A client registers, the request arriving from <paramref name="from"/> with the given forwarded scheme and origin.</summary>
    private async Task<HttpResponseMessage> RegisterAsync(string slug, string from, string proto, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/portal/auth/register?name={slug}")
        {
            Content = JsonContent.Create(new { firstName = "Pat", lastName = "Proxy", email = PortalAuthHelpers.NewEmail(), password = PortalAuthHelpers.Password, mobile = (string?)null }),
        };
        request.Headers.Add("X-Test-Ip", from);
        request.Headers.Add("X-Forwarded-Proto", proto);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await App.NewClient().SendAsync(request);
    }

    [Fact]
    public async Task The_client_address_comes_from_a_trusted_proxy_and_never_from_anyone_else()
    {
        Assert.Equal("203.0.113.7", await CountedAgainstAsync("10.9.9.9", "203.0.113.7"));
        // The entry the nearest (trusted) proxy added, not one the client wrote before it.
        Assert.Equal("203.0.113.8", await CountedAgainstAsync("172.20.0.5", "198.51.100.1, 203.0.113.8"));
        // A client reaching the app directly cannot choose its address.
        Assert.Equal("192.0.2.50", await CountedAgainstAsync("192.0.2.50", "203.0.113.9"));
        Assert.Equal("10.9.9.9", await CountedAgainstAsync("10.9.9.9", null));
    }

    [Fact]
    public async Task A_trusted_proxy_that_terminated_https_gets_secure_cookies_and_a_direct_client_claiming_it_does_not()
    {
        var biz = await App.SignUpBusinessAsync();

        async Task<string> SetCookieAsync(string from)
        {
            var response = await RegisterAsync(biz.Slug, from, proto: "https");
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return string.Join("\n", response.Headers.GetValues("Set-Cookie"));
        }

        Assert.Contains("; secure", await SetCookieAsync("10.9.9.9"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("; secure", await SetCookieAsync("192.0.2.50"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_browsers_post_through_a_proxy_that_terminated_https_passes_the_same_origin_check()
    {
        // The browser's page is https://localhost; the proxy talks plain HTTP to the app. Every form post and API call
        // carries Origin: https://localhost, which the same-origin check compares with the request's own scheme.
        var biz = await App.SignUpBusinessAsync();

        async Task<HttpStatusCode> PostAsync(string from) => (await RegisterAsync(biz.Slug, from, proto: "https", origin: "https://localhost")).StatusCode;

        Assert.Equal(HttpStatusCode.Created, await PostAsync("10.9.9.9"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync("192.0.2.50"));
    }
}
