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

    public string DiaryChoice => Diary is { } d && (Booking.Appointments.Features.PortalAppointments.DiaryChoice.IsAny(d) || Guid.TryParse(d, out _))
        ? d : Appointment?.Diary.Id.ToString() ?? "any";

    /// <summary>The diaries that offer the appointment's service online, for "With".</summary>
    public IReadOnlyList<Booking.Appointments.Features.Scheduling.NamedRef> Diaries { get; private set; } = [];

    /// <summary>The kinds of <see cref="Diaries"/> (decision 280): the choice's label and "any" option read for them (decision XXX).</summary>
    public IReadOnlyList<string> DiaryKindsOffered { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await ReadAsync(cancellationToken) || Why is not null || Start is not null)
        {
            return Page();
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

        var clientId = ClientId!.Value;
        var body = new MoveBody(Start, Diary);
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
            Problem = ex.Kind == ProblemKinds.PolicyWindow ? TooLate() : ex.Detail;
            Start = null; // back to the times, as they are now
            Appointment = await MyAppointment.FindAsync(Sender, clientId, Id, cancellationToken);
            if (Appointment is not null && !Appointment.CanMove)
            {
                Why = WhyNot(Appointment);
                return Page();
            }

            await SlotsAsync(cancellationToken);
            return Page();
        }
        catch (FluentValidation.ValidationException)
        {
            Problem = "That time could not be read. Choose one of the free times.";
            Start = null;
            await SlotsAsync(cancellationToken);
            return Page();
        }
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
        return true;
    }

    private string TooLate() =>
        $"It is too late to change this appointment online: it is within {Booking.BuildingBlocks.Time.NoticePeriod.Text(Appointment!.CancellationPolicy.Hours)} of its start. "
        + $"To change it, please contact {Business.Name}.";

    private string WhyNot(PortalAppointmentView a)
    {
        var now = clock.GetUtcNow();
        if (!Settings.AccessLevels.Book || !Settings.AccessLevels.Cancel)
        {
            return $"{Business.Name} does not let clients change appointment times online. To change it, please contact them.";
        }

        return a.Status switch
        {
            "confirmed" when a.Start <= now => "This appointment has already started, so its time cannot be changed.",
            "confirmed" => TooLate(),
            "requested" => $"This booking request is still waiting for {Business.Name}. To ask for another time, withdraw it and book the time you want.",
            "cancellation-requested" => $"You asked to cancel this appointment and {Business.Name} has not decided yet. To change it, please contact them.",
            _ => "This appointment cannot be moved.",
        };
    }

    private async Task SlotsAsync(CancellationToken cancellationToken)
    {
        var a = Appointment!;
        var service = (await Sender.Send(new ListPortalServices(), cancellationToken)).Items.FirstOrDefault(s => s.Id == a.Service.Id);
        Diaries = service?.Diaries.Select(d => new Booking.Appointments.Features.Scheduling.NamedRef(d.Id, d.Name)).ToList() ?? [];
        DiaryKindsOffered = service?.Diaries.Select(d => d.Kind).ToList() ?? [];
        Today = Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(Times.Zone).Date;
        var lastDay = Today.PlusDays((await Sender.Send(new GetBookingRules(), cancellationToken)).HorizonDays);
        var picked = DateRange.TryParse(Date, out var d) && d >= Today && d <= lastDay ? d : (LocalDate?)null;
        Day = picked ?? Today;
        if (service is null)
        {
            Why = $"{a.Service.Name} cannot be booked online any more, so its time cannot be changed online. To change it, please contact {Business.Name}.";
            return;
        }

        var to = Day.PlusDays(Days - 1);
        var availability = await Sender.Send(new GetAvailability(a.Service.Id.ToString(), DiaryChoice, Iso(Day), Iso(to > lastDay ? lastDay : to)), cancellationToken);
        var byDay = availability.Slots.GroupBy(s => LocalDate.FromDateTime(s.Start.DateTime)).ToDictionary(g => g.Key, g => g.ToList());
        if (picked is null && !byDay.ContainsKey(Day) && byDay.Count > 0)
        {
            Day = byDay.Keys.Min();
        }

        Slots = byDay.TryGetValue(Day, out var slots) ? slots : [];
        FreeDays = byDay.Keys.Where(k => k != Day).Order().ToList();
    }

    public static string Iso(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string Label(LocalDate date) => Times.Dates.Long(date, withYear: date.Year != Today.Year);

    public string ConfirmUrl(SlotView slot) =>
        PortalUrl("/ol/move", ("id", Appointment!.Id.ToString()), ("diary", DiaryChoice), ("start", PortalTime.Iso(slot.Start)));

    public string DayUrl(LocalDate date) =>
        PortalUrl("/ol/move", ("id", Appointment!.Id.ToString()), ("diary", DiaryChoice), ("date", Iso(date)));

    /// <summary>"Move Physio session from Tuesday 9 December at 10:00 to Thursday 11 December at 14:30?"</summary>
    public string Question => $"Move {Appointment!.Service.Name} from {Times.When(Appointment.Start)} to {Times.When(Start!.Value)}?";
}
