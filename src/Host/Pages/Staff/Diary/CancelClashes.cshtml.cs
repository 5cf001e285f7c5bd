using Booking.Appointments.Contracts;
using Booking.Appointments.Features.CancelMany;
using Booking.Appointments.Features.StaffDiary;
using Booking.Host.Web;
using Booking.Roster.Contracts;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Booking.Host.Pages.Staff.Diary;

/// <summary>
/// /staff/diary/cancel-clashes: the confirm step of a clash notice's "Cancel these 3 appointments and tell the clients"
/// (decision 279). Owners and admins only. The notice posts where to find them (<see cref="ClashScope"/>: diary, dates,
/// what they clash with) and the reason; this page finds them again, ALL of them (the notice shows at most ten), lists
/// exactly which will be cancelled, and on "Yes, cancel" finds them again and cancels them only if the list is still the
/// one shown, in one transaction (CancelManyAppointments, as
/// <c>POST /api/v1/admin/appointments/cancel-many</c>). A second press finds none left and cancels nothing.
/// "Still the one shown": the confirm form posts the scope again and a fingerprint of the list it showed
/// (<see cref="Fingerprint"/>, a hash of the sorted ids), never the ids themselves, so a closure over thousands of
/// appointments stays far inside ASP.NET Core's 1,024 form values (decision 302).
/// </summary>
public sealed class CancelClashesModel(ISender sender, TimeProvider clock, IValidator<CancelManyAppointments> validator) : StaffPageModel
{
    /// <summary>The longest stretch of dates searched (an exception range's, a year at most), in the diary's 31-day reads.</summary>
    public const int MaxDays = 366;

    protected override string RoleRefusal =>
        "Appointments are cancelled by the business's owner or an admin. Your diary is still open to you.";

    [BindProperty]
    public ScopeForm Scope { get; set; } = new();

    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>
    /// The fingerprint of the list the confirm step showed (<see cref="Fingerprint"/>), posted back with "Yes, cancel":
    /// cancelled only if the list found again has the same one.
    /// </summary>
    [BindProperty]
    public string? Shown { get; set; }

    /// <summary>Every live appointment of the scope that still clashes, by start.</summary>
    public IReadOnlyList<AppointmentClash> Appointments { get; private set; } = [];

    public string DiaryName { get; private set; } = "";

    /// <summary>Confirmed ones of the scope that have already started: not cancelled, listed apart.</summary>
    public IReadOnlyList<AppointmentClash> Started { get; private set; } = [];

    /// <summary>The reason is valid: the page asks "Yes, cancel"; else it asks for the reason first.</summary>
    public bool Confirming { get; private set; }

    /// <summary>Said when the list is not the one the confirm step showed: nothing was cancelled.</summary>
    public string? Changed { get; private set; }

    public DiaryTime Time => new(Business.TimeZone, clock, TimeFormat, Dates);

    /// <summary>Lines name their dates when the scope spans more than one.</summary>
    public bool WithDates => Scope.From != Scope.To;

    public string DiaryUrl => Scope.DiaryId == ClashScope.EveryDiary
        ? $"/staff/diary?date={Scope.From}&view=day"
        : $"/staff/diary?date={Scope.From}&view=day&diary={Scope.DiaryId}";

    public IActionResult OnGet() => Redirect("/staff/diary");

    /// <summary>From the notice's form: the list, and the confirm step when the reason is valid.</summary>
    public async Task<IActionResult> OnPostReviewAsync(CancellationToken ct)
    {
        if (await FindAsync(ct) is not { } found)
        {
            return NotFound();
        }

        Appointments = found;
        Confirming = ReasonIsValid();
        return Page();
    }

