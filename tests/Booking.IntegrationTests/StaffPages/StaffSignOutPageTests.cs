using System.Net;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>
/// Signing out from the staff bar ends the session and lands on the business's sign-in page, which says so (as the
/// portal's does): on a shared front-desk computer the next person sees that the last session ended.
/// </summary>
public sealed class StaffSignOutPageTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Signing_out_lands_on_the_business_sign_in_page_saying_so_and_the_session_is_gone()
    {
        var biz = await shared.App.SignUpBusinessAsync("staff-out");
        var home = await biz.Owner.PageAsync("/staff/setup/team");
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Null(home.One("main [role=status].notice"));

        var posted = await biz.Owner.SubmitAsync(home, new Dictionary<string, string>(), "form[action='/staff/sign-out']");

        Assert.Equal(HttpStatusCode.Found, posted.Status);
        var location = posted.Response.Headers.Location!.OriginalString;
        Assert.Equal($"/staff/sign-in?name={biz.Slug}&signedOut=1", location);
        var signIn = await biz.Owner.PageAsync(location);
        Assert.Equal(HttpStatusCode.OK, signIn.Status);
        Assert.Equal("You are signed out.", signIn.One("main [role=status].notice")?.TextContent.Trim());
        Assert.Contains($"Sign in to Business {biz.Slug}", signIn.Text, StringComparison.Ordinal);
        // The session ended on the server: the staff pages send this browser to sign in again, with no such message.
        var again = await biz.Owner.PageAsync("/staff/setup/team");
        Assert.Equal(HttpStatusCode.Found, again.Status);
        Assert.StartsWith("/staff/sign-in", again.Response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("signedOut", again.Response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
