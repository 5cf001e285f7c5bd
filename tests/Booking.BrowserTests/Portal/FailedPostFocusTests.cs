using Booking.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Portal;

/// <summary>After a failed post the error summary has the focus, in a real browser (focus is not visible in HTML).</summary>
[Collection(BrowserCollection.Name)]
public sealed class FailedPostFocusTests(BrowserFixture fixture)
{
    [Fact]
    public async Task After_a_failed_register_post_the_error_summary_has_focus_and_links_to_the_fields()
    {
        var business = await fixture.BusinessAsync(_ => { });
        var page = await fixture.NewPageAsync(360);
        await page.GotoAsync(business.Url("/ol/register"));
        await page.GetByLabel("Last name").FillAsync("Client");
        await page.GetByLabel("Email").FillAsync("not an email");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByLabel("First name")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.Locator("#error-summary a[href='#Input_FirstName']").ClickAsync();
        await Assertions.Expect(page.GetByLabel("First name")).ToBeInViewportAsync();
        await page.AssertAccessibleAsync("portal-register-failed");
    }
}
