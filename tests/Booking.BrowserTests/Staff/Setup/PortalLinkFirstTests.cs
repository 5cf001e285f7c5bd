using Booking.BrowserTests.Infrastructure;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Staff.Setup;

/// <summary>
/// Setup → Client Portal puts the business's portal URL first, as seed 000 does ("copy your unique client portal URL
/// at the top of the client portal page"), says beside it whether the link works yet, and copies it from the keyboard;
/// without script the URL is still there to select and no dead Copy button shows (decision 260).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PortalLinkFirstTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_portal_url_comes_first_says_whether_it_works_and_copy_link_copies_it_from_the_keyboard()
    {
        var biz = await fixture.SignUpAsync("link-first");
        var page = await fixture.NewPageAsync();
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.SignInAsync(biz.Slug, biz.OwnerEmail, TestBusiness.OwnerPassword);
        await page.GotoAsync("/staff/setup/portal");

        // The first card after the title is the link; the readiness list follows it.
        Assert.Equal("portal-link", await page.EvaluateAsync<string>("() => document.querySelector('main h1 ~ section, main h1 ~ form').id"));
        Assert.True(await page.EvaluateAsync<bool>(
            "() => !!(document.getElementById('portal-link').compareDocumentPosition(document.getElementById('readiness')) & Node.DOCUMENT_POSITION_FOLLOWING)"));

        var portalUrl = fixture.App.Url($"/ol/book?name={biz.Slug}");
        var url = page.GetByLabel("Your portal URL");
        await Assertions.Expect(url).ToHaveValueAsync(portalUrl);
        // Nothing is bookable yet: said beside the link, and the link's box is described by it.
        await Assertions.Expect(page.Locator("#portal-url-state")).ToContainTextAsync("Clients cannot book at this link yet");
        Assert.Contains("portal-url-state", await url.GetAttributeAsync("aria-describedby") ?? "", StringComparison.Ordinal);

        // Keyboard: from the URL, Tab reaches Copy link, Enter copies, and the live region under the link says so.
        await url.FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy link" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#portal-url-copied")).ToHaveTextAsync("Copied to the clipboard.");
        Assert.Equal("polite", await page.Locator("#portal-url-copied").GetAttributeAsync("aria-live"));
        Assert.Equal(portalUrl, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await page.AssertAccessibleAsync("staff-setup-portal-link-first");
    }

    [Fact]
    public async Task Without_script_the_url_is_there_to_select_and_no_copy_button_shows()
    {
        var biz = await fixture.SignUpAsync("link-nojs");
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.App.BaseUrl,
            JavaScriptEnabled = false,
        });
        var page = await context.NewPageAsync();
        await page.SignInAsync(biz.Slug, biz.OwnerEmail, TestBusiness.OwnerPassword);
        await page.GotoAsync("/staff/setup/portal");

        await Assertions.Expect(page.GetByLabel("Your portal URL")).ToHaveValueAsync(fixture.App.Url($"/ol/book?name={biz.Slug}"));
        await Assertions.Expect(page.GetByLabel("Your portal URL")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy link" })).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Open portal" })).ToBeVisibleAsync();
    }
}
