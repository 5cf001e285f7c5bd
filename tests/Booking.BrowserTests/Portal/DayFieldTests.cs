using System.Globalization;
using Booking.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Portal;

/// <summary>
/// The booking page's Day field while a date is being typed: Chromium fires a change for every part typed, so the
/// date passes through days that are not bookable ("1" of "15" is the 1st, already past). The page must wait, say
/// so beside the field, and keep the field under the keyboard; it loads the day in place once the date is bookable.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DayFieldTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_half_typed_day_outside_the_bookable_range_neither_reloads_nor_takes_the_focus()
    {
        var business = await fixture.BusinessAsync();
        var user = await fixture.RegisterAsync(business);
        var page = await fixture.NewPageAsync(360);
        await page.GotoAsync(business.Url("/ol/sign-in"));
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("section[aria-labelledby=upcoming]")).ToBeVisibleAsync();
        await page.GotoAsync(business.Url("/ol/new-booking") + $"&service={business.ServiceId}&diary=any");

        var day = page.GetByLabel("Day", new() { Exact = true });
        var min = await day.GetAttributeAsync("min");
        var max = await day.GetAttributeAsync("max");
        var today = DateOnly.ParseExact(min!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        // A mark on this document: a reload or a submit would start a new one without it.
        await page.EvaluateAsync("() => { window.sameDocument = true; }");
        await day.FocusAsync();

        // What a keystroke leaves in the field: a whole date, here yesterday (as "1" of "15" would).
        await SetAsTypedAsync(day, today.AddDays(-1));
        var said = page.Locator("#date-out");
        await Assertions.Expect(said).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^That day has passed\\. Choose .+ or later\\.$"));
        // And past the horizon.
        await SetAsTypedAsync(day, DateOnly.ParseExact(max!, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(1));
        await Assertions.Expect(said).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Online booking is open up to .+\\. Choose that day or earlier\\.$"));
        await page.WaitForTimeoutAsync(1000); // a submit, had there been one, has landed by now
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page reloaded while a date was being typed");
        Assert.True(await day.EvaluateAsync<bool>("el => document.activeElement === el"), "the Day field lost the focus");

        // The rest of the date typed: a bookable day loads in place, and the word beside the field goes.
        var bookable = today.AddDays(2);
        await SetAsTypedAsync(day, bookable);
        await Assertions.Expect(page.Locator("#slots-heading")).ToContainTextAsync(bookable.ToString("dddd d MMMM", CultureInfo.InvariantCulture));
        await Assertions.Expect(said).ToHaveTextAsync("");
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "a bookable day reloaded the page instead of loading in place");
        Assert.Contains($"date={bookable:yyyy-MM-dd}", page.Url, StringComparison.Ordinal);
    }

    private static Task SetAsTypedAsync(ILocator day, DateOnly date) =>
        day.EvaluateAsync("(el, v) => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); el.dispatchEvent(new Event('change', { bubbles: true })); }",
            date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}
