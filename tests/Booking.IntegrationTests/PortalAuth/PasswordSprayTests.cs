using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>This app's cap on failed password sign-ins per client address, lowered so a test reaches it (production: 30).</summary>
public sealed class PasswordSprayApp() : PortalAuthApp(("PasswordSpray:MaxFailures", "5"));

/// <summary>
/// One client address trying one password against many addresses (decision 272): after the cap's failures in the
/// window, across addresses and businesses, every password sign-in from that address is refused (429 rate-limited,
/// Retry-After, its own words, "from this network", on the API and the pages), even with the right password, until the lockout ends;
/// a success takes no failure away; another address, and a browser that signed in before (device cookie), are not
/// affected. The portal's and staff's sign-ins are counted apart.
/// </summary>
public sealed class PasswordSprayTests(PasswordSprayApp fixture) : IClassFixture<PasswordSprayApp>
{
    // The network's own words (decision 277), not the per-address lockout's ("… paused for this address.").
    private const string Paused = "Too many failed sign-ins from this network. Password sign-in from it is paused.";
    private const string AddressPaused = "paused for this address";

    [Fact]
    public async Task Failures_over_many_addresses_and_businesses_from_one_address_refuse_even_the_right_password_there_only()
    {
        var one = await fixture.App.SignUpBusinessAsync("spray");
        var two = await fixture.App.SignUpBusinessAsync("spray");
        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(one.Slug, email)).StatusCode);
        var sprayer = NewIp();

        // A browser at the same address that signed in before keeps its device cookie.
        var laptop = fixture.NewClient(sprayer);
        Assert.Equal(HttpStatusCode.OK, (await laptop.SignInAsync(one.Slug, email)).StatusCode);

        // Four failures, each for another address, over two businesses; then a success, which takes none away.
        for (var i = 0; i < 4; i++)
        {
            var failed = await fixture.NewClient(sprayer).SignInAsync(i % 2 == 0 ? one.Slug : two.Slug, PortalAuthHelpers.NewEmail(), "Summer2026 is a common password");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await fixture.NewClient(sprayer).SignInAsync(one.Slug, email)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await fixture.NewClient(sprayer).SignInAsync(two.Slug, PortalAuthHelpers.NewEmail(), "Summer2026 is a common password")).StatusCode);

        // The fifth failure reached the cap: the right password from there is refused now, API and page alike.
        var refused = await fixture.NewClient(sprayer).SignInAsync(one.Slug, email);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate-limited", await refused.KindAsync());
        Assert.Equal(Paused, (await refused.JsonAsync()).GetProperty("detail").GetString());
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 15 * 60);

        var browser = fixture.NewClient(sprayer);
        var form = await browser.PageAsync($"/ol/sign-in?name={one.Slug}");
        var page = await browser.SubmitAsync(form, PortalHtml.Fields(("Input.Email", email), ("Input.Password", PortalAuthHelpers.Password)));
        var message = page.One("#error-summary")!.TextContent;
        Assert.Contains(Paused, message, StringComparison.Ordinal);
        Assert.Contains("Try again in 15 minutes.", message, StringComparison.Ordinal);
        Assert.DoesNotContain(AddressPaused, message, StringComparison.Ordinal);

        // Another address is not affected; nor is the browser that signed in here before; nor staff sign-in from here.
        Assert.Equal(HttpStatusCode.OK, (await fixture.NewClient(NewIp()).SignInAsync(one.Slug, email)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.SignInAsync(one.Slug, email)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await StaffSignInAsync(fixture.NewClient(sprayer), one.Slug, one.OwnerEmail, TestBusiness.OwnerPassword)).StatusCode);

        // Once the lockout has passed, the address signs in again.
        fixture.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await fixture.NewClient(sprayer).SignInAsync(one.Slug, email)).StatusCode);
    }

    [Fact]
    public async Task Staff_sign_in_failures_over_many_addresses_from_one_address_refuse_the_owner_there_only()
    {
        var one = await fixture.App.SignUpBusinessAsync("spray");
        var two = await fixture.App.SignUpBusinessAsync("spray");
        var sprayer = NewIp();
        for (var i = 0; i < 5; i++)
        {
            var failed = await StaffSignInAsync(fixture.NewClient(sprayer), i % 2 == 0 ? one.Slug : two.Slug, $"staff-{Guid.NewGuid():N}@example.com",
                "Summer2026 is a common password");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        var refused = await StaffSignInAsync(fixture.NewClient(sprayer), one.Slug, one.OwnerEmail, TestBusiness.OwnerPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate-limited", await refused.KindAsync());
        Assert.Equal(Paused, (await refused.JsonAsync()).GetProperty("detail").GetString());
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 15 * 60);

        var browser = fixture.NewClient(sprayer);
        var form = await browser.PageAsync($"/staff/sign-in?name={two.Slug}");
        var page = await browser.SubmitAsync(form, PortalHtml.Fields(("Input.Email", two.OwnerEmail), ("Input.Password", TestBusiness.OwnerPassword)));
        var message = page.One("#error-summary")!.TextContent;
        Assert.Contains(Paused, message, StringComparison.Ordinal);
        Assert.Contains("Try again in 15 minutes.", message, StringComparison.Ordinal);
        Assert.DoesNotContain(AddressPaused, message, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await StaffSignInAsync(fixture.NewClient(NewIp()), one.Slug, one.OwnerEmail, TestBusiness.OwnerPassword)).StatusCode);
    }

    private static string NewIp() => $"198.51.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    private static Task<HttpResponseMessage> StaffSignInAsync(HttpClient http, string slug, string email, string password) =>
        http.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={slug}", new { email, password });
}
