using System.Globalization;

namespace Booking.BuildingBlocks.Web;

/// <summary>
/// A list route's <c>limit</c> as typed in the query. Text that is not a whole number reads as 0, which every list's
/// validator refuses on <c>limit</c> in its own words ("Use a limit from 1 to …"), so a bad limit is listed with every
/// other bad field of the request (house rule 7) instead of answering alone before the validator runs.
/// </summary>
public static class QueryLimit
{
    public static int? Read(string? limit) =>
        string.IsNullOrEmpty(limit) ? null
        : int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : 0;
}
