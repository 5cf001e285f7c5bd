using Booking.BuildingBlocks.Time;
using NodaTime;

namespace Booking.Tenancy.Tests;

/// <summary>The one rule emails and staff pages name a zone by: tzdb's letters, else the offset from UTC.</summary>
public sealed class ZoneAbbreviationTests
{
    [Theory]
    [InlineData("America/New_York", "2026-07-01T12:00:00Z", "EDT")]
    [InlineData("America/New_York", "2026-12-01T12:00:00Z", "EST")]
    [InlineData("America/Santiago", "2026-01-15T12:00:00Z", "UTC-03")] // tzdb says "-03": Chile changes its clocks with numbers only
    [InlineData("America/Santiago", "2026-07-15T12:00:00Z", "UTC-04")]
    [InlineData("Asia/Dubai", "2026-07-01T12:00:00Z", "UTC+04")]
    [InlineData("Asia/Kathmandu", "2026-07-01T12:00:00Z", "UTC+05:45")]
    [InlineData("Etc/UTC", "2026-07-01T12:00:00Z", "UTC")]
    public void A_zone_is_named_by_its_letters_or_else_its_offset(string zone, string at, string expected)
    {
        var zoned = Instant.FromDateTimeOffset(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture))
            .InZone(DateTimeZoneProviders.Tzdb[zone]);
        Assert.Equal(expected, ZoneAbbreviation.Of(zoned));
        Assert.Equal(expected, ZoneAbbreviation.Of(zoned.GetZoneInterval()));
    }

    [Theory]
    [InlineData("America/New_York", "2027-11-07T05:30:00Z", "EDT")] // 1:30 the first time
    [InlineData("America/New_York", "2027-11-07T06:30:00Z", "EST")] // 1:30 again, an hour later
    [InlineData("America/New_York", "2027-03-14T12:00:00Z", "EDT")] // spring forward: noon, after the change, still named
    [InlineData("America/New_York", "2027-11-10T06:30:00Z", null)] // an ordinary day stays bare
    [InlineData("America/Santiago", "2027-04-03T12:00:00Z", "UTC-03")] // Chile goes back at midnight: named by number
    [InlineData("Asia/Dubai", "2027-11-07T12:00:00Z", null)] // no clock changes at all
    public void Pages_name_the_zone_only_on_a_day_the_clocks_change(string zone, string at, string? expected)
    {
        var zoned = Instant.FromDateTimeOffset(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture))
            .InZone(DateTimeZoneProviders.Tzdb[zone]);
        Assert.Equal(expected, ZoneAbbreviation.OnChangeDay(zoned));
        Assert.Equal(expected is not null, ZoneAbbreviation.IsChangeDay(zoned.Zone, zoned.Date));
    }

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Pacific/Kiritimati")] // UTC+14: the first day's start is before the first instant
    [InlineData("Etc/GMT+12")]
    public void The_calendars_first_and_last_days_are_not_change_days_and_do_not_throw(string zone)
    {
        var tz = DateTimeZoneProviders.Tzdb[zone];
        Assert.False(ZoneAbbreviation.IsChangeDay(tz, LocalDate.MaxIsoValue));
        Assert.False(ZoneAbbreviation.IsChangeDay(tz, LocalDate.MaxIsoValue.PlusDays(-1)));
        Assert.False(ZoneAbbreviation.IsChangeDay(tz, LocalDate.MinIsoValue));
        Assert.False(ZoneAbbreviation.IsChangeDay(tz, LocalDate.MinIsoValue.PlusDays(1)));
    }
}
