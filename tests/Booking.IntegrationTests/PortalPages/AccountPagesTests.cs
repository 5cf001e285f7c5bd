using System.Net;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>Your details (/ol/account) and proving a mobile from it (/ol/account/mobile, then its code page), by plain form posts.</summary>
public sealed class AccountPagesTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private async Task<HttpClient> RegisteredAsync(string slug, string? mobile = null)
    {
        var http = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await http.RegisterAsync(slug, PortalAuthHelpers.NewEmail(), mobile: mobile)).StatusCode);
        return http;
    }

    /// <summary>Posts the number on /ol/account/mobile and opens the code page it redirects to.</summary>
    private static async Task<HtmlPage> CodePageAsync(HttpClient http, string slug, string mobile)
    {
        var start = await http.PageAsync($"/ol/account/mobile?name={slug}");
        Assert.Equal(HttpStatusCode.OK, start.Status);
        var sent = await http.SubmitAsync(start, PortalHtml.Fields(("Input.Mobile", mobile)));
        Assert.Equal(HttpStatusCode.Redirect, sent.Status);
        var location = sent.Response.Headers.Location!.OriginalString;
        Assert.StartsWith($"/ol/account/mobile/code?name={slug}&attempt=", location, StringComparison.Ordinal);
        return await http.PageAsync(location);
    }

    /// <summary>"+61401234567" as an Australian business writes it: "0401 234 567".</summary>
    private static string National(string mobile) => $"0{mobile[3..6]} {mobile[6..9]} {mobile[9..]}";

    [Fact]
    public async Task A_claimed_mobile_is_verified_from_Your_details()
    {
        var biz = await fixture.App.SignUpBusinessAsync("acct");
        var mobile = PortalAuthHelpers.NewMobile();
        var http = await RegisteredAsync(biz.Slug, mobile);

        // The claim is not shown, nor offered to prove: it is kept only when no other client had the number, so either
        // would tell whether it was on file. The client types it again.
        var details = await http.PageAsync($"/ol/account?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, details.Status);
        Assert.Null(details.One(".mobile"));
        Assert.Contains("None verified", details.One("dl.summary")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("shows here once you verify it", details.One(".mobile-status")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Verify your mobile", details.One($"main a[href='/ol/account/mobile?name={biz.Slug}']")!.TextContent.Trim());
        Assert.True(string.IsNullOrEmpty((await http.PageAsync($"/ol/account/mobile?name={biz.Slug}")).One("input[name='Input.Mobile']")!.GetAttribute("value")));

        var codePage = await CodePageAsync(http, biz.Slug, National(mobile));
        var done = await http.SubmitAsync(codePage, PortalHtml.Fields(("Input.Code", await http.CodeSentToAsync(mobile))));
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        Assert.Equal($"/ol/account?name={biz.Slug}", done.Response.Headers.Location!.OriginalString);
        var after = await http.PageAsync($"/ol/account?name={biz.Slug}");
        Assert.Contains("Your mobile is verified", after.One("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Verified", after.One(".mobile-status")!.TextContent, StringComparison.Ordinal);
        Assert.True((await (await http.MeAsync(biz.Slug)).JsonAsync()).GetProperty("mobileVerified").GetBoolean());
    }

    /// <summary>
    /// Review J8 on the pages: a client who typed her mobile at registration and then signs in "with your mobile" is
    /// told, on the new-client page, that the number is on an account that signs in with an email, with a link to sign
    /// in there and go on to proving the mobile; going on as a new client needs "not mine" ticked.
    /// </summary>
    [Fact]
    public async Task The_new_client_page_points_a_claimed_number_to_its_email_account_and_asks_before_making_a_new_one()
    {
        var biz = await fixture.App.SignUpBusinessAsync("acct");
        var mobile = PortalAuthHelpers.NewMobile();
        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(biz.Slug, email, mobile: mobile)).StatusCode);

        var http = fixture.NewClient();
        var attempt = (await (await http.StartAsync(biz.Slug, mobile)).JsonAsync()).GetProperty("attemptId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await http.VerifyAsync(biz.Slug, attempt, await http.CodeSentToAsync(mobile))).StatusCode);

        var form = await http.PageAsync($"/ol/new-client?name={biz.Slug}");
        var notice = form.One("#claimed-by")!.TextContent;
        Assert.Contains("c•••@example.com", notice, StringComparison.Ordinal);
        Assert.DoesNotContain(email, form.Html, StringComparison.Ordinal);
        var signIn = form.One("#claimed-by a")!.GetAttribute("href")!;
        Assert.Equal($"/ol/sign-in?name={biz.Slug}&returnUrl=/ol/account/mobile?name={biz.Slug}", Uri.UnescapeDataString(signIn));

        // Not ticked: the page says why, and nothing is made.
        var refused = await http.SubmitAsync(form, PortalHtml.Fields(("Input.FirstName", "Emma"), ("Input.LastName", "Again")));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("sign in with your email", refused.ErrorFor("Input.NotThatAccount"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.MeAsync(biz.Slug)).StatusCode);
        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(fixture.App.Database.Database,
            "select count(*) from portalauth.clients where tenant_id = @t", ("t", biz.Id)));

        // Ticked: a genuinely different person goes on as a new client, as before.
        var created = await http.SubmitAsync(refused, PortalHtml.Fields(("Input.FirstName", "Olive"), ("Input.LastName", "Owner"), ("Input.NotThatAccount", "true")));
        Assert.Equal(HttpStatusCode.Redirect, created.Status);
        Assert.Equal(mobile, (await (await http.MeAsync(biz.Slug)).JsonAsync()).GetProperty("mobile").GetString());
    }

    [Fact]
    public async Task A_number_another_client_signs_in_with_is_refused_on_the_code_page_once_its_code_is_right()
    {
        var biz = await fixture.App.SignUpBusinessAsync("acct");
        var mobile = PortalAuthHelpers.NewMobile();
        await fixture.NewClient().JoinByPhoneAsync(biz.Slug, mobile);
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var http = await RegisteredAsync(biz.Slug);

        var codePage = await CodePageAsync(http, biz.Slug, mobile);
        Assert.NotNull(codePage.One("input[name='Input.Code']"));
        var refused = await http.SubmitAsync(codePage, PortalHtml.Fields(("Input.Code", await http.CodeSentToAsync(mobile, 2))));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("on another client's account", refused.One("#error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Null(refused.One("input[name='Input.Code']"));
        Assert.Contains(refused.All("main a"), a => a.GetAttribute("href") == $"/ol/account/mobile?name={biz.Slug}");
    }

    [Fact]
    public async Task Where_the_business_offers_no_phone_sign_in_Your_details_offers_no_verifying()
    {
        var biz = await fixture.App.SignUpBusinessAsync("acct");
        var http = await RegisteredAsync(biz.Slug, PortalAuthHelpers.NewMobile());
        var page = await http.PageAsync($"/ol/account?name={biz.Slug}");
        Assert.NotNull(page.One("main a[href^='/ol/account/mobile']"));

        await biz.SettingsAsync(s => s["signInMethods"]!["phone"] = false);
        page = await http.PageAsync($"/ol/account?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Null(page.One("main a[href^='/ol/account/mobile']"));
        Assert.Null(page.One(".mobile-status"));
        var off = await http.PageAsync($"/ol/account/mobile?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.Forbidden, off.Status);
        Assert.Contains("does not offer sign-in by mobile phone", off.Text, StringComparison.Ordinal);
    }
}
