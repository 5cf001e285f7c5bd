using System.Collections.Frozen;
using System.Globalization;

namespace Booking.BuildingBlocks.Contracts;

/// <summary>
/// How many decimals (minor units) a currency's amounts have, from ICU/CLDR like <c>Regions</c> in Tenancy: the
/// <see cref="NumberFormatInfo.CurrencyDecimalDigits"/> of the specific cultures whose region uses the currency (they
/// agree for every currency on the ICU this was written against: JPY 0, KWD 3, BHD 3, CLP 0, ISK 0, EUR/AUD/USD 2).
/// Caveat: CLDR gives the digits in everyday use, which for a few currencies is 0 where ISO 4217 says 2 or 3
/// (e.g. IQD, IRR, LBP, RSD, ALL); those businesses price in whole units. Where the cultures disagree, the fewest
/// digits win; a currency no culture uses gets 2.
/// </summary>
public static class CurrencyDigits
{
    public const int Default = 2;

    /// <summary>The most any known currency has (ISO 4217's KWD, BHD, OMR, JOD, TND, LYD).</summary>
    public const int Max = 3;

    private static readonly Lazy<FrozenDictionary<string, int>> Digits = new(() =>
        CultureInfo.GetCultures(CultureTypes.SpecificCultures)
            .Select(c =>
            {
                try
                {
                    return (Currency: new RegionInfo(c.Name).ISOCurrencySymbol, Digits: c.NumberFormat.CurrencyDecimalDigits);
                }
                catch (ArgumentException)
                {
                    return (Currency: "", Digits: 0);
                }
            })
            .Where(x => x.Currency is { Length: 3 })
            .GroupBy(x => x.Currency, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => Math.Min(g.Min(x => x.Digits), Max), StringComparer.Ordinal));

    /// <summary>Whether ICU knows the code (upper case, as ISO 4217 writes it) as some region's currency.</summary>
    public static bool IsKnown(string? code) => code is { Length: 3 } && Digits.Value.ContainsKey(code);

    /// <summary>The currency's minor units (JPY 0, AUD 2, KWD 3).</summary>
    public static int Of(string currency) =>
        Digits.Value.TryGetValue(currency.ToUpperInvariant(), out var digits) ? digits : Default;

    /// <summary>Whether the amount has no more decimals than the currency allows.</summary>
    public static bool Fits(decimal amount, string currency) => decimal.Round(amount, Of(currency)) == amount;
}
