using System.Globalization;
using Booking.Appointments.Features.Availability;
using Booking.Appointments.Features.PortalAppointments;
using Booking.BuildingBlocks.Problems;
using Booking.PortalAuth.Features.Me;
using Booking.Roster.Contracts;
using Booking.Services.Features.Portal;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// Book, by plain GET forms: service → diary (or any) and day → free slots (links to confirm). Slots come from the
/// same availability query as /api/v1/portal/availability, so other bookings are only the absence of a slot.
/// Visitors may look too (the booking URL is the business's shop window, and the API's services and availability are
/// public): choosing a time leads to the confirm page, which asks them to sign in or join and then comes back.
/// </summary>
public sealed class NewBookingModel(TimeProvider clock) : PortalPageModel
{
    /// <summary>How many days the page looks ahead for "other days with free times".</summary>
    public const int Days = 14;

    protected override PortalAccess RequiredAccess => PortalAccess.Book;

    protected override bool OpenBeforeFirstRequest => true;

    [BindProperty(SupportsGet = true)]
    public string? Service { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Diary { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Date { get; set; }

    public IReadOnlyList<PortalService> Services { get; private set; } = [];

    public PortalService? Chosen { get; private set; }

    /// <summary>The carried pet (<see cref="Pet"/>) when it is the signed-in client's: the services listed are those for it.</summary>
    public PortalPet? ForPet { get; private set; }

    /// <summary>No service offered online is for <see cref="ForPet"/>'s kind of animal: said, with every service a link away.</summary>
    public bool NoneForPet { get; private set; }

    public LocalDate Day { get; private set; }

    public LocalDate Today { get; private set; }

    /// <summary>The last day clients may book online (today plus the business's horizon).</summary>
    public LocalDate LastDay { get; private set; }

    /// <summary>The business's day-before cut-off (decision 290); null when it has none.</summary>
    public BookingCutoff? Cutoff { get; private set; }

    /// <summary>The day asked for lies beyond the horizon: the page shows the last bookable day instead, and says so.</summary>
    public bool BeyondHorizon { get; private set; }

    /// <summary>
    /// The day asked for (<c>date=</c>) is not a date or has passed: why, said above the day shown instead; else null.
    /// </summary>
    public string? DateNotShown { get; private set; }

    public IReadOnlyList<SlotView> Slots { get; private set; } = [];

    /// <summary>Days in the look-ahead that have free times, with their first slot.</summary>
    public IReadOnlyList<LocalDate> FreeDays { get; private set; } = [];

    /// <summary>
    /// A new client who owes their first booking, whose bookings are requests (the business confirms new clients first):
    /// the welcome speaks of a booking request only then (read only while the first booking is owed).
    /// </summary>
    public bool FirstBookingIsRequest { get; private set; }

    /// <summary>
    /// The signed-in client already holds as much as the business lets one client book online: the booking-limit
    /// refusal's words (<see cref="GetMyBookingLimit"/>), said in place of the services and times.
    /// </summary>
    public string? AtLimit { get; private set; }

    /// <summary>
    /// The client's note, typed on a confirm page whose time was taken meanwhile: carried through the day's times to the
    /// next confirm page (<see cref="ConfirmBookingModel.CarriedNote"/>: at most the note's 2000 characters).
    /// </summary>
    [BindProperty(SupportsGet = true)]
    public string? Note { get; set; }

    private string? CarriedNote => ConfirmBookingModel.Carried(Note);

    /// <summary>
    /// The pet the booking is for, said on the new-client form (or chosen on a confirm page whose time was taken): carried
    /// as the note is, so the confirm page's "For" opens on it. Only an id; the confirm page uses it only if it is theirs.
    /// </summary>
    [BindProperty(SupportsGet = true)]
    public Guid? Pet { get; set; }

    /// <summary>The carried pet for links and the forms' hidden field (null: none).</summary>
    public string? PetField => Pet?.ToString();

    public string DiaryChoice => Chosen is not null && Guid.TryParse(Diary, out var id) && Chosen.Diaries.Any(d => d.Id == id) ? id.ToString() : "any";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // Nothing can be booked online (review J10): the page says so with the contact, instead of services with no free times.
        await ReadBookabilityAsync(cancellationToken);
        PortalMe? me = null;
        if (AwaitingFirstRequest && ClientId is { } clientId)
        {
            try
            {
                me = await Sender.Send(new GetPortalMe(clientId), cancellationToken);
                FirstBookingIsRequest = me.Status == "pending-approval";
            }
            catch (ProblemException)
            {
                // the client was removed while signed in: the page still shows, without the welcome's detail
            }
        }

        else if (!NothingToBook && ClientId is { } signedIn)
        {
            // At the booking limit the client is told now, in the refusal's words, not after choosing a time (the confirm
            // still refuses: the limit is checked again when the booking is saved).
            try
            {
                me = await Sender.Send(new GetPortalMe(signedIn), cancellationToken);
                AtLimit = (await Sender.Send(new GetMyBookingLimit(signedIn, me.Status == "pending-approval", me.Pets.Count), cancellationToken)).Refusal;
            }
            catch (ProblemException)
            {
                // the client was removed while signed in: the page shows as to anyone
            }

            if (AtLimit is not null)
            {
                return;
            }
        }

        Services = NothingToBook ? [] : (await Sender.Send(new ListPortalServices(), cancellationToken)).Items;
        if (Settings.BooksForPets && Pet is { } petId && me?.Pets.FirstOrDefault(p => p.Id == petId) is { } forPet && Services.Count > 0)
        {
            // The pet came first (the new-client form, a confirm page whose time was taken, the next-pet offer): only the
            // services for its kind of animal are offered (decision 358); the booking refuses the others.
            ForPet = forPet;
            Services = Services.Where(s => s.Fits(forPet.Species)).ToList();
            NoneForPet = Services.Count == 0;
        }

        Chosen = Guid.TryParse(Service, out var serviceId) ? Services.FirstOrDefault(s => s.Id == serviceId) : null;
        if (Services.Count == 1 && Chosen is null && Service is null)
        {
            Chosen = Services[0];
        }

        Today = Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(Times.Zone).Date;
        var rules = await Sender.Send(new GetBookingRules(), cancellationToken);
        LastDay = Today.PlusDays(rules.HorizonDays);
        Cutoff = BookingCutoff.For(rules, Times, clock.GetUtcNow());
        var read = DateRange.TryParse(Date, out var d);
        var picked = read && d >= Today ? d : (LocalDate?)null;
        if (!string.IsNullOrEmpty(Date) && picked is null)
        {
            // A date that is not one (2026-13-45) or has passed: shown another day, and the page says so, as past the horizon.
            DateNotShown = read ? "That date has passed." : "That is not a date we can show.";
        }

        if (picked > LastDay)
        {
            // Any date may be typed or linked (9999-12-31 too): past the horizon there is nothing to show but the last day.
            BeyondHorizon = true;
            picked = LastDay;
        }

        Day = picked ?? Today;
        if (Chosen is null)
        {
            return;
        }

        var to = Day.PlusDays(Days - 1);
        var availability = await Sender.Send(new GetAvailability(Chosen.Id.ToString(), DiaryChoice, Iso(Day), Iso(to > LastDay ? LastDay : to)), cancellationToken);
        var byDay = availability.Slots.GroupBy(s => LocalDate.FromDateTime(s.Start.DateTime)).ToDictionary(g => g.Key, g => g.ToList());
        if (picked is null && !byDay.ContainsKey(Day) && byDay.Count > 0)
        {
            Day = byDay.Keys.Min(); // no day asked for: open at the first day with free times
        }

        Slots = byDay.TryGetValue(Day, out var slots) ? slots : [];
        FreeDays = byDay.Keys.Where(k => k != Day).Order().ToList();
        // A day the whole business is closed says so (decision 289); its label is staff's words and is not shown.
        BusinessClosed = Slots.Count == 0 && await BusinessClosedOnAsync(Day, cancellationToken);
    }

    /// <summary>The business is closed on <see cref="Day"/> (decision 289): no diary has times that day.</summary>
    public bool BusinessClosed { get; private set; }

    public static string Iso(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The one line a screen reader hears when the script loads a day: "26 free times on Monday 7 December".</summary>
    public string SlotsSummary => Slots.Count switch
    {
        0 when BusinessClosed => $"No free times on {Label(Day)}: {ClosedThatDay}",
        0 => $"No free times on {Label(Day)}.",
        1 => $"1 free time on {Label(Day)}.",
        var n => $"{n} free times on {Label(Day)}.",
    };

    /// <summary>"Monday 7 December" ("Monday, December 7" month first), with the year when it is not this year's.</summary>
    public string Label(LocalDate date) => Times.Dates.Long(date, withYear: date.Year != Today.Year);

    /// <summary>"7 December" ("December 7" month first), with the year when it is not this year's.</summary>
    public string LastDayText => Times.Dates.DayMonth(LastDay, withYear: LastDay.Year != Today.Year);

    public string ConfirmUrl(SlotView slot) =>
        PortalUrl("/ol/new-booking/confirm", ("service", Chosen!.Id.ToString()), ("diary", DiaryChoice), ("start", PortalTime.Iso(slot.Start)), ("note", CarriedNote), ("pet", PetField));

    public string DayUrl(LocalDate date) =>
        PortalUrl("/ol/new-booking", ("service", Chosen!.Id.ToString()), ("diary", DiaryChoice), ("date", Iso(date)), ("note", CarriedNote), ("pet", PetField));

    /// <summary>The carried note for the day form's hidden field (null: none).</summary>
    public string? NoteField => CarriedNote;
}
