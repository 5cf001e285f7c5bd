using Booking.BrowserTests.Infrastructure;
using Booking.BrowserTests.Portal;
using Booking.BrowserTests.Staff.Diary;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Booking.BrowserTests;

/// <summary>
/// An error that belongs to no one field (a wrong password) after a failed post, on both layouts: said once, in the
/// focused error summary (not again in the form, where a screen reader would read it twice and a sighted reader sees
/// it twice), and the page's own h1 is its first heading (axe-core: no violation of any impact, moderate included).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FormLevelErrorTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_wrong_client_password_is_said_once_in_the_focused_summary_under_the_pages_h1()
    {
        var business = await fixture.BusinessAsync(_ => { });
        var user = await fixture.RegisterAsync(business);
        var page = await fixture.NewPageAsync(360);
        await page.GotoAsync(business.Url("/ol/sign-in"));
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync("not the password at all, sorry");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await AssertSaidOnceAsync(page, "The email or password is not right.", "Sign in");
    }

    [Fact]
    public async Task A_wrong_staff_password_is_said_once_in_the_focused_summary_under_the_pages_h1()
    {
        var ready = await fixture.App.ReadyBusinessAsync();
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/staff/sign-in?name={ready.Biz.Slug}");
        await page.GetByLabel("Email").FillAsync(ready.Biz.OwnerEmail);
        await page.GetByLabel("Password").FillAsync("not the password at all, sorry");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await AssertSaidOnceAsync(page, "The email or password is not right.", "Sign in to ");
    }

    private static async Task AssertSaidOnceAsync(IPage page, string message, string h1)
    {
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        var summary = page.Locator("main > #error-summary");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(summary).ToContainTextAsync(message);
        await Assertions.Expect(page.GetByText(message)).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = "There is a problem" })).ToHaveCountAsync(1);

        var firstHeading = await page.EvaluateAsync<string>(
            "() => { const h = document.querySelector('main').querySelector('h1, h2, h3, h4, h5, h6'); return h.tagName + ' ' + h.textContent.trim(); }");
        Assert.StartsWith($"H1 {h1}", firstHeading, StringComparison.Ordinal);

        var result = await page.RunAxe();
        Assert.True(result.Violations.Length == 0, string.Join("\n", result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }
}
