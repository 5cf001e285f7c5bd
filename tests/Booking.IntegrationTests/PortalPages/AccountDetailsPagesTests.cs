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
    public async Task A_phone_client_adds_an_email_on_the_page_only_with_a_code_texted_to_their_verified_mobile()
    {
        var biz = await fixture.App.SignUpBusinessAsync("myemailadd");
        var mobile = PortalAuthHelpers.NewMobile();
        Assert.Equal(HttpStatusCode.Created, (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pia", lastName = "Phone", email = (string?)null, mobile })).StatusCode);
        var http = fixture.NewClient();
        var attempt = (await (await http.StartAsync(biz.Slug, mobile)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await http.VerifyAsync(biz.Slug, attempt, await http.CodeSentToAsync(mobile))).StatusCode);
        var masked = "•••• ••• " + mobile[^3..]; // as an Australian business writes its mobiles (0412 345 678), dotted (decision 263)

        var details = await http.PageAsync($"/ol/account?name={biz.Slug}");
        Assert.Equal("Add your email", details.One($"main a[href='/ol/account/email?name={biz.Slug}']")?.TextContent.Trim());
        var page = await http.PageAsync($"/ol/account/email?name={biz.Slug}");
        Assert.Equal("Add your email", page.One("h1")?.TextContent.Trim());
        Assert.Null(page.One("input[name='Input.CurrentPassword']"));
        Assert.Null(page.One("input[name='Input.Code']"));
        Assert.Contains($"we first text a code to your mobile, {masked}.", page.One("#code-needed")?.TextContent, StringComparison.Ordinal);

        // "Text me a code": the address typed stays, and the code box names where the code went.
        var added = PortalAuthHelpers.NewEmail();
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var asked = await http.SubmitAsync(Pressing(page, "#send-code"), PortalHtml.Fields(("Input.Email", added)));
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.Equal(added, asked.One("input[name='Input.Email']")?.GetAttribute("value"));
        Assert.Contains($"We sent a 6-digit code to {masked}. It works for 10 minutes.", asked.One("#code-sent-to")?.TextContent, StringComparison.Ordinal);
        var code = await http.CodeSentToAsync(mobile, 2);

        // A wrong code is said by the box; nothing is emailed.
        var wrong = await http.SubmitAsync(asked, PortalHtml.Fields(("Input.Code", PortalAuthHelpers.WrongCode(code))));
        Assert.Equal("That code is not right. 4 tries left.", wrong.ErrorFor("Input.Code"));
        Assert.Null(wrong.One("#email-sent"));

        // The right one, in Arabic-Indic digits: the link is on its way.
        var arabic = string.Concat(code.Select(c => (char)(0x0660 + (c - '0'))));
        var sent = await http.SubmitAsync(wrong, PortalHtml.Fields(("Input.Code", arabic)));
        Assert.Contains(added, sent.One("#email-sent")?.TextContent, StringComparison.Ordinal);
    }

    /// <summary>The page as if <paramref name="button"/> were pressed: its form posts to the button's <c>formaction</c>.</summary>
    private static HtmlPage Pressing(HtmlPage page, string button)
    {
        var pressed = page.One(button) ?? throw new InvalidOperationException($"No {button} on the page.");
        pressed.Closest("form")!.SetAttribute("action", pressed.GetAttribute("formaction"));
        return page;
    }
}
