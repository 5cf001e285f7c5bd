using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using Booking.BuildingBlocks.Contracts;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.Setup;

/// <summary>Prices have the business's currency's ISO 4217 minor units (from ICU): JPY 0, AUD 2, KWD 3.</summary>
public sealed class CurrencyDecimalsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task A_yen_business_prices_in_whole_yen_on_the_api_and_the_pages()
    {
        var biz = await shared.App.SignUpBusinessAsync(timeZone: "Asia/Tokyo", countryCode: "JP");
        var diary = await biz.CreateDiaryAsync();

        var cents = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("Shiatsu", [diary], amount: "1500.50", currency: "JPY")))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("validation", cents.Kind());
        Assert.Equal(["price.amount"], cents.ErrorFields());
        Assert.Equal("Use a whole amount: JPY has no decimals.", cents.GetProperty("errors").GetProperty("price.amount")[0].GetString());
        var none = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/services", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(none.GetProperty("items").EnumerateArray());

        var created = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("Shiatsu", [diary], amount: "1500", currency: "JPY")))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("1500", created.GetProperty("price").GetProperty("amount").GetString());
        Assert.Equal("JPY", created.GetProperty("price").GetProperty("currency").GetString());
        var id = created.GetProperty("id").GetGuid();
        var read = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/services/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("1500", read.GetProperty("price").GetProperty("amount").GetString());
        var portal = await (await shared.App.NewClient().GetAsync(new Uri($"/api/v1/portal/services?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("1500", Assert.Single(portal.GetProperty("items").EnumerateArray()).GetProperty("price").GetProperty("amount").GetString());

        // The client's service list: the price as the API gives it, no ".00".
        var alice = await shared.App.RegisterClientAsync(biz);
        var page = await alice.Http.PageAsync($"/ol/new-booking?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("JPY 1500", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("1500.", page.Text, StringComparison.Ordinal);

        // The staff edit form: the stored price without decimals, a whole-number keypad and a hint.
        var form = await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri($"/staff/setup/services/{id}", UriKind.Relative)));
        var input = form.QuerySelector("input[name='Input.Price']")!;
        Assert.Equal("1500", input.GetAttribute("value"));
        Assert.Equal("numeric", input.GetAttribute("inputmode"));
        Assert.Contains("JPY has no decimals", form.QuerySelector("#price-hint")!.TextContent, StringComparison.Ordinal);
        var blank = await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri("/staff/setup/services/new", UriKind.Relative)));
        Assert.Equal("0", blank.QuerySelector("input[name='Input.Price']")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_kuwaiti_dinar_business_prices_with_three_decimals()
    {
        var biz = await shared.App.SignUpBusinessAsync(timeZone: "Asia/Kuwait", countryCode: "KW");
        var diary = await biz.CreateDiaryAsync();

        var fils = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("Cut", [diary], amount: "1.125", currency: "KWD")))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("1.125", fils.GetProperty("price").GetProperty("amount").GetString());
        var id = fils.GetProperty("id").GetGuid();
        var read = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/services/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("1.125", read.GetProperty("price").GetProperty("amount").GetString());

        var half = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{id}", SetupApi.ServiceBody("Cut", [diary], amount: "1.5", currency: "KWD")))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("1.500", half.GetProperty("price").GetProperty("amount").GetString());
        var portal = await (await shared.App.NewClient().GetAsync(new Uri($"/api/v1/portal/services?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("1.500", Assert.Single(portal.GetProperty("items").EnumerateArray()).GetProperty("price").GetProperty("amount").GetString());

        var tooFine = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{id}", SetupApi.ServiceBody("Cut", [diary], amount: "1.1255", currency: "KWD")))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["price.amount"], tooFine.ErrorFields());
        Assert.Equal("Use at most 3 decimals.", tooFine.GetProperty("errors").GetProperty("price.amount")[0].GetString());
        var after = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/services/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("1.500", after.GetProperty("price").GetProperty("amount").GetString());
    }

    [Fact]
    public async Task An_australian_dollar_business_keeps_two_decimals()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var diary = await biz.CreateDiaryAsync();

        var created = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("Massage", [diary], amount: "45")))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("45.00", created.GetProperty("price").GetProperty("amount").GetString());
        var cents = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("Massage", [diary], amount: "45.125")))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Use at most 2 decimals.", cents.GetProperty("errors").GetProperty("price.amount")[0].GetString());
    }
}

/// <summary>The minor-units lookup (ICU/CLDR through .NET) and the wire format; no database.</summary>
public sealed class CurrencyDigitsTests
{
    [Theory]
    [InlineData("JPY", 0)]
    [InlineData("CLP", 0)]
    [InlineData("ISK", 0)]
    [InlineData("KWD", 3)]
    [InlineData("BHD", 3)]
    [InlineData("EUR", 2)]
    [InlineData("AUD", 2)]
    [InlineData("USD", 2)]
    [InlineData("usd", 2)]
    [InlineData("XXX", 2)] // no culture uses it: the default
    public void Minor_units_come_from_icu(string currency, int digits) => Assert.Equal(digits, CurrencyDigits.Of(currency));

    [Theory]
    [InlineData("1500", "JPY", "1500")]
    [InlineData("1.125", "KWD", "1.125")]
    [InlineData("1.5", "KWD", "1.500")]
    [InlineData("45", "AUD", "45.00")]
    [InlineData("1500.50", "JPY", "1500.50")] // stored before prices followed the currency: shown as stored, not rounded
    [InlineData("1500.500", "JPY", "1500.50")] // the same read back from numeric(13,3)
    [InlineData("1500.000", "JPY", "1500")]
    public void Money_is_written_with_the_currencys_decimals(string amount, string currency, string expected) =>
        Assert.Equal(expected, new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency).Format());
}
