using System.Net;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// s42 review #12: Setup → Client Portal right after sign-up says "Welcome!" first, and warns once, not twice, that
/// clients have no way to reach the business (naming what the settings refuse online when they refuse something).
/// </summary>
public sealed class SetupAfterSignUpTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task Welcome_comes_straight_after_the_title()
    {
        var biz = await App.SignUpBusinessAsync("s42-welcome");
        var page = await biz.Owner.PageAsync("/staff/setup/portal?welcome=true");
        Assert.Equal(HttpStatusCode.OK, page.Status);

        var title = page.One("main h1");
        Assert.NotNull(title);
        var next = title.NextElementSibling;
        Assert.Equal("welcome", next?.Id);
        Assert.StartsWith("Welcome! Your business is set up.", next!.TextContent, StringComparison.Ordinal);
        Assert.Single(page.All("main [role=status]"), e => e.TextContent.Contains("Welcome!", StringComparison.Ordinal));

        Assert.Null((await biz.Owner.PageAsync("/staff/setup/portal")).One("#welcome"));
    }

    [Fact]
    public async Task No_way_to_reach_the_business_is_said_once_with_what_the_settings_refuse_online()
    {
        var biz = await App.SignUpBusinessAsync("s42-once");
        await biz.SettingsAsync(s =>
        {
            s["contact"] = new JsonObject { ["phone"] = null, ["email"] = null };
            s["accessLevels"] = new JsonObject { ["view"] = true, ["book"] = true, ["cancel"] = true };
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 24, ["text"] = "A day's notice, please.", ["insideWindow"] = "refuse" };
        });

        var page = await biz.Owner.PageAsync("/staff/setup/portal?welcome=true");
        Assert.Equal(1, Count(page.Text, "no way to reach you"));
        var warning = page.One("#readiness #no-contact");
        Assert.NotNull(warning);
        Assert.Contains("Clients can't cancel online within 24 hours of the start", warning.QuerySelector("#refused-online-no-contact")?.TextContent, StringComparison.Ordinal);
        Assert.Single(page.All("#refused-online-no-contact"));

        // Nothing refused online (no window): the general words, still once.
        await biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 0, ["text"] = "", ["insideWindow"] = "refuse" });
        page = await biz.Owner.PageAsync("/staff/setup/portal");
        Assert.Equal(1, Count(page.Text, "no way to reach you"));
        Assert.Contains($"tell clients to contact Business {biz.Slug}", page.One("#no-contact")?.TextContent, StringComparison.Ordinal);
        Assert.Null(page.One("#refused-online-no-contact"));
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
