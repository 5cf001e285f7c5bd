using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// The sign-up page's select boxes say "Choose your time zone." / "Choose your country." when left empty; the API
/// keeps its own words, which tell a caller the format it must send.
/// </summary>
public sealed class SignUpPageWordingTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task An_empty_sign_up_asks_for_the_time_zone_and_country_in_the_page_s_words()
    {
        var http = shared.App.NewClient();
        var form = await http.PageAsync("/staff/sign-up");

        var page = await http.SubmitAsync(form, PortalHtml.Fields(("Input.TimeZone", ""), ("Input.CountryCode", "")), "main form");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Choose your time zone.", page.One("#tz-error")!.TextContent.Trim());
        Assert.Equal("Choose your country.", page.One("#country-error")!.TextContent.Trim());
        var summary = page.One("#error-summary")!.TextContent;
        Assert.Contains("Choose your time zone.", summary, StringComparison.Ordinal);
        Assert.Contains("Choose your country.", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("ISO 3166", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("such as Australia/Sydney", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_keeps_its_words_about_the_format()
    {
        var response = await shared.App.NewClient().PostAsJsonAsync("/api/v1/tenants", new { slug = "words-" + Guid.NewGuid().ToString("N")[..8], name = "Shop" });

        var errors = (await response.JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal("Choose a time zone such as Australia/Sydney.", errors.GetProperty("timeZone")[0].GetString());
        Assert.Equal("Give a country code ISO 3166-1 knows, as two letters, such as AU.", errors.GetProperty("countryCode")[0].GetString());

        // Two and three letters that are no country or currency are told so, not that their format is wrong (review s29 #22).
        var unknown = await shared.App.NewClient().PostAsJsonAsync("/api/v1/tenants",
            new { slug = "words-" + Guid.NewGuid().ToString("N")[..8], name = "Shop", timeZone = "Australia/Sydney", countryCode = "XX", currency = "ZZZ" });
        var unknownErrors = (await unknown.JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal("Give a country code ISO 3166-1 knows, as two letters, such as AU.", unknownErrors.GetProperty("countryCode")[0].GetString());
        Assert.Equal("Give a currency code ISO 4217 knows, as three letters, such as AUD.", unknownErrors.GetProperty("currency")[0].GetString());
    }
}
