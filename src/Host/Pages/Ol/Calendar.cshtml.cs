using Booking.Notifications.Rendering;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>"Add to calendar": the appointment as an .ics download (only the client's own).</summary>
public sealed class CalendarModel : PortalPageModel
{
    protected override bool RequiresClient => true;

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
        var invite = new CalendarInvite(appointment.Id, appointment.Status == "cancelled" ? CalendarInvite.Cancel : CalendarInvite.Publish, 0,
            appointment.Start, appointment.End, $"{appointment.Service.Name} with {appointment.Diary.Name}", Tentative: appointment.Status == "requested");
        var ics = EmailRenderer.BuildCalendar(invite, new BusinessLook(Business.Name, Business.Slug, Business.TimeZone, "", null, PortalUrl("/ol/book")));
        return File(System.Text.Encoding.UTF8.GetBytes(ics), "text/calendar; charset=utf-8", $"appointment-{appointment.Start:yyyy-MM-dd}.ics");
    }
}
