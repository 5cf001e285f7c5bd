using Booking.BuildingBlocks.Web;
using Booking.Notifications.Delivery;
using Booking.Notifications.Rendering;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// "Add to calendar": the appointment as an .ics download (only the client's own). Always METHOD:PUBLISH (a file the
/// client imports, not an invitation to answer), under the emails' UID, with the SEQUENCE of the time it is made
/// (<see cref="CalendarInvite.SequenceAt"/>): above the emails' and every earlier download's, so a calendar that holds
/// the appointment takes the file's words (a renamed service or diary, the business's address) instead of keeping its
/// own; a cancelled appointment says STATUS:CANCELLED, above the cancellation email's CANCEL (a declined request too: a
/// file imported before it was declined is cleared the same way). A booking request waiting for the
/// business is not offered (<see cref="Offered"/>) and its file is not found: an entry for a time nobody has confirmed
/// would stay in the client's calendar after a decline, which sends no file. The acceptance email carries the invite.
/// ORGANIZER: the business's email when it gave one, else none (the no-reply sender is nobody to write to).
/// DESCRIPTION: the emailed file's (decision 350), through Notifications' own <see cref="EmailRenderer.BuildPortalCalendar"/>
/// (decision 355): the cancel page where clients may cancel online, the cancellation policy the appointment keeps, the
/// contact; "This appointment is cancelled." for a cancelled one.
/// </summary>
public sealed class CalendarModel(SmtpOptions smtp, TimeProvider clock, PublicOrigin origin) : PortalPageModel
{
    protected override bool RequiresClient => true;

    protected override PortalAccess RequiredAccess => PortalAccess.OneAppointment;

    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    /// <summary>"Add to calendar" is offered for an appointment that is booked and still ahead: not a request still waiting.</summary>
    public static bool Offered(string status) => status is "confirmed" or "cancellation-requested";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var appointment = await MyAppointment.FindAsync(Sender, ClientId!.Value, Id, cancellationToken);
        if (appointment is null || appointment.Status == "requested")
        {
            return NotFound();
        }

        // The same builder and UID as the confirmation email's invite.
        var cancelled = appointment.Status is "cancelled" or "declined";
        var now = clock.GetUtcNow();
        var invite = new CalendarInvite(appointment.Id, CalendarInvite.Publish, CalendarInvite.SequenceAt(now, cancelled),
            appointment.Start, appointment.End, $"{ForPet(appointment.Service.Name, appointment.Pet)} {Booking.Roster.Contracts.DiaryKinds.With(appointment.Diary.Kind, appointment.Diary.Name)}", Cancelled: cancelled);
        // The look the emails have (contact, policy, what the portal lets clients do), so the DESCRIPTION is theirs.
        var look = BusinessLooks.For(Business, origin.Value, Settings);
        var terms = appointment.CancellationPolicy;
        var policyAsBooked = PortalClosings.PolicyAsBooked(Settings.CancellationPolicy, Settings.CancellationPolicy.Kept(terms.Hours, terms.InsideWindow),
            Business.Name, Settings.Contact);
        var ics = EmailRenderer.BuildPortalCalendar(invite, look, new CalendarParties(smtp.FromAddress), now,
            PortalAddresses.Cancel(origin.Value, Business.Slug, appointment.Id), policyAsBooked);
        return File(System.Text.Encoding.UTF8.GetBytes(ics), "text/calendar; charset=utf-8", $"appointment-{appointment.Start:yyyy-MM-dd}.ics");
    }

    /// <summary>
    /// "Full Groom for Marmite": the service with the pet the appointment is for, as the emails' invites write it
    /// (AppointmentValues.LoadAsync), so two dogs' events on one morning read apart; the service alone without a pet.
    /// </summary>
    public static string ForPet(string service, Booking.Appointments.Features.Scheduling.NamedRef? pet) =>
        pet is null || string.IsNullOrWhiteSpace(pet.Name) ? service : $"{service} for {pet.Name}";
}
