using System.ComponentModel.DataAnnotations;
using Booking.Host.Pages.Staff.Diary;
using Booking.Host.Web;
using Booking.Roster.Features.ClosedDays;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Booking.Host.Pages.Staff.Setup.Roster;

/// <summary>
/// Setup → Roster's "Business closed days" (decision 289): close the whole business on a date or a range with a label
/// (CreateBusinessClosedDays, as <c>POST /api/v1/admin/closed-days</c>), the upcoming closed days listed with
/// consecutive dates of one label as one row, each row removed in one go, and any two dates reopened; the past year's
/// listed apart, newest first, read-only (decision 317). The page is owners' and admins' only, as the rest of it.
/// </summary>
public sealed partial class IndexModel
{
    [BindProperty]
    public ClosedDaysForm Closed { get; set; } = new();

    /// <summary>The last save's or removal's words, over the section.</summary>
    [TempData]
    public string? ClosedNotice { get; set; }

    /// <summary>The appointments the last closure left without hours (<see cref="ClashNotice"/> JSON), under its notice.</summary>
    [TempData]
    public string? ClosedClashes { get; set; }

    public DiaryTime Time => new(Business.TimeZone, clock, TimeFormat, Dates);

    private Task<IReadOnlyList<ClosedDayRun>>? closedRuns;

    /// <summary>Today's and later business closed days, read once when the section is drawn.</summary>
    public Task<IReadOnlyList<ClosedDayRun>> ClosedDayRunsAsync() => closedRuns ??= LoadClosedRunsAsync();

    private async Task<IReadOnlyList<ClosedDayRun>> LoadClosedRunsAsync() =>
        ClosedDayRun.Of((await sender.Send(new ListBusinessClosedDays(), HttpContext.RequestAborted)).Items);

    /// <summary>How many past runs "Past closed days" shows, newest first (decision 317).</summary>
    public const int PastRunsShown = 10;

    private Task<PastClosedDays>? pastRuns;

    /// <summary>
    /// The business closed days of the past year before today (the business's date), newest first, at most
    /// <see cref="PastRunsShown"/> runs: history, read-only (decision 317). They explain why a past day had no bookings;
    /// a new one cannot be saved there (decision 310), so none is removed there either.
    /// </summary>
    public Task<PastClosedDays> PastClosedDayRunsAsync() => pastRuns ??= LoadPastRunsAsync();

    private async Task<PastClosedDays> LoadPastRunsAsync()
    {
        // The past year: at most 366 dates, the range the list query takes (RosterDateRules), so no new query is needed.
        var today = Time.Today;
        var from = today.PlusYears(-1);
        var items = (await sender.Send(new ListBusinessClosedDays(DiaryTime.Iso(from), DiaryTime.Iso(today.PlusDays(-1))), HttpContext.RequestAborted)).Items;
        var runs = ClosedDayRun.Of(items).Reverse().ToList();
        return new PastClosedDays(from, runs.Take(PastRunsShown).ToList(), Math.Max(0, runs.Count - PastRunsShown));
    }

    public async Task<IActionResult> OnPostCloseBusinessAsync(CancellationToken ct)
    {
        // One date: "Last date" left empty closes the first alone.
        var to = string.IsNullOrWhiteSpace(Closed.To) ? Closed.From : Closed.To;
        try
        {
            var saved = await sender.Send(new CreateBusinessClosedDays(Closed.From, to, Closed.Label), ct);
            var first = LocalDate.FromDateOnly(DateOnly.ParseExact(saved.Items[0].Date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            var last = first.PlusDays(saved.Items.Count - 1);
            var label = saved.Items[0].Label.Length == 0 ? "" : $" ({saved.Items[0].Label})";
            ClosedNotice = saved.Items.Count == 1
                ? $"The business is closed on {Time.Long(first)}{label}: no diary has hours that day."
                : $"The business is closed from {Time.Long(first)} to {Time.Long(last)}{label}: no diary has hours on those {saved.Items.Count} dates.";
            ClosedClashes = ClashNotice.Write(saved.Clashes, Time, "on the closed days", withDates: true, scope: ClashScope.BusinessClosed(first, last));
            return Redirect("/staff/setup/roster#closed-days");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, RosterForms.Prefixed(nameof(Closed))))
        {
            await LoadDiariesAsync(ct);
            await LoadRulesAsync(ct);
            return Page();
        }
    }

    /// <summary>A row's Remove (its first and last dates) or "Reopen on other dates" (any two dates).</summary>
    public async Task<IActionResult> OnPostReopenBusinessAsync(string? from, string? to, CancellationToken ct)
    {
        try
        {
            var removed = await sender.Send(new DeleteBusinessClosedDays(from, string.IsNullOrWhiteSpace(to) ? from : to), ct);
            ClosedNotice = removed.Removed switch
            {
                0 => "The business was not closed on those dates; nothing was removed.",
                1 => "The business is open again on 1 date. The diaries' own exceptions on it stay as they were.",
                var n => $"The business is open again on {n} dates. The diaries' own exceptions on them stay as they were.",
            };
            return Redirect("/staff/setup/roster#closed-days");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => "Reopen." + PageProblems.DefaultInputName(field)["Input.".Length..]))
        {
            await LoadDiariesAsync(ct);
            await LoadRulesAsync(ct);
            return Page();
        }
    }

    public sealed class ClosedDaysForm
    {
        [Display(Name = "First date")]
        public string? From { get; set; }

        [Display(Name = "Last date (optional)")]
        public string? To { get; set; }

        [Display(Name = "Label (optional)")]
        public string? Label { get; set; }
    }
}

/// <summary>"Past closed days": the past year's runs shown (newest first) from <see cref="Since"/>, and how many older runs of that year are not shown.</summary>
public sealed record PastClosedDays(LocalDate Since, IReadOnlyList<ClosedDayRun> Runs, int NotShown);

/// <summary>Consecutive business closed dates with the same label, by date: one row of the list, removed in one go.</summary>
public sealed record ClosedDayRun(LocalDate First, LocalDate Last, string Label)
{
    public int Count => Period.DaysBetween(First, Last) + 1;

    public static IReadOnlyList<ClosedDayRun> Of(IReadOnlyList<BusinessClosedDayResponse> days)
    {
        var runs = new List<ClosedDayRun>();
        foreach (var day in days.OrderBy(d => d.Date, StringComparer.Ordinal))
        {
            var date = DiaryTime.ParseDate(day.Date)!.Value;
            if (runs.Count > 0 && runs[^1] is var last && last.Last.PlusDays(1) == date && last.Label == day.Label)
            {
                runs[^1] = last with { Last = date };
            }
            else
            {
                runs.Add(new ClosedDayRun(date, date, day.Label));
            }
        }

        return runs;
    }
}
