using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>"Add to calendar": the appointment as an .ics download (only the client's own).</summary>
public sealed class CalendarModel(TimeProvider clock) : PortalPageModel
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

        var ics = PortalCalendar.Build(appointment, Business.Name, Business.TimeZone, clock.GetUtcNow());
        return File(System.Text.Encoding.UTF8.GetBytes(ics), "text/calendar; charset=utf-8", $"appointment-{appointment.Start:yyyy-MM-dd}.ics");
    }
}
