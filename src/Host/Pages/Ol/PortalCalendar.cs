using Booking.Appointments.Features.PortalAppointments;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using NodaTime;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// "Add to calendar": an .ics with the business's VTIMEZONE and local times. The UID is the one the confirmation
/// email's invite uses, so a calendar that has both keeps one event.
/// </summary>
public static class PortalCalendar
{
    public static string Build(PortalAppointmentView appointment, string businessName, string timeZone, DateTimeOffset now)
    {
        var zoneId = DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) is null ? "UTC" : timeZone;
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        DateTime Local(DateTimeOffset t) => Instant.FromDateTimeOffset(t).InZone(zone).LocalDateTime.ToDateTimeUnspecified();

        var calendar = new Ical.Net.Calendar { Method = "PUBLISH" };
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(zoneId));
        calendar.Events.Add(new CalendarEvent
        {
            Uid = $"appointment-{appointment.Id:N}@booking",
            Summary = $"{appointment.Service.Name} with {appointment.Diary.Name}",
            Description = $"{appointment.Service.Name} at {businessName}",
            Location = businessName,
            DtStart = new CalDateTime(Local(appointment.Start), zoneId),
            DtEnd = new CalDateTime(Local(appointment.End), zoneId),
            DtStamp = new CalDateTime(now.UtcDateTime, "UTC"),
            Status = appointment.Status == "cancelled" ? "CANCELLED" : appointment.Status == "requested" ? "TENTATIVE" : "CONFIRMED",
        });
        return new CalendarSerializer().SerializeToString(calendar)!;
    }
}
