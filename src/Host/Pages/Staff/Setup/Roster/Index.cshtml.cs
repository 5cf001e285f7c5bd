using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Booking.Host.Web;
using Booking.Roster.Contracts;
using Booking.Roster.Features.Diaries;
using Booking.Roster.Features.Rules;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Setup.Roster;

/// <summary>/staff/setup/roster: the diaries (add one; each links to its roster) and the business's booking rules.</summary>
public sealed partial class IndexModel(ISender sender, TimeProvider clock) : StaffPageModel
{
    public static readonly int[] SlotIntervals = [5, 10, 15, 20, 30, 60];

    public IReadOnlyList<DiaryResponse> Diaries { get; private set; } = [];

    [BindProperty]
    public NewDiaryForm NewDiary { get; set; } = new();

    [BindProperty]
    public RulesForm Rules { get; set; } = new();

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadDiariesAsync(ct);
        await LoadRulesAsync(ct);
    }

    public async Task<IActionResult> OnPostAddDiaryAsync(CancellationToken ct)
    {
        try
        {
            var diary = await sender.Send(new CreateDiary(NewDiary.Name, NewDiary.ContactEmail, true, NewDiary.Kind), ct);
            Notice = $"Added {diary.Name}. Now give it its weekly roster.";
            return Redirect($"/staff/setup/roster/{diary.Id}");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, RosterForms.Prefixed(nameof(NewDiary))))
        {
            await LoadDiariesAsync(ct);
            await LoadRulesAsync(ct);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostRulesAsync(CancellationToken ct)
    {
        // The cut-off box is read only with "close the day before" chosen; "No cut-off" saves none, whatever the box holds.
        var cutoff = Rules.CutoffOn ? Rules.DayBeforeCutoff?.Trim() : null;
        if (Rules.CutoffOn && string.IsNullOrEmpty(cutoff))
        {
            ModelState.AddModelError(RulesCutoffField, NoCutoffTime);
        }

        var command = new UpdateBookingRules(Rules.SlotIntervalMinutes, Rules.MinimumNoticeMinutes, Rules.HorizonDays)
        {
            DayBeforeCutoff = JsonSerializer.SerializeToElement(string.IsNullOrEmpty(cutoff) ? null : cutoff),
        };
        // A box that did not read: nothing is saved, and the other two are checked too (decision 240).
        if (!await NumberBoxes.RefusedAsync(this, command, RosterForms.Prefixed(nameof(Rules)), ct))
        {
            try
            {
                await sender.Send(command, ct);
                Notice = "Booking rules saved.";
                return RedirectToPage();
            }
            catch (Exception ex) when (ModelState.TryAdd(ex, RosterForms.Prefixed(nameof(Rules))))
            {
            }
        }

        await LoadDiariesAsync(ct);
        return Page();
    }

    private async Task LoadDiariesAsync(CancellationToken ct) =>
        Diaries = (await sender.Send(new ListDiaries(), ct)).Items;

    private async Task LoadRulesAsync(CancellationToken ct)
    {
        var rules = await sender.Send(new GetBookingRules(), ct);
        Rules = new RulesForm
        {
            SlotIntervalMinutes = rules.SlotIntervalMinutes, MinimumNoticeMinutes = rules.MinimumNoticeMinutes, HorizonDays = rules.HorizonDays,
            CutoffOn = rules.DayBeforeCutoff is not null, DayBeforeCutoff = rules.DayBeforeCutoff,
        };
    }

    private const string RulesCutoffField = nameof(Rules) + "." + nameof(RulesForm.DayBeforeCutoff);

    /// <summary>"Close the day before" chosen with no time in the box.</summary>
    public const string NoCutoffTime = "Enter the time online bookings close the day before, for example 20:00, or choose “No cut-off”.";

    public sealed class NewDiaryForm
    {
        [Display(Name = "Diary name")]
        public string? Name { get; set; }

        [Display(Name = "Diary contact email")]
        public string? ContactEmail { get; set; }

        /// <summary>"person" or "resource" (the radio buttons); anything else is the command's <c>validation</c> on kind.</summary>
        public string? Kind { get; set; } = DiaryKinds.Person;
    }

    public sealed class RulesForm
    {
        [Display(Name = "Slot interval (minutes)")]
        [NumberBox("Choose the slot interval.")]
        public int? SlotIntervalMinutes { get; set; }

        [Display(Name = "Minimum notice (minutes)")]
        [NumberBox("Enter the minimum notice in whole minutes, for example 120 for two hours, or 0 for none.")]
        public int? MinimumNoticeMinutes { get; set; }

        [Display(Name = "Booking horizon (days)")]
        [NumberBox("Enter the booking horizon in whole days, for example 60.")]
        public int? HorizonDays { get; set; }

        /// <summary>The day-before cut-off's radio buttons: false "No cut-off", true "Close online bookings the day before".</summary>
        public bool CutoffOn { get; set; }

        /// <summary>The time box ("HH:mm", as a time input sends it); read only when <see cref="CutoffOn"/>.</summary>
        [Display(Name = "Online bookings for a day close at this time the day before")]
        public string? DayBeforeCutoff { get; set; }
    }
}
