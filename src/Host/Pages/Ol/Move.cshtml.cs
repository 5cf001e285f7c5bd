using System.Globalization;
using Booking.Appointments.Features.Availability;
using Booking.Appointments.Features.Idempotency;
using Booking.Appointments.Features.Moves;
using Booking.Appointments.Features.PortalAppointments;
using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Booking.Roster.Contracts;
using Booking.Services.Features.Portal;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// Change time (decision 282): the free times for the appointment's own service (the availability query the booking
/// pages read, so other bookings are only the absence of a time), then a confirm step ("Move Physio session from … to
/// …?"), then My appointments with the notice. The post runs under the form's key (IdempotentRequests, as the booking's
/// confirm page), and redirects: a refresh or a repeat of the post moves nothing twice. Inside the window the page says
/// why not and how to reach the business.
/// </summary>
public sealed class MoveModel(TimeProvider clock, IdempotentRequests idempotency) : PortalPageModel
{
    /// <summary>The outcome kept for My appointments (<see cref="PortalNotice"/>).</summary>
    public const string Moved = "moved";

    public const int Days = 7;

    /// <summary>The business's day-before cut-off (decision 290); null when it has none.</summary>
    public BookingCutoff? Cutoff { get; private set; }

    private const string KeyPrefix = "ol-move:";

    protected override bool RequiresClient => true;

    protected override PortalAccess RequiredAccess => PortalAccess.OneAppointment;

    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Date { get; set; }

    /// <summary>The diary to look in: an id, or "any" (default: the appointment's own).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Diary { get; set; }

    /// <summary>The chosen new start (the confirm step), ISO 8601 with offset.</summary>
    [BindProperty(SupportsGet = true)]
    public DateTimeOffset? Start { get; set; }

    /// <summary>
    /// Where the confirm step showed the appointment ("from"): its start and diary, posted back as the move's
    /// <c>expectedStart</c>/<c>expectedDiaryId</c> (decision 288), so a page left open while another tab moved it refuses.
    /// </summary>
    [BindProperty]
    public DateTimeOffset? From { get; set; }

    [BindProperty]
    public string? FromDiary { get; set; }

    /// <summary>The diary the move would take (the confirm step): the one chosen, or for "any" the one the move picks.</summary>
    public PortalDiary? Target { get; private set; }

    /// <summary>The form's idempotency key, new on every rendering of the confirm form.</summary>
    [BindProperty]
    public string? FormKey { get; set; }

    public string NewFormKey { get; } = Guid.NewGuid().ToString();

    public PortalAppointmentView? Appointment { get; private set; }

    public bool Missing { get; private set; }

    public IReadOnlyList<SlotView> Slots { get; private set; } = [];

    public IReadOnlyList<LocalDate> FreeDays { get; private set; } = [];

    public LocalDate Day { get; private set; }

    public LocalDate Today { get; private set; }

    /// <summary>The refusal the server gave (its words), shown above the times.</summary>
    public string? Problem { get; private set; }

    /// <summary>Why this appointment cannot be moved online now, in words; null while it can.</summary>
    public string? Why { get; private set; }

    /// <summary>
    /// The diary chosen; by default the appointment's own, unless it no longer offers the service online (then any: its
    /// own would list nothing and the move would refuse it, and the choice below does not name it).
    /// </summary>
    public string DiaryChoice => Diary is { } d && (Booking.Appointments.Features.PortalAppointments.DiaryChoice.IsAny(d) || Guid.TryParse(d, out _))
        ? d : Appointment is { } a && Diaries.Any(x => x.Id == a.Diary.Id) ? a.Diary.Id.ToString() : "any";

    /// <summary>The appointment's service as the portal offers it now (null: retired, not bookable online, or no active diary provides it).</summary>
    private PortalService? OnlineService { get; set; }

    /// <summary>"Mia Chen no longer offers Consultation online …" when the appointment's own diary was taken off its service.</summary>
    public string? DiaryNote { get; private set; }

