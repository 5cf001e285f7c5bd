using Booking.BuildingBlocks.Tenancy;
using NodaTime;

namespace Booking.Notifications.Rendering;

/// <summary>Answers carry instants with the business's offset.</summary>
public static class BusinessTime
{
    public static DateTimeOffset Local(this ITenantContext tenant, DateTimeOffset instant)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(tenant.Current?.TimeZone ?? "UTC") ?? DateTimeZone.Utc;
        return Instant.FromDateTimeOffset(instant).InZone(zone).ToDateTimeOffset();
    }
}
