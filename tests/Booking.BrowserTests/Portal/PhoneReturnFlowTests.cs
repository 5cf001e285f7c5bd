using System.Net.Http.Json;
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

        // A visitor looks at the free times and picks the third. Signing in is asked for; they choose their mobile and
        // are new here.
        var chosen = await PickThenProveMobileAsync(page, business, 2, local, e164);

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

    [Fact]
    public async Task A_client_whose_mobile_is_on_her_email_account_signs_in_with_her_email_from_the_new_client_page_and_books_the_time_she_chose()
    {
        var business = await fixture.BusinessAsync();
        var local = "0414" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var e164 = "+61" + local[1..];
        // She registered with her email and typed her mobile there, never proving it (a claim).
        var email = $"clara-{Guid.NewGuid():N}@client.example";
        const string password = "a long client password for the browser";
        await PortalSetup.Ok(await fixture.NewHttp().PostAsJsonAsync($"/api/v1/portal/auth/register?name={business.Slug}",
            new { firstName = "Clara", lastName = "Claim", email, password, mobile = e164 }));
        var page = await fixture.NewPageAsync(360);

        // Signed out on another device, she picks the second free time and chooses her mobile; the number is only a
        // claim on her email account, so the details page says so.
        var chosen = await PickThenProveMobileAsync(page, business, 1, local, e164);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your details" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#claimed-by")).ToContainTextAsync("sign in with your email and confirm the time you chose");
        await page.AssertAccessibleAsync("portal-new-client-claimed-with-time");

        // Her email account brings her back to the time she chose, and she books it.
        await page.Locator("#claimed-by").GetByRole(AriaRole.Link, new() { Name = "Sign in with your email" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Confirm your booking" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".summary time")).ToHaveAttributeAsync("datetime", chosen!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm booking" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You're booked");
        await Assertions.Expect(page.Locator(".summary time").First).ToHaveAttributeAsync("datetime", chosen!);
    }

    /// <summary>Signed out: picks the n-th free time of the service, then signs in by mobile with the texted code. Answers the chosen start.</summary>
    private async Task<string?> PickThenProveMobileAsync(IPage page, PortalBusiness business, int n, string local, string e164)
    {
        await page.GotoAsync(business.BookingUrlTomorrow());
        var slot = page.Locator(".slot").Nth(n);
        await Assertions.Expect(slot).ToBeVisibleAsync();
        var chosen = await slot.Locator("time").GetAttributeAsync("datetime");
        await slot.ClickAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with your mobile instead" }).ClickAsync();
        await page.GetByLabel("Mobile number").FillAsync(local);
        await page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();
        await page.GetByLabel("Code").FillAsync(await fixture.LatestCodeAsync(e164));
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        return chosen;
    }
}
