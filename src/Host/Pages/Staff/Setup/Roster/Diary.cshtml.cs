using System.ComponentModel.DataAnnotations;
using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Booking.Roster.Features.Diaries;
using Booking.Roster.Features.Exceptions;
using Booking.Roster.Features.WeeklyRoster;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Setup.Roster;

/// <summary>
/// /staff/setup/roster/{id}: one diary: its name and contact, its weekly blocks (bookable online or not) and its dated
/// exceptions. The weekly form always has a few empty rows; rows left empty are ignored (diary-roster.js adds more).
/// </summary>
public sealed class DiaryModel(ISender sender, TimeProvider clock) : StaffPageModel
{
    public const int EmptyRows = 3;

    [FromRoute]
    public Guid Id { get; set; }

    public DiaryResponse Diary { get; private set; } = null!;

    public IReadOnlyList<RosterExceptionResponse> Exceptions { get; private set; } = [];

    /// <summary>The exceptions as listed: consecutive dates with the same exception in one row.</summary>
    public IReadOnlyList<ExceptionRun> ExceptionRuns => RosterForms.Runs(Exceptions);

    /// <summary>"Remove exceptions from … to …", and a run's Remove (the run's first and last dates, hidden).</summary>
    [BindProperty]
    public RangeForm RemoveRange { get; set; } = new();

    /// <summary>An exception's ISO date as staff pages write dates ("Thursday 24 December 2026", or month first
    /// "Thursday, December 24, 2026").</summary>
    public string Day(string isoDate) =>
        NodaTime.Text.LocalDatePattern.Iso.Parse(isoDate) is { Success: true } parsed ? Dates.Long(parsed.Value) : isoDate;

    [BindProperty]
    public DetailsForm Details { get; set; } = new();

    [BindProperty]
    public List<BlockRow> Week { get; set; } = [];

    [BindProperty]
    public ExceptionForm NewException { get; set; } = new();

    /// <summary>"Same hours on several days": one block on each ticked weekday, added to the saved week (review s42 #13).</summary>
    [BindProperty]
    public SameHoursForm SameHours { get; set; } = new();

    [TempData]
    public string? Notice { get; set; }

    /// <summary>After "Send again": the address a fresh confirmation went to.</summary>
    [FromQuery(Name = "sentTo")]
    public string? SentTo { get; set; }

    /// <summary>Why "Send again" sent nothing (a limit, an address no longer waiting).</summary>
    public string? ConfirmationProblem { get; private set; }

    /// <summary>
    /// Ticked by the confirm step's form: the owner has seen what stays booked in the diary and switches it off anyway.
    /// </summary>
    [BindProperty]
    public bool ConfirmSwitchOff { get; set; }

    /// <summary>
    /// Set when a save would switch off a diary that still has upcoming appointments or waiting requests: the page asks
    /// first (nothing is saved until the owner confirms), saying how many and that they stay booked.
    /// </summary>
    public DiaryUpcoming? SwitchOffAsk { get; private set; }

    /// <summary>
    /// Live appointments the exception or weekly roster just saved leaves out (<see cref="ClashNotice"/>, JSON), listed
    /// under the notice.
    /// </summary>
    [TempData]
    public string? Clashes { get; set; }

    /// <summary>?edit={exceptionId}: the exception form opens filled with that exception, to change it.</summary>
    [FromQuery(Name = "edit")]
    public Guid? Edit { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFoundPage();
        }

        Details = new DetailsForm { Name = Diary.Name, ContactEmail = Diary.ContactEmail, Active = Diary.Active, Kind = Diary.Kind };
        if (Exceptions.FirstOrDefault(e => e.Id == Edit) is { } editing)
        {
            NewException = new ExceptionForm
            {
                Id = editing.Id,
                Date = editing.Date,
                Closed = editing.Closed,
                Blocks = [.. editing.Blocks.Select(b => new BlockRow { Start = b.Start, End = RosterForms.EndToForm(b.End), BookableOnline = b.BookableOnline }), new BlockRow { BookableOnline = true }],
            };
        }

