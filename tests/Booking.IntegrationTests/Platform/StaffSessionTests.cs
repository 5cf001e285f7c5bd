using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Platform;

public sealed class StaffSessionTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task Unknown_email_and_wrong_password_get_the_same_answer()
    {
        var biz = await App.SignUpBusinessAsync("same");
        var client = App.NewClient();

        var wrong = await client.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = biz.OwnerEmail, password = "not the password at all" });
        var unknown = await client.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = "nobody@" + biz.Slug + ".example", password = "not the password at all" });

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(wrong.StatusCode, unknown.StatusCode);
        Assert.Equal(await wrong.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ten_failures_lock_password_sign_in_even_with_the_right_password()
    {
        var biz = await App.SignUpBusinessAsync("lock");
        var client = App.NewClient();
        for (var i = 0; i < 10; i++)
        {
            var failed = await client.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = biz.OwnerEmail, password = "guess number " + i });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        var locked = await client.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = biz.OwnerEmail, password = TestBusiness.OwnerPassword });

        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.EndsWith("/rate-limited", await TenantResolutionTests.TypeOf(locked), StringComparison.Ordinal);
        var retryAfter = locked.Headers.RetryAfter?.Delta ?? TimeSpan.Zero;
        Assert.InRange(retryAfter, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));

        // The lock is per address: another business's owner with the same password is unaffected.
        var other = await App.SignUpBusinessAsync("unlocked");
        var fine = await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={other.Slug}", new { email = other.OwnerEmail, password = TestBusiness.OwnerPassword });
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task A_staff_member_changes_their_password_with_the_current_one_and_other_devices_are_signed_out()
    {
        var biz = await App.SignUpBusinessAsync("pw");
        var laptop = App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await laptop.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = biz.OwnerEmail, password = TestBusiness.OwnerPassword })).StatusCode);
        const string NewPassword = "a brand new owner passphrase 2026";

        var wrong = await biz.Owner.PutAsJsonAsync("/api/v1/staff/me/password", new { currentPassword = "not my password at all", newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("\"currentPassword\"", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var weak = await biz.Owner.PutAsJsonAsync("/api/v1/staff/me/password", new { currentPassword = TestBusiness.OwnerPassword, newPassword = "password" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("\"newPassword\"", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode); // nothing changed yet

        var changed = await biz.Owner.PutAsJsonAsync("/api/v1/staff/me/password", new { currentPassword = TestBusiness.OwnerPassword, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await biz.Owner.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode); // this device stays in
        Assert.Equal(HttpStatusCode.Unauthorized, (await laptop.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode);
        var old = await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = biz.OwnerEmail, password = TestBusiness.OwnerPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        var fresh = await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = biz.OwnerEmail, password = NewPassword });
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.NewClient().PutAsJsonAsync("/api/v1/staff/me/password", new { currentPassword = NewPassword, newPassword = NewPassword + "!" })).StatusCode);
    }

    [Fact]
    public async Task A_password_change_clears_earlier_wrong_passwords_from_the_lockout_count()
    {
        var biz = await App.SignUpBusinessAsync("pwclear");
        var guesser = App.NewClient();
        for (var i = 0; i < 9; i++)
        {
            var guess = await guesser.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = biz.OwnerEmail, password = "wrong password number " + i });
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        }

        const string NewPassword = "a brand new owner passphrase 2026";
        var changed = await biz.Owner.PutAsJsonAsync("/api/v1/staff/me/password", new { currentPassword = TestBusiness.OwnerPassword, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        // Counted with the nine before the change this would be the tenth failure and lock the address.
        var tenth = await guesser.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = biz.OwnerEmail, password = "one more wrong password" });
        Assert.Equal(HttpStatusCode.Unauthorized, tenth.StatusCode);
        var signIn = await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = biz.OwnerEmail, password = NewPassword });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task Sign_out_ends_the_session_on_the_server()
    {
        var biz = await App.SignUpBusinessAsync("out");
        var client = App.NewClient();
        var signIn = await client.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = biz.OwnerEmail, password = TestBusiness.OwnerPassword });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var session = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("booking-staff=", StringComparison.Ordinal)); // beside it: the device cookie
        var cookie = session.Split(';')[0];
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync(new Uri("/api/v1/staff/auth/sign-out", UriKind.Relative), null)).StatusCode);

        // A copy of the cookie kept from before the sign-out no longer opens anything.
        var replay = App.CreateDefaultClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/staff/me");
        request.Headers.Add("Cookie", cookie);
        var response = await replay.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Staff_routes_without_a_session_are_401_problems()
    {
        var response = await App.NewClient().GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.EndsWith("/unauthenticated", await TenantResolutionTests.TypeOf(response), StringComparison.Ordinal);
    }
}
