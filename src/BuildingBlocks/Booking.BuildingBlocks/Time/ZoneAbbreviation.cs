using NodaTime;
using NodaTime.TimeZones;
using NodaTime.Text;

namespace Booking.BuildingBlocks.Time;

/// <summary>
/// What a time's zone is called then, for people: tzdb's abbreviation ("EDT", then "EST" once the clocks go back), or,
/// where tzdb has only a number ("+04", "-03"), "UTC+04" / "UTC+05:45". One rule for emails and pages alike.
/// </summary>
public static class ZoneAbbreviation
{
    private static readonly OffsetPattern WholeHours = OffsetPattern.CreateWithInvariantCulture("+HH");
    private static readonly OffsetPattern HoursAndMinutes = OffsetPattern.CreateWithInvariantCulture("+HH:mm");

    public static string Of(ZonedDateTime zoned) => Of(zoned.GetZoneInterval());

    public static string Of(ZoneInterval interval)
    {
        var name = interval.Name;
        if (name.Length > 0 && name.All(char.IsAsciiLetter))
        {
            return name;
        }

        var offset = interval.WallOffset;
        return "UTC" + (offset.Seconds % 3600 == 0 ? WholeHours : HoursAndMinutes).Format(offset);
    }
}
