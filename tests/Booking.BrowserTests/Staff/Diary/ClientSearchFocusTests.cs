using Booking.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Staff.Diary;

/// <summary>
/// Staff → New appointment (s41 review, finding 6): after Search, focus lands on the line saying what was found
/// (<c>#client-results</c>, "2 clients found for “seeker”." / "No client matches “…”."), not on Skip to content at the
/// top, as Show free times does with <c>#free-times</c>; without script too (the search form's address ends with the
/// line's fragment), and Tab goes on to the first client found.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ClientSearchFocusTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_client_search_focuses_what_it_found_and_Tab_goes_on_to_the_first_client()
    {
        var ready = await fixture.App.ReadyBusinessAsync();
        await fixture.App.RegisterClientAsync(ready.Biz, "Alice", "Seeker");
        await fixture.App.RegisterClientAsync(ready.Biz, "Bob", "Seeker");
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ready.Biz, $"/staff/diary/book?date={StaffPages.Iso(StaffPages.Day(4))}");

        await page.GetByLabel("Find a client").FillAsync("seeker");
        await page.Keyboard.PressAsync("Enter");
        var results = page.Locator("#client-results");
        await Assertions.Expect(results).ToBeFocusedAsync();
        await Assertions.Expect(results).ToHaveTextAsync("2 clients found for “seeker”.");
        await page.AssertAccessibleAsync("staff-diary-book-searched");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("input[name='Input.ClientId']").First).ToBeFocusedAsync();

        await page.GetByLabel("Find a client").FillAsync("zz-nobody");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(results).ToBeFocusedAsync();
        await Assertions.Expect(results).ToHaveTextAsync("No client matches “zz-nobody”.");
    }

    [Fact]
    public async Task Without_script_the_search_s_address_takes_focus_to_what_it_found()
    {
        var ready = await fixture.App.ReadyBusinessAsync();
        await fixture.App.RegisterClientAsync(ready.Biz, "Cara", "Noscript");
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.App.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-AU",
            TimezoneId = "Europe/London",
            JavaScriptEnabled = false,
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.SignInAsync(ready.Biz, $"/staff/diary/book?date={StaffPages.Iso(StaffPages.Day(4))}");

        await page.GetByLabel("Find a client").FillAsync("noscript");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("search=noscript#client-results$"));
        var results = page.Locator("#client-results");
        await Assertions.Expect(results).ToHaveTextAsync("1 client found for “noscript”.");
        await Assertions.Expect(results).ToBeFocusedAsync();
        await context.CloseAsync();
    }
}
