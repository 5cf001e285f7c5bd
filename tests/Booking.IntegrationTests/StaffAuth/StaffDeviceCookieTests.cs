using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.StaffAuth;

/// <summary>
/// OWASP's device cookie on staff password sign-in: failures from browsers without one lock the address, as before,
/// but not the browser its owner signed in from (BuildingBlocks <c>TrustedDevices</c>, <c>PasswordThrottle</c>).
/// </summary>
public sealed class StaffDeviceCookieTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Key = "booking-staff-device";

    private const string SecondPassword = "a brand new owner passphrase 2026";

    private const string ThirdPassword = "and a third owner passphrase to keep";

    private BookingApp App => shared.App;

    [Fact]
    public async Task An_attackers_failures_lock_the_address_but_not_the_owners_device()
    {
        var biz = await App.SignUpBusinessAsync("device");
        var laptop = App.NewClient();
        var first = await SignInAsync(laptop, biz.Slug, biz.OwnerEmail);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        DeviceCookie.From(first, Key, biz.Slug, "/api/v1/staff/auth/sign-in", "/staff/sign-in");

        await LockAsync(biz.Slug, biz.OwnerEmail);
        var refused = await SignInAsync(App.NewClient(), biz.Slug, biz.OwnerEmail);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate-limited", await refused.KindAsync());
        Assert.NotNull(refused.Headers.RetryAfter);

        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(laptop, biz.Slug, biz.OwnerEmail)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(App.NewClient(), biz.Slug, biz.OwnerEmail)).StatusCode);
    }

    [Fact]
    public async Task A_forged_cookie_or_one_of_another_account_or_business_gives_no_exemption()
    {
        var biz = await App.SignUpBusinessAsync("device");
        var other = await App.SignUpBusinessAsync("device");
        var member = await AddMemberAsync(biz, $"member-{Guid.NewGuid():N}@{biz.Slug}.example");
        await AddMemberAsync(other, biz.OwnerEmail); // the same address, staff of another business too
        var mine = DeviceCookie.From(await SignInAsync(App.NewClient(), biz.Slug, biz.OwnerEmail), Key, biz.Slug, "/api/v1/staff/auth/sign-in", "/staff/sign-in");
        var theirs = DeviceCookie.From(await SignInAsync(App.NewClient(), biz.Slug, member), Key, biz.Slug, "/api/v1/staff/auth/sign-in", "/staff/sign-in");
        var elsewhere = DeviceCookie.From(await SignInAsync(App.NewClient(), other.Slug, biz.OwnerEmail), Key, other.Slug, "/api/v1/staff/auth/sign-in", "/staff/sign-in");

        await LockAsync(biz.Slug, biz.OwnerEmail);

        var url = $"/api/v1/staff/auth/sign-in?name={biz.Slug}";
        var body = new { email = biz.OwnerEmail, password = TestBusiness.OwnerPassword };
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
        var biz = await App.SignUpBusinessAsync("device");
        var phone = App.NewClient();
        var laptop = App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(phone, biz.Slug, biz.OwnerEmail)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(laptop, biz.Slug, biz.OwnerEmail)).StatusCode);
        await LockAsync(biz.Slug, biz.OwnerEmail);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(phone, biz.Slug, biz.OwnerEmail, "wrong on the phone " + i)).StatusCode);
        }

        var locked = await SignInAsync(phone, biz.Slug, biz.OwnerEmail);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.NotNull(locked.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(laptop, biz.Slug, biz.OwnerEmail)).StatusCode);
    }

    [Fact]
    public async Task Wrong_current_passwords_pause_the_accounts_changes_in_every_session_and_lock_nobodys_sign_in()
    {
        var biz = await App.SignUpBusinessAsync("device");
        var laptop = App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(laptop, biz.Slug, biz.OwnerEmail)).StatusCode);

        // A session left open elsewhere (the owner's sign-up one) used to guess the password.
        for (var i = 0; i < 10; i++)
        {
            var wrong = await biz.Owner.PutAsJsonAsync("/api/v1/staff/me/password", new { currentPassword = "a wrong current password " + i, newPassword = SecondPassword });
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        var paused = await biz.Owner.PutAsJsonAsync("/api/v1/staff/me/password", new { currentPassword = TestBusiness.OwnerPassword, newPassword = SecondPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, paused.StatusCode);
        Assert.Equal("rate-limited", await paused.KindAsync());
        Assert.NotNull(paused.Headers.RetryAfter);

        // The owner's other session is paused too (a count per session would give every session its own ten guesses);
        // nobody's sign-in is locked by them.
        var alsoPaused = await laptop.PutAsJsonAsync("/api/v1/staff/me/password", new { currentPassword = TestBusiness.OwnerPassword, newPassword = SecondPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, alsoPaused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(App.NewClient(), biz.Slug, biz.OwnerEmail)).StatusCode);
    }

    [Fact]
    public async Task Signing_up_leaves_the_owner_a_device_cookie_as_a_sign_in_does_on_the_api_and_the_page()
    {
        var (slug, email, answer) = await SignUpAsync();
        var fromApi = Cookie(answer, slug);

        var pageSlug = $"device-{Guid.NewGuid().ToString("N")[..10]}";
        var pageEmail = $"owner@{pageSlug}.example";
        var browser = App.NewClient();
        var form = await browser.PageAsync("/staff/sign-up");
        var done = await browser.SubmitAsync(form, PortalHtml.Fields(("Input.Name", "Shop"), ("Input.Slug", pageSlug), ("Input.TimeZone", "Australia/Sydney"),
            ("Input.CountryCode", "AU"), ("Input.Owner.Name", "Olive Owner"), ("Input.Owner.Email", pageEmail), ("Input.Owner.Password", TestBusiness.OwnerPassword)), "main form");
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        var fromPage = Cookie(done.Response, pageSlug);

        await LockAsync(slug, email);
        await LockAsync(pageSlug, pageEmail);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(App.NewClient(), slug, email)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInWithAsync(slug, email, TestBusiness.OwnerPassword, fromApi)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInWithAsync(pageSlug, pageEmail, TestBusiness.OwnerPassword, fromPage)).StatusCode);
    }

    [Fact]
    public async Task A_change_or_a_reset_of_the_password_ends_the_device_cookies_made_before_and_leaves_a_new_one()
    {
        var (slug, email, answer) = await SignUpAsync();
        var signedUp = Cookie(answer, slug);
        var here = App.NewClient();
        var fromHere = Cookie(await SignInAsync(here, slug, email), slug);
        var laptop = Cookie(await SignInAsync(App.NewClient(), slug, email), slug);

        var changed = await here.PutAsJsonAsync("/api/v1/staff/me/password", new { currentPassword = TestBusiness.OwnerPassword, newPassword = SecondPassword });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        var afterChange = Cookie(changed, slug);

        // A browser that signed in with the old password is no longer spared the address's lockout.
        await LockAsync(slug, email);
        var stale = new List<string>();
        foreach (var (what, cookie) in new[] { ("sign-up's", signedUp), ("this browser's before the change", fromHere), ("laptop's", laptop) })
        {
            if ((await SignInWithAsync(slug, email, SecondPassword, cookie)).StatusCode != HttpStatusCode.TooManyRequests)
            {
                stale.Add(what);
            }
        }

        Assert.Empty(stale);
        Assert.Equal(HttpStatusCode.OK, (await SignInWithAsync(slug, email, SecondPassword, afterChange)).StatusCode);

        // The reset page (the emailed link) leaves the browser that used it a device cookie; the change's one ends.
        Assert.Equal(HttpStatusCode.Accepted, (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/forgot-password?name={slug}", new { email })).StatusCode);
        var mail = await Eventually.ReturnsAsync(
            () => App.NewClient().GetFromJsonAsync<JsonElement>($"/dev/api/mail?to={Uri.EscapeDataString(email)}"),
            j => j.EnumerateArray().Any(m => m.GetProperty("text").GetString()!.Contains("/staff/reset-password?", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), $"a reset link to {email}");
        var text = mail.EnumerateArray().First(m => m.GetProperty("text").GetString()!.Contains("/staff/reset-password?", StringComparison.Ordinal)).GetProperty("text").GetString()!;
        var link = new Uri(text.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/staff/reset-password?", StringComparison.Ordinal)));
        var browser = App.NewClient();
        var form = await browser.PageAsync(link.PathAndQuery);
        var reset = await browser.SubmitAsync(form, PortalHtml.Fields(("Input.NewPassword", ThirdPassword)), "main form");
        Assert.Equal(HttpStatusCode.OK, reset.Status);
        Assert.Null(reset.One("#error-summary"));
        var afterReset = Cookie(reset.Response, slug);

        await LockAsync(slug, email);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInWithAsync(slug, email, ThirdPassword, afterChange)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInWithAsync(slug, email, ThirdPassword, afterReset)).StatusCode);
    }

    [Fact]
    public async Task A_signed_in_staff_member_changes_the_password_while_someone_keeps_the_address_locked()
    {
        var biz = await App.SignUpBusinessAsync("device");
        await LockAsync(biz.Slug, biz.OwnerEmail);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(App.NewClient(), biz.Slug, biz.OwnerEmail)).StatusCode);

        var form = await biz.Owner.PageAsync("/staff/account");
        var done = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Input.CurrentPassword", TestBusiness.OwnerPassword), ("Input.NewPassword", SecondPassword)),
            "form:not(.staff-signout)");
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        Cookie(done.Response, biz.Slug); // the page leaves this browser a device cookie for the new password too
        Assert.Contains("Password changed.", (await biz.Owner.PageAsync("/staff/account")).Text, StringComparison.Ordinal);

        await LockAsync(biz.Slug, biz.OwnerEmail); // the change cleared the address's failures: the attacker locks it again
        var api = await biz.Owner.PutAsJsonAsync("/api/v1/staff/me/password", new { currentPassword = SecondPassword, newPassword = ThirdPassword });
        Assert.Equal(HttpStatusCode.NoContent, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await biz.Owner.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(App.NewClient(), biz.Slug, biz.OwnerEmail, ThirdPassword)).StatusCode);
    }

    private static string Cookie(HttpResponseMessage answer, string slug) => DeviceCookie.From(answer, Key, slug, "/api/v1/staff/auth/sign-in", "/staff/sign-in");

    private Task<HttpResponseMessage> SignInWithAsync(string slug, string email, string password, string cookie) =>
        DeviceCookie.PostWithAsync(App, $"/api/v1/staff/auth/sign-in?name={slug}", new { email, password }, cookie);

    /// <summary>Signs a business up over the API; its slug, the owner's email and the answer (with its cookies).</summary>
    private async Task<(string Slug, string Email, HttpResponseMessage Answer)> SignUpAsync()
    {
        var slug = $"device-{Guid.NewGuid().ToString("N")[..10]}";
        var email = $"owner@{slug}.example";
        var answer = await App.NewClient().PostAsJsonAsync("/api/v1/tenants", new
        {
            slug,
            name = $"Business {slug}",
            timeZone = "Australia/Sydney",
            countryCode = "AU",
            owner = new { name = "Olive Owner", email, password = TestBusiness.OwnerPassword },
        });
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        return (slug, email, answer);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient browser, string slug, string email, string password = TestBusiness.OwnerPassword) =>
        browser.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={slug}", new { email, password });

    private static async Task<string> AddMemberAsync(TestBusiness biz, string email)
    {
        var created = await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Mia Member", email, password = TestBusiness.OwnerPassword, role = "practitioner", diaryIds = Array.Empty<Guid>() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return email;
    }

    /// <summary>Ten wrong passwords from a browser without a device cookie: the address is locked for such browsers.</summary>
    private async Task LockAsync(string slug, string email)
    {
        var attacker = App.NewClient();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(attacker, slug, email, "attacker guess " + i)).StatusCode);
        }
    }
}
