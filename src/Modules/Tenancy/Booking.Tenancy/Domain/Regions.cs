using System.Collections.Frozen;
using System.Globalization;
using Booking.BuildingBlocks.Contracts;
using NodaTime;
using NodaTime.TimeZones;

namespace Booking.Tenancy.Domain;

/// <summary>Time zones, countries and currencies a business may choose, from tzdb and ICU.</summary>
public static class Regions
{
    private static readonly Lazy<FrozenSet<string>> Countries = new(() =>
        TzdbDateTimeZoneSource.Default.ZoneLocations!.Select(l => l.CountryCode).ToFrozenSet(StringComparer.Ordinal));

    public static bool IsTimeZone(string? zone) => zone is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is not null;

    public static bool IsCountry(string? code) => code is { Length: 2 } && Countries.Value.Contains(code);

    /// <summary>A currency some region uses, as ICU knows them (the same table that gives its decimals).</summary>
    public static bool IsCurrency(string? code) => CurrencyDigits.IsKnown(code);

    /// <summary>The country's currency, where ICU knows it.</summary>
    public static string? CurrencyOf(string country)
    {
        try
        {
            var symbol = new RegionInfo(country).ISOCurrencySymbol;
            return IsCurrency(symbol) ? symbol : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
