using System.ComponentModel.DataAnnotations;
using Booking.Appointments.Features.Idempotency;
using Booking.Appointments.Features.Moves;
using Booking.Appointments.Features.StaffAppointments;
using Booking.Appointments.Features.StaffDiary;
using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Booking.Services.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Diary;

/// <summary>
/// /staff/diary/appointments/{id}/move: owners and admins move a confirmed appointment to another date and time (and
/// diary), decision 282. The same check-then-confirm as New appointment: a time a client could not book (outside working
/// hours, over busy time, a diary not offering the service: <see cref="CheckStaffBooking"/>) is asked about first and
/// moved only once confirmed for that very time (<c>ConfirmedFor</c>); a time another appointment holds is refused.
/// The Move post runs under the form's key (<see cref="FormKey"/>, by <see cref="IdempotentRequests"/> as New appointment
/// and the portal's pages): a repeat of one post (a double click) gets the first post's move and its redirect, never
/// "That is the appointment's current time and diary".
/// </summary>
public sealed class MoveModel(ISender sender, TimeProvider clock, IdempotentRequests idempotency) : StaffPageModel
{
    /// <summary>The form's idempotency key (a hidden field), new on every rendering of the form.</summary>
    public string FormKey { get; } = Guid.NewGuid().ToString();

    private const string KeyPrefix = "staff-move:";

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

    /// <summary>The appointment's service (its free times, and which diaries provide it); null if it no longer exists.</summary>
    public ServiceView? Service { get; private set; }

    /// <summary>The free times of the appointment's service in the chosen diary on the chosen date (New appointment's list).</summary>
    public FreeTimesList? FreeTimes { get; private set; }

    /// <summary>The appointment's own length in minutes: a move keeps it (decision 282), so its free times are for it (decision 294).</summary>
    public int LengthMinutes => (int)(Appointment.End - Appointment.Start).TotalMinutes;

    /// <summary>
    /// "This appointment is 90 minutes; the service is now 60." when its own length differs from the service's current one
    /// (staff lengthened it, or the service changed since it was booked); null when they agree.
    /// </summary>
    public string? LengthNote => Service is { } service && service.DurationMinutes != LengthMinutes
        ? $"This appointment is {LengthMinutes} minutes; the service is now {service.DurationMinutes}. The free times below are for {LengthMinutes} minutes, as the move keeps its length."
        : null;

    /// <summary>
    /// The service was retired since it was booked (decision 308): clients can no longer book it, but staff may still move
    /// this appointment (its free times are listed, none offered online); said so the list is not read as a mistake.
    /// </summary>
    public string? RetiredNote => Service is { Retired: true }
        ? $"{Appointment.Service.Name} is no longer offered: clients cannot book it, but you can still move this appointment."
        : null;

    /// <summary>
    /// The appointment's own diary, when it is inactive (decision 318): the move refuses an inactive diary, so it cannot
    /// stay there at another time; the page says so and offers the active diaries providing the service. Null when active.
    /// </summary>
    public Booking.Roster.Contracts.DiaryView? InactiveOwnDiary { get; private set; }

    /// <summary>
    /// "Mia Chen is inactive, so this appointment cannot stay in it: choose another diary that offers Consultation." (or, with no active diary providing the
    /// service, what to do instead); null while its own diary is active.
    /// </summary>
    public string? InactiveNote => InactiveOwnDiary is not { } own
        ? null
        : Diaries.Count > 0
        ? $"{own.Name} is inactive, so this appointment cannot stay in it: choose another diary that offers {Appointment.Service.Name}."
        : $"{own.Name} is inactive and no active diary offers {Appointment.Service.Name}, so this appointment cannot be moved. "
          + $"Make {own.Name} active again or add {Appointment.Service.Name} to another diary (Setup → Roster, Setup → Services), or cancel the appointment.";

    /// <summary>A free time picked from the list (the form now holds it), in words next to the Move button.</summary>
    public string? PickedText { get; private set; }

    /// <summary>
    /// "This time is less than 24 hours away, inside the cancellation window: once moved, the client can no longer cancel
    /// it or move it online." when the time the form holds (a picked free time, or one asked about on the confirm step) is
    /// inside the window the appointment keeps: the portal's rule (<see cref="MoveWindow"/>, decision 325), said to staff
    /// as information, never a refusal (decision 334). Null outside it, or where clients cannot cancel online at all.
    /// </summary>
    public string? WindowNote { get; private set; }

