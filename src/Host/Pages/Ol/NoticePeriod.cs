using System.Globalization;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// A cancellation window's hours as a client reads them: "30 days" for a whole number of days from two days up
/// (720 hours is not how anyone says a month), "1 hour" and "36 hours" otherwise.
/// </summary>
public static class NoticePeriod
{
    public static string Text(int hours) =>
        hours >= 48 && hours % 24 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours / 24} days")
            : string.Create(CultureInfo.InvariantCulture, $"{hours} hour{(hours == 1 ? "" : "s")}");
}
