using Booking.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Portal;

public sealed partial class PortalFlowTests
{
    [Fact]
    public async Task A_visitor_picks_a_time_joins_by_phone_and_requests_that_time()
    {
        var business = await fixture.BusinessAsync(s => s["newClientsNeedApproval"] = true);
        var local = "0413" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var e164 = "+61" + local[1..];
        var page = await fixture.NewPageAsync(360);

        // A visitor looks at the free times and picks the third.
        await page.GotoAsync($"{business.Url("/ol/new-booking")}&service={business.ServiceId}");
        var slot = page.Locator(".slot").Nth(2);
        await Assertions.Expect(slot).ToBeVisibleAsync();
        var chosen = await slot.Locator("time").GetAttributeAsync("datetime");
        await slot.ClickAsync();

        // Signing in is asked for; they choose their mobile and are new here.
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with your mobile instead" }).ClickAsync();
        await page.GetByLabel("Mobile number").FillAsync(local);
        await page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();
        await page.GetByLabel("Code").FillAsync(await fixture.LatestCodeAsync(e164));
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your details" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("then confirm the time you chose")).ToBeVisibleAsync();
        await page.GetByLabel("First name").FillAsync("Rita");
        await page.GetByLabel("Last name").FillAsync("Return");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue to booking" }).ClickAsync();

        // Back at the time they chose, not a fresh search.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Confirm your booking" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".summary time")).ToHaveAttributeAsync("datetime", chosen!);
        await Assertions.Expect(page.Locator("#finish-joining")).ToContainTextAsync("Send this booking request to finish joining");
        await page.AssertAccessibleAsync("portal-confirm-after-phone-join");
        await page.CaptureAtWidthsAsync("portal-confirm-after-phone-join");
        await page.GetByRole(AriaRole.Button, new() { Name = "Request booking" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Booking requested");
        await Assertions.Expect(page.Locator(".summary time").First).ToHaveAttributeAsync("datetime", chosen!);

        // My appointments says the request waits, and lists it.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Portal" }).GetByRole(AriaRole.Link, new() { Name = "My appointments" }).ClickAsync();
        await Assertions.Expect(page.Locator("#requests-waiting")).ToContainTextAsync($"Your request is waiting for Business {business.Slug}.");
        await page.AssertAccessibleAsync("portal-appointments-request-waiting");
    }
}
