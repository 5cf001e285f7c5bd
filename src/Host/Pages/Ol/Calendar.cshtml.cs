using Booking.Notifications.Delivery;
using Booking.Notifications.Rendering;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// "Add to calendar": the appointment as an .ics download (only the client's own). Always METHOD:PUBLISH (a file the
/// client imports, not an invitation to answer); a cancelled appointment says STATUS:CANCELLED with the SEQUENCE of
/// the cancellation email's CANCEL, under the same UID, so a calendar holding the booking updates its entry.
/// </summary>
public sealed class CalendarModel(SmtpOptions smtp, TimeProvider clock) : PortalPageModel
{
    protected override bool RequiresClient => true;

    protected override PortalAccess RequiredAccess => PortalAccess.OneAppointment;

    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var appointment = await MyAppointment.FindAsync(Sender, ClientId!.Value, Id, cancellationToken);
        if (appointment is null)
        {
            return NotFound();
        }

        // The same builder and UID as the confirmation email's invite.
        var cancelled = appointment.Status == "cancelled";
        var invite = new CalendarInvite(appointment.Id, CalendarInvite.Publish, cancelled ? CalendarInvite.CancelledSequence : 0,
            appointment.Start, appointment.End, $"{appointment.Service.Name} with {appointment.Diary.Name}",
            Tentative: appointment.Status == "requested", Cancelled: cancelled);
        var ics = EmailRenderer.BuildCalendar(invite, new BusinessLook(Business.Name, Business.Slug, Business.TimeZone, "", null, PortalUrl("/ol/book")),
            new CalendarParties(smtp.FromAddress), clock.GetUtcNow());
        return File(System.Text.Encoding.UTF8.GetBytes(ics), "text/calendar; charset=utf-8", $"appointment-{appointment.Start:yyyy-MM-dd}.ics");
    }
}
