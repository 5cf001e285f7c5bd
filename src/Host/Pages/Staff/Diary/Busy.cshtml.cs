using System.ComponentModel.DataAnnotations;
using Booking.Appointments.Features.BusyBlocks;
using Booking.Host.Web;
using Booking.Roster.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Diary;

/// <summary>/staff/diary/busy: diary time that is not a client's (CreateBusyBlock, as POST /api/v1/admin/busy-blocks).</summary>
public sealed class BusyModel(ISender sender, TimeProvider clock) : StaffPageModel
{
    /// <summary>The longest busy time (CreateBusyBlock's rule): a month of leave.</summary>
    public const int MaxDays = 31;

    /// <summary>What the end date is told when the busy time is longer, by calendar days or by its length.</summary>
    private static readonly string TooLong = $"Busy time lasts at most {MaxDays} days; add longer leave as two or more busy times.";

    [BindProperty]
    public BusyForm Input { get; set; } = new();

    public IReadOnlyList<DiaryView> Diaries { get; private set; } = [];

    /// <summary>The two instants of a start or end time that happens twice (the clocks go back): staff pick one.</summary>
    public IReadOnlyList<TimeChoice> StartChoices { get; private set; } = [];

    public IReadOnlyList<TimeChoice> EndChoices { get; private set; } = [];

    /// <summary>The dates staff may book on: the date input's min and max.</summary>
    public (NodaTime.LocalDate First, NodaTime.LocalDate Last) Window => new DiaryTime(Business.TimeZone, clock, TimeFormat, Dates).Window;

    public async Task OnGetAsync(string? date, Guid? diary, CancellationToken ct)
    {
        Input.Date = DiaryTime.ParseDate(date) is { } d ? DiaryTime.Iso(d) : DiaryTime.Iso(new DiaryTime(Business.TimeZone, clock, TimeFormat, Dates).Today);
        Input.DiaryId = diary;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var time = new DiaryTime(Business.TimeZone, clock, TimeFormat, Dates);
        var date = DiaryTime.ParseDate(Input.Date);
        var start = DiaryTime.ParseTime(Input.Start);
        var end = DiaryTime.ParseTime(Input.End);
        if (date is null)
        {
            ModelState.AddModelError("Input.Date", "Choose the date.");
        }
        else if (!time.InWindow(date.Value))
        {
            // Not resolved at all: a wall-clock time in year 0001 or 9999 may be no DateTimeOffset.
            ModelState.AddModelError("Input.Date", $"Choose a date {time.WindowText}.");
            date = null;
        }

        // Empty: the same date. Busy time over several days ends on its own date (decision 242).
        var endDate = string.IsNullOrWhiteSpace(Input.EndDate) ? date : DiaryTime.ParseDate(Input.EndDate);
        if (endDate is null && !string.IsNullOrWhiteSpace(Input.EndDate))
        {
            ModelState.AddModelError("Input.EndDate", "Choose the end date, or leave it empty to end on the same date.");
        }
        else if (endDate is { } last && !time.InWindow(last))
        {
            ModelState.AddModelError("Input.EndDate", $"Choose a date {time.WindowText}.");
            endDate = null;
        }
        else if (endDate is { } ending && date is { } starting && ending < starting)
        {
            ModelState.AddModelError("Input.EndDate", $"The end date is before the start date ({time.Long(starting)}).");
            endDate = null;
        }
        else if (endDate is { } far && date is { } near && NodaTime.Period.DaysBetween(near, far) > MaxDays)
        {
            ModelState.AddModelError("Input.EndDate", TooLong);
            endDate = null;
        }

        // Every error at once: an empty diary is said with the times' errors, not only on the next submit.
        if (Input.DiaryId is null)
        {
            ModelState.AddModelError("Input.DiaryId", "Choose a diary.");
        }

        if (start is null)
        {
            ModelState.AddModelError("Input.Start", "Choose the start time (HH:mm).");
        }

        if (end is null)
        {
            ModelState.AddModelError("Input.End", "Choose the end time (HH:mm).");
        }

        DateTimeOffset? from = null, until = null;
        if (date is { } day)
        {
            // A time the clocks skip is refused; one that happens twice is used only once staff say which.
            if (start is { } s)
            {
                var resolved = time.Resolve(day, s, Input.StartChoice);
                (from, StartChoices) = (resolved.At, resolved.Choices);
                if (resolved.Error is { } error)
                {
                    ModelState.AddModelError("Input.Start", error);
                }
            }
        }

        if (date is not null && endDate is { } lastDay)
        {
            if (end == NodaTime.LocalTime.Midnight)
            {
                // Until 00:00 is until the end of the (end) day (as the roster's blocks): the next day's first instant,
                // also where the clocks skip midnight itself.
                until = time.Zone.AtStartOfDay(lastDay.PlusDays(1)).ToDateTimeOffset();
            }
            else if (end is { } e)
            {
                var resolved = time.Resolve(lastDay, e, Input.EndChoice);
                (until, EndChoices) = (resolved.At, resolved.Choices);
                if (resolved.Error is { } error)
                {
                    ModelState.AddModelError("Input.End", error);
                }
            }
        }

        // The API caps the length, not the calendar days: 1 March 09:00 to 1 April 17:00 is 31 days apart but longer.
        if (from is { } first && until is { } last2 && last2 - first > TimeSpan.FromDays(MaxDays) && ModelState["Input.EndDate"]?.Errors.Count is null or 0)
        {
            ModelState.AddModelError("Input.EndDate", TooLong);
        }

        if (ModelState.IsValid)
        {
            try
            {
                var block = await sender.Send(new CreateBusyBlock(Input.DiaryId, from, until, Input.Note), ct);
                TempData["Notice"] = "Busy time added.";
                // Saved over live appointments: the diary lists them under the notice, each linked, to rebook or cancel.
                TempData["Clashes"] = ClashNotice.Write(block.Clashes, time, "in this busy time", withDates: endDate != date,
                    scope: ClashScope.Busy(block.DiaryId, block.Start, block.End, time));
                return LocalRedirect($"/staff/diary?date={Input.Date}&view=day");
            }
            catch (Exception ex) when (ModelState.TryAdd(ex))
            {
            }
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Diaries = (await sender.Send(new GetDiaries(null), ct)).Where(d => d.Active).OrderBy(d => d.Name, StringComparer.CurrentCultureIgnoreCase).ToList();

    public sealed class BusyForm
    {
        [Display(Name = "Diary")]
        public Guid? DiaryId { get; set; }

        [Display(Name = "Date")]
        public string? Date { get; set; }

        [Display(Name = "From")]
        public string? Start { get; set; }

        [Display(Name = "Until")]
        public string? End { get; set; }

        /// <summary>The date the busy time ends on; empty: the start's date.</summary>
        [Display(Name = "End date (optional)")]
        public string? EndDate { get; set; }

        /// <summary>Which of a repeated time's two instants (its UTC offset in seconds); see <see cref="DiaryTime.Resolve"/>.</summary>
        public string? StartChoice { get; set; }

        public string? EndChoice { get; set; }

        [Display(Name = "Note (optional)")]
        public string? Note { get; set; }
    }
}
