using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// A sign-in starts a new server-side session, also in a browser that already holds one: renewed under its old id,
/// the session would be shared with whoever held the old cookie, and ending the new person's sessions (removal,
/// a role change) would not find it.
/// </summary>
public sealed class SessionFixationTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Password = "a long enough team passphrase 2026";

    [Fact]
    public async Task Staff_signed_in_over_another_session_lose_access_when_removed_and_the_old_cookie_dies()
    {
        var biz = await shared.App.SignUpBusinessAsync("fixation");
        var hal = await CreateStaffAsync(biz, "hal", "practitioner");
        var ivy = await CreateStaffAsync(biz, "ivy", "admin");

        var browser = shared.App.NewClient();
        var halSignIn = await SignInAsync(browser, biz, hal.Email);
        var halCookie = CookieOf(halSignIn);
        await SignInAsync(browser, biz, ivy.Email);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/api/v1/admin/staff", UriKind.Relative))).StatusCode);

        // Hal's copy of the cookie from before names a session that ended with Ivy's sign-in: it is nobody now.
        var copy = shared.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/staff/me"))
        {
            request.Headers.Add("Cookie", halCookie);
            Assert.Equal(HttpStatusCode.Unauthorized, (await copy.SendAsync(request)).StatusCode);
        }

        // Removing Ivy ends her sessions, the one made over Hal's included.
        Assert.Equal(HttpStatusCode.NoContent, (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/staff/{ivy.Id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync(new Uri("/api/v1/admin/staff", UriKind.Relative))).StatusCode);
        var created = await browser.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Ivy Again", email = $"ivy2@{biz.Slug}.example", password = Password, role = "admin", diaryIds = Array.Empty<Guid>() });
        Assert.Equal(HttpStatusCode.Unauthorized, created.StatusCode);
    }

    private async Task<(Guid Id, string Email)> CreateStaffAsync(TestBusiness biz, string who, string role)
    {
        var email = $"{who}@{biz.Slug}.example";
        var created = await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", new { name = who, email, password = Password, role, diaryIds = Array.Empty<Guid>() });
        var json = await created.JsonAsync(HttpStatusCode.Created);
        return (json.GetProperty("id").GetGuid(), email);
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, TestBusiness biz, string email)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email, password = Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    /// <summary>The session cookies a response set, as a request's Cookie header.</summary>
    private static string CookieOf(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
}
