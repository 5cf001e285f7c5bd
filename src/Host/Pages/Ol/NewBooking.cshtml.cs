using System.Globalization;
using Booking.Appointments.Features.Availability;
using Booking.Services.Features.Portal;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// Book, by plain GET forms: service → diary (or any) and day → free slots (links to confirm). Slots come from the
/// same availability query as /api/v1/portal/availability, so other bookings are only the absence of a slot.
/// </summary>
public sealed class NewBookingModel(TimeProvider clock) : PortalPageModel
{
    /// <summary>How many days the page looks ahead for "other days with free times".</summary>
    public const int Days = 14;

    protected override bool RequiresClient => true;

    protected override PortalAccess RequiredAccess => PortalAccess.Book;

    [BindProperty(SupportsGet = true)]
    public string? Service { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Diary { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Date { get; set; }

    public IReadOnlyList<PortalService> Services { get; private set; } = [];

    public PortalService? Chosen { get; private set; }

    public LocalDate Day { get; private set; }

    public LocalDate Today { get; private set; }

    public IReadOnlyList<SlotView> Slots { get; private set; } = [];

    /// <summary>Days in the look-ahead that have free times, with their first slot.</summary>
    public IReadOnlyList<LocalDate> FreeDays { get; private set; } = [];

    public string DiaryChoice => Chosen is not null && Guid.TryParse(Diary, out var id) && Chosen.Diaries.Any(d => d.Id == id) ? id.ToString() : "any";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Services = (await Sender.Send(new ListPortalServices(), cancellationToken)).Items;
        Chosen = Guid.TryParse(Service, out var serviceId) ? Services.FirstOrDefault(s => s.Id == serviceId) : null;
        if (Services.Count == 1 && Chosen is null && Service is null)
        {
            Chosen = Services[0];
        }

        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(Business.TimeZone) ?? DateTimeZone.Utc;
        Today = Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(zone).Date;
        var picked = DateRange.TryParse(Date, out var d) && d >= Today ? d : (LocalDate?)null;
        Day = picked ?? Today;
        if (Chosen is null)
        {
            return;
        }

        var availability = await Sender.Send(new GetAvailability(Chosen.Id.ToString(), DiaryChoice, Iso(Day), Iso(Day.PlusDays(Days - 1))), cancellationToken);
        var byDay = availability.Slots.GroupBy(s => LocalDate.FromDateTime(s.Start.DateTime)).ToDictionary(g => g.Key, g => g.ToList());
        if (picked is null && !byDay.ContainsKey(Day) && byDay.Count > 0)
        {
            Day = byDay.Keys.Min(); // no day asked for: open at the first day with free times
        }

        Slots = byDay.TryGetValue(Day, out var slots) ? slots : [];
        FreeDays = byDay.Keys.Where(k => k != Day).Order().ToList();
    }

    public static string Iso(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Label(LocalDate date) => date.ToString("dddd d MMMM", CultureInfo.InvariantCulture);

    public string ConfirmUrl(SlotView slot) =>
        PortalUrl("/ol/new-booking/confirm", ("service", Chosen!.Id.ToString()), ("diary", DiaryChoice), ("start", PortalTime.Iso(slot.Start)));

    public string DayUrl(LocalDate date) =>
        PortalUrl("/ol/new-booking", ("service", Chosen!.Id.ToString()), ("diary", DiaryChoice), ("date", Iso(date)));
}
