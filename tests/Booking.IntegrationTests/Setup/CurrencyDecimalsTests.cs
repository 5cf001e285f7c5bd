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
        await biz.RosterEveryDayAsync(diary, "09:00", "17:00"); // bookable, so the portal lists its services

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

        // The client's pages: the price as people in Japan read it (Money.Display), no ".00"; the API above keeps "1500".
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("Reiki", [diary], amount: "12000", currency: "JPY")))
            .JsonAsync(HttpStatusCode.Created);
        var alice = await shared.App.RegisterClientAsync(biz, withMobile: false);
        await AssertPortalPricesAsync(alice, biz, id, "¥1,500");
        Assert.DoesNotContain("1,500.", (await alice.Http.PageAsync($"/ol/new-booking?name={biz.Slug}")).Text, StringComparison.Ordinal);
        Assert.DoesNotContain("JPY", (await alice.Http.PageAsync($"/ol/new-booking?name={biz.Slug}")).Text, StringComparison.Ordinal);

        // The staff list shows it the same way; the form below keeps the plain number.
        Assert.Equal("¥1,500", await StaffListPriceAsync(biz, "Shiatsu"));

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
        await biz.RosterEveryDayAsync(diary, "09:00", "17:00"); // bookable, so the portal lists its services

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
        await biz.RosterEveryDayAsync(diary, "09:00", "17:00"); // bookable, so the portal lists its services

        var created = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("Massage", [diary], amount: "45")))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("45.00", created.GetProperty("price").GetProperty("amount").GetString());
        var cents = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("Massage", [diary], amount: "45.125")))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Use at most 2 decimals.", cents.GetProperty("errors").GetProperty("price.amount")[0].GetString());

        // People read "$45.00" (Australia's own dollar); a dearer one is grouped on the pages, never on the wire.
        var dear = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("Retreat", [diary], amount: "12345.5")))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("12345.50", dear.GetProperty("price").GetProperty("amount").GetString());
        var alice = await shared.App.RegisterClientAsync(biz, withMobile: false);
        await AssertPortalPricesAsync(alice, biz, created.GetProperty("id").GetGuid(), "$45.00");
        await AssertPortalPricesAsync(alice, biz, dear.GetProperty("id").GetGuid(), "$12,345.50");
        Assert.Equal("$45.00", await StaffListPriceAsync(biz, "Massage"));
        Assert.Equal("$12,345.50", await StaffListPriceAsync(biz, "Retreat"));
        var form = await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri($"/staff/setup/services/{dear.GetProperty("id").GetGuid()}", UriKind.Relative)));
        Assert.Equal("12345.50", form.QuerySelector("input[name='Input.Price']")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_business_pricing_in_another_countrys_currency_shows_its_code()
    {
        // In Australia a bare "$" reads as AUD: a business there pricing in US dollars shows "USD 45.00".
        var biz = await shared.App.SignUpBusinessAsync(countryCode: "AU", currency: "USD");
        var diary = await biz.CreateDiaryAsync();
        await biz.RosterEveryDayAsync(diary, "09:00", "17:00"); // bookable, so the portal lists its services
        var created = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("Massage", [diary], amount: "45", currency: "USD")))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("45.00", created.GetProperty("price").GetProperty("amount").GetString());
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("Facial", [diary], amount: "60", currency: "USD")))
            .JsonAsync(HttpStatusCode.Created);

        var alice = await shared.App.RegisterClientAsync(biz, withMobile: false);
        await AssertPortalPricesAsync(alice, biz, created.GetProperty("id").GetGuid(), "USD 45.00");
        Assert.Equal("USD 45.00", await StaffListPriceAsync(biz, "Massage"));
    }

    /// <summary>
    /// The service list (the business has more than one service, so it is shown), the chosen service and the confirm
    /// page all show the service's price as <paramref name="shown"/>.
    /// </summary>
    private static async Task AssertPortalPricesAsync(PortalClient client, TestBusiness biz, Guid serviceId, string shown)
    {
        var list = await client.Http.PageAsync($"/ol/new-booking?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal($"60 min · {shown} · A service", list.One($"#service-{serviceId:N}-about")?.TextContent);

        var chosen = await client.Http.PageAsync($"/ol/new-booking?name={biz.Slug}&service={serviceId}");
        Assert.Equal(HttpStatusCode.OK, chosen.Status);
        Assert.Contains($" · 60 min · {shown}", chosen.Text, StringComparison.Ordinal);

        var start = Uri.EscapeDataString(SchedulingApi.At(SchedulingApi.Day(2), 10));
        var confirm = await client.Http.PageAsync($"/ol/new-booking/confirm?name={biz.Slug}&service={serviceId}&diary=any&start={start}");
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        var price = confirm.All("dl.summary dt").Single(dt => dt.TextContent == "Price").NextElementSibling!;
        Assert.Equal(shown, price.TextContent);
    }

    /// <summary>The Price cell of the staff services list's row for the service.</summary>
    private static async Task<string> StaffListPriceAsync(TestBusiness biz, string service)
    {
        var page = await biz.Owner.PageAsync("/staff/setup/services");
        var row = page.All("tbody tr").Single(r => r.QuerySelector("td a")!.TextContent == service);
        return row.QuerySelectorAll("td")[2].TextContent.Trim();
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
