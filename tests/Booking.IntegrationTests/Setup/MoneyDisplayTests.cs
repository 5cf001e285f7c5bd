using System.Globalization;
using Booking.BuildingBlocks.Contracts;
using Booking.Services.Features.Catalogue;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// Money as people read it (<see cref="Money.Display"/>): the country's own symbol from ICU's English data, English
/// grouping, the currency's decimals; the ISO code when the currency is not the country's or has no symbol. No database.
/// </summary>
public sealed class MoneyDisplayTests
{
    [Theory]
    [InlineData("45", "AUD", "AU", "$45.00")]
    [InlineData("1500", "JPY", "JP", "¥1,500")] // en-JP is not a listed culture; ICU builds it with JPY's English symbol
    [InlineData("1.125", "KWD", "KW", "KWD 1.125")] // three decimals; ICU's English has no symbol of its own for KWD
    [InlineData("1.5", "KWD", "KW", "KWD 1.500")]
    [InlineData("45", "EUR", "DE", "€45.00")] // English number style, not German "45,00 €"
    [InlineData("12345.5", "AUD", "AU", "$12,345.50")] // grouped
    [InlineData("1234567", "JPY", "JP", "¥1,234,567")]
    [InlineData("45", "USD", "US", "$45.00")]
    [InlineData("45", "USD", "AU", "USD 45.00")] // not the country's own currency: a bare "$" would read as AUD
    [InlineData("45", "EUR", "AU", "EUR 45.00")]
    [InlineData("45", "CHF", "CH", "CHF 45.00")] // the symbol is the code
    [InlineData("45", "DKK", "DK", "kr. 45.00")] // a symbol ending in a letter or a dot is spaced from the number
    [InlineData("45", "AUD", "ZZ", "AUD 45.00")] // an unknown country
    [InlineData("45", "AUD", "", "AUD 45.00")]
    [InlineData("45", "AUD", "au", "$45.00")]
    [InlineData("1500.50", "JPY", "JP", "¥1,500.50")] // stored before prices followed the currency: as stored, not rounded
    [InlineData("0", "JPY", "JP", "¥0")]
    public void A_price_reads_in_the_countrys_own_terms(string amount, string currency, string country, string expected) =>
        Assert.Equal(expected, new Money(decimal.Parse(amount, CultureInfo.InvariantCulture), currency).Display(country));

    [Fact]
    public void No_country_shows_the_iso_code() =>
        Assert.Equal("NZD 7.50", new Money(7.5m, "NZD").Display(null));

    [Fact]
    public void The_wire_format_keeps_no_grouping_and_no_symbol()
    {
        var money = new Money(12345.5m, "AUD");
        Assert.Equal("12345.50", money.Format());
        Assert.Equal("12345.50", MoneyResponse.From(money).Amount);
        Assert.Equal("$12,345.50", money.Display("AU"));
    }

    [Theory]
    [InlineData("1500", "JPY", "JP", "¥1,500")]
    [InlineData("1.500", "KWD", "KW", "KWD 1.500")]
    [InlineData("1500.50", "JPY", "JP", "¥1,500.50")]
    public void A_wire_amount_on_a_page_reads_the_same(string amount, string currency, string country, string expected) =>
        Assert.Equal(expected, new MoneyResponse(amount, currency).Display(country));
}
