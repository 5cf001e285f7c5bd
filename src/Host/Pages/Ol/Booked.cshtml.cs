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

    /// <summary>No appointment of the signed-in client's by this id: whose account this is, and a sign-out back here.</summary>
    public NotInThisAccount? NotMine { get; private set; }

    /// <summary>
    /// The heading and the status line say what is true now (review J1): the page is reached again later (Back, history,
    /// a bookmark), when the appointment may be cancelled, asked to be cancelled, or over.
    /// </summary>
    public (string Heading, string Line) Now => Appointment?.Ended switch
    {
        // A booking request that ended before anyone accepted it: nothing was booked.
        "withdrawn" => ("Booking request withdrawn", "You withdrew this booking request; nothing was booked."),
        "declined" => ("Booking request declined", $"{Business.Name} could not accept this booking request; nothing was booked."),
        "request-cancelled" => ("Booking request cancelled", $"{Business.Name} cancelled this booking request; nothing was booked."),
        _ => NowByStatus,
    };

    private (string Heading, string Line) NowByStatus => Appointment?.Status switch
    {
        "requested" => ("Booking requested", $"{Business.Name} will confirm your appointment; we will let you know."),
        "confirmed" => ("You're booked", "Your appointment is confirmed."),
        "cancellation-requested" => ("Cancellation requested", $"You asked to cancel this appointment; {Business.Name} will let you know."),
        "cancelled" => ("Appointment cancelled", "This appointment is cancelled."),
        "completed" => ("Appointment completed", "This appointment has taken place."),
        "no-show" => ("Appointment missed", "This appointment was missed."),
        { } other => ("Your appointment", $"Status: {PortalTime.Status(other)}."),
        null => ("Appointment not found", ""),
    };

    /// <summary>"Add to calendar" is offered while the booked appointment may still take place; a request once accepted.</summary>
    public bool StillAhead => Appointment is { } a && CalendarModel.Offered(a.Status);

    /// <summary>"Book Bella straight after?": the client's other pets offered the next free time (decision 285), or null.</summary>
    public NextPetOffer? NextPet { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Appointment = await MyAppointment.FindAsync(Sender, ClientId!.Value, Id, cancellationToken);
        if (Appointment is not null && NextPetOffer.Considered(this, Appointment))
        {
            await ReadBookabilityAsync(cancellationToken);
            NextPet = await NextPetOffer.ForAsync(this, Sender, Appointment, cancellationToken);
        }

        if (Appointment is null)
        {
            // Another client's, gone, or not an id: alike, saying whose account this is (as the Cancel page does).
            Response.StatusCode = StatusCodes.Status404NotFound;
            NotMine = await NotInThisAccount.ForAsync(this, Sender, PortalUrl("/ol/booked", ("id", Id)), cancellationToken);
        }

        return Page();
    }
}

/// <summary>One of the signed-in client's own appointments, or null (missing, someone else's, malformed: alike).</summary>
public static class MyAppointment
{
    public static Task<PortalAppointmentView?> FindAsync(Mediator.ISender sender, Guid clientId, string? id, CancellationToken cancellationToken) =>
        OwnItem.FindAsync(sender, id, appointmentId => new GetMyAppointment(clientId, appointmentId), cancellationToken);
}

/// <summary>
/// One of the signed-in client's own things (an appointment, a pet) by the page's id, or null: another client's, gone,
/// or not an id at all, so a page says "not found" alike for each.
/// </summary>
public static class OwnItem
{
    public static async Task<T?> FindAsync<T>(Mediator.ISender sender, string? id, Func<Guid, Mediator.IQuery<T>> query, CancellationToken cancellationToken)
        where T : class
    {
        if (!Guid.TryParse(id, out var itemId))
        {
            return null;
        }

        try
        {
            return await sender.Send(query(itemId), cancellationToken);
        }
        catch (ProblemException p) when (p.Kind == ProblemKinds.NotFound)
        {
            return null;
        }
    }
}
