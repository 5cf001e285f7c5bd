using Booking.Appointments.Features.BusyBlocks;
using Booking.Appointments.Features.StaffDiary;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Contracts;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using AppointmentsDiary = Booking.Appointments.Features.StaffDiary.GetDiary;

namespace Booking.Host.Pages.Staff.Diary;

/// <summary>
/// /staff/diary?date=&amp;view=day|week&amp;diary=: appointments (cancelled ones too) and busy blocks, in the business's
/// zone; the GetDiary query of GET /api/v1/admin/diary. Open to practitioners, who see and pick only their assigned
/// diaries (GetDiaryAccess); changes are for owners and admins.
/// </summary>
public sealed class IndexModel(ISender sender, TimeProvider clock) : StaffPageModel
{
    protected override IReadOnlyList<string> AllowedRoles => StaffRoles.Everyone;

    [BindProperty(SupportsGet = true, Name = "date")]
    public string? DateText { get; set; }

    [BindProperty(SupportsGet = true, Name = "view")]
    public string? ViewText { get; set; }

    [BindProperty(SupportsGet = true, Name = "diary")]
    public Guid? DiaryFilter { get; set; }

    [TempData]
    public string? Notice { get; set; }

    /// <summary>Appointments a busy block just added overlaps (<see cref="ClashNotice"/>, JSON), listed under the notice.</summary>
    [TempData]
    public string? Clashes { get; set; }

    public bool Week => ViewText == "week";

    public LocalDate Date { get; private set; }

    public LocalDate From { get; private set; }

    public LocalDate To { get; private set; }

    public LocalDate Today { get; private set; }

    /// <summary>The dates the diary shows (<see cref="DiaryTime.Window"/>): the date input's min and max.</summary>
    public LocalDate First { get; private set; }

    public LocalDate Last { get; private set; }

    /// <summary>Set when the asked date lay outside the window (the page shows the nearest date instead) or was no date (today instead).</summary>
    public string? WindowNotice { get; private set; }

    /// <summary>The diaries the reader may read: every one, or a practitioner's assigned ones that exist.</summary>
    public IReadOnlyList<Booking.Roster.Contracts.DiaryView> Diaries { get; private set; } = [];

    /// <summary>A practitioner none of whose assigned diaries exists (or who has none): the page says so, and shows nothing.</summary>
    public bool NoDiariesAssigned { get; private set; }

    public Booking.Appointments.Features.StaffDiary.DiaryView Entries { get; private set; } = new("", [], []);

