using System.Net;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// Every answer says <c>Referrer-Policy: same-origin</c> (reset links carry their token in the query string); answers
/// with personal data (the API, the portal and staff pages) say <c>Cache-Control: no-store</c> unless the endpoint chose
/// its own caching; static files keep theirs.
/// </summary>
public sealed class SecurityHeadersTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static void NotStored(HttpResponseMessage response)
    {
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        NotFramed(response);
        Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage!.RequestUri}: Cache-Control {response.Headers.CacheControl}");
    }

    /// <summary>No answer may be shown in another site's frame, nor sniffed as another type.</summary>
    private static void NotFramed(HttpResponseMessage response)
    {
        var uri = response.RequestMessage!.RequestUri;
        Assert.True(response.Headers.TryGetValues("X-Frame-Options", out var frames), $"{uri}: no X-Frame-Options");
        Assert.Equal("DENY", Assert.Single(frames));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("frame-ancestors 'none'", string.Join(";", response.Headers.TryGetValues("Content-Security-Policy", out var csp) ? csp : response.Content.Headers.TryGetValues("Content-Security-Policy", out var c2) ? c2 : []), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_page_visit_is_refused_framing_not_only_the_one_that_made_the_antiforgery_cookie()
    {
        // The antiforgery system's SAMEORIGIN came only with a new antiforgery cookie: a second visit had none.
        var biz = await App.SignUpBusinessAsync();
        var visitor = App.NewClient();
        foreach (var visit in new[] { "first", "second" })
        {
            var page = await visitor.GetAsync(new Uri($"/ol/sign-in?name={biz.Slug}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            NotFramed(page);
        }

        var staff = await biz.Owner.GetAsync(new Uri("/staff", UriKind.Relative));
        NotFramed(staff);
        NotFramed(await App.NewClient().GetAsync(new Uri("/css/site.css", UriKind.Relative)));
    }

    [Fact]
    public async Task Signed_in_api_answers_and_pages_are_not_stored_and_no_answer_sends_a_referrer_elsewhere()
    {
        var biz = await App.SignUpBusinessAsync();
        var client = App.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await client.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);

        var me = await client.MeAsync(biz.Slug);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        NotStored(me);
        var staffMe = await biz.Owner.GetAsync(new Uri($"/api/v1/staff/me?name={biz.Slug}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, staffMe.StatusCode);
        NotStored(staffMe);
        var diaries = await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries?name={biz.Slug}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, diaries.StatusCode);
        NotStored(diaries);
        var appointments = await client.GetAsync(new Uri($"/ol/appointments?name={biz.Slug}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, appointments.StatusCode);
        NotStored(appointments);

        // Problems and missing pages alike.
        NotStored(await App.NewClient().GetAsync(new Uri($"/api/v1/portal/me?name={biz.Slug}", UriKind.Relative)));
        NotStored(await App.NewClient().GetAsync(new Uri("/api/v1/no-such-route", UriKind.Relative)));

        // Static files keep their own caching, and still send no referrer elsewhere.
        var css = await App.NewClient().GetAsync(new Uri("/css/site.css", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("same-origin", Assert.Single(css.Headers.GetValues("Referrer-Policy")));
        Assert.NotEqual(true, css.Headers.CacheControl?.NoStore);

        // Development serves plain HTTP on localhost: no HSTS there.
        Assert.False(me.Headers.Contains("Strict-Transport-Security"));
    }
}

/// <summary>An app as deployed (not Development): HSTS on HTTPS answers.</summary>
public sealed class StagingApp : IAsyncLifetime
{
    public BookingApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The shared app provisions the test roles; creating them from two fixtures at once races (23505).
        await new SharedApp().InitializeAsync();
        App = new BookingApp(await TestDatabaseServer.CreateDatabaseAsync("staging"))
            .With("environment", "Staging")
            .With("PublicBaseUrl", "https://book.example.test")
            .With("Hangfire:Server", "false");
        _ = App.Server;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class HstsTests(StagingApp staging) : IClassFixture<StagingApp>
{
    [Fact]
    public async Task Outside_development_https_answers_carry_hsts()
    {
        var https = staging.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://book.example.test/"), AllowAutoRedirect = false });
        var live = await https.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.StartsWith("max-age=", Assert.Single(live.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.Equal("same-origin", Assert.Single(live.Headers.GetValues("Referrer-Policy")));
        // Nor are the development sinks there at all.
        Assert.Equal(HttpStatusCode.NotFound, (await https.GetAsync(new Uri("/dev/api/sms", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Outside_development_the_forms_antiforgery_cookie_is_secure_and_host_only()
    {
        var biz = await staging.App.SignUpBusinessAsync();
        var https = staging.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://book.example.test/"), AllowAutoRedirect = false });
        var page = await https.GetAsync(new Uri($"/ol/sign-in?name={biz.Slug}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var cookie = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.Contains("antiforgery", StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith("__Host-booking-antiforgery=", cookie, StringComparison.Ordinal);
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("path=/", attributes);
        Assert.Contains("httponly", attributes);
    }
}
