using System.ComponentModel.DataAnnotations;
using Booking.Appointments.Features.Moves;
using Booking.Appointments.Features.StaffAppointments;
using Booking.Appointments.Features.StaffDiary;
using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Diary;

/// <summary>
/// /staff/diary/appointments/{id}/move: owners and admins move a confirmed appointment to another date and time (and
/// diary), decision 282. The same check-then-confirm as New appointment: a time a client could not book (outside working
/// hours, over busy time, a diary not offering the service: <see cref="CheckStaffBooking"/>) is asked about first and
/// moved only once confirmed for that very time (<c>ConfirmedFor</c>); a time another appointment holds is refused.
/// </summary>
public sealed class MoveModel(ISender sender, TimeProvider clock) : StaffPageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    public StaffAppointmentView Appointment { get; private set; } = null!;

    public IReadOnlyList<Booking.Roster.Contracts.DiaryView> Diaries { get; private set; } = [];

    public DiaryTime Time => new(Business.TimeZone, clock, TimeFormat, Dates);

    [BindProperty]
    public MoveInput Input { get; set; } = new();

    /// <summary>The concerns to confirm for the time asked (the confirm step), in words; empty: none asked.</summary>
    public IReadOnlyList<string> Concerns { get; private set; } = [];

    /// <summary>The concerns' codes and the time they are about, for the confirm button ("outside-hours,busy-time|start").</summary>
    public string? ConfirmToken { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFoundPage();
        }

        Input.Date = DiaryTime.Iso(Time.LocalDateOf(Appointment.Start));
        Input.Time = NodaTime.Instant.FromDateTimeOffset(Appointment.Start).InZone(Time.Zone).TimeOfDay.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Input.DiaryId = Appointment.DiaryId.ToString();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFoundPage();
        }

        if (DiaryTime.ParseDate(Input.Date) is not { } day)
        {
            ModelState.AddModelError("Input.Date", "Enter the date.");
            return Page();
        }

        if (DiaryTime.ParseTime(Input.Time) is not { } wall)
        {
            ModelState.AddModelError("Input.Time", "Enter the time, such as 14:30.");
            return Page();
        }

        var resolved = Time.Resolve(day, wall, null);
        if (resolved.At is not { } start)
        {
            ModelState.AddModelError("Input.Time", resolved.Error ?? "That time does not exist on this date.");
            return Page();
        }

        var diaryId = Guid.TryParse(Input.DiaryId, out var d) ? d : Appointment.DiaryId;
        var body = new MoveBody(start, diaryId.ToString());
        try
        {
            string? confirm = null;
            var check = await sender.Send(new CheckStaffBooking(new StaffBookingBody(Appointment.Client.Id, Appointment.Service.Id, diaryId, start, null, null), Moving: Id), ct);
            if (check.Concerns.Count > 0)
            {
                var token = string.Join(",", check.Concerns) + "|" + start.ToString("O", System.Globalization.CultureInfo.InvariantCulture) + "|" + diaryId;
                if (Input.ConfirmedFor != token)
                {
                    Concerns = check.Concerns.Select(Words).ToList();
                    ConfirmToken = token;
                    return Page();
                }

                confirm = string.Join(",", check.Concerns);
            }

            var moved = await sender.Send(new MoveStaffAppointment(Id, body, confirm), ct);
            TempData["Notice"] = $"Moved {moved.Client.Name}'s {moved.Service.Name} to {Time.Long(Time.LocalDateOf(moved.Start))} at {Time.TimeOf(moved.Start)}.";
            return LocalRedirect($"/staff/diary/appointments/{Id}");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => field switch
        {
            "start" => "Input.Time",
            "diaryId" => "Input.DiaryId",
            _ => "",
        }))
        {
            return Page();
        }
    }

    private static string Words(string concern) => concern switch
    {
        StaffBookingConcerns.OutsideHours => "It is outside the diary's working hours.",
        StaffBookingConcerns.BusyTime => "It overlaps busy time in the diary.",
        StaffBookingConcerns.NotOffered => "This diary does not offer the service, so clients could not book it there.",
        _ => concern,
    };

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        try
        {
            Appointment = await sender.Send(new GetStaffAppointment(Id), ct);
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return false;
        }

        Diaries = (await sender.Send(new Booking.Roster.Contracts.GetDiaries(null), ct)).Where(x => x.Active || x.Id == Appointment.DiaryId).ToList();
        return true;
    }

    private IActionResult NotFoundPage() => Stopped(404, "Appointment not found", "This business has no such appointment.");

    public sealed class MoveInput
    {
        [Display(Name = "Date")]
        public string? Date { get; set; }

        [Display(Name = "Time")]
        public string? Time { get; set; }

        [Display(Name = "Diary")]
        public string? DiaryId { get; set; }

        /// <summary>What the confirm button confirms: the concerns and the very time and diary they were about.</summary>
        public string? ConfirmedFor { get; set; }
    }
}
