using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.StaffAuth;

/// <summary>
/// OWASP's device cookie on staff password sign-in: failures from browsers without one lock the address, as before,
/// but not the browser its owner signed in from (BuildingBlocks <c>TrustedDevices</c>, <c>PasswordThrottle</c>).
/// </summary>
public sealed class StaffDeviceCookieTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Key = "booking-staff-device";

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
    public async Task Wrong_current_passwords_lock_cookie_less_sign_in_but_not_a_trusted_device()
    {
        var biz = await App.SignUpBusinessAsync("device");
        var laptop = App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(laptop, biz.Slug, biz.OwnerEmail)).StatusCode);

        // A session left open elsewhere (the owner's sign-up one) used to guess the password.
        for (var i = 0; i < 10; i++)
        {
            var wrong = await biz.Owner.PutAsJsonAsync("/api/v1/staff/me/password", new { currentPassword = "a wrong current password " + i, newPassword = "a brand new owner passphrase 2026" });
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(App.NewClient(), biz.Slug, biz.OwnerEmail)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(laptop, biz.Slug, biz.OwnerEmail)).StatusCode);
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
