using System.Text.Json.Nodes;
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

    /// <summary>
    /// The footer sits on the business's colour: its phone and email links must be as legible as the bar's (axe-core's
    /// colour contrast, a serious violation, failed on the default colour and on a magenta brand before the footer's
    /// links took the brand's text colour).
    /// </summary>
    [Theory]
    [InlineData("#2f6f8f")]
    [InlineData("#aa3366")]
    public async Task The_footer_contact_links_are_legible_on_the_brand_colour(string colour)
    {
        var business = await fixture.BusinessAsync(s =>
        {
            s["branding"] = new JsonObject { ["colour"] = colour };
            s["contact"] = new JsonObject { ["phone"] = "+61 2 9999 0000", ["email"] = "desk@portal.example" };
        });
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(business.Url("/ol/book"));

        var email = page.Locator("footer.foot").GetByRole(AriaRole.Link, new() { Name = "desk@portal.example" });
        await Assertions.Expect(email).ToBeVisibleAsync();
        var linkColour = await email.EvaluateAsync<string>("a => getComputedStyle(a).color");
        var barColour = await page.Locator("header.bar").EvaluateAsync<string>("b => getComputedStyle(b).color");
        Assert.Equal(barColour, linkColour);
        await page.AssertAccessibleAsync("portal-footer-contact");
    }
}
