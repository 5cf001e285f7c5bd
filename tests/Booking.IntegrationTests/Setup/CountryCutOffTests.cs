using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// A new country that moves the SMS countries cuts clients' mobiles off (no phone sign-in, no texts): the save asks
/// first (decision 261). <c>PUT /api/v1/admin/business</c> answers 409 <c>clients-cut-off</c> with their number, nothing
/// saved, until <c>confirmClientsCutOff</c>; Setup → Business details says how many and saves on "Change the country".
/// </summary>
public sealed class CountryCutOffTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static string UkMobile() => "+447400" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A British business with a client staff added with only a British mobile (proven by staff putting it on file).</summary>
    private async Task<TestBusiness> UkBusinessWithPhoneClientAsync(string prefix)
    {
        var biz = await App.SignUpBusinessAsync(prefix, "Europe/London", countryCode: "GB");
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pia", lastName = "Phone", email = (string?)null, mobile = UkMobile() })).JsonAsync(HttpStatusCode.Created);
        return biz;
    }

    private static async Task<JsonElement> DetailsAsync(TestBusiness biz) =>
        await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/business", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task The_api_refuses_a_country_that_cuts_clients_off_until_it_is_confirmed()
    {
        var biz = await UkBusinessWithPhoneClientAsync("cutoff-api");

        var refused = await biz.Owner.PutAsJsonAsync("/api/v1/admin/business", new { name = "Dublin Branch", timeZone = "Europe/Dublin", countryCode = "IE" });
        var problem = await refused.JsonAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/clients-cut-off", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, problem.GetProperty("clientsCutOff").GetInt32());
        Assert.Equal(new[] { "IE" }, problem.GetProperty("smsCountries").EnumerateArray().Select(c => c.GetString()).ToArray());
        Assert.Contains("1 client has a mobile in United Kingdom", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Nothing was saved: not the name, the zone or the country.
        var details = await DetailsAsync(biz);
        Assert.Equal("GB", details.GetProperty("countryCode").GetString());
        Assert.Equal($"Business {biz.Slug}", details.GetProperty("name").GetString());
        Assert.Equal(new[] { "GB" }, details.GetProperty("smsCountries").EnumerateArray().Select(c => c.GetString()).ToArray());

        // A change that keeps the SMS countries (the name alone) asks nothing.
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/business", new { name = "London Branch", timeZone = "Europe/London", countryCode = "GB" })).JsonAsync(HttpStatusCode.OK);

        var saved = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/business",
            new { name = "Dublin Branch", timeZone = "Europe/Dublin", countryCode = "IE", confirmClientsCutOff = true })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("IE", saved.GetProperty("countryCode").GetString());
        Assert.Equal(new[] { "IE" }, saved.GetProperty("smsCountries").EnumerateArray().Select(c => c.GetString()).ToArray());
    }

    [Fact]
    public async Task The_page_says_how_many_clients_are_cut_off_and_saves_only_when_told_to()
    {
        var biz = await UkBusinessWithPhoneClientAsync("cutoff-page");
        var page = await biz.Owner.PageAsync("/staff/setup/business");

        var asked = await biz.Owner.SubmitAsync(page, PortalHtml.Fields(("Input.CountryCode", "IE")), "#details-form");
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        var step = asked.One("#country-change");
        Assert.NotNull(step);
        Assert.Equal("alert", step.GetAttribute("role"));
        Assert.Equal("Change the country to Ireland?", step.QuerySelector("h2")!.TextContent.Trim());
        var said = step.QuerySelector("#country-change-clients")!.TextContent;
        Assert.Contains("1 client has a mobile from outside Ireland", said, StringComparison.Ordinal);
        Assert.Contains("could no longer sign in to the Client Portal by phone or get texts from you", said, StringComparison.Ordinal);
        Assert.Equal("Keep United Kingdom", step.QuerySelector("a.button")!.TextContent.Trim());
        Assert.Equal("GB", (await DetailsAsync(biz)).GetProperty("countryCode").GetString()); // nothing saved yet

        var confirmed = await biz.Owner.SubmitAsync(asked, PortalHtml.Fields(), "#country-change form");
        Assert.Equal(HttpStatusCode.Redirect, confirmed.Status);
        var after = await biz.Owner.PageAsync(confirmed.Response.Headers.Location!.OriginalString);
        Assert.Contains("Texts (sign-in codes and booking texts) now go to mobiles in Ireland.", after.One("p.notice")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("IE", (await DetailsAsync(biz)).GetProperty("countryCode").GetString());
    }
}
