using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// OWASP's device cookie on client password sign-in: failures from browsers without one lock the address, as before,
/// but not the browser its owner signed in from (BuildingBlocks <c>TrustedDevices</c>, <c>PasswordThrottle</c>).
/// </summary>
public sealed class PortalDeviceCookieTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Key = "booking-portal-device";

    private const string SecondPassword = "the second long sentence I picked";

    private const string ThirdPassword = "and a third long sentence to remember";

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

    [Fact]
    public async Task Registering_leaves_a_device_cookie_as_a_sign_in_does_on_the_api_and_the_page()
    {
        var biz = await App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        var registered = await App.NewClient().RegisterAsync(biz.Slug, email);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var fromApi = Cookie(registered, biz.Slug);

        var onPage = PortalAuthHelpers.NewEmail();
        var browser = App.NewClient();
        var form = await browser.PageAsync($"/ol/register?name={biz.Slug}");
        var done = await browser.SubmitAsync(form, PortalHtml.Fields(("Input.FirstName", "Robin"), ("Input.LastName", "Page"), ("Input.Email", onPage),
            ("Input.Mobile", ""), ("Input.Password", PortalAuthHelpers.Password)));
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        var fromPage = Cookie(done.Response, biz.Slug);

        await LockAsync(biz.Slug, email);
        await LockAsync(biz.Slug, onPage);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await App.NewClient().SignInAsync(biz.Slug, email)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInWithAsync(biz.Slug, email, PortalAuthHelpers.Password, fromApi)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInWithAsync(biz.Slug, onPage, PortalAuthHelpers.Password, fromPage)).StatusCode);
    }

    [Fact]
    public async Task A_change_or_a_reset_of_the_password_ends_the_device_cookies_made_before_and_leaves_a_new_one()
    {
        var biz = await App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        var here = App.NewClient();
        var registered = Cookie(await here.RegisterAsync(biz.Slug, email), biz.Slug);
        var laptop = Cookie(await App.NewClient().SignInAsync(biz.Slug, email), biz.Slug);

        var changed = await here.PostAsJsonAsync($"/api/v1/portal/auth/change-password?name={biz.Slug}", new { currentPassword = PortalAuthHelpers.Password, newPassword = SecondPassword });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        var afterChange = Cookie(changed, biz.Slug);

        // Someone who knew the old password on a browser that signed in with it is no longer spared the address's lockout.
        await LockAsync(biz.Slug, email);
        var stale = new List<string>();
        foreach (var (what, cookie) in new[] { ("registration's", registered), ("laptop's", laptop) })
        {
            if ((await SignInWithAsync(biz.Slug, email, SecondPassword, cookie)).StatusCode != HttpStatusCode.TooManyRequests)
            {
                stale.Add(what);
            }
        }

        Assert.Empty(stale);
        Assert.Equal(HttpStatusCode.OK, (await SignInWithAsync(biz.Slug, email, SecondPassword, afterChange)).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email })).StatusCode);
        var link = new Uri((await App.ResetEventAsync(email)).GetProperty("resetUrl").GetString()!);
        var token = System.Web.HttpUtility.ParseQueryString(link.Query)["token"]!;
        var reset = await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={biz.Slug}", new { token, newPassword = ThirdPassword });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        var afterReset = Cookie(reset, biz.Slug);

        await LockAsync(biz.Slug, email);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInWithAsync(biz.Slug, email, ThirdPassword, afterChange)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInWithAsync(biz.Slug, email, ThirdPassword, afterReset)).StatusCode);
    }

    [Fact]
    public async Task A_signed_in_client_changes_the_password_while_someone_keeps_the_address_locked()
    {
        var biz = await App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        var here = App.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await here.RegisterAsync(biz.Slug, email)).StatusCode);

        await LockAsync(biz.Slug, email);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await App.NewClient().SignInAsync(biz.Slug, email)).StatusCode);
        var form = await here.PageAsync($"/ol/change-password?name={biz.Slug}");
        var done = await here.SubmitAsync(form, PortalHtml.Fields(("Input.CurrentPassword", PortalAuthHelpers.Password), ("Input.NewPassword", SecondPassword)));
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Contains("Your password is changed.", done.Text, StringComparison.Ordinal);
        Cookie(done.Response, biz.Slug); // the page leaves this browser a device cookie for the new password too

        await LockAsync(biz.Slug, email); // the change cleared the address's failures: the attacker locks it again
        var api = await here.PostAsJsonAsync($"/api/v1/portal/auth/change-password?name={biz.Slug}", new { currentPassword = SecondPassword, newPassword = ThirdPassword });
        Assert.Equal(HttpStatusCode.NoContent, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.MeAsync(biz.Slug)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.NewClient().SignInAsync(biz.Slug, email, ThirdPassword)).StatusCode);
    }

    [Fact]
    public async Task Wrong_current_passwords_pause_the_accounts_changes_in_every_session_and_lock_nobodys_sign_in()
    {
        var biz = await App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        var left = App.NewClient(); // a session left open, used to guess the password
        Assert.Equal(HttpStatusCode.Created, (await left.RegisterAsync(biz.Slug, email)).StatusCode);
        var own = App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await own.SignInAsync(biz.Slug, email)).StatusCode);
        var url = $"/api/v1/portal/auth/change-password?name={biz.Slug}";

        for (var i = 0; i < 10; i++)
        {
            var wrong = await left.PostAsJsonAsync(url, new { currentPassword = "a wrong current password " + i, newPassword = SecondPassword });
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        var paused = await left.PostAsJsonAsync(url, new { currentPassword = PortalAuthHelpers.Password, newPassword = SecondPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, paused.StatusCode);
        Assert.Equal("rate-limited", await paused.KindAsync());
        Assert.NotNull(paused.Headers.RetryAfter);

        // Another session of the account is paused too (a phone makes a session per SMS code, without the password, so a
        // count per session would give each its own ten guesses); nobody's sign-in is locked by them.
        var alsoPaused = await own.PostAsJsonAsync(url, new { currentPassword = PortalAuthHelpers.Password, newPassword = SecondPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, alsoPaused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.NewClient().SignInAsync(biz.Slug, email)).StatusCode);
    }

    private static string Cookie(HttpResponseMessage answer, string slug) => DeviceCookie.From(answer, Key, slug, "/api/v1/portal/auth/sign-in", "/ol/sign-in");

    private Task<HttpResponseMessage> SignInWithAsync(string slug, string email, string password, string cookie) =>
        DeviceCookie.PostWithAsync(App, $"/api/v1/portal/auth/sign-in?name={slug}", new { email, password }, cookie);

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
