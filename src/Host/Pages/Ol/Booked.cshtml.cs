using Booking.Appointments.Features.PortalAppointments;
using Booking.BuildingBlocks.Problems;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>After booking: what was booked, its status, "add to calendar".</summary>
public sealed class BookedModel : PortalPageModel
{
    protected override bool RequiresClient => true;

    /// <summary>Not view: a client who may book sees what they booked even where the business hides the list.</summary>
    protected override PortalAccess RequiredAccess => PortalAccess.OneAppointment;

    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    public PortalAppointmentView? Appointment { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Appointment = await MyAppointment.FindAsync(Sender, ClientId!.Value, Id, cancellationToken);
        if (Appointment is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }
}

/// <summary>One of the signed-in client's own appointments, or null (missing, someone else's, malformed: alike).</summary>
public static class MyAppointment
{
    public static async Task<PortalAppointmentView?> FindAsync(Mediator.ISender sender, Guid clientId, string? id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var appointmentId))
        {
            return null;
        }

        try
        {
            return await sender.Send(new GetMyAppointment(clientId, appointmentId), cancellationToken);
        }
        catch (ProblemException p) when (p.Kind == ProblemKinds.NotFound)
        {
            return null;
        }
    }
}
