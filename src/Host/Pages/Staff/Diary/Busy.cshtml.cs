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
    [BindProperty]
    public BusyForm Input { get; set; } = new();

    public IReadOnlyList<DiaryView> Diaries { get; private set; } = [];

    public async Task OnGetAsync(string? date, Guid? diary, CancellationToken ct)
    {
        Input.Date = DiaryTime.ParseDate(date) is { } d ? DiaryTime.Iso(d) : DiaryTime.Iso(new DiaryTime(Business.TimeZone, clock).Today);
        Input.DiaryId = diary;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var time = new DiaryTime(Business.TimeZone, clock);
        var date = DiaryTime.ParseDate(Input.Date);
        var start = DiaryTime.ParseTime(Input.Start);
        var end = DiaryTime.ParseTime(Input.End);
        if (date is null)
        {
            ModelState.AddModelError("Input.Date", "Choose the date.");
        }

        if (start is null)
        {
            ModelState.AddModelError("Input.Start", "Choose the start time (HH:mm).");
        }

        if (end is null)
        {
            ModelState.AddModelError("Input.End", "Choose the end time (HH:mm).");
        }

        if (ModelState.IsValid)
        {
            try
            {
                await sender.Send(new CreateBusyBlock(Input.DiaryId, time.At(date!.Value, start!.Value), time.At(date.Value, end!.Value), Input.Note), ct);
                TempData["Notice"] = "Busy time added.";
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

        [Display(Name = "Note (optional)")]
        public string? Note { get; set; }
    }
}
