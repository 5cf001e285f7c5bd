using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>Register reports every bad field at once; a used or expired reset link says so instead of showing the form.</summary>
public sealed class RegisterAndResetPagesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task Register_shows_every_field_error_at_once_the_mobile_too()
    {
        var biz = await App.SignUpBusinessAsync("reg");
        var http = App.NewClient();
        var form = await http.PageAsync($"/ol/register?name={biz.Slug}");

        var page = await http.SubmitAsync(form, PortalHtml.Fields(("Input.FirstName", ""), ("Input.LastName", "Client"), ("Input.Email", "not an email"),
            ("Input.Mobile", "12345"), ("Input.Password", "short")));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Enter your first name.", page.ErrorFor("Input.FirstName"));
        Assert.Equal("Enter a valid email address.", page.ErrorFor("Input.Email"));
        Assert.Equal("Enter a valid mobile number.", page.ErrorFor("Input.Mobile"));
        Assert.NotNull(page.ErrorFor("Input.Password"));
    }

    [Fact]
    public async Task The_register_api_lists_a_bad_mobile_with_the_other_bad_fields()
    {
        var biz = await App.SignUpBusinessAsync("reg");
        var response = await App.NewClient().RegisterAsync(biz.Slug, "not an email", mobile: "12345");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(["email", "mobile"], fields);
    }

    [Fact]
    public async Task A_used_reset_link_says_it_was_used_or_expired_and_offers_a_new_one_instead_of_the_form()
    {
        var biz = await App.SignUpBusinessAsync("reset");
        var email = PortalAuthHelpers.NewEmail();
        await App.NewClient().RegisterAsync(biz.Slug, email);
        await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email });
        var payload = (await App.ResetEventAsync(email)).GetRawText();
        var link = new Uri(JsonDocument.Parse(payload!).RootElement.GetProperty("resetUrl").GetString()!).PathAndQuery;

        var http = App.NewClient();
        var form = await http.PageAsync(link);
        Assert.NotNull(form.One("input[name='Input.NewPassword']"));
        Assert.Null(form.One("#link-dead"));
        var done = await http.SubmitAsync(form, PortalHtml.Fields(("Input.NewPassword", "a brand new sentence for my account")));
        Assert.Contains("Your password is changed", done.Text, StringComparison.Ordinal);

        var again = await App.NewClient().PageAsync(link);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Null(again.One("input[name='Input.NewPassword']"));
        Assert.Contains("This link has been used or has expired", again.One("#link-dead")?.TextContent, StringComparison.Ordinal);
        Assert.Contains(again.All("#link-dead a"), a => a.GetAttribute("href") == $"/ol/forgot-password?name={biz.Slug}");

        // The form as it was before, posted again: the same answer, not the form.
        var replay = await http.SubmitAsync(form, PortalHtml.Fields(("Input.NewPassword", "yet another sentence for my account")));
        Assert.NotNull(replay.One("#link-dead"));
        Assert.Null(replay.One("input[name='Input.NewPassword']"));
    }
}
