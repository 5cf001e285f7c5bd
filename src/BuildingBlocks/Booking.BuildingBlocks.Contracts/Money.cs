using System.Globalization;

namespace Booking.BuildingBlocks.Contracts;

/// <summary>
/// An amount in the tenant's currency. On the wire: { "amount": "45.00", "currency": "AUD" }, the amount with the
/// currency's decimals (<see cref="CurrencyDigits"/>): JPY "1500", KWD "1.125". To people: <see cref="Display"/>.
/// </summary>
public sealed record Money(decimal Amount, string Currency)
{
    /// <summary>
    /// The amount with the currency's decimals, invariant culture. An amount stored before prices followed the
    /// currency (e.g. ¥1500.50, when every price had 2 decimals) is shown as before, "1500.50", never rounded, so nobody
    /// reads a price other than the one kept; writing it again is refused until it is made whole.
    /// </summary>
    public string Format() =>
        Amount.ToString("F" + Digits().ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>
    /// The price as people read it on our (English) pages, for a business in <paramref name="countryCode"/>: the
    /// decimals of <see cref="Format"/> with English grouping, after the currency's local symbol when the currency is
    /// the country's own ("$45.00" in AU, "¥1,500" in JP, "€45.00" in DE), else after its ISO code ("USD 45.00" in AU,
    /// "KWD 1.125" where ICU has no symbol). See <see cref="CurrencySymbols"/>. Never on the wire or in form inputs.
    /// </summary>
    public string Display(string? countryCode)
    {
        var number = decimal.Abs(Amount).ToString("N" + Digits().ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var symbol = CurrencySymbols.Local(countryCode, Currency) ?? Currency.ToUpperInvariant();
        return (Amount < 0 ? "-" : "") + CurrencySymbols.Join(symbol, number);
    }

    /// <summary>The currency's decimals, or as many as a price stored before that rule has (never rounded).</summary>
    private int Digits() =>
        CurrencyDigits.Fits(Amount, Currency) ? CurrencyDigits.Of(Currency) : Math.Max(CurrencyDigits.Default, Decimals(Amount));

    /// <summary>Decimals that matter (1500.500 → 1).</summary>
    private static int Decimals(decimal amount)
    {
        var digits = 0;
        while (decimal.Round(amount, digits) != amount)
        {
            digits++;
        }

        return digits;
    }
}
