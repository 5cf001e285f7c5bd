using Booking.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Portal;

[Collection(BrowserCollection.Name)]
public sealed class LandingPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_unknown_business_gets_a_friendly_not_found_page()
    {
        var page = await fixture.NewPageAsync();
        var response = await page.GotoAsync("/ol/book?name=no-such-business-here");

        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Business not found");
        await page.AssertAccessibleAsync("portal-not-found");
        await page.CaptureAtWidthsAsync("portal-not-found");
    }
}
