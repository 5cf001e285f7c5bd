using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// A client's own name and email from Your details: <c>PUT /api/v1/portal/me/name</c> with registration's rules (staff
/// see the new name), and the pages /ol/account/name and /ol/account/email (the current password asked only of a client
/// who has one). The emailed link itself is followed in <c>ClientOwnEmailChangeTests</c>, through real SMTP.
/// </summary>
public sealed class AccountDetailsPagesTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private static Task<HttpResponseMessage> NameAsync(HttpClient http, string slug, string? firstName, string? lastName) =>
        http.PutAsJsonAsync($"/api/v1/portal/me/name?name={slug}", new { firstName, lastName });

    [Fact]
    public async Task A_client_changes_their_name_by_registrations_rules_and_staff_see_it()
    {
        var biz = await fixture.App.SignUpBusinessAsync("myname");
        var http = fixture.NewClient();
        var id = (await (await http.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail(), first: "Robin")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();

        var bad = await NameAsync(http, biz.Slug, " ", new string('x', 101));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.JsonAsync()).GetProperty("errors");
        Assert.Equal("Enter your first name.", errors.GetProperty("firstName")[0].GetString());
        Assert.Equal("Use at most 100 characters.", errors.GetProperty("lastName")[0].GetString());
        var twoLines = await NameAsync(http, biz.Slug, "Ann\nMarie", "Lee");
        Assert.Equal(HttpStatusCode.BadRequest, twoLines.StatusCode);
        Assert.True((await twoLines.JsonAsync()).GetProperty("errors").TryGetProperty("firstName", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, (await NameAsync(fixture.NewClient(), biz.Slug, "Ann", "Lee")).StatusCode);

        var me = await (await NameAsync(http, biz.Slug, "  Ann ", "Lee")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Ann", me.GetProperty("firstName").GetString());
        Assert.Equal("Lee", me.GetProperty("lastName").GetString());
        var staff = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Ann", staff.GetProperty("firstName").GetString());
        Assert.Equal("Lee", staff.GetProperty("lastName").GetString());
    }

    [Fact]
    public async Task Your_details_changes_the_name_and_asks_for_the_current_password_before_emailing_a_link()
    {
        var biz = await fixture.App.SignUpBusinessAsync("mydetails");
        var http = fixture.NewClient();
        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await http.RegisterAsync(biz.Slug, email, first: "Robin")).StatusCode);

        var details = await http.PageAsync($"/ol/account?name={biz.Slug}");
        Assert.Equal("Change your name", details.One($"main a[href='/ol/account/name?name={biz.Slug}']")?.TextContent.Trim());
        Assert.Equal("Change your email", details.One($"main a[href='/ol/account/email?name={biz.Slug}']")?.TextContent.Trim());

        var form = await http.PageAsync($"/ol/account/name?name={biz.Slug}");
        Assert.Equal("Robin", form.One("input[name='Input.FirstName']")?.GetAttribute("value"));
        var refused = await http.SubmitAsync(form, PortalHtml.Fields(("Input.FirstName", ""), ("Input.LastName", "Lee")));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal("true", refused.One("input[name='Input.FirstName']")?.GetAttribute("aria-invalid"));
        var saved = await http.SubmitAsync(form, PortalHtml.Fields(("Input.FirstName", "Robyn"), ("Input.LastName", "Lee")));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal($"/ol/account?name={biz.Slug}", saved.Response.Headers.Location!.OriginalString);
        var after = await http.PageAsync($"/ol/account?name={biz.Slug}");
        Assert.Equal("Your name is changed.", after.One("[role=status]")?.TextContent.Trim());
        Assert.Contains("Robyn Lee", after.Text, StringComparison.Ordinal);

        var emailPage = await http.PageAsync($"/ol/account/email?name={biz.Slug}");
        Assert.NotNull(emailPage.One("input[name='Input.CurrentPassword']"));
        var moved = PortalAuthHelpers.NewEmail();
        var wrong = await http.SubmitAsync(emailPage, PortalHtml.Fields(("Input.Email", moved), ("Input.CurrentPassword", "this is not the password")));
        Assert.Equal("true", wrong.One("input[name='Input.CurrentPassword']")?.GetAttribute("aria-invalid"));
        Assert.Null(wrong.One("#email-sent"));
        var sent = await http.SubmitAsync(emailPage, PortalHtml.Fields(("Input.Email", moved), ("Input.CurrentPassword", PortalAuthHelpers.Password)));
        Assert.Contains(moved, sent.One("#email-sent")?.TextContent, StringComparison.Ordinal);
        Assert.Contains($"emails still go to {email}", sent.One("#email-sent")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(email, (await (await http.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("email").GetString());
    }

    [Fact]
    public async Task A_phone_client_is_offered_to_add_an_email_without_a_password()
    {
        var biz = await fixture.App.SignUpBusinessAsync("myemailadd");
        var mobile = PortalAuthHelpers.NewMobile();
        Assert.Equal(HttpStatusCode.Created, (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pia", lastName = "Phone", email = (string?)null, mobile })).StatusCode);
        var http = fixture.NewClient();
        var attempt = (await (await http.StartAsync(biz.Slug, mobile)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await http.VerifyAsync(biz.Slug, attempt, await http.CodeSentToAsync(mobile))).StatusCode);

        var details = await http.PageAsync($"/ol/account?name={biz.Slug}");
        Assert.Equal("Add your email", details.One($"main a[href='/ol/account/email?name={biz.Slug}']")?.TextContent.Trim());
        var page = await http.PageAsync($"/ol/account/email?name={biz.Slug}");
        Assert.Equal("Add your email", page.One("h1")?.TextContent.Trim());
        Assert.Null(page.One("input[name='Input.CurrentPassword']"));
        var added = PortalAuthHelpers.NewEmail();
        var sent = await http.SubmitAsync(page, PortalHtml.Fields(("Input.Email", added)));
        Assert.Contains(added, sent.One("#email-sent")?.TextContent, StringComparison.Ordinal);
    }
}
