using Booking.BuildingBlocks.Tenancy;
using NodaTime;

namespace Booking.BuildingBlocks.Time;

/// <summary>Answers carry instants with the business's offset (stored in UTC, shown in the business's zone).</summary>
public static class BusinessTime
{
    public static DateTimeOffset Local(this ITenantContext tenant, DateTimeOffset instant)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(tenant.Current?.TimeZone ?? "UTC") ?? DateTimeZone.Utc;
        return Instant.FromDateTimeOffset(instant).InZone(zone).ToDateTimeOffset();
    }
}
