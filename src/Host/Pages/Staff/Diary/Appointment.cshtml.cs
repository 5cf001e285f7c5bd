using System.ComponentModel.DataAnnotations;
using Booking.Appointments.Features.StaffAppointments;
using Booking.Appointments.Features.StaffDiary;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.PortalAuth.Contracts;
using Booking.Roster.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Diary;

/// <summary>
/// /staff/diary/appointments/{id}: one appointment; owners and admins cancel it with a reason (CancelStaffAppointment) or,
/// once it has started, record what happened (RecordOutcome), and choose which of the client's pets it is for
/// (ChangeAppointmentPet, decision 306).
/// </summary>
public sealed class AppointmentModel(ISender sender, TimeProvider clock) : StaffPageModel
{
    protected override IReadOnlyList<string> AllowedRoles => StaffRoles.Everyone;

    [FromRoute]
    public Guid Id { get; set; }

    public StaffAppointmentView Appointment { get; private set; } = null!;

    public string DiaryName { get; private set; } = "";

    /// <summary>The client's email and mobile as on file, for owners and admins (practitioners see only the name, as in the diary API); else null.</summary>
    public ClientView? ClientContact { get; private set; }

    /// <summary>The appointment's pet as on file now: species, breed, and whether it was removed since (decision 311); null without a pet.</summary>
    public PetFacts? PetOnFile { get; private set; }

    /// <summary>
    /// The emails written about this appointment with how each went (Notifications' GetAppointmentMessages, decision 336),
    /// for owners and admins, who see the log and can resend; empty for practitioners.
    /// </summary>
    public IReadOnlyList<Booking.Notifications.Contracts.AppointmentMessageView> Messages { get; private set; } = [];

    /// <summary>The business's zone: on a day the clocks change each time names it, as in the diary (decision 78).</summary>
    public DiaryTime Time => new(Business.TimeZone, clock, TimeFormat, Dates);

    /// <summary>What the last outcome post did, said once after its redirect.</summary>
    [TempData]
    public string? Notice { get; set; }

    [BindProperty]
    [Display(Name = "Reason" + ReasonWords.SentToClient)]
    public string? Reason { get; set; }

    /// <summary>Staff's own note (SetStaffNote, as PUT /api/v1/admin/appointments/{id}); the appointment's on a GET.</summary>
    [BindProperty]
    [Display(Name = "Staff note")]
    public string? StaffNote { get; set; }

