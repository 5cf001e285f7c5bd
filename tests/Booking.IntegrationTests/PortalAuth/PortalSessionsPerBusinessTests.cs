using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// J27: a browser holds one portal session per business (cookie booking-portal.&lt;slug&gt;). One cookie container
/// serves both businesses, as a browser's would (the same host).
/// </summary>
public sealed class PortalSessionsPerBusinessTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task Signing_in_at_a_second_business_leaves_the_first_signed_in_and_its_open_form_still_posts()
    {
        var a = await App.SignUpBusinessAsync("first");
        await a.SettingsAsync(s => s["booksForPets"] = true);
        var b = await App.SignUpBusinessAsync("second");
        var browser = App.NewClient();
        var email = PortalAuthHelpers.NewEmail();
        var atA = (await (await browser.RegisterAsync(a.Slug, email)).JsonAsync()).GetProperty("id").GetString();

        // A's tab: the add-a-pet form, loaded (antiforgery token and all) before the client goes to B.
        var pets = await browser.PageAsync($"/ol/pets?name={a.Slug}");
        Assert.Equal(HttpStatusCode.OK, pets.Status);

        var registeredAtB = await browser.RegisterAsync(b.Slug, email);
        Assert.Equal(HttpStatusCode.Created, registeredAtB.StatusCode);
        var atB = (await registeredAtB.JsonAsync()).GetProperty("id").GetString();
        Assert.NotEqual(atA, atB);
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync(b.Slug, email)).StatusCode); // and signing in again there

        Assert.Equal(HttpStatusCode.OK, (await browser.PageAsync($"/ol/appointments?name={a.Slug}")).Status);
        Assert.Equal(atA, (await (await browser.MeAsync(a.Slug)).JsonAsync()).GetProperty("id").GetString());
        Assert.Equal(atB, (await (await browser.MeAsync(b.Slug)).JsonAsync()).GetProperty("id").GetString());

        var added = await browser.SubmitAsync(pets, PortalHtml.Fields(("Input.Name", "Rex"), ("Input.Species", "dog")));
        Assert.Equal(HttpStatusCode.Redirect, added.Status);
        Assert.StartsWith("/ol/pets?", added.Response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var me = await (await browser.MeAsync(a.Slug)).JsonAsync();
        Assert.Equal(["Rex"], me.GetProperty("pets").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Signing_out_at_one_business_leaves_the_other_signed_in()
    {
        var a = await App.SignUpBusinessAsync("first");
        var b = await App.SignUpBusinessAsync("second");
        var browser = App.NewClient();
        var emailB = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await browser.RegisterAsync(a.Slug, PortalAuthHelpers.NewEmail())).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await browser.RegisterAsync(b.Slug, emailB)).StatusCode);

        var signOut = await browser.PostAsync(new Uri($"/api/v1/portal/auth/sign-out?name={b.Slug}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.MeAsync(b.Slug)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.MeAsync(a.Slug)).StatusCode);

        // And the other way round, through the sign-out page's form.
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync(b.Slug, emailB)).StatusCode);
        var page = await browser.PageAsync($"/ol/sign-out?name={a.Slug}");
        var left = await browser.SubmitAsync(page, PortalHtml.Fields(), "form[action*='/ol/sign-out']");
        Assert.Equal(HttpStatusCode.Redirect, left.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.MeAsync(a.Slug)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.MeAsync(b.Slug)).StatusCode);
    }

    [Fact]
    public async Task A_session_cookie_of_one_business_sent_under_another_business_name_is_refused()
    {
        var a = await App.SignUpBusinessAsync("first");
        var b = await App.SignUpBusinessAsync("second");
        var registered = await App.NewClient().RegisterAsync(a.Slug, PortalAuthHelpers.NewEmail());
        var cookie = registered.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith($"booking-portal.{a.Slug}=", StringComparison.Ordinal)).Split(';')[0];
        var moved = $"booking-portal.{b.Slug}=" + cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..];
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/api/v1/portal/me?name={a.Slug}", cookie)).StatusCode);

        var api = await SendAsync(HttpMethod.Get, $"/api/v1/portal/me?name={b.Slug}", moved);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal("tenant-mismatch", await api.KindAsync());
        var page = await SendAsync(HttpMethod.Get, $"/ol/appointments?name={b.Slug}", moved);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith($"/ol/sign-in?name={b.Slug}", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var signOut = await SendAsync(HttpMethod.Post, $"/api/v1/portal/auth/sign-out?name={b.Slug}", moved);
        Assert.Equal(HttpStatusCode.Forbidden, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/api/v1/portal/me?name={a.Slug}", cookie)).StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string cookie)
    {
        var http = App.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Cookie", cookie);
        return await http.SendAsync(request);
    }
}
