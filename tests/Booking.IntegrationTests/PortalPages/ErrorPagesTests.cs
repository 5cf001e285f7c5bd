using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>Sign-out while the portal is off; HTML error pages under /ol and /staff, problem details under /api.</summary>
public sealed class ErrorPagesTests(PortalPagesApp fixture) : IClassFixture<PortalPagesApp>
{
    private BookingApp App => fixture.App;

    [Fact]
    public async Task A_client_can_sign_out_while_the_business_has_switched_its_portal_off()
    {
        var biz = await App.SignUpBusinessAsync("off");
        var client = await App.RegisterClientAsync(biz);
        var shown = await client.Http.PageAsync($"/ol/appointments?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, shown.Status);
        await biz.SettingsAsync(s => s["enabled"] = false);

        var page = await client.Http.PageAsync($"/ol/sign-out?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var signedOut = await client.Http.SubmitAsync(page, PortalHtml.Fields(), "main form");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.Status);

        await biz.SettingsAsync(s => s["enabled"] = true);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.Http.MeAsync(biz.Slug)).StatusCode);
    }

    [Fact]
    public async Task While_the_portal_is_off_a_signed_in_clients_menu_offers_only_signing_out()
    {
        var biz = await App.SignUpBusinessAsync("offmenu");
        var client = await App.RegisterClientAsync(biz);
        var on = await client.Http.PageAsync($"/ol/book?name={biz.Slug}");
        Assert.Equal(["My appointments", "Book", "Your details", "Password"], Menu(on));
        await biz.SettingsAsync(s => s["enabled"] = false);

        var off = await client.Http.PageAsync($"/ol/book?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, off.Status);
        Assert.Empty(Menu(off));
        Assert.NotNull(off.One("nav[aria-label=Portal] form[action^='/ol/sign-out'] button"));
        await biz.SettingsAsync(s => s["enabled"] = true);

        static string[] Menu(HtmlPage page) => [.. page.All("nav[aria-label=Portal] a").Select(a => a.TextContent.Trim())];
    }

    [Fact]
    public async Task The_sign_out_api_ends_the_session_while_the_portal_is_off()
    {
        var biz = await App.SignUpBusinessAsync("off");
        var client = await App.RegisterClientAsync(biz);
        await biz.SettingsAsync(s => s["enabled"] = false);

        var response = await client.Http.PostAsync(new Uri($"/api/v1/portal/auth/sign-out?name={biz.Slug}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        await biz.SettingsAsync(s => s["enabled"] = true);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.Http.MeAsync(biz.Slug)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_portal_page_is_an_html_404_in_the_business_look_with_a_way_back()
    {
        var biz = await App.SignUpBusinessAsync("nf");
        var page = await App.NewClient().PageAsync($"/ol/no-such-page?name={biz.Slug}");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("text/html", page.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Page not found", page.One("h1")?.TextContent);
        Assert.Contains($"Business {biz.Slug}", page.One("header")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(page.All("main a"), a => a.GetAttribute("href") == $"/ol/book?name={biz.Slug}");
    }

    [Fact]
    public async Task An_unknown_staff_page_is_an_html_404_with_a_way_to_the_diary()
    {
        var page = await App.NewClient().PageAsync("/staff/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("text/html", page.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(page.All("main a"), a => a.GetAttribute("href") == "/staff");
    }

    [Fact]
    public async Task An_unhandled_error_on_a_portal_page_is_an_html_500_without_its_details()
    {
        var biz = await App.SignUpBusinessAsync("boom");
        var client = await App.RegisterClientAsync(biz);

        var page = await client.Http.PageAsync($"/ol/appointments?name={biz.Slug}", (PortalPagesApp.FailHeader, "1"));

        Assert.Equal(HttpStatusCode.InternalServerError, page.Status);
        Assert.Equal("text/html", page.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Something went wrong", page.One("h1")?.TextContent);
        Assert.DoesNotContain("secret stack detail", page.Html, StringComparison.Ordinal);
        Assert.NotNull(page.One("link[href*='portal.css']"));
        Assert.Contains(page.All("main a"), a => a.GetAttribute("href") is { } href && href.StartsWith("/ol/book", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unhandled_error_in_a_form_post_is_an_html_500_too()
    {
        var biz = await App.SignUpBusinessAsync("boom");
        var http = App.NewClient();
        var form = await http.PageAsync($"/ol/sign-in?name={biz.Slug}");

        var page = await http.SubmitAsync(form, PortalHtml.Fields(("Input.Email", PortalAuthHelpers.NewEmail()), ("Input.Password", PortalAuthHelpers.Password)),
            headers: (PortalPagesApp.FailHeader, "1"));

        Assert.Equal(HttpStatusCode.InternalServerError, page.Status);
        Assert.Equal("Something went wrong", page.One("h1")?.TextContent);
    }

    [Fact]
    public async Task An_unhandled_error_on_a_staff_page_is_an_html_500()
    {
        var biz = await App.SignUpBusinessAsync("boom");
        var page = await biz.Owner.PageAsync("/staff/diary", (PortalPagesApp.FailHeader, "1"));

        Assert.Equal(HttpStatusCode.InternalServerError, page.Status);
        Assert.Equal("text/html", page.Response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(page.One("link[href*='staff.css']"));
        Assert.Contains(page.All("main a"), a => a.GetAttribute("href") == "/staff");
    }

    [Fact]
    public async Task The_api_keeps_problem_details_for_a_missing_route_and_an_unhandled_error()
    {
        var biz = await App.SignUpBusinessAsync("api");
        var missing = await App.NewClient().GetAsync(new Uri("/api/v1/no-such-route", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/portal/services?name={biz.Slug}");
        request.Headers.Add(PortalPagesApp.FailHeader, "1");
        var failed = await App.NewClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
    }
}
