using System.Net;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>A failed post: "Error: " title, an error summary at the top linking to the fields, aria-invalid on the bad inputs.</summary>
public sealed class AccessibleErrorsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task A_failed_register_post_is_announced_summarised_and_marks_each_bad_field()
    {
        var biz = await shared.App.SignUpBusinessAsync("a11y");
        var http = shared.App.NewClient();
        var form = await http.PageAsync($"/ol/register?name={biz.Slug}");
        Assert.DoesNotContain("Error", form.Document.Title, StringComparison.Ordinal);
        Assert.Null(form.One("#error-summary"));
        Assert.Empty(form.All("[aria-invalid]"));

        var page = await http.SubmitAsync(form, PortalHtml.Fields(("Input.FirstName", ""), ("Input.LastName", "Client"), ("Input.Email", "nope"), ("Input.Password", PortalAuthHelpers.Password)));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.StartsWith("Error: ", page.Document.Title, StringComparison.Ordinal);
        var summary = page.One("main > #error-summary");
        Assert.NotNull(summary);
        Assert.Same(summary, page.One("main")!.FirstElementChild);
        Assert.Equal("-1", summary.GetAttribute("tabindex"));
        var links = summary.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("#Input_FirstName", links);
        Assert.Contains("#Input_Email", links);

        foreach (var name in new[] { "Input.FirstName", "Input.Email" })
        {
            var input = page.One($"[name='{name}']")!;
            Assert.Equal("true", input.GetAttribute("aria-invalid"));
            Assert.NotNull(page.One("#" + input.Id)); // the summary's link target exists
            Assert.NotNull(page.ErrorFor(name)); // and it is described by its message
        }

        Assert.Null(page.One("[name='Input.LastName']")!.GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task The_summary_lists_the_errors_in_the_order_of_the_form_not_of_the_validators()
    {
        var biz = await shared.App.SignUpBusinessAsync("a11y");
        var http = shared.App.NewClient();
        var form = await http.PageAsync($"/ol/register?name={biz.Slug}");

        var page = await http.SubmitAsync(form, PortalHtml.Fields(("Input.FirstName", ""), ("Input.LastName", ""), ("Input.Email", "nope"), ("Input.Mobile", "12"), ("Input.Password", "short")));

        var links = page.One("#error-summary")!.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.True(links.Count >= 4, string.Join(", ", links));
        ErrorSummaryChecks.AssertInPageOrder(page);
    }

    [Fact]
    public async Task A_failed_sign_in_with_a_page_level_message_gets_the_error_title_and_summary_too()
    {
        var biz = await shared.App.SignUpBusinessAsync("a11y");
        var http = shared.App.NewClient();
        var form = await http.PageAsync($"/ol/sign-in?name={biz.Slug}");

        var page = await http.SubmitAsync(form, PortalHtml.Fields(("Input.Email", PortalAuthHelpers.NewEmail()), ("Input.Password", PortalAuthHelpers.Password)));

        Assert.StartsWith("Error: ", page.Document.Title, StringComparison.Ordinal);
        Assert.NotEmpty(page.One("#error-summary")!.QuerySelectorAll("li"));
    }

    [Fact]
    public async Task A_locked_password_sign_in_says_once_when_to_try_again()
    {
        var biz = await shared.App.SignUpBusinessAsync("a11y");
        var email = PortalAuthHelpers.NewEmail();
        var http = shared.App.NewClient();
        for (var i = 0; i < 10; i++)
        {
            await http.SignInAsync(biz.Slug, email, "wrong password number " + i);
        }

        var form = await http.PageAsync($"/ol/sign-in?name={biz.Slug}");
        var page = await http.SubmitAsync(form, PortalHtml.Fields(("Input.Email", email), ("Input.Password", PortalAuthHelpers.Password)));

        var message = page.One("#error-summary")!.TextContent;
        Assert.Contains("Password sign-in is paused for this address.", message, StringComparison.Ordinal);
        Assert.Contains("Try again in 15 minutes.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("try again later", message, StringComparison.OrdinalIgnoreCase);
    }
}
