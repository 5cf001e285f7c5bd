using Booking.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Portal;

/// <summary>
/// Your details (/ol/account) in a real browser: an email client adds their mobile and proves it with the texted code
/// (/ol/account/mobile, then its code page); axe-core on each page, the failed posts included.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class VerifyMobilePageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_email_client_verifies_their_mobile_from_Your_details()
    {
        var business = await fixture.BusinessAsync();
        var user = await fixture.RegisterAsync(business);
        var local = "0413" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var e164 = "+61" + local[1..];
        var page = await fixture.NewPageAsync(360);

        await page.SignInAsync(business, user);
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Your details" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your details");
        await Assertions.Expect(page.Locator("dl.summary")).ToContainTextAsync(user.Email);
        await page.AssertAccessibleAsync("portal-account");
        await page.CaptureAtWidthsAsync("portal-account");

        await page.GetByRole(AriaRole.Link, new() { Name = "Verify your mobile" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Verify your mobile");
        await page.AssertAccessibleAsync("portal-account-mobile");
        await page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Assertions.Expect(page.Locator("#mobile-error")).ToHaveTextAsync("Enter your mobile number.");
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#error-summary a[href='#Input_Mobile']")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("portal-account-mobile-errors");

        await page.GetByLabel("Mobile number").FillAsync(local);
        await page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send a new code" })).ToBeDisabledAsync();
        await page.AssertAccessibleAsync("portal-account-mobile-code");
        await page.CaptureAtWidthsAsync("portal-account-mobile-code");

        var code = await fixture.LatestCodeAsync(e164);
        await page.GetByLabel("Code").FillAsync(code == "000000" ? "111111" : "000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(page.Locator("#code-error")).ToContainTextAsync("4 tries left");
        await page.AssertAccessibleAsync("portal-account-mobile-code-wrong");

        await page.GetByLabel("Code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your details");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your mobile is verified. You can now sign in with a code sent to it.");
        // Written as an Australian business writes it: "0413 123 456".
        await Assertions.Expect(page.Locator(".mobile")).ToHaveTextAsync($"{local[..4]} {local[4..7]} {local[7..]}");
        await Assertions.Expect(page.Locator(".mobile-status")).ToContainTextAsync("Verified");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Change your mobile" })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("portal-account-verified");
    }
}