        await LoadWeekAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDetailsAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFoundPage();
        }

        var switchingOff = Diary.Active && !Details.Active;
        DiaryUpcoming? upcoming = null;
        if (switchingOff)
        {
            // Switching off cancels nothing, but clients can no longer book the diary: ask first when it has bookings ahead.
            upcoming = await sender.Send(new CountDiaryUpcoming(Id), ct);
            if (upcoming.Any && !ConfirmSwitchOff)
            {
                SwitchOffAsk = upcoming;
                await LoadWeekAsync(ct);
                return Page();
            }
        }

        try
        {
            var before = Diary.ContactEmail;
            var saved = await sender.Send(new UpdateDiary(Id, Details.Name, Details.ContactEmail, Details.Active, Details.Kind), ct);
            var waiting = !string.Equals(before, saved.ContactEmail, StringComparison.OrdinalIgnoreCase)
                && saved.ContactEmailState == Booking.Notifications.Contracts.AddressConfirmationStates.Waiting
                    ? $" {saved.ContactEmail} is waiting for its person to confirm it."
                    : "";
            Notice = switchingOff
                ? $"{saved.Name} is switched off: clients can no longer book it online, and no new appointments can be made in it."
                    + (upcoming is { Any: true } ? $" Its {SwitchOffCount(upcoming)} {(upcoming.Appointments + upcoming.Requests == 1 ? "stays as it was" : "stay as they were")}." : "")
                    + waiting
                : "Diary saved." + waiting;
            return Redirect($"/staff/setup/roster/{Id}");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, RosterForms.Prefixed(nameof(Details))))
        {
            await LoadWeekAsync(ct);
            return Page();
        }
    }

    /// <summary>"Send again" next to a contact email waiting for confirmation: a fresh confirmation email (3 a day per address).</summary>
    public async Task<IActionResult> OnPostSendConfirmationAsync(CancellationToken ct)
    {
        ModelState.Clear();
        try
        {
            var diary = await sender.Send(new SendContactConfirmationAgain(Id), ct);
            return Redirect($"/staff/setup/roster/{Id}?sentTo={Uri.EscapeDataString(diary.ContactEmail ?? "")}#contact-confirmation");
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return NotFoundPage();
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status429TooManyRequests)
        {
            ConfirmationProblem = ex.Detail;
        }
        catch (FluentValidation.ValidationException ex)
        {
            ConfirmationProblem = string.Join(" ", ex.Errors.Select(e => e.ErrorMessage));
        }

        if (!await LoadAsync(ct))
        {
            return NotFoundPage();
        }

        Details = new DetailsForm { Name = Diary.Name, ContactEmail = Diary.ContactEmail, Active = Diary.Active, Kind = Diary.Kind };
        await LoadWeekAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRosterAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFoundPage();
        }

        Details = new DetailsForm { Name = Diary.Name, ContactEmail = Diary.ContactEmail, Active = Diary.Active, Kind = Diary.Kind };
        // Rows with neither start nor end are the spare empty rows; the rest go to the command, keeping their row number for errors.
        var rows = Week.Select((row, index) => (row, index))
            .Where(x => !x.row.Remove && (!string.IsNullOrWhiteSpace(x.row.Start) || !string.IsNullOrWhiteSpace(x.row.End))).ToList();
        try
        {
            var saved = await sender.Send(new ReplaceWeeklyRoster(Id, rows.Select(x => (BlockInput?)new BlockInput(x.row.Weekday, x.row.Start?.Trim(), RosterForms.EndFromForm(x.row.End), x.row.BookableOnline)).ToList()), ct);
            Notice = "Weekly roster saved.";
            // Upcoming live appointments outside the diary's hours now (reported, not cancelled), each with its date.
            Clashes = ClashNotice.Write(saved.Clashes, Time, "outside this diary's hours", withDates: true);
            return Redirect($"/staff/setup/roster/{Id}#{(Clashes is null ? "week" : "clashes")}");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => WeekField(field, rows.Select(x => x.index).ToList())))
        {
            UsePageWording();
            return Page();
        }
    }

    /// <summary>
    /// "Add these hours": one block, the same times, on each ticked weekday, saved at once with the week already saved
    /// (what the table would send with the rows typed in one by one). A block that overlaps one of that day's is refused
    /// and nothing is saved; the form keeps what was typed.
    /// </summary>
    public async Task<IActionResult> OnPostSameHoursAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFoundPage();
        }

        Details = new DetailsForm { Name = Diary.Name, ContactEmail = Diary.ContactEmail, Active = Diary.Active, Kind = Diary.Kind };
        ModelState.Clear();
        var days = RosterForms.Weekdays.Where(d => SameHours.Days.Contains(d, StringComparer.Ordinal)).ToList();
        if (days.Count == 0)
        {
            ModelState.AddModelError("SameHours.Days", "Tick the days these hours are for.");
            await LoadWeekAsync(ct);
            return Page();
        }

        var saved = (await sender.Send(new GetWeeklyRoster(Id), ct)).Blocks;
        var blocks = saved.Select(b => (BlockInput?)new BlockInput(b.Weekday, b.Start, b.End, b.BookableOnline))
            .Concat(days.Select(d => (BlockInput?)new BlockInput(d, SameHours.Start?.Trim(), RosterForms.EndFromForm(SameHours.End), SameHours.BookableOnline)))
            .ToList();
        try
        {
            await sender.Send(new ReplaceWeeklyRoster(Id, blocks), ct);
            Notice = $"Added {SameHours.Start?.Trim()}–{SameHours.End?.Trim()} on {DayList(days)}. Weekly roster saved.";
            return Redirect($"/staff/setup/roster/{Id}#week");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => SameHoursField(field, saved.Count)))
        {
            UsePageWording();
            // Each ticked day's block has the same times: one message for the form, not one for each day.
            foreach (var entry in ModelState.Values)
            {
                var once = entry.Errors.DistinctBy(e => e.ErrorMessage).ToList();
                entry.Errors.Clear();
                once.ForEach(entry.Errors.Add);
            }

            await LoadWeekAsync(ct);
            return Page();
        }
    }

    /// <summary>"Monday", "Monday and Tuesday", "Monday, Tuesday and Wednesday".</summary>
    private static string DayList(List<string> days) =>
        days.Count == 1 ? RosterForms.Title(days[0]) : string.Join(", ", days[..^1].Select(RosterForms.Title)) + " and " + RosterForms.Title(days[^1]);

    /// <summary>A problem with an added block ("blocks[7].end") as the same-hours form's field; an overlap names its days' ticks.</summary>
    private static string SameHoursField(string field, int savedCount)
    {
        var match = System.Text.RegularExpressions.Regex.Match(field, @"^blocks\[(\d+)\](?:\.(\w+))?\z");
        if (!match.Success || int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < savedCount)
        {
            return "SameHours.Days";
        }

        return match.Groups[2].Value switch
        {
            "start" => "SameHours.Start",
            "end" => "SameHours.End",
            _ => "SameHours.Days",
        };
    }

    public async Task<IActionResult> OnPostExceptionAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFoundPage();
        }

        Details = new DetailsForm { Name = Diary.Name, ContactEmail = Diary.ContactEmail, Active = Diary.Active, Kind = Diary.Kind };
        var rows = NewException.Blocks.Select((row, index) => (row, index)).Where(x => !string.IsNullOrWhiteSpace(x.row.Start) || !string.IsNullOrWhiteSpace(x.row.End)).ToList();
        List<BlockInput?> blocks = NewException.Closed ? [] : [.. rows.Select(x => (BlockInput?)new BlockInput(null, x.row.Start?.Trim(), RosterForms.EndFromForm(x.row.End), x.row.BookableOnline))];
        if (NewException.Id is null && !string.IsNullOrWhiteSpace(NewException.LastDate))
        {
            return await SaveExceptionRangeAsync(blocks, rows.Select(x => x.index).ToList(), ct);
        }

        try
        {
            var saved = NewException.Id is { } exceptionId
                ? await sender.Send(new ChangeRosterException(Id, exceptionId, NewException.Date, NewException.Closed, blocks), ct)
                : await sender.Send(new CreateRosterException(Id, NewException.Date, NewException.Closed, blocks), ct);
            Notice = $"Exception on {Day(NewException.Date!)} saved.";
            // Saved over live appointments (reported, not cancelled): listed under the notice, each linked, to move or cancel.
            Clashes = ClashNotice.Write(saved.Clashes, Time, saved.Closed ? "on this closed day" : "outside these hours", scope: ClashScopeOf(NewException.Date, NewException.Date));
            // A warning opens the page at itself, not at the section below it that the save came from.
            return Redirect($"/staff/setup/roster/{Id}#{(Clashes is null ? "exceptions" : "clashes")}");
        }
        catch (ProblemException ex) when (ex.Status == 404 && NewException.Id is not null)
        {
            Notice = "That exception was removed in the meantime; nothing was changed.";
            return Redirect($"/staff/setup/roster/{Id}#exceptions");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => ExceptionField(field, rows.Select(x => x.index).ToList())))
        {
            UsePageWording();
            await LoadWeekAsync(ct);
            return Page();
        }
    }

    /// <summary>
    /// "From … to …": the same exception on every date of the range, all or none (CreateRosterExceptionRange). Dates that
    /// already have one are named in the page's words before anything is sent; the API refuses them too (decision 242).
    /// </summary>
    private async Task<IActionResult> SaveExceptionRangeAsync(List<BlockInput?> blocks, List<int> rowOf, CancellationToken ct)
    {
        var first = Booking.Host.Pages.Staff.Diary.DiaryTime.ParseDate(NewException.Date);
        var last = Booking.Host.Pages.Staff.Diary.DiaryTime.ParseDate(NewException.LastDate);
        if (first is { } a && last is { } b && b >= a)
        {
            var taken = Exceptions.Where(e => string.CompareOrdinal(e.Date, Booking.Host.Pages.Staff.Diary.DiaryTime.Iso(a)) >= 0
                && string.CompareOrdinal(e.Date, Booking.Host.Pages.Staff.Diary.DiaryTime.Iso(b)) <= 0).Select(e => Day(e.Date)).ToList();
            if (taken.Count > 0)
            {
                ModelState.AddModelError("NewException.LastDate",
                    $"This diary already has an exception on {string.Join("; ", taken)}. Nothing was saved: change or remove {(taken.Count == 1 ? "it" : "those")} first, or choose dates around {(taken.Count == 1 ? "it" : "them")}.");
                await LoadWeekAsync(ct);
                return Page();
            }
        }

        try
        {
            var saved = await sender.Send(new CreateRosterExceptionRange(Id, NewException.Date, NewException.LastDate, NewException.Closed, blocks), ct);
            Notice = saved.Items.Count == 1
                ? $"Exception on {Day(saved.Items[0].Date)} saved."
                : $"Exceptions from {Day(saved.Items[0].Date)} to {Day(saved.Items[^1].Date)} saved ({saved.Items.Count} dates).";
            Clashes = ClashNotice.Write(saved.Clashes, Time, NewException.Closed ? "on these closed days" : "outside these hours", withDates: true,
                scope: ClashScopeOf(saved.Items[0].Date, saved.Items[^1].Date));
            return Redirect($"/staff/setup/roster/{Id}#{(Clashes is null ? "exceptions" : "clashes")}");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => field switch
        {
            "from" => "NewException.Date",
            "to" => "NewException.LastDate",
            _ => ExceptionField(field, rowOf),
        }))
        {
            UsePageWording();
            await LoadWeekAsync(ct);
            return Page();
        }
    }

    /// <param name="expect">What the date's row showed (<see cref="RosterExceptionFingerprint.OfOne"/>): it goes only if it still says that.</param>
    /// <param name="shown">The date the row showed, for the words when it changed meanwhile.</param>
    public async Task<IActionResult> OnPostDeleteExceptionAsync(Guid exceptionId, string? expect, string? shown, CancellationToken ct)
    {
        try
        {
            var removed = await sender.Send(new DeleteRosterException(Id, exceptionId, NullIfEmpty(expect)), ct);
            Notice = $"Exception on {Day(removed.Dates[0])} removed.";
            // The date's hours are the week's again: appointments booked in hours the exception had opened are outside them.
            Clashes = ClashNotice.Write(removed.Clashes, Time, RemovedClashWords, scope: ClashScopeOf(removed.Dates[0], removed.Dates[0]));
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            Notice = "That exception was already gone.";
        }
        catch (ProblemException ex) when (ex.Kind == ProblemKinds.ChangedMeanwhile)
        {
            // As a run's Remove says it (decision 258), of the one date (decision 267).
            var on = NodaTime.Text.LocalDatePattern.Iso.Parse(shown ?? "").Success ? $" on {Day(shown!)}" : "";
            Notice = $"Nothing was removed: the exception{on} changed after this page showed it (someone changed its date or hours). "
                + "Here it is as it is now; remove it again if you still mean to.";
        }
        catch (FluentValidation.ValidationException)
        {
            // Only a malformed expect (the page sends none such): said as the page's notice, nothing removed.
            Notice = "Nothing was removed: the page's form was not one this page sent. Here are the exceptions as they are now.";
        }

        return Redirect($"/staff/setup/roster/{Id}#{(Clashes is null ? "exceptions" : "clashes")}");
    }

    /// <summary>
    /// Where the cancel-them-all form finds a dated change's clashes again: the diary's appointments outside its hours
    /// on those dates (decision 279). The weekly roster's change gives none: it is no short-notice closing.
    /// </summary>
    private ClashScope? ClashScopeOf(string? first, string? last) =>
        Booking.Host.Pages.Staff.Diary.DiaryTime.ParseDate(first) is { } from && Booking.Host.Pages.Staff.Diary.DiaryTime.ParseDate(last) is { } to
            ? ClashScope.Hours(Id, from, to) : null;

    /// <summary>How a removal's clashes are put: the dates' hours are the weekly roster's again (decision 258).</summary>
    public const string RemovedClashWords = "outside this diary's weekly hours";

    /// <summary>
    /// Every exception from one date to another goes in one save (DeleteRosterExceptionRange): a run's Remove, or the
    /// range form. None there is said, not refused.
    /// </summary>
    public async Task<IActionResult> OnPostDeleteExceptionRangeAsync(CancellationToken ct)
    {
        try
        {
            // A run's Remove sends the run's fingerprint: only what the page showed goes (decision 258). The range form sends none.
            var removed = await sender.Send(new DeleteRosterExceptionRange(Id, RemoveRange.From, RemoveRange.To, NullIfEmpty(RemoveRange.Expect)), ct);
            Notice = removed.Removed switch
            {
                0 => $"There were no exceptions {RangeWords()}, so nothing was removed.",
                1 => $"Exception on {Day(removed.Dates[0])} removed.",
                _ => $"{removed.Removed} exceptions {RangeWords()} removed.",
            };
            Clashes = ClashNotice.Write(removed.Clashes, Time, RemovedClashWords, withDates: removed.Removed > 1,
                scope: removed.Dates.Count == 0 ? null : ClashScopeOf(removed.Dates.Min(StringComparer.Ordinal), removed.Dates.Max(StringComparer.Ordinal)));
            return Redirect($"/staff/setup/roster/{Id}#{(Clashes is null ? "exceptions" : "clashes")}");
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return NotFoundPage();
        }
        catch (ProblemException ex) when (ex.Kind == ProblemKinds.ChangedMeanwhile)
        {
            Notice = $"Nothing was removed: the exceptions {RangeWords()} changed after this page showed them (someone added, changed or removed one). "
                + "Here they are as they are now; remove them again if you still mean to.";
            return Redirect($"/staff/setup/roster/{Id}#exceptions");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => field == "to" ? "RemoveRange.To" : "RemoveRange.From"))
        {
            if (!await LoadAsync(ct))
            {
                return NotFoundPage();
            }

            Details = new DetailsForm { Name = Diary.Name, ContactEmail = Diary.ContactEmail, Active = Diary.Active, Kind = Diary.Kind };
            UsePageWording();
            await LoadWeekAsync(ct);
            return Page();
        }
    }

    private string RangeWords() =>
        RemoveRange.From == RemoveRange.To ? $"on {Day(RemoveRange.From!)}" : $"from {Day(RemoveRange.From!)} to {Day(RemoveRange.To!)}";

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>
    /// The API's words for a time or date that does not read, in this page's: its time inputs end a block at midnight
    /// with 00:00 (not the API's 24:00) and its date is chosen, not typed as YYYY-MM-DD.
    /// </summary>
    private void UsePageWording()
    {
        foreach (var entry in ModelState.Values)
        {
            for (var i = 0; i < entry.Errors.Count; i++)
            {
                var words = entry.Errors[i].ErrorMessage switch
                {
                    RosterProblemWords.BadStart => "Enter the start time, such as 09:00.",
                    RosterProblemWords.BadEnd => "Enter the end time, such as 17:00, or 00:00 for midnight.",
                    RosterProblemWords.BadDate or RosterProblemWords.BadFirstDate => "Choose the date.",
                    RosterProblemWords.BadLastDate when entry == ModelState["RemoveRange.To"] => "Choose the last date.",
                    RosterProblemWords.BadLastDate => "Choose the last date, or leave it empty for one date.",
                    _ => null,
                };
                if (words is not null)
                {
                    entry.Errors[i] = new Microsoft.AspNetCore.Mvc.ModelBinding.ModelError(words);
                }
            }
        }
    }

    /// <summary>"blocks[1].end" → "Week[4].End" (the form row it came from); "blocks" → the table as a whole.</summary>
    private static string WeekField(string field, List<int> rowOf) => RowField(field, rowOf, "Week");

    private static string ExceptionField(string field, List<int> rowOf) =>
        field.StartsWith("blocks", StringComparison.Ordinal) ? RowField(field, rowOf, "NewException.Blocks") : RosterForms.Prefixed(nameof(NewException))(field);

    private static string RowField(string field, List<int> rowOf, string prefix)
    {
        var match = System.Text.RegularExpressions.Regex.Match(field, @"^blocks\[(\d+)\](?:\.(\w+))?\z");
        if (!match.Success)
        {
            return prefix;
        }

        var index = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var row = index < rowOf.Count ? rowOf[index] : index;
        var part = match.Groups[2].Success ? "." + char.ToUpperInvariant(match.Groups[2].Value[0]) + match.Groups[2].Value[1..] : ".Start";
        return $"{prefix}[{row}]{part}";
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        try
        {
            Diary = await sender.Send(new GetDiary(Id), ct);
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return false;
        }

        Exceptions = (await sender.Send(new ListRosterExceptions(Id), ct)).Items;
        if (NewException.Blocks.Count == 0)
        {
            NewException.Blocks = [new BlockRow { BookableOnline = true }, new BlockRow { BookableOnline = true }];
        }

        return true;
    }

    private async Task LoadWeekAsync(CancellationToken ct)
    {
        var roster = await sender.Send(new GetWeeklyRoster(Id), ct);
        Week = roster.Blocks.Select(b => new BlockRow { Weekday = b.Weekday, Start = b.Start, End = RosterForms.EndToForm(b.End), BookableOnline = b.BookableOnline }).ToList();
        PadWeek();
        if (roster.Blocks.Count == 0 && SameHours.Days.Count == 0 && SameHours.Start is null && SameHours.End is null)
        {
            // A week with no hours yet (a new diary): the usual working week, ready to add in one go or to change first.
            SameHours = new SameHoursForm { Days = [.. RosterForms.Weekdays[..5]], Start = "09:00", End = "17:00", BookableOnline = true };
        }
    }

    /// <summary>
    /// The spare empty rows, each on the day after the row above it (after the last block's day; Monday, Tuesday,
    /// Wednesday in an empty week), not all on Monday (review s42 #13).
    /// </summary>
    private void PadWeek()
    {
        var day = Week.Count == 0 ? -1 : Array.IndexOf(RosterForms.Weekdays, Week[^1].Weekday);
        for (var i = 0; i < EmptyRows; i++)
        {
            day = (day + 1) % RosterForms.Weekdays.Length;
            Week.Add(new BlockRow { Weekday = RosterForms.Weekdays[day], BookableOnline = true });
        }
    }

    /// <summary>"3 upcoming appointments and 1 booking request waiting", "1 upcoming appointment", "2 booking requests waiting".</summary>
    public static string SwitchOffCount(DiaryUpcoming upcoming)
    {
        var parts = new List<string>();
        if (upcoming.Appointments > 0)
        {
            parts.Add(upcoming.Appointments == 1 ? "1 upcoming appointment" : $"{upcoming.Appointments} upcoming appointments");
        }

        if (upcoming.Requests > 0)
        {
            parts.Add(upcoming.Requests == 1 ? "1 booking request waiting" : $"{upcoming.Requests} booking requests waiting");
        }

        return string.Join(" and ", parts);
    }

    private Booking.Host.Pages.Staff.Diary.DiaryTime Time => new(Business.TimeZone, clock, TimeFormat, Dates);

    private IActionResult NotFoundPage() => Stopped(404, "Diary not found", "This business has no such diary.");

    public sealed class DetailsForm
    {
        [Display(Name = "Diary name")]
        public string? Name { get; set; }

        [Display(Name = "Diary contact email")]
        public string? ContactEmail { get; set; }

        [Display(Name = "Active (takes bookings)")]
        public bool Active { get; set; } = true;

        /// <summary>"person" or "resource" (the radio buttons, decision 280).</summary>
        public string? Kind { get; set; }
    }

    public sealed class BlockRow
    {
        public string? Weekday { get; set; }

        public string? Start { get; set; }

        public string? End { get; set; }

        public bool BookableOnline { get; set; }

        /// <summary>Ticked: the row is left out when saving (removing a block without script).</summary>
        public bool Remove { get; set; }
    }

    /// <summary>The same times on several weekdays (<see cref="OnPostSameHoursAsync"/>).</summary>
    public sealed class SameHoursForm
    {
        /// <summary>The ticked weekdays, by name ("monday").</summary>
        public List<string> Days { get; set; } = [];

        [Display(Name = "Start")]
        public string? Start { get; set; }

        [Display(Name = "End")]
        public string? End { get; set; }

        [Display(Name = "Online (clients may book these hours)")]
        public bool BookableOnline { get; set; }
    }

    public sealed class RangeForm
    {
        [Display(Name = "From")]
        public string? From { get; set; }

        [Display(Name = "To (inclusive)")]
        public string? To { get; set; }

        /// <summary>A run's Remove only (hidden): what the run held when the page was drawn (<see cref="RosterExceptionFingerprint"/>).</summary>
        public string? Expect { get; set; }
    }

    public sealed class ExceptionForm
    {
        /// <summary>The exception being changed; none when adding one.</summary>
        public Guid? Id { get; set; }

        [Display(Name = "Date")]
        public string? Date { get; set; }

        /// <summary>Adding only: the range's last date (empty: the one date).</summary>
        [Display(Name = "Last date (optional)")]
        public string? LastDate { get; set; }

        [Display(Name = "Closed all day")]
        public bool Closed { get; set; }

        public List<BlockRow> Blocks { get; set; } = [];
    }
}
