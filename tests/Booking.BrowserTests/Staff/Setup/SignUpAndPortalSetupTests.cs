using Booking.BrowserTests.Infrastructure;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Setup;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Staff.Setup;

[Collection(BrowserCollection.Name)]
public sealed class SignUpAndPortalSetupTests(BrowserFixture fixture)
{
    /// <summary>
    /// The booking name's box holds the server's own rule (3–63 lowercase letters and digits, single hyphens between
    /// them), so the browser stops what the server would refuse, and the hint says the rule in words.
    /// </summary>
    [Fact]
    public async Task The_booking_name_box_refuses_what_the_server_refuses_and_its_hint_says_the_rule()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/staff/sign-up");
        var slugInput = page.GetByLabel("Booking name", new() { Exact = true });
        await Assertions.Expect(page.Locator("#slug-hint")).ToContainTextAsync("3–63 lowercase letters and digits, with single hyphens between them");

        foreach (var (value, valid) in new[] { ("ab", false), ("a--b", false), ("-abc", false), ("abc-", false), ("Abc", false), ("abc", true), ("paws-and-claws-2", true) })
        {
            await slugInput.FillAsync(value);
            Assert.True(valid == await slugInput.EvaluateAsync<bool>("i => i.checkValidity()"), $"'{value}' should be {(valid ? "accepted" : "refused")}");
        }
    }

    /// <summary>
    /// Browsers report ICU's zone names, often tzdb's old ones ("Asia/Calcutta"), which the list (tzdb's current names)
    /// does not offer: the guess takes the listed zone they name (the page carries tzdb's links), and the country with it.
    /// </summary>
    [Theory]
    [InlineData("Asia/Calcutta", "Asia/Kolkata", "IN")]
    [InlineData("Asia/Saigon", "Asia/Ho_Chi_Minh", "VN")]
    [InlineData("Europe/Kiev", "Europe/Kyiv", "UA")]
    [InlineData("America/Buenos_Aires", "America/Argentina/Buenos_Aires", "AR")]
    public async Task A_browser_reporting_an_old_name_of_a_zone_preselects_the_zone_the_list_offers(string browserZone, string listed, string country)
    {
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.App.BaseUrl,
            Locale = "en-AU",
            TimezoneId = browserZone,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/staff/sign-up");

        var reported = await page.EvaluateAsync<string>("() => Intl.DateTimeFormat().resolvedOptions().timeZone");
        Assert.NotEqual(listed, reported); // the browser does say the old name, so the list alone would miss it
        Assert.Equal(0, await page.Locator($"#Input_TimeZone option[value='{reported}']").CountAsync());
        await Assertions.Expect(page.GetByLabel("Time zone")).ToHaveValueAsync(listed);
        await Assertions.Expect(page.GetByLabel("Country", new() { Exact = true })).ToHaveValueAsync(country);
    }

    [Fact]
    public async Task A_business_signs_up_in_the_browser_and_configures_its_client_portal()
    {
        var taken = await fixture.SignUpAsync("taken");
        var slug = $"salon-{Guid.NewGuid().ToString("N")[..8]}";
        var page = await fixture.NewPageAsync();
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);

        await page.GotoAsync("/staff/sign-up");
        await page.AssertAccessibleAsync("staff-sign-up");
        await page.CaptureAtWidthsAsync("staff-sign-up", 360, 1280);

        // The booking name is checked as it is typed.
        var slugInput = page.GetByLabel("Booking name", new() { Exact = true });
        await slugInput.FillAsync(taken.Slug);
        await Assertions.Expect(page.Locator("#slug-status")).ToContainTextAsync("taken");
        await slugInput.FillAsync(slug);
        await Assertions.Expect(page.Locator("#slug-status")).ToContainTextAsync("is available");

        // The time zone comes from the browser (Europe/London in the fixture), the country from the zone.
        await Assertions.Expect(page.GetByLabel("Time zone")).ToHaveValueAsync("Europe/London");
        await Assertions.Expect(page.GetByLabel("Country", new() { Exact = true })).ToHaveValueAsync("GB");
        await page.GetByLabel("Business name", new() { Exact = true }).FillAsync("Sunny Salon");
        await page.GetByLabel("Your name").FillAsync("Sam Owner");
        await page.GetByLabel("Your email").FillAsync($"sam@{slug}.example");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();

        // The command's validation lands next to the field; the rest of the form stays filled.
        await Assertions.Expect(page.Locator("#owner-password-error")).ToContainTextAsync("15");
        await Assertions.Expect(page.GetByLabel("Business name", new() { Exact = true })).ToHaveValueAsync("Sunny Salon");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("sunny salon owner password 2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/staff/setup/portal"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Setup · Client Portal");
        // The new owner is told what to do next.
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Welcome!" })).ToContainTextAsync("then add services and a roster");
        await page.AssertAccessibleAsync("staff-setup-portal");
        await page.CaptureAtWidthsAsync("staff-setup-portal", 360, 1280);

        // The portal URL, copied by its button; the button snippet carries it too.
        var portalUrl = fixture.App.Url($"/ol/book?name={slug}");
        await Assertions.Expect(page.GetByLabel("Portal URL")).ToHaveValueAsync(portalUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy link" }).ClickAsync();
        await Assertions.Expect(page.Locator(".copy-status")).ToHaveTextAsync("Copied to the clipboard.");
        Assert.Equal(portalUrl, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        var snippet = await page.GetByLabel("Button for your website (HTML)").InputValueAsync();
        Assert.Contains($"href=\"{portalUrl}\"", snippet, StringComparison.Ordinal);

        // Several settings, and the colour with its live preview (white text on a dark colour).
        await page.GetByLabel("Mobile phone and a code by SMS").UncheckAsync();
        await page.GetByLabel("Cancel existing appointments").UncheckAsync();
        await page.GetByLabel("Clients may cancel up to this many hours before").FillAsync("48");
        await page.GetByLabel("Inside that time").SelectOptionAsync("request");
        await page.GetByLabel("New clients need approval before booking").CheckAsync();
        await page.GetByLabel("Booking instructions").FillAsync("Please arrive ten minutes early.");
        await page.GetByLabel("Clients must accept Terms & Conditions to book").CheckAsync();
        await page.GetByLabel("Terms & Conditions text").FillAsync("Be kind to the staff.");
        await page.GetByLabel("Background colour").FillAsync("#1a3366");
        await Assertions.Expect(page.Locator("#brand-preview")).ToHaveCSSAsync("background-color", "rgb(26, 51, 102)");
        await Assertions.Expect(page.Locator("#brand-preview")).ToHaveCSSAsync("color", "rgb(255, 255, 255)");
        await page.GetByLabel("Background colour").FillAsync("#f5d76e");
        await Assertions.Expect(page.Locator("#brand-preview")).ToHaveCSSAsync("color", "rgb(0, 0, 0)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Portal settings saved.");
        await Assertions.Expect(page.GetByLabel("Clients may cancel up to this many hours before")).ToHaveValueAsync("48");
        await Assertions.Expect(page.GetByLabel("Mobile phone and a code by SMS")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("Inside that time")).ToHaveValueAsync("request");
        await Assertions.Expect(page.Locator("#terms-hint")).ToContainTextAsync("Current version: 1");
        await Assertions.Expect(page.GetByLabel("Background colour")).ToHaveValueAsync("#f5d76e");
        Assert.Contains("background:#f5d76e", await page.GetByLabel("Button for your website (HTML)").InputValueAsync(), StringComparison.Ordinal);

        // A bad value is refused next to its field.
        await page.GetByLabel("Clients may cancel up to this many hours before").FillAsync("9999");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(page.Locator("#hours-error")).ToContainTextAsync("0 to 720");

        // Logo: a small PNG is accepted and shown; an SVG (even named .png) is refused next to the field.
        await page.GotoAsync("/staff/setup/portal");
        await page.GetByLabel("Upload a logo").SetInputFilesAsync(new FilePayload { Name = "logo.png", MimeType = "image/png", Buffer = LogoImages.Png(16, 8) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload logo" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Logo uploaded.");
        var logo = page.GetByAltText("Your current logo");
        await Assertions.Expect(logo).ToBeVisibleAsync();
        Assert.Equal(16, await logo.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : new Promise(r => img.onload = () => r(img.naturalWidth))"));

        await page.GetByLabel("Upload a logo").SetInputFilesAsync(new FilePayload { Name = "logo.png", MimeType = "image/png", Buffer = LogoImages.Svg() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload logo" }).ClickAsync();
        await Assertions.Expect(page.Locator("#logo-error")).ToContainTextAsync("PNG, JPEG or WebP");
        await page.AssertAccessibleAsync("staff-setup-portal-logo-refused");
        await page.CaptureAtWidthsAsync("staff-setup-portal-logo-refused", 360, 1280);
        // The earlier logo stays.
        await Assertions.Expect(page.GetByAltText("Your current logo")).ToBeVisibleAsync();
    }
}
