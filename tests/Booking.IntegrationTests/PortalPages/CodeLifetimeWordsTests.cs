using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>A deployment whose codes work for 5 minutes instead of 10 (<c>PortalAuth:CodeLifetime</c>).</summary>
public sealed class FiveMinuteCodesApp() : PortalAuthApp(("PortalAuth:CodeLifetime", "00:05:00"));

/// <summary>
/// The code pages say how long a code works from the configured lifetime, in the words its text uses
/// (<c>PortalAuthOptions.CodeLifetimeWords</c>), not a "10 minutes" of their own (review s38 #10, decision 320).
/// </summary>
public sealed class CodeLifetimeWordsTests(FiveMinuteCodesApp fixture) : IClassFixture<FiveMinuteCodesApp>
{
    private BookingApp App => fixture.App;

    [Fact]
    public async Task The_sign_in_code_page_says_the_configured_lifetime_as_the_text_does()
    {
        var biz = await App.SignUpBusinessAsync("fivemin");
        var mobile = PortalAuthHelpers.NewMobile();
        var visitor = fixture.NewClient();
        var phone = await visitor.PageAsync($"/ol/phone?name={biz.Slug}");
        var sent = await visitor.SubmitAsync(phone, PortalHtml.Fields(("Input.Mobile", mobile)));
        Assert.Equal(HttpStatusCode.Redirect, sent.Status);

        var code = await visitor.PageAsync(sent.Response.Headers.Location!.OriginalString);
        var said = code.One("#code-sent-to")?.TextContent ?? "";
        Assert.Contains("It works for 5 minutes.", said, StringComparison.Ordinal);
        Assert.DoesNotContain("10 minutes", said, StringComparison.Ordinal);
        Assert.EndsWith("It expires in 5 minutes.", Assert.Single(await visitor.TextsToAsync(mobile, 1)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_code_page_of_a_mobile_under_Your_details_says_the_configured_lifetime()
    {
        var biz = await App.SignUpBusinessAsync("fivemine");
        var http = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await http.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);
        var mobile = PortalAuthHelpers.NewMobile();

        var page = await http.PageAsync($"/ol/account/mobile?name={biz.Slug}");
        var sent = await http.SubmitAsync(page, PortalHtml.Fields(("Input.Mobile", mobile)));
        Assert.Equal(HttpStatusCode.Redirect, sent.Status);

        var code = await http.PageAsync(sent.Response.Headers.Location!.OriginalString);
        Assert.Contains("It works for 5 minutes.", code.One("#code-sent-to")?.TextContent, StringComparison.Ordinal);
        Assert.EndsWith("It expires in 5 minutes.", Assert.Single(await http.TextsToAsync(mobile, 1)), StringComparison.Ordinal);
    }
}