    /// <summary>The diaries that offer the appointment's service online, for the diary choice ("With", "Where").</summary>
    public IReadOnlyList<PortalDiary> Diaries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await ReadAsync(cancellationToken) || Why is not null)
        {
            return Page();
        }

        if (Start is { } start)
        {
            // Asked only about a time the move would take (the confirm step of a booking refuses at once, too).
            if (await OfferedAsync(start, cancellationToken) is not { } refusal)
            {
                return Page();
            }

            Problem = refusal;
            BackToDayOf(start);
        }

        await SlotsAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await ReadAsync(cancellationToken) || Start is null)
        {
            return Page();
        }

        if (Appointment!.CannotMoveReason == PortalMoves.ServiceNotOffered || (Appointment.CanMove && OnlineService is null))
        {
            return Page(); // no longer offered online: said once (Why), as the server would refuse it
        }

        var clientId = ClientId!.Value;
        var body = new MoveBody(Start, Diary, From, FromDiary);
        try
        {
            var key = Guid.TryParse(FormKey, out var k) ? KeyPrefix + k.ToString() : null;
            var moved = await idempotency.RunAsync<PortalAppointmentView>(clientId, key, new { appointmentId = Appointment!.Id, body },
                async () => new Answer(StatusCodes.Status200OK, await Sender.Send(new MoveMyAppointment(clientId, Appointment.Id, body), cancellationToken)),
                async id => new Answer(StatusCodes.Status200OK, await Sender.Send(new GetMyAppointment(clientId, id), cancellationToken)),
                cancellationToken);
            PortalNotice.Keep(TempData, Business.Id, moved.Id, Moved);
            return Redirect(Settings.AccessLevels.View ? PortalUrl("/ol/appointments") : PortalUrl("/ol/cancel", ("id", moved.Id.ToString())));
        }
        catch (ProblemException ex) when (ex.Status is 409 or 403 or 422 or 400)
        {
            // The recent-moves refusal in the page's words (the contact is shown once, under them; decision 334).
            Problem = ex.Kind == ProblemKinds.PolicyWindow ? TooLate()
                : ex.Extensions.TryGetValue("reason", out var reason) && Equals(reason, RecentMovesLimit.Reason) ? RecentMovesLimit.PageWords(Business.Name, Chrome.HasContact)
                : ex.Detail;
            BackToDayOf(Start!.Value); // back to the chosen day's times, as they are now
            Appointment = await MyAppointment.FindAsync(Sender, clientId, Id, cancellationToken);
            if (Appointment is not null && !Appointment.CanMove)
            {
                Why = WhyNot(Appointment);
                if (string.Equals(Problem, Why, StringComparison.Ordinal))
                {
                    Problem = null; // said once, in the "cannot move" paragraph (an alert after a post)
                }

                return Page();
            }

            await SlotsAsync(cancellationToken);
            return Page();
        }
        catch (FluentValidation.ValidationException)
        {
            Problem = "That time could not be read. Choose one of the free times.";
            BackToDayOf(Start!.Value);
            await SlotsAsync(cancellationToken);
            return Page();
        }
    }

    /// <summary>Leaves the confirm step for the times of the day that was chosen (not today's).</summary>
    private void BackToDayOf(DateTimeOffset start)
    {
        if (Booking.BuildingBlocks.Time.StaffWindow.Allows(clock, start))
        {
            Date = Iso(Instant.FromDateTimeOffset(start).InZone(Times.Zone).Date);
        }

        Start = null;
    }

    /// <summary>
    /// Whether the start is one the move would take, by the availability read the booking's confirm step uses: offered
    /// (busy time aside: the grid, online hours, notice, horizon, closed days) and free in the diary chosen, or for "any"
    /// in some diary (the appointment's own, when free, first: as the move tries it). Null when it is, with
    /// <see cref="Target"/> the diary it would take; else why not, in words. The appointment's own time does not count as
    /// taken (a move may overlap where it is now); its own start in its own diary (or with "any") is no move.
    /// </summary>
    private async Task<string?> OfferedAsync(DateTimeOffset start, CancellationToken cancellationToken)
    {
        var notOffered = "That time is not one of the times offered. Choose one of the free times below.";
        var a = Appointment!;
        var service = OnlineService;
        if (IsCurrent(start))
        {
            // Where it is now: the move would change nothing (decision 308), so it is not asked about.
            return "That is your appointment's current time. Choose another time below.";
        }

        var rules = await Sender.Send(new GetBookingRules(), cancellationToken);
        var now = Instant.FromDateTimeOffset(clock.GetUtcNow());
        if (service is null || !Booking.BuildingBlocks.Time.StaffWindow.Allows(clock, start)
            || Booking.Appointments.Domain.SlotMaths.BeyondHorizon(Instant.FromDateTimeOffset(start), now, rules.HorizonDays))
        {
            return notOffered;
        }

        var day = Iso(Instant.FromDateTimeOffset(start).InZone(Times.Zone).Date);
        AvailabilityView offered, free;
        try
        {
            // At the appointment's own length and buffer, as the move judges it (decision 294).
            offered = await Sender.Send(new GetAvailability(a.Service.Id.ToString(), DiaryChoice, day, day) { BusyAside = true, Moving = a.Id }, cancellationToken);
            free = await Sender.Send(new GetAvailability(a.Service.Id.ToString(), DiaryChoice, day, day) { Moving = a.Id }, cancellationToken);
        }
        catch (Exception ex) when (PageProblems.Kind(ex) is "validation" or "not-found")
        {
            return notOffered; // a diary that is not one
        }

        var offeredIn = offered.Slots.Where(s => s.Start == start).SelectMany(s => s.DiaryIds).ToHashSet();
        if (offeredIn.Count == 0)
        {
            return notOffered;
        }

        // Free in a diary: listed free there. The read leaves this very appointment out of its own way (decision 308), as the
        // list does, so a time overlapping where it is now is free unless something else holds it.
        var freeIn = free.Slots.Where(s => s.Start == start).SelectMany(s => s.DiaryIds).ToHashSet();

        // The move tries the appointment's own diary first, then the others offering it (the service's order).
        var order = service.Diaries.OrderBy(d => d.Id == a.Diary.Id ? 0 : 1).ToList();
        Target = Guid.TryParse(DiaryChoice, out var chosen)
            ? order.FirstOrDefault(d => d.Id == chosen && freeIn.Contains(d.Id))
            : order.FirstOrDefault(d => freeIn.Contains(d.Id));
        return Target is null ? "That time is no longer free. Choose another time." : null;
    }

    private async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        Appointment = await MyAppointment.FindAsync(Sender, ClientId!.Value, Id, cancellationToken);
        if (Appointment is null)
        {
            Missing = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }

        Why = Appointment.CanMove ? null : WhyNot(Appointment);
        if (Why is null)
        {
            OnlineService = (await Sender.Send(new ListPortalServices(), cancellationToken)).Items.FirstOrDefault(s => s.Id == Appointment.Service.Id);
            Diaries = OnlineService?.Diaries ?? [];
            // Agrees with the server (BookingDesk.MoveAsync refuses a client's move of a service no longer offered online):
            // said before any time is listed or asked about, once, with how to reach the business (decision 308).
            Why = OnlineService is null ? NoLongerOffered(Appointment) : null;
            DiaryNote = OnlineService is not null && Diaries.All(d => d.Id != Appointment.Diary.Id)
                ? (DiaryKinds.IsResource(Appointment.Diary.Kind)
                    ? $"{Appointment.Diary.Name} is no longer available for {Appointment.Service.Name} online, so a new time is {(Diaries is [var place] ? $"in {place.Name}" : "in one of the places below")}."
                    : $"{Appointment.Diary.Name} no longer offers {Appointment.Service.Name} online, so a new time is {(Diaries is [var person] ? $"with {person.Name}" : "with one of the people below")}.")
                : null;
        }

        return true;
    }

    /// <summary>
    /// A service retired, taken off online booking, or provided by no active diary since the booking: a client cannot book
    /// it, so cannot move it either (the server refuses it: <c>slot-unavailable</c>); staff can (decision 308).
    /// </summary>
    private string NoLongerOffered(PortalAppointmentView a) =>
        $"{Business.Name} no longer offers {a.Service.Name} online, so you cannot change this appointment's time here. "
        + "Your appointment stays as it is. " + NotTakingBookingsWords.Ask(Chrome.HasContact, $"To change it, please contact {Business.Name}.", Business.Name);

    /// <summary>
    /// Whether a start is where the appointment is now, in the diary chosen: its own start in its own diary, or with "any"
    /// (the move then keeps it where it is, a no-op) while its own diary still offers the service. Listed as "your current
    /// time", not a link (decision 308). "Any" without its own diary is a real move to another diary at the same time.
    /// </summary>
    public bool IsCurrent(DateTimeOffset start) =>
        Appointment is { } a && start == a.Start
        && (DiaryChoice == a.Diary.Id.ToString()
            || (Booking.Appointments.Features.PortalAppointments.DiaryChoice.IsAny(DiaryChoice) && Diaries.Any(d => d.Id == a.Diary.Id)));

    /// <summary>The server's words for a cancelled appointment (<c>MoveAppointment</c>'s status conflict), so a post refused for it says it once.</summary>
    private const string Cancelled = "This appointment is cancelled, so its time cannot be changed. Book a new appointment instead.";

    private string TooLate() =>
        $"It is too late to change this appointment online: it is within {Booking.BuildingBlocks.Time.NoticePeriod.Text(Appointment!.CancellationPolicy.Hours)} of its start. "
        + NotTakingBookingsWords.Ask(Chrome.HasContact, $"To change it, please contact {Business.Name}.", Business.Name);

    private string WhyNot(PortalAppointmentView a)
    {
        var now = clock.GetUtcNow();
        if (!Settings.AccessLevels.Book || !Settings.AccessLevels.Cancel)
        {
            return $"{Business.Name} does not let clients change appointment times online. " + NotTakingBookingsWords.Ask(Chrome.HasContact, "To change it, please contact them.", Business.Name);
        }

        if (a.CannotMoveReason == PortalMoves.ServiceNotOffered)
        {
            return NoLongerOffered(a); // the answer's canMove says it now (decision 318); the page read it itself before
        }

        if (a.CannotMoveReason == PortalMoves.RecentMoves)
        {
            // Moved 5 times in a day (decision 326), as the move's refusal says it, the contact left to the partial under it (decision 334).
            return RecentMovesLimit.PageWords(Business.Name, Chrome.HasContact);
        }

        return a.Status switch
        {
            "confirmed" when a.Start <= now => "This appointment has already started, so its time cannot be changed.",
            "confirmed" => TooLate(),
            "requested" => PortalMoves.RequestWaiting(Business.Name),
            "cancellation-requested" => $"You asked to cancel this appointment and {Business.Name} has not decided yet. " + NotTakingBookingsWords.Ask(Chrome.HasContact, "To change it, please contact them.", Business.Name),
            "cancelled" => Cancelled,
            "completed" or "no-show" => "This appointment has already taken place, so its time cannot be changed.",
            _ => "This appointment cannot be moved.",
        };
    }

    private async Task SlotsAsync(CancellationToken cancellationToken)
    {
        var a = Appointment!;
        var service = OnlineService;
        Today = Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(Times.Zone).Date;
        var rules = await Sender.Send(new GetBookingRules(), cancellationToken);
        var lastDay = Today.PlusDays(rules.HorizonDays);
        Cutoff = BookingCutoff.For(rules, Times, clock.GetUtcNow());
        var picked = DateRange.TryParse(Date, out var d) && d >= Today && d <= lastDay ? d : (LocalDate?)null;
        // Without a day chosen, the page opens near the appointment (decision 325): on its own day, with the days around it
        // (from three before, not before today) listed; one today, past, or beyond the horizon opens on today, as before.
        var own = Instant.FromDateTimeOffset(a.Start).InZone(Times.Zone).Date;
        var near = picked is null && own > Today && own <= lastDay;
        Day = picked ?? (near ? own : Today);
        var from = near ? LocalDate.Max(Today, own.PlusDays(-(Days / 2))) : Day;
        if (service is null)
        {
            Why ??= NoLongerOffered(a); // (ReadAsync said so already)
            return;
        }

        var to = from.PlusDays(Days - 1);
        // The appointment's own length and buffer, not the service's current ones: the move keeps them (decision 294).
        var availability = await Sender.Send(new GetAvailability(a.Service.Id.ToString(), DiaryChoice, Iso(from), Iso(to > lastDay ? lastDay : to)) { Moving = a.Id }, cancellationToken);
        LengthNote = LengthMinutes != service.DurationMinutes
            ? $"This appointment is {LengthMinutes} minutes; {a.Service.Name} is now {service.DurationMinutes}. The times below are for {LengthMinutes} minutes: changing the time keeps your appointment's length."
            : null;
        var byDay = availability.Slots.GroupBy(s => LocalDate.FromDateTime(s.Start.DateTime)).ToDictionary(g => g.Key, g => g.ToList());
        if (picked is null && !byDay.ContainsKey(Day) && byDay.Count > 0)
        {
            // No free time on the day it opened on (its own day closed, say): the free day nearest it, the earlier of two.
            var wanted = Day;
            Day = byDay.Keys.OrderBy(k => Math.Abs(Period.DaysBetween(wanted, k))).ThenBy(k => k).First();
        }

        Slots = byDay.TryGetValue(Day, out var slots) ? slots : [];
        FreeDays = byDay.Keys.Where(k => k != Day).Order().ToList();
        // A day with no times because the whole business is closed says so, as the new-booking page does (decision 289).
        BusinessClosed = Slots.Count == 0 && await BusinessClosedOnAsync(Day, cancellationToken);
    }

    /// <summary>The appointment's own length in minutes, which a move keeps (decision 282).</summary>
    public int LengthMinutes => Appointment is { } a ? (int)(a.End - a.Start).TotalMinutes : 0;

    /// <summary>"This appointment is 90 minutes; Physio is now 60. …" when its length differs from the service's current one.</summary>
    public string? LengthNote { get; private set; }

    /// <summary>The day shown is one of the business's closed days (Setup → Roster), so no diary has times on it.</summary>
    public bool BusinessClosed { get; private set; }

    public static string Iso(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string Label(LocalDate date) => Times.Dates.Long(date, withYear: date.Year != Today.Year);

    public string ConfirmUrl(SlotView slot) =>
        PortalUrl("/ol/move", ("id", Appointment!.Id.ToString()), ("diary", DiaryChoice), ("start", PortalTime.Iso(slot.Start)));

    public string DayUrl(LocalDate date) =>
        PortalUrl("/ol/move", ("id", Appointment!.Id.ToString()), ("diary", DiaryChoice), ("date", Iso(date)));

    /// <summary>
    /// "Move Physio session from Tuesday 9 December at 10:00 to Thursday 11 December at 14:30?"; when the diary changes,
    /// "… at 14:30 with Tom Walsh (was Mia Chen)?"; for "any" that keeps it where it is, "… with Mia Chen, as now?".
    /// </summary>
    public string Question
    {
        get
        {
            var a = Appointment!;
            var move = $"Move {a.Service.Name} from {Times.When(a.Start)} to {Times.When(Start!.Value)}";
            if (Target is not { } target)
            {
                return move + "?";
            }

            if (target.Id != a.Diary.Id)
            {
                return $"{move} {DiaryKinds.With(target.Kind, target.Name)} (was {a.Diary.Name})?";
            }

            // "any" that keeps it where it is: say who with all the same (the client did not choose).
            return Booking.Appointments.Features.PortalAppointments.DiaryChoice.IsAny(DiaryChoice)
                ? $"{move} {DiaryKinds.With(target.Kind, target.Name)}, as now?"
                : move + "?";
        }
    }

    /// <summary>
    /// Under the question when the new time is inside the cancellation window (decision 325), as the booking's confirm page
    /// says it of a new booking: "This time is less than 24 hours away, inside the cancellation window: once moved, it
    /// cannot be cancelled or moved again online." (or "… cancelling it will be a request Harbour Physio decides, and it
    /// cannot be moved again online."). Judged by the terms the moved appointment keeps, its own (decision 270: a move
    /// keeps them, <c>BookingDesk.MoveAsync</c>), not the business's current policy. Null outside the window.
    /// </summary>
    public string? WindowNote
    {
        get
        {
            if (Appointment is not { Status: "confirmed" } a || Start is not { } start)
            {
                return null;
            }

            // The rule and words shared with the staff Move page's note (MoveWindow, decision 334).
            return MoveWindow.ClientNote(a.CancellationPolicy, start, clock.GetUtcNow(), Business.Name);
        }
    }

    /// <summary>
    /// "Harbour Physio has since closed on this day. …" when the business closed on the appointment's day after it was
    /// booked (the answer's <c>onClosedDay</c>, decision 325): said above the times, with what the client can do.
    /// </summary>
    public string? ClosedDayNote => Appointment is { OnClosedDay: true } a
        ? ClosedDay.Note(Business.Name, a, clock.GetUtcNow(), Why is null ? ClosedDay.Here.Move : ClosedDay.Here.Elsewhere, Chrome.HasContact)
        : null;

    /// <summary>The diary the confirm form posts: the one the question named (so "any" takes exactly that one).</summary>
    public string PostedDiary => Target?.Id.ToString() ?? DiaryChoice;
}
