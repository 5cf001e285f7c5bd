using System.Net;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.Setup;

/// <summary>The Client Portal setup page speaks of its own boxes, not of the API's JSON ("set terms to null").</summary>
public sealed class PortalSettingsPageWordingTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Ticking_terms_with_no_text_asks_for_the_text_or_to_untick_the_box_and_saves_nothing(string text)
    {
        var biz = await shared.App.SignUpBusinessAsync("terms-words");
        var form = await biz.Owner.PageAsync("/staff/setup/portal");

        var page = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Settings.HasTerms", "true"), ("Settings.TermsText", text)),
            "form[action*='handler=Settings']");

        Assert.NotEqual(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("Enter the Terms & Conditions text, or untick \"Clients must accept Terms & Conditions to book\".",
            page.One("#terms-error")?.TextContent.Trim());
        Assert.DoesNotContain("null", page.Text, StringComparison.Ordinal);
        var settings = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, settings.GetProperty("terms").ValueKind);
    }
}