    public async Task<IActionResult> OnPostNoteAsync(CancellationToken ct)
    {
        if (!CanChangeSetup)
        {
            return Stopped(403, "Not available to your role", "Only the business's owner and admins can change the staff note.");
        }

        try
        {
            var saved = await sender.Send(new SetStaffNote(Id, StaffNote ?? ""), ct);
            Notice = saved.StaffNote is null ? "Removed the staff note." : "Saved the staff note.";
            return LocalRedirect($"/staff/diary/appointments/{Id}");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => field == "staffNote" ? nameof(StaffNote) : field))
        {
            return await LoadAsync(ct, keepNote: true) ? Page() : NotFoundPage();
        }
    }

    /// <summary>
    /// Owners and admins choose another of the client's pets on file for any appointment that is or was to happen (not a
    /// cancelled or declined one, which ChangeAppointmentPet refuses), when the client has a pet to change to.
    /// </summary>
    public bool CanChangePet => CanChangeSetup && Appointment.Status is not ("cancelled" or "declined")
        && ClientContact is { } client && client.Pets.Any(p => p.Id != Appointment.Pet?.Id);

    /// <summary>The pet chosen in the form (its id); the appointment's on a GET.</summary>
    [BindProperty]
    [Display(Name = "Pet")]
    public string? PetId { get; set; }

    public async Task<IActionResult> OnPostPetAsync(CancellationToken ct)
    {
        if (!CanChangeSetup)
        {
            return Stopped(403, "Not available to your role", "Only the business's owner and admins can change which pet an appointment is for.");
        }

        try
        {
            var changed = await sender.Send(new Booking.Appointments.Features.PetChange.ChangeAppointmentPet(Id, PetId), ct);
            Notice = $"This appointment is for {changed.Pet?.Name} now. The client is not emailed or texted about it.";
            return LocalRedirect($"/staff/diary/appointments/{Id}");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => field == "petId" ? nameof(PetId) : field))
        {
            return await LoadAsync(ct, keepPet: true) ? Page() : NotFoundPage();
        }
    }

    /// <summary>Not once a confirmed appointment has started: what happened is recorded instead (CancelStaffAppointment refuses it).</summary>
    public bool CanCancel => CanChangeSetup && Appointment.Status is not ("cancelled" or "declined" or "completed" or "no-show")
        && !(Appointment.Status == "confirmed" && Appointment.Start <= clock.GetUtcNow());

    /// <summary>Owners and admins move a confirmed appointment that has not started (MoveStaffAppointment, decision 282).</summary>
    public bool CanMove => CanChangeSetup && Appointment.Status == "confirmed" && Appointment.Start > clock.GetUtcNow();

    /// <summary>Once it has started, a confirmed appointment's outcome can be recorded (or taken back).</summary>
    public bool CanRecordOutcome => CanChangeSetup && Appointment.Status is "confirmed" or "completed" or "no-show"
        && Appointment.Start <= clock.GetUtcNow();

    public async Task<IActionResult> OnPostOutcomeAsync([FromForm] string? outcome, CancellationToken ct)
    {
        if (!CanChangeSetup)
        {
            return Stopped(403, "Not available to your role", "Only the business's owner and admins can record what happened.");
        }

        try
        {
            var recorded = await sender.Send(new RecordOutcome(Id, outcome), ct);
            Notice = recorded.Status switch
            {
                "completed" => $"Marked {recorded.Client.Name}'s {recorded.Service.Name} as completed.",
                "no-show" => $"Marked {recorded.Client.Name}'s {recorded.Service.Name} as a no-show.",
                _ => $"{recorded.Client.Name}'s {recorded.Service.Name} is confirmed again, with no outcome recorded.",
            };
            return LocalRedirect($"/staff/diary/appointments/{Id}");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => field))
        {
            return await LoadAsync(ct) ? Page() : NotFoundPage();
        }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await LoadAsync(ct) ? Page() : NotFoundPage();

    public async Task<IActionResult> OnPostCancelAsync(CancellationToken ct)
    {
        if (!CanChangeSetup)
        {
            return Stopped(403, "Not available to your role", "Only the business's owner and admins can cancel appointments.");
        }

        try
        {
            var cancelled = await sender.Send(new CancelStaffAppointment(Id, Reason), ct);
            TempData["Notice"] = $"Cancelled {cancelled.Client.Name}'s {cancelled.Service.Name} at {Time.TimeOf(cancelled.Start)}.";
            return LocalRedirect($"/staff/diary?date={DiaryTime.Iso(Time.LocalDateOf(cancelled.Start))}&view=day");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => field == "reason" ? nameof(Reason) : field))
        {
            return await LoadAsync(ct) ? Page() : NotFoundPage();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken ct, bool keepNote = false, bool keepPet = false)
    {
        try
        {
            Appointment = await sender.Send(new GetStaffAppointment(Id), ct);
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return false;
        }

        if (!keepNote)
        {
            StaffNote = Appointment.StaffNote; // a refused note stays as typed
        }

        if (!keepPet)
        {
            PetId = Appointment.Pet?.Id.ToString();
        }

        DiaryName = (await sender.Send(new GetDiaries([Appointment.DiaryId]), ct)).FirstOrDefault()?.Name ?? "";
        ClientContact = CanChangeSetup ? (await sender.Send(new GetClients([Appointment.Client.Id]), ct)).FirstOrDefault() : null;
        Messages = CanChangeSetup ? await sender.Send(new Booking.Notifications.Contracts.GetAppointmentMessages(Id), ct) : [];
        PetOnFile = Appointment.Pet is { } pet ? (await sender.Send(new GetPetFacts([pet.Id]), ct)).GetValueOrDefault(pet.Id) : null;
        return true;
    }

    private IActionResult NotFoundPage() => Stopped(404, "Appointment not found", "This business has no such appointment.");
}
