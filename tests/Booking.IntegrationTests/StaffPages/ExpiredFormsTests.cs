using System.Net;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>
/// A staff form posted after its session ended (signed out in another tab, removed, expired, another business since)
/// failed its antiforgery check with a blank 400 (review s32 #1). Now it lands on the sign-in page that says why, with
/// the page to come back to; a post no session was behind gets the HTML error page with a way back to the form. A form
/// refused while the session still holds goes back to its page, which says nothing was saved (decision 320).
/// </summary>
public sealed class ExpiredFormsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task A_form_sent_after_signing_out_in_another_tab_goes_to_sign_in_saying_so_and_saves_nothing()
    {
        var biz = await shared.App.SignUpBusinessAsync("expired");
        var account = await biz.Owner.PageAsync("/staff/account");
        Assert.Equal(HttpStatusCode.OK, account.Status);

        // "Another tab": the same browser signs out, then the first tab's form is sent.
        var signedOut = await biz.Owner.SubmitAsync(account, new Dictionary<string, string>(), "form[action='/staff/sign-out']");
        Assert.Equal(HttpStatusCode.Found, signedOut.Status);
        var sent = await biz.Owner.SubmitAsync(account, new Dictionary<string, string>(), "main form[method=post]:not([action])");

        Assert.Equal(HttpStatusCode.Found, sent.Status);
        var location = sent.Response.Headers.Location!.OriginalString;
        Assert.Equal($"/staff/sign-in?name={biz.Slug}&ended=1&returnUrl=%2Fstaff%2Faccount", location);
        var signIn = await biz.Owner.PageAsync(location);
        Assert.Equal(HttpStatusCode.OK, signIn.Status);
        Assert.StartsWith("You were signed out", signIn.One("main [role=status].notice")?.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("/staff/account", signIn.One("input[name=ReturnUrl]")?.GetAttribute("value"));
    }

    [Fact]
    public async Task A_form_refused_while_the_session_holds_comes_back_to_the_page_saying_nothing_was_saved_not_that_the_session_ended()
    {
        var biz = await shared.App.SignUpBusinessAsync("refused");
        var account = await biz.Owner.PageAsync("/staff/account");
        Assert.Equal(HttpStatusCode.OK, account.Status);

        // A token that is not this form's (forged, or from a page another session rendered): the session still holds.
        var sent = await biz.Owner.SubmitAsync(account, new Dictionary<string, string> { ["__RequestVerificationToken"] = "forged" },
            "main form[method=post]:not([action])");

        Assert.Equal(HttpStatusCode.Found, sent.Status);
        var location = sent.Response.Headers.Location!.OriginalString;
        Assert.Equal("/staff/account?formExpired=1", location);
        var again = await biz.Owner.PageAsync(location);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("This form had expired or was sent from elsewhere; nothing was saved. Please try again.", again.One("#form-not-saved")?.TextContent.Trim());
        Assert.DoesNotContain("You were signed out", again.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("session ended", again.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await biz.Owner.PageAsync("/staff/diary")).Status);

        // The page opened plainly says nothing.
        Assert.Null((await biz.Owner.PageAsync("/staff/account")).One("#form-not-saved"));
    }

    [Fact]
    public async Task A_post_with_no_session_behind_it_gets_the_error_page_not_a_blank_400()
    {
        var biz = await shared.App.SignUpBusinessAsync("forged");
        var account = await biz.Owner.PageAsync("/staff/account");

        // Another browser (no cookies at all) sends the form: nothing to sign back in to.
        var stranger = shared.App.NewClient();
        var sent = await stranger.SubmitAsync(account, new Dictionary<string, string>(), "main form[method=post]:not([action])");

        Assert.Equal(HttpStatusCode.BadRequest, sent.Status);
        Assert.Equal("text/html", sent.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("That did not work", sent.One("main h1")?.TextContent.Trim());
        Assert.Contains("This form had expired, so nothing was sent or saved.", sent.Text, StringComparison.Ordinal);
        Assert.Equal("/staff/account", sent.One("main a.button")?.GetAttribute("href"));
    }

    [Fact]
    public async Task The_sign_in_form_of_another_business_says_signing_in_ends_the_session_of_this_one()
    {
        var signedIn = await shared.App.SignUpBusinessAsync("first");
        var other = await shared.App.SignUpBusinessAsync("second");

        var form = await signedIn.Owner.PageAsync($"/staff/sign-in?name={other.Slug}");
        Assert.Equal(HttpStatusCode.OK, form.Status);
        var warning = form.One("#signed-in-elsewhere")?.TextContent ?? "";
        Assert.Contains($"This browser is signed in to Business {signedIn.Slug}.", warning, StringComparison.Ordinal);
        Assert.Contains($"Signing in to Business {other.Slug} ends that session", warning, StringComparison.Ordinal);

        // Its own business's form, and a browser with no session, say nothing of the kind.
        Assert.Null((await signedIn.Owner.PageAsync($"/staff/sign-in?name={signedIn.Slug}")).One("#signed-in-elsewhere"));
        Assert.Null((await shared.App.NewClient().PageAsync($"/staff/sign-in?name={other.Slug}")).One("#signed-in-elsewhere"));
    }
}
