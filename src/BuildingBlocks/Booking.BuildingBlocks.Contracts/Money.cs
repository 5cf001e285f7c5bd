using System.Globalization;

namespace Booking.BuildingBlocks.Contracts;

/// <summary>An amount in the tenant's currency. On the wire: { "amount": "45.00", "currency": "AUD" }.</summary>
public sealed record Money(decimal Amount, string Currency)
{
    public string Format() => Amount.ToString("0.00", CultureInfo.InvariantCulture);
}
