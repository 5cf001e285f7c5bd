using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>Issue 3: antiforgery on every form post. The sign-in page's form carries a token, and a post without one is refused.</summary>
public sealed partial class FormAntiforgeryTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task A_sign_in_form_post_without_the_antiforgery_token_is_refused_and_with_it_is_processed()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        await shared.App.NewClient().RegisterAsync(biz.Slug, email);
        var browser = shared.App.NewClient();
        var url = new Uri($"/ol/sign-in?name={biz.Slug}", UriKind.Relative);

        var form = await browser.GetStringAsync(url);
        var token = TokenField().Match(form);
        Assert.True(token.Success, "The sign-in form carries no antiforgery token.");

        var fields = new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = PortalAuthHelpers.Password };
        var without = await browser.PostAsync(url, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.MeAsync(biz.Slug)).StatusCode);

        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        var with = await browser.PostAsync(url, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, with.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.MeAsync(biz.Slug)).StatusCode);
    }

    [Fact]
    public void No_page_opts_out_of_antiforgery()
    {
        // The error page alone: it saves nothing, and a post refused for its token is re-executed there (decision 260).
        var pages = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(PageModel).IsAssignableFrom(t) && t != typeof(Booking.Host.Pages.Errors.ErrorModel)).ToList();
        Assert.NotEmpty(pages);
        var optedOut = pages.Where(t => t.GetCustomAttributes<IgnoreAntiforgeryTokenAttribute>(inherit: true).Any()
            || t.GetMethods().Any(m => m.GetCustomAttributes<IgnoreAntiforgeryTokenAttribute>(inherit: true).Any()));
        Assert.Empty(optedOut);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
