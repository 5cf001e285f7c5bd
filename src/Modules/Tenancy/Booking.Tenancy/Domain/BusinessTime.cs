using Booking.BuildingBlocks.Tenancy;
using NodaTime;

namespace Booking.Tenancy.Domain;

/// <summary>Answers carry instants with the business's offset (as Notifications' templates do).</summary>
internal static class BusinessTime
{
    public static DateTimeOffset Local(ITenantContext tenant, DateTimeOffset instant)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(tenant.Current?.TimeZone ?? "UTC") ?? DateTimeZone.Utc;
        return Instant.FromDateTimeOffset(instant).InZone(zone).ToDateTimeOffset();
    }
}
