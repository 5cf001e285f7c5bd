using Booking.Appointments.Features.Scheduling;
using Booking.Appointments.Features.StaffDiary;

namespace Booking.Host.Pages.Staff.Diary;

/// <summary>
/// Who booked and who ended an appointment, and when, for staff pages (decision 269): "Aoife (staff) on Thursday
/// 3 December 2026 at 14:02", "Cancelled by the client on … — reason". In the business's zone, clock and date order
/// (<see cref="DiaryTime"/>). A staff member not kept (rows from before session 33) or no longer on the team is "staff".
/// </summary>
public static class WhoWords
{
    /// <summary>"on Thursday 3 December 2026 at 14:02", in the business's zone and date order.</summary>
    public static string On(DiaryTime time, DateTimeOffset at) => $"on {time.Long(time.LocalDateOf(at))} at {time.TimeOf(at)}";

    public static string Staff(NamedRef? member) => member is { Name.Length: > 0 } m ? $"{m.Name} (staff)" : "staff";

    /// <summary>The "Booked by" line: "the client, in the Client Portal, on …" or "Aoife (staff) on …".</summary>
    public static string Booked(StaffAppointmentView a, DiaryTime time) =>
        (a.Source == "portal" ? "the client, in the Client Portal," : Staff(a.BookedByStaff)) + " " + On(time, a.BookedAt);

    /// <summary>
    /// "Cancelled by the client on …", "Declined by Niamh (staff) on …", "Withdrawn by the client on …", with " — reason"
    /// when <paramref name="reason"/> is given; null while the appointment holds its time.
    /// </summary>
    public static string? Ended(DiaryTime time, string? ended, string? by, NamedRef? staff, DateTimeOffset? at, string? reason = null)
    {
        if (by is null || at is not { } when)
        {
            return null;
        }

        var verb = ended switch
        {
            "declined" => "Declined",
            "withdrawn" => "Withdrawn",
            _ => "Cancelled",
        };
        var who = by == "client" ? "the client" : Staff(staff);
        return $"{verb} by {who} {On(time, when)}" + (string.IsNullOrWhiteSpace(reason) ? "" : $" — {reason}");
    }
}
