using System.Collections.Concurrent;
using System.Globalization;

namespace Booking.BuildingBlocks.Contracts;

/// <summary>
/// The symbol people in a country use for its own currency, as ICU/CLDR writes it in English (our pages are English):
/// the currency symbol of the culture <c>en-&lt;country&gt;</c>, which ICU builds for any region it knows, listed or
/// not (en-AU "$", en-JP "¥", en-DE "€", en-CN "CN¥", en-MX "MX$"). None (the caller shows the ISO code) when the
/// currency is not the country's own (a bare "$" for USD in Australia would read as AUD), when the country is unknown,
/// or when ICU has no symbol at all ("¤"). Where ICU's English has no symbol of its own it gives the code (en-KW "KWD").
/// </summary>
internal static class CurrencySymbols
{
    private static readonly ConcurrentDictionary<(string Country, string Currency), string?> Cache = new();

    /// <summary>The local symbol of <paramref name="currency"/> in <paramref name="countryCode"/>, or null.</summary>
    public static string? Local(string? countryCode, string currency)
    {
        if (countryCode is not { Length: 2 } || currency is not { Length: 3 })
        {
            return null;
        }

        return Cache.GetOrAdd((countryCode.ToUpperInvariant(), currency.ToUpperInvariant()), static key =>
        {
            try
            {
                if (!string.Equals(new RegionInfo(key.Country).ISOCurrencySymbol, key.Currency, StringComparison.Ordinal))
                {
                    return null;
                }

                var symbol = CultureInfo.GetCultureInfo("en-" + key.Country).NumberFormat.CurrencySymbol.Trim();
                return symbol.Length == 0 || symbol.Contains('¤', StringComparison.Ordinal) ? null : symbol;
            }
            catch (ArgumentException)
            {
                // Not a region .NET/ICU knows (CultureNotFoundException is an ArgumentException too).
                return null;
            }
        });
    }

    /// <summary>
    /// Symbol, then number; a space between them when the symbol ends in a letter or punctuation, as ICU's currency
    /// spacing does ("$45.00", "HK$45.00", "CHF 45.00", "kr. 45.00", "USD 45.00").
    /// </summary>
    public static string Join(string symbol, string number) =>
        symbol.Length == 0 ? number
        : char.GetUnicodeCategory(symbol[^1]) is UnicodeCategory.CurrencySymbol or UnicodeCategory.MathSymbol
            or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol
            ? symbol + number
            : symbol + " " + number;
}
