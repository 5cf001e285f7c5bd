using System.Net;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// OWASP's device cookie on client password sign-in: failures from browsers without one lock the address, as before,
/// but not the browser its owner signed in from (BuildingBlocks <c>TrustedDevices</c>, <c>PasswordThrottle</c>).
/// </summary>
public sealed class PortalDeviceCookieTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Key = "booking-portal-device";

    private BookingApp App => shared.App;

    [Fact]
    public async Task An_attackers_failures_lock_the_address_but_not_the_owners_device()
    {
        var biz = await App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await App.NewClient().RegisterAsync(biz.Slug, email)).StatusCode);
        var owner = App.NewClient();
        var first = await owner.SignInAsync(biz.Slug, email);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        DeviceCookie.From(first, Key, biz.Slug, "/api/v1/portal/auth/sign-in", "/ol/sign-in");

        await LockAsync(biz.Slug, email);
        var refused = await App.NewClient().SignInAsync(biz.Slug, email);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate-limited", await refused.KindAsync());
        Assert.NotNull(refused.Headers.RetryAfter);

        var again = await owner.SignInAsync(biz.Slug, email);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.MeAsync(biz.Slug)).StatusCode);

        // The owner's sign-in cleared only their device's count: the address stays locked for everyone else.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await App.NewClient().SignInAsync(biz.Slug, email)).StatusCode);
    }

    [Fact]
    public async Task A_forged_cookie_or_one_of_another_account_or_business_gives_no_exemption()
    {
        var biz = await App.SignUpBusinessAsync();
        var other = await App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        var someoneElse = PortalAuthHelpers.NewEmail();
        await App.NewClient().RegisterAsync(biz.Slug, email);
        await App.NewClient().RegisterAsync(biz.Slug, someoneElse);
        await App.NewClient().RegisterAsync(other.Slug, email); // the same address, a client of another business too
        var mine = DeviceCookie.From(await App.NewClient().SignInAsync(biz.Slug, email), Key, biz.Slug, "/api/v1/portal/auth/sign-in", "/ol/sign-in");
        var theirs = DeviceCookie.From(await App.NewClient().SignInAsync(biz.Slug, someoneElse), Key, biz.Slug, "/api/v1/portal/auth/sign-in", "/ol/sign-in");
        var elsewhere = DeviceCookie.From(await App.NewClient().SignInAsync(other.Slug, email), Key, other.Slug, "/api/v1/portal/auth/sign-in", "/ol/sign-in");

        await LockAsync(biz.Slug, email);

        var url = $"/api/v1/portal/auth/sign-in?name={biz.Slug}";
        var body = new { email, password = PortalAuthHelpers.Password };
        var exempted = new List<string>();
        foreach (var (what, cookie) in new[]
        {
            ("altered", DeviceCookie.Tampered(mine)),
            ("not a token", $"{Key}.{biz.Slug}=not-a-token"),
            ("another account's", theirs),
            ("another business's", DeviceCookie.Renamed(elsewhere, Key, biz.Slug)),
        })
        {
            var answer = await DeviceCookie.PostWithAsync(App, url, body, cookie);
            if (answer.StatusCode != HttpStatusCode.TooManyRequests)
            {
                exempted.Add($"{what}: {(int)answer.StatusCode}");
            }
        }

        Assert.Empty(exempted);
        Assert.Equal(HttpStatusCode.OK, (await DeviceCookie.PostWithAsync(App, url, body, mine)).StatusCode);
    }

    [Fact]
    public async Task Repeated_failures_with_a_device_cookie_lock_that_device_only()
    {
        var biz = await App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        await App.NewClient().RegisterAsync(biz.Slug, email);
        var phone = App.NewClient();
        var laptop = App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await phone.SignInAsync(biz.Slug, email)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.SignInAsync(biz.Slug, email)).StatusCode);
        await LockAsync(biz.Slug, email);

        // The phone's wrong passwords are counted for the phone: answered, not refused by the address's lock.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await phone.SignInAsync(biz.Slug, email, "wrong on the phone " + i)).StatusCode);
        }

        // Now the phone is locked too (it is judged as any browser, and the address is locked) ...
        var locked = await phone.SignInAsync(biz.Slug, email);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Equal("rate-limited", await locked.KindAsync());
        Assert.NotNull(locked.Headers.RetryAfter);

        // ... and the laptop is not.
        Assert.Equal(HttpStatusCode.OK, (await laptop.SignInAsync(biz.Slug, email)).StatusCode);
    }

    /// <summary>Ten wrong passwords from a browser without a device cookie: the address is locked for such browsers.</summary>
    private async Task LockAsync(string slug, string email)
    {
        var attacker = App.NewClient();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.SignInAsync(slug, email, "attacker guess " + i)).StatusCode);
        }
    }
}
