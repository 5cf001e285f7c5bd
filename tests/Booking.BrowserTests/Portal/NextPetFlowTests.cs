using System.Net.Http.Json;
using Booking.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Portal;

/// <summary>
/// Decision 285 in a real browser: booked for Rex → "Book Bella straight after?" → the usual confirm page, Bella chosen →
/// booked for Bella at Rex's end; axe-core on the pages.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NextPetFlowTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_client_books_Rex_then_Bella_straight_after_from_the_booked_page()
    {
        var business = await fixture.BusinessAsync(s => s["booksForPets"] = true);
        var user = await fixture.RegisterAsync(business);
        var rex = await AddPetAsync(user, business, "Rex");
        var bella = await AddPetAsync(user, business, "Bella");
        var page = await fixture.NewPageAsync(360);
        await page.SignInAsync(business, user);

        await page.GotoAsync(business.BookingUrlTomorrow());
        await Assertions.Expect(page.Locator("#pets-hint")).ToHaveCountAsync(0); // the hint is the landing's and the confirm page's
        await page.Locator("a.slot").First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Confirm your booking");
        await Assertions.Expect(page.Locator("#pets-hint")).ToContainTextAsync("Book the first, then we'll offer the next pet straight after.");
        await page.GetByLabel("For", new() { Exact = true }).SelectOptionAsync(rex.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm booking" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You're booked");
        var offer = page.Locator("#next-pet");
        await Assertions.Expect(offer.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("Book Bella straight after?");
        var start = await page.Locator("dl.summary time").GetAttributeAsync("datetime");
        var offered = await page.Locator("#next-pet-time time").GetAttributeAsync("datetime");
        Assert.NotNull(offered);
        Assert.True(DateTimeOffset.Parse(offered!, System.Globalization.CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse(start!, System.Globalization.CultureInfo.InvariantCulture) == TimeSpan.FromMinutes(30), "Bella's time is Rex's end: his start plus the 30-minute service");
        await page.AssertAccessibleAsync("portal-booked-next-pet");
        await page.CaptureAtWidthsAsync("portal-booked-next-pet");

        await offer.GetByRole(AriaRole.Link, new() { Name = "Book Bella" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Confirm your booking");
        await Assertions.Expect(page.GetByLabel("For", new() { Exact = true })).ToHaveValueAsync(bella.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm booking" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You're booked");
        await Assertions.Expect(page.Locator("dl.summary time")).ToHaveAttributeAsync("datetime", offered!);
        await Assertions.Expect(page.Locator("dl.summary")).ToContainTextAsync("Bella");
        await Assertions.Expect(page.Locator("#next-pet")).ToHaveCountAsync(0); // Rex has this service that day already
        await page.AssertAccessibleAsync("portal-booked-second-pet");
    }

    private static async Task<Guid> AddPetAsync(PortalUser user, PortalBusiness business, string name) =>
        (await PortalSetup.Ok(await user.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={business.Slug}", new { name, species = "dog" })))
            .GetProperty("id").GetGuid();
}
