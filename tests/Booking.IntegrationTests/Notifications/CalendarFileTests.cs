using System.Globalization;
using Booking.Notifications.Rendering;
using NodaTime;

namespace Booking.IntegrationTests.Notifications;

/// <summary>The times of emails: in the business's zone, with the zone's abbreviation.</summary>
public sealed class CalendarFileTests
{
    private const string NewYork = "America/New_York";

    [Theory]
    [InlineData(NewYork, "2026-07-14T13:00:00Z", "Tuesday 14 July 2026 at 9:00 AM EDT")]
    [InlineData(NewYork, "2026-11-01T05:30:00Z", "Sunday 1 November 2026 at 1:30 AM EDT")]
    [InlineData(NewYork, "2026-11-01T06:30:00Z", "Sunday 1 November 2026 at 1:30 AM EST")]
    [InlineData("Australia/Sydney", "2026-03-10T23:00:00Z", "Wednesday 11 March 2026 at 10:00 AM AEDT")]
    [InlineData("Asia/Dubai", "2026-07-14T05:00:00Z", "Tuesday 14 July 2026 at 9:00 AM UTC+04")]
    [InlineData("Asia/Kathmandu", "2026-07-14T03:15:00Z", "Tuesday 14 July 2026 at 9:00 AM UTC+05:45")]
    [InlineData("America/Sao_Paulo", "2026-07-14T12:00:00Z", "Tuesday 14 July 2026 at 9:00 AM UTC-03")]
    [InlineData("UTC", "2026-07-14T09:00:00Z", "Tuesday 14 July 2026 at 9:00 AM UTC")]
    public void Email_times_carry_the_zone_abbreviation_or_the_offset_from_UTC(string zone, string instant, string expected) =>
        Assert.Equal(expected, EmailRenderer.FormatInstant(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture), DateTimeZoneProviders.Tzdb[zone]));
}
