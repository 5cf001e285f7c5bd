using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Your details → Change your mobile (/ol/account/mobile) for a client whose mobile is verified, by plain form posts: the
/// password, or a code to the current mobile first, before the new number gets its code; a client who lost the old phone
/// is told to ask the business (decision 237).
/// </summary>
public sealed class MobileChangePagesTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private static string Masked(string mobile) => "•••• ••• " + mobile[^3..]; // an Australian business's "0401 234 567", masked

    /// <summary>The page as if <paramref name="button"/> were pressed: its form posts to the button's <c>formaction</c>.</summary>
    private static HtmlPage Pressing(HtmlPage page, string button)
    {
        var pressed = page.One(button) ?? throw new InvalidOperationException($"No {button} on the page.");
        pressed.Closest("form")!.SetAttribute("action", pressed.GetAttribute("formaction"));
        return page;
    }

    private static async Task<string> VerifiedOnCodePageAsync(HttpClient http, HtmlPage sent, string mobile, int texts = 1)
    {
        Assert.Equal(HttpStatusCode.Redirect, sent.Status);
        var codePage = await http.PageAsync(sent.Response.Headers.Location!.OriginalString);
        var done = await http.SubmitAsync(codePage, PortalHtml.Fields(("Input.Code", await http.CodeSentToAsync(mobile, texts))));
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        return done.Response.Headers.Location!.OriginalString;
    }

    [Fact]
    public async Task A_phone_client_changes_their_mobile_on_the_page_with_a_code_to_the_current_one_first()
    {
        var biz = await fixture.App.SignUpBusinessAsync("mchg");
        var (old, fresh) = (PortalAuthHelpers.NewMobile(), PortalAuthHelpers.NewMobile());
        Assert.Equal(HttpStatusCode.Created, (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pia", lastName = "Phone", email = (string?)null, mobile = old })).StatusCode);
        var http = fixture.NewClient();
        var signIn = (await (await http.StartAsync(biz.Slug, old)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await http.VerifyAsync(biz.Slug, signIn, await http.CodeSentToAsync(old))).StatusCode);

        var page = await http.PageAsync($"/ol/account/mobile?name={biz.Slug}");
        Assert.Equal("Change your mobile", page.One("h1")?.TextContent.Trim());
        Assert.Null(page.One("input[name='Input.CurrentPassword']"));
        Assert.Null(page.One("input[name='Input.Code']"));
        Assert.Contains($"we first text a code to your current mobile, {Masked(old)}.", page.One("#current-code-needed")?.TextContent, StringComparison.Ordinal);
        Assert.Contains($"Ask Business {biz.Slug} to change your mobile for you", page.One("#lost-phone")?.TextContent, StringComparison.Ordinal);

        // "Text my current mobile a code": the new number typed stays; the code box says where the code went.
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var asked = await http.SubmitAsync(Pressing(page, "#send-current-code"), PortalHtml.Fields(("Input.Mobile", fresh)));
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.Equal(fresh, asked.One("input[name='Input.Mobile']")?.GetAttribute("value"));
        Assert.Contains($"We sent a 6-digit code to {Masked(old)}. It works for 10 minutes.", asked.One("#current-sent-to")?.TextContent, StringComparison.Ordinal);
        var code = await http.CodeSentToAsync(old, 2);

        // A wrong code is said by its box, and nothing goes to the new number.
        var wrong = await http.SubmitAsync(asked, PortalHtml.Fields(("Input.Code", PortalAuthHelpers.WrongCode(code))));
        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.Equal("That code is not right. 4 tries left.", wrong.ErrorFor("Input.Code"));
        Assert.Equal(0, (await http.DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(fresh)}")).GetArrayLength());

        // The right one: the new number's code page, then the new number on Your details.
        var sent = await http.SubmitAsync(wrong, PortalHtml.Fields(("Input.Code", code)));
        Assert.Equal($"/ol/account?name={biz.Slug}", await VerifiedOnCodePageAsync(http, sent, fresh));
        Assert.Equal(fresh, (await (await http.MeAsync(biz.Slug)).JsonAsync()).GetProperty("mobile").GetString());
    }

    [Fact]
    public async Task A_client_with_a_password_changes_their_mobile_on_the_page_with_it()
    {
        var biz = await fixture.App.SignUpBusinessAsync("mchp");
        var (first, second) = (PortalAuthHelpers.NewMobile(), PortalAuthHelpers.NewMobile());
        var http = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await http.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);

        // A first mobile: the number alone.
        var page = await http.PageAsync($"/ol/account/mobile?name={biz.Slug}");
        Assert.Equal("Verify your mobile", page.One("h1")?.TextContent.Trim());
        Assert.Null(page.One("input[name='Input.CurrentPassword']"));
        await VerifiedOnCodePageAsync(http, await http.SubmitAsync(page, PortalHtml.Fields(("Input.Mobile", first))), first);

        page = await http.PageAsync($"/ol/account/mobile?name={biz.Slug}");
        Assert.Equal("Change your mobile", page.One("h1")?.TextContent.Trim());
        Assert.NotNull(page.One("input[name='Input.CurrentPassword'][autocomplete='current-password']"));
        Assert.Null(page.One("#send-current-code"));
        var wrong = await http.SubmitAsync(page, PortalHtml.Fields(("Input.Mobile", second), ("Input.CurrentPassword", "not-the-password")));
        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.Equal("Your current password is not right.", wrong.ErrorFor("Input.CurrentPassword"));
        Assert.True(string.IsNullOrEmpty(wrong.One("input[name='Input.CurrentPassword']")?.GetAttribute("value")));
        Assert.Equal(0, (await http.DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(second)}")).GetArrayLength());

        var sent = await http.SubmitAsync(wrong, PortalHtml.Fields(("Input.Mobile", second), ("Input.CurrentPassword", PortalAuthHelpers.Password)));
        await VerifiedOnCodePageAsync(http, sent, second);
        Assert.Equal(second, (await (await http.MeAsync(biz.Slug)).JsonAsync()).GetProperty("mobile").GetString());
    }
}