    /// <summary>"Yes, cancel": the list found again must be the one shown; then all of them in one transaction, or none.</summary>
    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken ct)
    {
        if (await FindAsync(ct) is not { } found)
        {
            return NotFound();
        }

        Appointments = found;
        if (!ReasonIsValid())
        {
            return Page();
        }

        Confirming = true;
        if (found.Count == 0)
        {
            return Page();
        }

        if (!string.Equals(Fingerprint(found), Shown, StringComparison.Ordinal))
        {
            Changed = "The list changed after this page showed it (an appointment was booked, moved, cancelled or changed meanwhile), so nothing was cancelled. "
                + "Here it is as it is now: check it and confirm again.";
            return Page();
        }

        var (start, end) = Span();
        try
        {
            // Over every diary (the business closed, decision 289) no one diary bounds them: the ids are this page's own
            // find, compared with the list shown just above.
            await sender.Send(new CancelManyAppointments(found.Select(a => (string?)a.AppointmentId.ToString()).ToList(), Reason)
            {
                Within = Scope.DiaryId == ClashScope.EveryDiary ? null : new CancelManyWithin(Scope.DiaryId!.Value, start, end),
                ServerFound = true,
            }, ct);
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => field == "reason" ? nameof(Reason) : string.Empty))
        {
            Appointments = await FindAsync(ct) ?? [];
            return Page();
        }

        var requests = found.Count(a => a.Status == "requested");
        TempData["Notice"] = (found.Count == 1 ? "1 appointment cancelled" : $"{found.Count} appointments cancelled")
            + (requests == 0 ? "" : requests == 1 ? " (1 booking request declined)" : $" ({requests} booking requests declined)")
            + (found.Count == 1 ? "; the client is told, with your reason." : "; each client is told, with your reason.");
        return Redirect(DiaryUrl);
    }

    /// <summary>
    /// The list's fingerprint: SHA-256 of its ids, sorted and joined, in hex. The same set of appointments gives the same
    /// one whatever their order; one more, one fewer or another gives a different one.
    /// </summary>
    public static string Fingerprint(IEnumerable<AppointmentClash> appointments)
    {
        var ids = string.Join(',', appointments.Select(a => a.AppointmentId.ToString("N")).Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ids)));
    }

    private bool ReasonIsValid()
    {
        // The reason's rules alone, worded for as many clients as the list has (stand-in ids: only "reason" is read).
        var ids = Enumerable.Range(0, Math.Max(1, Appointments.Count)).Select(i => (string?)i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var errors = validator.Validate(new CancelManyAppointments(ids, Reason)).Errors.Where(e => e.PropertyName == "reason").ToList();
        foreach (var error in errors)
        {
            ModelState.AddModelError(nameof(Reason), error.ErrorMessage);
        }

        return errors.Count == 0;
    }

    /// <summary>The scope's time: its busy time, or its dates from the first's midnight to the day after the last.</summary>
    private (DateTimeOffset Start, DateTimeOffset End) Span()
    {
        if (Scope.Concern == ClashScope.BusyTime && Scope.StartAt is { } start && Scope.EndAt is { } end)
        {
            return (start, end);
        }

        var time = Time;
        return (time.Zone.AtStartOfDay(DiaryTime.ParseDate(Scope.From)!.Value).ToDateTimeOffset(),
            time.Zone.AtStartOfDay(DiaryTime.ParseDate(Scope.To)!.Value.PlusDays(1)).ToDateTimeOffset());
    }

    /// <summary>
    /// The diary's live appointments on the scope's dates that the diary marks as clashing the same way (outside its
    /// hours, or over busy time within the busy time's span), each once, by start; null for a scope that names no diary
    /// of this business or no dates.
    /// </summary>
    private async Task<IReadOnlyList<AppointmentClash>?> FindAsync(CancellationToken ct)
    {
        var from = DiaryTime.ParseDate(Scope.From);
        var to = DiaryTime.ParseDate(Scope.To);
        var busy = Scope.Concern == ClashScope.BusyTime;
        if (Scope.DiaryId is not { } diaryId || from is not { } first || to is not { } last || last < first || Period.DaysBetween(first, last) >= MaxDays
            || !(busy || Scope.Concern == ClashScope.OutsideHours) || (busy && (Scope.StartAt is null || Scope.EndAt is null || Scope.EndAt <= Scope.StartAt))
            || !Time.InWindow(first) || !Time.InWindow(last))
        {
            return null;
        }

        var every = diaryId == ClashScope.EveryDiary && !busy;
        var diary = every ? null : (await sender.Send(new GetDiaries([diaryId]), ct)).FirstOrDefault();
        if (diary is null && !every)
        {
            return null;
        }

        DiaryName = diary?.Name ?? "every diary";
        var seen = new Dictionary<Guid, StaffAppointmentView>();
        for (var day = first; day <= last; day = day.PlusDays(31))
        {
            var until = day.PlusDays(30) < last ? day.PlusDays(30) : last;
            var view = await sender.Send(new GetDiary(DiaryTime.Iso(day), DiaryTime.Iso(until), every ? null : diaryId.ToString()), ct);
            foreach (var a in view.Appointments)
            {
                seen.TryAdd(a.Id, a);
            }
        }

        var now = clock.GetUtcNow();
        var clashing = seen.Values
            .Where(a => (a.Status is "requested" or "confirmed" or "cancellation-requested") && a.Clashes?.Contains(Scope.Concern) == true)
            .Where(a => !busy || (a.Start < Scope.EndAt && a.End > Scope.StartAt))
            .OrderBy(a => a.Start).ThenBy(a => a.Id)
            .Select(a => new AppointmentClash(a.Id, a.Start, a.End, a.Client.Name, a.Service.Name, a.Status))
            .ToList();
        // A confirmed appointment that has started is not cancelled (staff record what happened): named, left out.
        Started = clashing.Where(a => a.Status == "confirmed" && a.Start <= now).ToList();
        return clashing.Except(Started).ToList();
    }

    public sealed class ScopeForm
    {
        public Guid? DiaryId { get; set; }

        public string? From { get; set; }

        public string? To { get; set; }

        public string? Concern { get; set; }

        /// <summary>Busy time's start and end, ISO 8601 with offset (as the notice wrote them).</summary>
        public string? Start { get; set; }

        public string? End { get; set; }

        public DateTimeOffset? StartAt => At(Start);

        public DateTimeOffset? EndAt => At(End);

        private static DateTimeOffset? At(string? text) =>
            DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at) ? at : null;
    }
}
