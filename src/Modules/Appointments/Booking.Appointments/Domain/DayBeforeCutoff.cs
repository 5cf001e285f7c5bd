using System.Globalization;
using NodaTime;
using NodaTime.TimeZones;

namespace Booking.Appointments.Domain;

/// <summary>
/// The day-before cut-off (decision 290): online bookings for a local date D close at a local time on D − 1, so a date
/// is open only before that time the day before, and the same day never is. Judged in the business's zone. The closing
/// time is resolved leniently: a time the clocks skip that night closes as far after the jump as it lay in the gap
/// (NodaTime's forward shift: 01:30 in a 01:00→02:00 gap closes at 02:30), a time they repeat closes at its first pass.
/// </summary>
public static class DayBeforeCutoff
{
    /// <summary>The booking rules' wire form, "HH:mm"; anything else (null, "") is no cut-off.</summary>
    public static LocalTime? Parse(string? text) =>
        text is { Length: 5 } && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? LocalTime.FromTimeOnly(time)
            : null;

    /// <summary>The instant online booking for <paramref name="date"/> closes: the cut-off's time on the date before.</summary>
    public static Instant Closes(LocalTime cutoff, DateTimeZone zone, LocalDate date) =>
        zone.ResolveLocal(date.PlusDays(-1).At(cutoff), Resolvers.LenientResolver).ToInstant();

    /// <summary>The first local date still open at <paramref name="now"/>: tomorrow before today's cut-off, else the day after.</summary>
    public static LocalDate FirstOpenDate(LocalTime cutoff, DateTimeZone zone, Instant now)
    {
        var tomorrow = now.InZone(zone).Date.PlusDays(1);
        return now < Closes(cutoff, zone, tomorrow) ? tomorrow : tomorrow.PlusDays(1);
    }

    /// <summary>The earliest start the cut-off allows: the start of the first open date in the zone.</summary>
    public static Instant Earliest(LocalTime cutoff, DateTimeZone zone, Instant now) =>
        FirstOpenDate(cutoff, zone, now).AtStartOfDayInZone(zone).ToInstant();
}