    /// <summary>The business's zone: times on the page, with the zone's abbreviation on days the clocks change.</summary>
    public DiaryTime Time { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var time = new DiaryTime(Business.TimeZone, clock, TimeFormat, Dates);
        Time = time;
        Today = time.Today;
        var asked = DiaryTime.ParseDate(DateText);
        Date = asked ?? Today;
        // A date outside the window moves to its nearest edge and the page says so (as the portal's booking page does);
        // one that is no date at all ("2026-13-45") shows today, and says so too.
        var (first, last) = time.Window;
        if (asked is null && !string.IsNullOrWhiteSpace(DateText))
        {
            WindowNotice = "That is not a date the diary can show, so it shows today. Choose a date with the date box.";
        }
        else if (!time.InWindow(Date))
        {
            WindowNotice = $"The diary shows dates {time.WindowText}.";
            Date = Date < first ? first : last;
        }

        (From, To) = Week ? (Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday)), Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday)).PlusDays(6)) : (Date, Date);
        (From, To) = (From < first ? first : From, To > last ? last : To);
        (First, Last) = (first, last);
        var access = await sender.Send(new GetDiaryAccess(), ct);
        Diaries = (await sender.Send(new GetDiaries(access.Only), ct)).OrderBy(d => d.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        // A diary not there and one the reader may not read are alike: the page shows all of the reader's diaries.
        if (DiaryFilter is { } id && Diaries.All(d => d.Id != id))
        {
            DiaryFilter = null;
        }

        if (!access.AllowsEvery && Diaries.Count == 0)
        {
            NoDiariesAssigned = true;
            return;
        }

        Entries = await sender.Send(new AppointmentsDiary(DiaryTime.Iso(From), DiaryTime.Iso(To), DiaryFilter?.ToString()), ct);
        var petIds = Entries.Appointments.Select(a => a.Pet?.Id).OfType<Guid>().ToList();
        Pets = petIds.Count == 0 ? Pets : await sender.Send(new Booking.PortalAuth.Contracts.GetPetFacts(petIds), ct);
        ClosedDays = (await sender.Send(new Booking.Roster.Contracts.GetBusinessClosedDays(From.ToDateOnly(), To.ToDateOnly()), ct))
            .ToDictionary(c => LocalDate.FromDateOnly(c.Date), c => c.Label);
    }

    /// <summary>The shown appointments' pets as on file now, by pet id: the entry's tooltip and a removed pet's note (decision 311).</summary>
    public IReadOnlyDictionary<Guid, Booking.PortalAuth.Contracts.PetFacts> Pets { get; private set; } = new Dictionary<Guid, Booking.PortalAuth.Contracts.PetFacts>();

    /// <summary>The shown dates the whole business is closed, with their labels (decision 289).</summary>
    public IReadOnlyDictionary<LocalDate, string> ClosedDays { get; private set; } = new Dictionary<LocalDate, string>();

    /// <summary>"Business closed: Christmas" (or "Business closed") on a date the business is closed; else null.</summary>
    public string? ClosedOn(LocalDate day) =>
        ClosedDays.TryGetValue(day, out var label) ? label.Length == 0 ? "Business closed" : $"Business closed: {label}" : null;

    /// <summary>The diaries to show: the chosen one, or every active diary plus any inactive one with entries.</summary>
    public IEnumerable<Booking.Roster.Contracts.DiaryView> Shown =>
        Diaries.Where(d => DiaryFilter is { } id ? d.Id == id
            : d.Active || Entries.Appointments.Any(a => a.DiaryId == d.Id) || Entries.BusyBlocks.Any(b => b.DiaryId == d.Id));

    public string DiaryName(Guid id) => Diaries.FirstOrDefault(d => d.Id == id)?.Name ?? "";

    /// <summary>A diary's entries of one date, by start: appointments and busy blocks together.</summary>
    public IReadOnlyList<DiaryEntry> EntriesOf(Guid? diaryId, LocalDate date) =>
        Entries.Appointments.Where(a => (diaryId is null || a.DiaryId == diaryId) && Touches(a.Start, a.End, date)).Select(a => new DiaryEntry(a.Start, a, null))
            .Concat(Entries.BusyBlocks.Where(b => (diaryId is null || b.DiaryId == diaryId) && Touches(b.Start, b.End, date)).Select(b => new DiaryEntry(b.Start, null, b)))
            .OrderBy(e => e.Start).ToList();

    /// <summary>An entry shows on every date it covers: one that runs past midnight on both days (ending at 00:00 is not the next day).</summary>
    private static bool Touches(DateTimeOffset start, DateTimeOffset end, LocalDate date) =>
        DiaryTime.DateOf(start) <= date
        && (LocalDateTime.FromDateTime(end.DateTime) > date.AtMidnight() || DiaryTime.DateOf(start) == date);

    public string Link(LocalDate date, string? view = null, Guid? diary = null, bool keepDiary = true)
    {
        var d = keepDiary ? diary ?? DiaryFilter : diary;
        return $"/staff/diary?date={DiaryTime.Iso(date)}&view={view ?? (Week ? "week" : "day")}" + (d is { } id ? $"&diary={id}" : "");
    }

    public async Task<IActionResult> OnPostRemoveBlockAsync(Guid blockId, CancellationToken ct)
    {
        if (!CanChangeSetup)
        {
            return Stopped(403, "Not available to your role", "Only the business's owner and admins can change the diary.");
        }

        try
        {
            await sender.Send(new DeleteBusyBlock(blockId), ct);
            Notice = "Busy time removed.";
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            Notice = "That busy time was already gone.";
        }

        return LocalRedirect(Link(DiaryTime.ParseDate(DateText) ?? new DiaryTime(Business.TimeZone, clock, TimeFormat, Dates).Today));
    }

    public sealed record DiaryEntry(DateTimeOffset Start, StaffAppointmentView? Appointment, BusyBlockView? Block);
}
