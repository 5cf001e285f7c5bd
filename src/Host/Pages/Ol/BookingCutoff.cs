using Booking.Appointments.Domain;
using Booking.Roster.Contracts;
using NodaTime;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// The business's day-before cut-off as the portal's day lists tell it (decision 290): "Book by 20:00 the day before."
/// on the business's clock, and the first date it leaves open now, before which a day is closed to online booking.
/// </summary>
public sealed record BookingCutoff(string Line, LocalDate FirstOpenDay)
{
    /// <summary>Null when the business has no cut-off.</summary>
    public static BookingCutoff? For(BookingRulesView rules, PortalTime times, DateTimeOffset now) =>
        DayBeforeCutoff.Parse(rules.DayBeforeCutoff) is { } cutoff
            ? new BookingCutoff($"Book by {times.Format.Time(cutoff)} the day before.",
                DayBeforeCutoff.FirstOpenDate(cutoff, times.Zone, Instant.FromDateTimeOffset(now)))
            : null;

    /// <summary>The day can no longer be booked online because of the cut-off (the same day, or tomorrow after it).</summary>
    public bool Closes(LocalDate day) => day < FirstOpenDay;
}
