using System.Globalization;

namespace Booking.BuildingBlocks.Contracts;

/// <summary>
/// An amount in the tenant's currency. On the wire: { "amount": "45.00", "currency": "AUD" }, the amount with the
/// currency's decimals (<see cref="CurrencyDigits"/>): JPY "1500", KWD "1.125".
/// </summary>
public sealed record Money(decimal Amount, string Currency)
{
    /// <summary>
    /// The amount with the currency's decimals, invariant culture. An amount stored before prices followed the
    /// currency (e.g. ¥1500.50, when every price had 2 decimals) is shown as before, "1500.50", never rounded, so nobody
    /// reads a price other than the one kept; writing it again is refused until it is made whole.
    /// </summary>
    public string Format()
    {
        var digits = CurrencyDigits.Of(Currency);
        if (!CurrencyDigits.Fits(Amount, Currency))
        {
            digits = Math.Max(CurrencyDigits.Default, Decimals(Amount));
        }

        return Amount.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

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
