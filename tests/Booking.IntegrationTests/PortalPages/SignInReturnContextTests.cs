using System.Globalization;
using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Microsoft.AspNetCore.WebUtilities;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// A signed-out client who opens a link from an email (cancel) is sent to sign in with the page as returnUrl: the sign-in
/// page says why, from the return address's path, never echoing the address; "Forgot your password?" keeps the return
/// address, and the forgot-password page's "Back to sign in" carries it back. A return address that is not this
/// business's portal page (PortalReturnUrl.Accept) gives no reason and is not carried.
/// </summary>
public sealed class SignInReturnContextTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task A_cancel_link_opened_signed_out_says_why_and_forgot_password_keeps_the_return_address()
    {
        var biz = await shared.App.SignUpBusinessAsync("why");
        var http = shared.App.NewClient();
        var cancel = $"/ol/cancel?name={biz.Slug}&id={Guid.NewGuid()}";

        var redirect = await http.GetAsync(cancel);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var signInUrl = redirect.Headers.Location!.OriginalString;
        Assert.StartsWith("/ol/sign-in?", signInUrl, StringComparison.Ordinal);

        var signIn = await http.PageAsync(signInUrl);
        Assert.Equal("Sign in to cancel your appointment.", signIn.One("#sign-in-reason")?.TextContent.Trim());
        Assert.DoesNotContain("/ol/cancel", signIn.One("main")!.TextContent, StringComparison.Ordinal);

        var forgotUrl = signIn.All("a").Single(a => a.TextContent.Trim() == "Forgot your password?").GetAttribute("href")!;
        Assert.Equal(cancel, ReturnUrlOf(forgotUrl));

        var forgot = await http.PageAsync(forgotUrl);
        Assert.Equal(cancel, ReturnUrlOf(forgot.One("#back-to-sign-in")!.GetAttribute("href")!));
        Assert.Equal(cancel, ReturnUrlOf(forgot.One("form[method=post]")!.GetAttribute("action")!));

        var sent = await http.SubmitAsync(forgot, PortalHtml.Fields(("Input.Email", "nobody-" + Guid.NewGuid().ToString("N") + "@example.com")));
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        var back = sent.One("#back-to-sign-in")!.GetAttribute("href")!;
        Assert.Equal(cancel, ReturnUrlOf(back));
        Assert.Equal("Sign in to cancel your appointment.", (await http.PageAsync(back)).One("#sign-in-reason")?.TextContent.Trim());
    }

    [Fact]
    public async Task Another_portal_page_says_sign_in_to_continue_and_a_hostile_return_address_is_neither_explained_nor_carried()
    {
        var biz = await shared.App.SignUpBusinessAsync("why");
        var other = await shared.App.SignUpBusinessAsync("why");
        var http = shared.App.NewClient();

        var pets = $"/ol/pets?name={biz.Slug}";
        var generic = await http.PageAsync($"/ol/sign-in?name={biz.Slug}&returnUrl={Uri.EscapeDataString(pets)}");
        Assert.Equal("Sign in to continue.", generic.One("#sign-in-reason")?.TextContent.Trim());

        foreach (var hostile in new[]
                 {
                     "https://evil.example/ol/cancel?name=" + biz.Slug,
                     "//evil.example/ol/cancel?name=" + biz.Slug,
                     $"/ol/cancel?name={other.Slug}",
                     $"/ol/../staff/cancel?name={biz.Slug}",
                 })
        {
            var signIn = await http.PageAsync($"/ol/sign-in?name={biz.Slug}&returnUrl={Uri.EscapeDataString(hostile)}");
            Assert.Null(signIn.One("#sign-in-reason"));
            var forgotUrl = signIn.All("a").Single(a => a.TextContent.Trim() == "Forgot your password?").GetAttribute("href")!;
            Assert.Equal($"/ol/forgot-password?name={biz.Slug}", forgotUrl);

            var forgot = await http.PageAsync($"/ol/forgot-password?name={biz.Slug}&returnUrl={Uri.EscapeDataString(hostile)}");
            Assert.Equal($"/ol/sign-in?name={biz.Slug}", forgot.One("#back-to-sign-in")!.GetAttribute("href"));
            Assert.Null(ReturnUrlOf(forgot.One("form[method=post]")!.GetAttribute("action")!));
        }
    }

    [Fact]
    public async Task The_reset_email_carries_the_return_address_so_signing_in_after_the_reset_goes_back_to_the_chosen_time()
    {
        var b = await shared.App.BookableAsync();
        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await shared.App.NewClient().RegisterAsync(b.Biz.Slug, email)).StatusCode);
        var start = (await shared.App.NewClient().SlotsAsync(b, SchedulingApi.Day(3), SchedulingApi.Day(3))).Starts()[2];
        var confirm = $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&start="
            + Uri.EscapeDataString(start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        var http = shared.App.NewClient();

        // Signed out on the confirm page of the chosen time: sign-in, "Forgot your password?", the email.
        var signInUrl = (await http.GetAsync(confirm)).Headers.Location!.OriginalString;
        var signIn = await http.PageAsync(signInUrl);
        var forgot = await http.PageAsync(signIn.All("a").Single(a => a.TextContent.Trim() == "Forgot your password?").GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, (await http.SubmitAsync(forgot, PortalHtml.Fields(("Input.Email", email)))).Status);
        var link = new Uri((await shared.App.ResetEventAsync(email)).GetProperty("resetUrl").GetString()!);
        Assert.Equal(confirm, ReturnUrlOf(link.PathAndQuery));

        var reset = await http.PageAsync(link.PathAndQuery);
        var done = await http.SubmitAsync(reset, PortalHtml.Fields(("Input.NewPassword", "a new sentence to get back to my booking")));
        Assert.Contains("Your password is changed", done.Text, StringComparison.Ordinal);
        var again = done.One("#sign-in-after-reset")!.GetAttribute("href")!;
        Assert.Equal(confirm, ReturnUrlOf(again));

        var backToSignIn = await http.PageAsync(again);
        Assert.Matches(@"^Sign in to book .+ on .+ at .+\.$", backToSignIn.One("#sign-in-reason")?.TextContent.Trim()); // the time chosen, restated (finding 9)
        var signedIn = await http.SubmitAsync(backToSignIn, PortalHtml.Fields(("Input.Email", email), ("Input.Password", "a new sentence to get back to my booking")));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        Assert.Equal(confirm, signedIn.Response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_return_address_that_is_not_this_businesss_page_goes_neither_into_the_reset_email_nor_out_of_the_reset_page()
    {
        var biz = await shared.App.SignUpBusinessAsync("why");
        var other = await shared.App.SignUpBusinessAsync("why");
        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await shared.App.NewClient().RegisterAsync(biz.Slug, email)).StatusCode);
        var http = shared.App.NewClient();
        var hostile = $"/ol/cancel?name={other.Slug}";

        var forgot = await http.PageAsync($"/ol/forgot-password?name={biz.Slug}&returnUrl={Uri.EscapeDataString(hostile)}");
        Assert.Equal(HttpStatusCode.OK, (await http.SubmitAsync(forgot, PortalHtml.Fields(("Input.Email", email)))).Status);
        var link = new Uri((await shared.App.ResetEventAsync(email)).GetProperty("resetUrl").GetString()!);
        Assert.Null(ReturnUrlOf(link.PathAndQuery));

        // A link edited to carry one: the reset page keeps nothing of it.
        foreach (var edited in new[] { "https://evil.example/ol/book?name=" + biz.Slug, "//evil.example/ol/book", hostile })
        {
            var page = await http.PageAsync(link.PathAndQuery + "&returnUrl=" + Uri.EscapeDataString(edited));
            Assert.Null(ReturnUrlOf(page.One("form[method=post]")!.GetAttribute("action")!));
            Assert.DoesNotContain("evil.example", page.Text, StringComparison.Ordinal);
        }
    }

    private static string? ReturnUrlOf(string url)
    {
        var query = QueryHelpers.ParseQuery(new Uri(new Uri("http://x"), url).Query);
        return query.TryGetValue("returnUrl", out var value) ? value.ToString() : null;
    }
}