    private string MoveAction => $"/staff/diary/appointments/{Id}/move";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFoundPage();
        }

        Input.Date = DiaryTime.Iso(Time.LocalDateOf(Appointment.Start));
        Input.Time = NodaTime.Instant.FromDateTimeOffset(Appointment.Start).InZone(Time.Zone).TimeOfDay.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        // An inactive own diary is not offered (the move would refuse it): the form opens on the first diary that is.
        Input.DiaryId = InactiveOwnDiary is null ? Appointment.DiaryId.ToString() : Diaries.FirstOrDefault()?.Id.ToString();
        Input.FromStart = Appointment.Start.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        Input.FromDiaryId = Appointment.DiaryId.ToString();
        await LoadFreeTimesAsync(ct);
        return Page();
    }

    /// <summary>"Show free times" and the previous/next day buttons: the list for the form's diary and date; nothing moves.</summary>
    public async Task<IActionResult> OnPostTimesAsync(string? day, CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFoundPage();
        }

        ModelState.Clear();
        if (DiaryTime.ParseDate(day) is { } d)
        {
            Input.Date = DiaryTime.Iso(d);
        }

        await LoadFreeTimesAsync(ct);
        return Page();
    }

    /// <summary>A free time clicked: its diary, date and time fill the form; Move then moves it through the usual checks.</summary>
    public async Task<IActionResult> OnPostPickAsync(string? pick, CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFoundPage();
        }

        ModelState.Clear();
        if (FreeTimesList.ParsePick(pick) is { } chosen && Time.InWindow(Time.LocalDateOf(chosen.Start)) && Diaries.Any(x => x.Id == chosen.DiaryId))
        {
            var zoned = NodaTime.Instant.FromDateTimeOffset(chosen.Start).InZone(Time.Zone);
            Input.DiaryId = chosen.DiaryId.ToString();
            Input.Date = DiaryTime.Iso(zoned.Date);
            Input.Time = zoned.TimeOfDay.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
            PickedText = $"{Time.TimeOf(chosen.Start)} on {Time.Long(zoned.Date)} in {Diaries.First(x => x.Id == chosen.DiaryId).Name}";
            WindowNote = await WindowNoteAsync(chosen.Start, moved: false, ct);
        }
        else
        {
            ModelState.AddModelError("Input.Time", "That time is not one of the free times: choose one from the list, or type the start time.");
        }

        await LoadFreeTimesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFoundPage();
        }

        if (string.IsNullOrWhiteSpace(Input.Date))
        {
            ModelState.AddModelError("Input.Date", "Enter the date.");
            return await WithFreeTimesAsync(ct);
        }

        if (DiaryTime.ParseDate(Input.Date) is not { } day)
        {
            // "2026-02-30": read as a date, but there is no such day (a typed or pasted value; the date box sends none).
            ModelState.AddModelError("Input.Date", "That is not a real date. Enter the date, such as 2026-03-14.");
            return await WithFreeTimesAsync(ct);
        }

        if (!Time.InWindow(day))
        {
            ModelState.AddModelError("Input.Date", $"Choose a date {Time.WindowText}.");
            return await WithFreeTimesAsync(ct);
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
        // Where this page showed it (decision 288): moved meanwhile (another tab, another person), the move is refused.
        var body = new MoveBody(start, diaryId.ToString(),
            DateTimeOffset.TryParse(Input.FromStart, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var from) ? from : null,
            Guid.TryParse(Input.FromDiaryId, out var fromDiary) ? fromDiary.ToString() : null);
        var confirmedFor = Input.ConfirmedFor;
        try
        {
            // Everything that decides the post runs under the form's key: a repeat gets the first post's move (its
            // redirect) before anything would compare the new time with where the first post has just put it.
            var moved = await idempotency.RunAsync<StaffAppointmentView>(StaffId, Guid.TryParse(Input.FormKey, out var key) ? KeyPrefix + key.ToString("D") : null,
                new { appointmentId = Id, body, confirmedFor },
                async () =>
                {
                    if (start == Appointment.Start && diaryId == Appointment.DiaryId)
                    {
                        // Where it is now: no move (the server's no-op), so not "Moved … to" the time it already has (decision 308).
                        throw new NotMoved(null, null);
                    }

                    string? confirm = null;
                    var check = await sender.Send(new CheckStaffBooking(new StaffBookingBody(Appointment.Client.Id, Appointment.Service.Id, diaryId.ToString(), start, null, null), Moving: Id), ct);
                    if (check.Concerns.Count > 0)
                    {
                        var token = string.Join(",", check.Concerns) + "|" + start.ToString("O", System.Globalization.CultureInfo.InvariantCulture) + "|" + diaryId;
                        if (confirmedFor != token)
                        {
                            throw new NotMoved(check, token);
                        }

                        confirm = string.Join(",", check.Concerns);
                    }

                    return new Answer(StatusCodes.Status200OK, await sender.Send(new MoveStaffAppointment(Id, body, confirm), ct));
                },
                async id => new Answer(StatusCodes.Status200OK, await sender.Send(new GetStaffAppointment(id), ct)),
                freeRefusals: true, ct); // a refusal moved nothing: the same form sent again is asked afresh
            // Moved into the window the appointment keeps: the notice says what that means for the client (decision 334).
            var inside = await WindowNoteAsync(moved.Start, moved: true, ct);
            TempData["Notice"] = $"Moved {moved.Client.Name}'s {moved.Service.Name} to {Time.Long(Time.LocalDateOf(moved.Start))} at {Time.TimeOf(moved.Start)}."
                + (inside is null ? "" : " " + inside);
            return LocalRedirect($"/staff/diary/appointments/{Id}");
        }
        catch (NotMoved same) when (same.Check is null)
        {
            ModelState.AddModelError("Input.Time", "That is the appointment's current time and diary. Choose another time or diary.");
            return await WithFreeTimesAsync(ct);
        }
        catch (NotMoved ask) when (ask.Check is { })
        {
            var check = ask.Check;
            var token = ask.Token;
            // The business closed that day (Setup → Roster) is named with its label; a diary that works no hours that day
            // says so; anything else in the usual words.
            var closedDiary = check.ClosedDays.Count == 0 && check.Concerns.Contains(StaffBookingConcerns.OutsideHours) && await ClosedAsync(diaryId, day, ct);
            Concerns = check.Concerns.Select(c => c == StaffBookingConcerns.ClientBooked ? ClientBookedWords(check)
                : c != StaffBookingConcerns.OutsideHours ? Words(c)
                : check.ClosedDays.Count > 0 ? BookModel.ClosedWords(Business.Name, check.ClosedDays, Dates)
                : closedDiary ? ClosedWords(diaryId, day)
                : Words(c)).ToList();
            ConfirmToken = token;
            WindowNote = await WindowNoteAsync(start, moved: false, ct);
            return await WithFreeTimesAsync(ct);
        }
        catch (Exception ex) when (ModelState.TryAdd(Plain(ex), field => field switch
        {
            "start" => "Input.Time",
            "diaryId" => "Input.DiaryId",
            _ => "",
        }))
        {
            return await WithFreeTimesAsync(ct);
        }
    }

    /// <summary>Not moved, and nothing to keep on the form's key: the same place (no check), or concerns to confirm first.</summary>
    private sealed class NotMoved(StaffBookingCheck? check, string? token) : Exception
    {
        public StaffBookingCheck? Check { get; } = check;

        public string? Token { get; } = token;
    }

    /// <summary>The form key's own problems in the page's words.</summary>
    private static Exception Plain(Exception ex) => PageProblems.Kind(ex) switch
    {
        ProblemKinds.IdempotencyKeyReuse => new ProblemException(ProblemKinds.IdempotencyKeyReuse, 422, "Already sent",
            "This form was already sent with another time, so nothing more was moved. Check the appointment's time before moving it again."),
        ProblemKinds.IdempotencyInProgress => new ProblemException(ProblemKinds.IdempotencyInProgress, 409, "Still working",
            "The move from this form is still being made. Check the appointment in a moment."),
        _ => ex,
    };

    private async Task<IActionResult> WithFreeTimesAsync(CancellationToken ct)
    {
        await LoadFreeTimesAsync(ct);
        return Page();
    }

    /// <summary>
    /// <see cref="MoveWindow.StaffNote"/> for <paramref name="start"/> by the terms the appointment keeps (the business's
    /// current ones for a row without them, as the portal judges it); null where the business lets clients cancel nothing
    /// online (the window then changes nothing for them).
    /// </summary>
    private async Task<string?> WindowNoteAsync(DateTimeOffset start, bool moved, CancellationToken ct)
    {
        var settings = await sender.Send(new Booking.Tenancy.Contracts.GetPortalSettings(), ct);
        if (!settings.AccessLevels.Cancel)
        {
            return null;
        }

        var terms = Appointment.CancellationPolicy
            ?? new Booking.Appointments.Features.PortalAppointments.AppointmentCancellationTerms(settings.CancellationPolicy.Hours, settings.CancellationPolicy.InsideWindow);
        return MoveWindow.StaffNote(terms, start, clock.GetUtcNow(), moved);
    }

    /// <summary>Whether the diary works no hours that date (its week or an exception closes it): "closed", not "outside hours".</summary>
    private async Task<bool> ClosedAsync(Guid diaryId, NodaTime.LocalDate day, CancellationToken ct)
    {
        var date = day.ToDateOnly();
        var hours = await sender.Send(new Booking.Roster.Contracts.GetWorkingHours([diaryId], date, date), ct);
        return !hours.Any(h => h.DiaryId == diaryId && h.Date == date && h.Blocks.Count > 0);
    }

    /// <summary>"Pat Owner already has Full groom with Grace at 9:00 for Rex." (each, decision 338).</summary>
    private string ClientBookedWords(StaffBookingCheck check) =>
        string.Join(" ", check.ClientBooked.Select(b => Booking.Appointments.Features.Requests.RequestConcerns.ClientBookedWords(b, Time.TimeOf) + "."));

    private string ClosedWords(Guid diaryId, NodaTime.LocalDate day) =>
        $"The diary is closed that day: {Diaries.FirstOrDefault(x => x.Id == diaryId)?.Name ?? "this diary"} works no hours on {Time.Long(day)}.";

    /// <summary>The free times of the appointment's service in the form's diary on the form's date (a date staff may book on).</summary>
    private async Task LoadFreeTimesAsync(CancellationToken ct)
    {
        // A retired service's appointment too (decision 308): staff may move it, as the move and its check accept.
        if (Service is not { } service || DiaryTime.ParseDate(Input.Date) is not { } date || !Time.InWindow(date)
            || !Guid.TryParse(Input.DiaryId, out var diaryId) || Diaries.All(x => x.Id != diaryId))
        {
            return;
        }

        FreeTimes = await FreeTimesList.LoadAsync(sender, Time, service, diaryId, date, Diaries, "move-form",
            $"{MoveAction}?handler=pick#picked-time", $"{MoveAction}?handler=times#free-times", ct, new MovingAppointment(Id, LengthMinutes, Appointment.Start, Appointment.DiaryId), Business.Name);
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

        // The active diaries that provide the appointment's service, and its own diary while it is active, whether or not it
        // provides the service (staff may keep it there). An inactive own diary is left out: the move refuses it (decision 318).
        Service = await sender.Send(new GetService(Appointment.Service.Id), ct);
        var provides = Service?.DiaryIds.ToHashSet() ?? [];
        var all = await sender.Send(new Booking.Roster.Contracts.GetDiaries(null), ct);
        InactiveOwnDiary = all.FirstOrDefault(x => x.Id == Appointment.DiaryId && !x.Active);
        Diaries = all
            .Where(x => x.Active && (provides.Contains(x.Id) || x.Id == Appointment.DiaryId))
            .OrderBy(x => x.Id == Appointment.DiaryId ? 0 : 1).ThenBy(x => x.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
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

        /// <summary>Where the page showed the appointment when it opened (its start, ISO 8601, and diary): the move's expectation.</summary>
        public string? FromStart { get; set; }

        public string? FromDiaryId { get; set; }

        /// <summary>The form's idempotency key (<see cref="FormKey"/> as rendered).</summary>
        public string? FormKey { get; set; }
    }
}
