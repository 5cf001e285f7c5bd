using Booking.BuildingBlocks.Time;
using Booking.IntegrationTests.Infrastructure;
using NodaTime;
using NodaTime.Text;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// What the appointment SMS tests share (<see cref="AppointmentSmsTests"/>, <see cref="RequestDecisionSmsTests"/>): the
/// time as a text writes it, and whether PortalAuth's SMS handler marked an event processed.
/// </summary>
internal static class AppointmentTexts
{
    /// <summary><paramref name="hour"/>:00 on <paramref name="day"/> in Sydney as a text writes it: "Monday 7 December 2026 at 10:00 AM AEDT".</summary>
    public static string When(LocalDate day, int hour)
    {
        var zoned = day.At(new LocalTime(hour, 0)).InZoneLeniently(Sydney);
        return ZonedDateTimePattern.CreateWithInvariantCulture("dddd d MMMM yyyy 'at' h:mm tt", null).Format(zoned) + " " + ZoneAbbreviation.Of(zoned);
    }

    /// <summary>True once <paramref name="consumer"/> (an SMS handler of PortalAuth's) marked the event processed; else null.</summary>
    public static Task<bool?> HandledAsync(this BookingApp app, Guid eventId, string consumer) => Sql.AdminScalarAsync<bool?>(app.Database.Database,
        "select true from portalauth.processed_events where event_id = @e and consumer = @c", ("e", eventId), ("c", consumer));
}
