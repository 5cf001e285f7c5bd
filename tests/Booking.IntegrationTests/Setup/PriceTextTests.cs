using System.Text.Json;
using Booking.BuildingBlocks.Contracts;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// A price typed on the staff service form is read as the number the person wrote (decision 174): "12,50" was saved
/// as 1,250.00 and "£12.50" was refused. Where a number could be read two ways the form asks which.
/// </summary>
public sealed class PriceTextTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Theory]
    [InlineData("45", "AUD", "AU", "45")]
    [InlineData("45.00", "AUD", "AU", "45.00")]
    [InlineData("$45", "AUD", "AU", "45")]
    [InlineData("£12.50", "GBP", "GB", "12.50")]
    [InlineData("12,50", "GBP", "GB", "12.50")]
    [InlineData("12,50 €", "EUR", "DE", "12.50")]
    [InlineData("€12.5", "EUR", "DE", "12.5")]
    [InlineData("1,250", "GBP", "GB", "1250")]
    [InlineData("1,250.50", "GBP", "GB", "1250.50")]
    [InlineData("1.250,50", "EUR", "DE", "1250.50")]
    [InlineData("1.250", "EUR", "DE", "1250")]
    [InlineData("1 250,50", "EUR", "FR", "1250.50")]
    [InlineData("CHF 1'250.50", "CHF", "CH", "1250.50")]
    [InlineData("1,250,000", "USD", "US", "1250000")]
    [InlineData("1.125", "KWD", "KW", "1.125")]
    [InlineData("1500", "JPY", "JP", "1500")]
    [InlineData("¥1,500", "JPY", "JP", "1500")]
    [InlineData(".50", "AUD", "AU", "0.50")]
    public void A_typed_price_is_the_number_written(string typed, string currency, string country, string expected)
    {
        var amount = PriceText.Parse(typed, currency, country, out var problem);
        Assert.Null(problem);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), amount);
    }

    [Theory]
    [InlineData("1.250", "GBP", "GB", "could be 1250 or 1.25")]
    [InlineData("1,250", "EUR", "DE", "could be 1250 or 1.25")]
    [InlineData("12,5,0", "GBP", "GB", "such as 45.00")]
    [InlineData("1,25,000", "USD", "US", "such as 45.00")]
    [InlineData("-5", "AUD", "AU", "A price cannot be negative")]
    [InlineData("$-50", "AUD", "AU", "A price cannot be negative")]
    [InlineData("−£12", "GBP", "GB", "A price cannot be negative")]
    [InlineData("forty", "AUD", "AU", "such as 45.00")]
    [InlineData("1.2.3,4", "EUR", "DE", "such as 45.00")]
    [InlineData("12 50", "EUR", "FR", "such as 45.00")]
    public void A_price_that_is_not_one_number_is_refused_saying_what_to_write(string typed, string currency, string country, string said)
    {
        Assert.Null(PriceText.Parse(typed, currency, country, out var problem));
        Assert.Contains(said, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_form_saves_a_comma_price_as_twelve_fifty_and_asks_about_an_ambiguous_one()
    {
        var biz = await shared.App.SignUpBusinessAsync("price", "Europe/London", "GB");
        var diary = await biz.CreateDiaryAsync();
        var form = await biz.Owner.PageAsync("/staff/setup/services/new");

        var ambiguous = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Input.Name", "Dog wash"), ("Input.DurationMinutes", "45"), ("Input.Price", "1.250"),
            ("Input.DiaryIds", diary.ToString())), "main form");
        Assert.Contains("could be 1250 or 1.25", ambiguous.One("#price-error")!.TextContent, StringComparison.Ordinal);
        var none = await biz.Owner.GetStringAsync(new Uri("/api/v1/admin/services", UriKind.Relative));
        Assert.DoesNotContain("Dog wash", none, StringComparison.Ordinal);

        await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Input.Name", "Dog wash"), ("Input.DurationMinutes", "45"), ("Input.Price", "12,50"),
            ("Input.DiaryIds", diary.ToString())), "main form");
        var saved = JsonDocument.Parse(await biz.Owner.GetStringAsync(new Uri("/api/v1/admin/services", UriKind.Relative))).RootElement;
        var items = saved.ValueKind == JsonValueKind.Array ? saved : saved.GetProperty("items");
        var wash = Assert.Single(items.EnumerateArray(), s => s.GetProperty("name").GetString() == "Dog wash");
        Assert.Equal("12.50", wash.GetProperty("price").GetProperty("amount").GetString());
        Assert.Equal("GBP", wash.GetProperty("price").GetProperty("currency").GetString());
    }
}
