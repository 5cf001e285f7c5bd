using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.PortalAppointments;
using Booking.Appointments.Features.Scheduling;
using Booking.Appointments.Features.StaffDiary;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Time;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Appointments.Features.StaffAppointments;

/// <summary>
/// What is unusual about a staff booking's time before it is made (the New appointment page's confirm step, and
/// <c>POST /api/v1/admin/appointments/check</c>): the booking's own body; only <c>serviceId</c>, <c>diaryId</c> and
/// <c>start</c> are read. Nothing is written. <paramref name="Moving"/> (in process only: the staff move, decision 283):
/// the appointment being moved, whose own length and buffer are judged (a move keeps them, not the service's current
/// ones), whose retired service is no refusal, whose own old time is not "taken", and whose new start must not have passed.
/// <c>clientId</c> and <c>petId</c> (optional; a move's own client and pet) are read for <c>client-booked</c> (decision 338).
/// </summary>
public sealed record CheckStaffBooking(StaffBookingBody Body, Guid? Moving = null) : IQuery<StaffBookingCheck>;

/// <summary>A span of time in the business's offset.</summary>
public sealed record TimeSpanView(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// Concerns: what a client could not book about this time, <see cref="StaffBookingConcerns"/> (empty: nothing to
/// confirm). WorkingHours: the diary's working hours on the start's date (every block, online or not, after dated
/// exceptions; none on a day it does not work). BusyTime: the diary's busy blocks the appointment overlaps. Taken:
/// another appointment holds the time, so the booking would be refused (<c>slot-conflict</c>) whatever staff confirm.
/// </summary>
public sealed record StaffBookingCheck(
    DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<string> Concerns, IReadOnlyList<TimeSpanView> WorkingHours,
    IReadOnlyList<BusyBlockView> BusyTime, bool Taken)
{
    /// <summary>
    /// The business's closed days (Setup → Roster, decision 289) on the local dates the appointment spans, soonest first,
    /// each with its label ("" for none): why it is <c>outside-hours</c> when the whole business is closed, so the words
    /// name the closure rather than a gap in the diary's roster. The concern stays <c>outside-hours</c> (confirmed as such,
    /// as a request into a closed day is). Empty when none, and whenever the time is inside working hours.
    /// </summary>
    public IReadOnlyList<BusinessClosedDayView> ClosedDays { get; init; } = [];

    /// <summary>The diary checked: the one named, or the one <c>any</c> would take now (decision 333).</summary>
    public Guid DiaryId { get; init; }

    /// <summary>
    /// The client's own live appointments the time overlaps (<c>client-booked</c>, decision 338; <see cref="OwnOverlap"/>:
    /// in a pet business only those for the same pet or without one), soonest first; empty when none or no client was given.
    /// </summary>
    public IReadOnlyList<ClientBookedView> ClientBooked { get; init; } = [];
}

/// <summary>
/// A client's own live appointment another booking of theirs would overlap: "Pat Owner already has Full groom with Grace
/// at 9:00 for Rex" (decision 338). Pet: null when it is for no pet.
/// </summary>
public sealed record ClientBookedView(Guid Id, DateTimeOffset Start, DateTimeOffset End, string Status, NamedRef Client, NamedRef Service,
    NamedRef Diary, NamedRef? Pet)
{
    public static ClientBookedView Of(Appointment a, Names names, Schedule schedule) =>
        new(a.Id, schedule.Render(a.StartAt), schedule.Render(a.EndAt), a.Status, names.Client(a.ClientId), names.Service(a.ServiceId),
            names.Diary(a.DiaryId), names.Pet(a.PetId));
}

public static class StaffBookingConcerns
{
    /// <summary>Not wholly inside the diary's working hours (the diary answer's <c>outside-hours</c>).</summary>
    public const string OutsideHours = DiaryClashes.OutsideHours;

    /// <summary>Overlaps a busy block of the diary (the diary answer's <c>busy-time</c>).</summary>
    public const string BusyTime = DiaryClashes.BusyTime;

    /// <summary>The diary does not provide the service (Setup → Services), so clients cannot book it there.</summary>
    public const string NotOffered = "not-offered";

    /// <summary>
    /// The client already holds a live appointment overlapping the time (any diary; in a pet business only one for the
    /// same pet or without a pet, <see cref="OwnOverlap"/>): what the portal refuses (<c>own-appointment-overlap</c>),
    /// staff confirm (decision 338).
    /// </summary>
    public const string ClientBooked = "client-booked";
}

public sealed class CheckStaffBookingValidator : AbstractValidator<CheckStaffBooking>
{
    public CheckStaffBookingValidator(TimeProvider clock)
    {
        RuleFor(x => x.Body.ServiceId).NotNull().OverridePropertyName("serviceId").WithMessage("Choose a service.");
        RuleFor(x => x.Body.DiaryId).NotNull().OverridePropertyName("diaryId").WithMessage("Choose a diary.");
        RuleFor(x => x.Body.DiaryId).Must(d => d is null || DiaryChoice.IsAnyOrId(d)).OverridePropertyName("diaryId").WithMessage(StaffDiaryChoice.Message);
        RuleFor(x => x.Body.Start).NotNull().OverridePropertyName("start").WithMessage("Give the start (ISO 8601 with offset).");
        RuleFor(x => x.Body.Start).Must(s => StaffWindow.Allows(clock, s)).OverridePropertyName("start").WithMessage(StaffWindow.StartMessage);
        RuleFor(x => x.Body.Start).Must(WholeMinute.Allows).OverridePropertyName("start").WithMessage(WholeMinute.StartMessage);
    }
}

/// <summary>
/// The booking's own checks come first, with its answers (an unknown or inactive diary, an unknown or retired service),
/// so a confirm step never asks about a booking that would be refused for them. Then the diary's working hours
/// (Roster's <c>GetWorkingHours</c>, as the diary marks "Outside hours"), its busy blocks, the service's diaries and the
/// appointments the exclusion constraint would meet.
/// </summary>
public sealed class CheckStaffBookingHandler(AppointmentsDbContext db, ISender sender, Schedule schedule, BookingDesk desk, Names names)
    : IQueryHandler<CheckStaffBooking, StaffBookingCheck>
{
    public async ValueTask<StaffBookingCheck> Handle(CheckStaffBooking query, CancellationToken cancellationToken)
    {
        var body = query.Body;
        var service = await sender.Send(new GetService(body.ServiceId!.Value), cancellationToken)
            ?? throw ProblemException.Invalid("serviceId", "No such service.");
        var moving = query.Moving is { } wantedId
            ? await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == wantedId, cancellationToken) ?? throw ProblemException.NotFound()
            : null;
        if (moving is not null && Instant.FromDateTimeOffset(body.Start!.Value) <= schedule.Now)
        {
            // Moved into the past, it would count as started: no longer movable or cancellable, only marked.
            throw ProblemException.Invalid("start", "Choose a time that has not passed.");
        }

        if (service.Retired && moving is null)
        {
            throw SchedulingProblems.SlotUnavailable("This service cannot be booked.");
        }

        // "any" (decision 333): the diary the booking would take now, by the booking engine's own choice; none is 409.
        var diaryId = DiaryChoice.IsAny(body.DiaryId) && moving is null
            ? await desk.StaffAnyDiaryAsync(service, Instant.FromDateTimeOffset(body.Start!.Value), cancellationToken)
            : DiaryChoice.Parse(body.DiaryId) ?? throw ProblemException.Invalid("diaryId", StaffDiaryChoice.Message);
        var diaries = await sender.Send(new GetDiaries([diaryId]), cancellationToken);
        if (!diaries.Any(d => d.Active))
        {
            throw ProblemException.Invalid("diaryId", diaries.Count == 0 ? "No such diary." : "This diary is inactive.");
        }

        var rules = await schedule.RulesAsync(service, cancellationToken);
        var start = Instant.FromDateTimeOffset(body.Start!.Value);
        var end = moving is null ? start + rules.ServiceDuration : start + (moving.EndAt - moving.StartAt);
        var blockedUntil = moving is null ? start + rules.Occupies : start + (moving.BlockedUntil - moving.StartAt);
        var movingId = moving?.Id;
        var zone = schedule.Zone;
        var (first, last) = (start.InZone(zone).Date, end.InZone(zone).Date);

        var hours = await sender.Send(new GetWorkingHours([diaryId], first.ToDateOnly(), last.ToDateOnly()), cancellationToken);
        var working = WorkingTime.Of(zone, hours.Select(h => (LocalDate.FromDateOnly(h.Date), h.Blocks.Select(b => (b.Start, b.End)))));
        var busy = await db.BusyBlocks.AsNoTracking()
            .Where(b => b.DiaryId == diaryId && b.StartAt < end && b.EndAt > start)
            .OrderBy(b => b.StartAt).ToListAsync(cancellationToken);
        // As the exclusion constraint judges it: a live appointment's time with its buffer against this one's. The same
        // statement reads the client's own appointments the time overlaps (client-booked, decision 338): a move's own
        // client and pet, else the body's (none without a client).
        var clientId = moving?.ClientId ?? body.ClientId;
        var petId = moving is null ? body.PetId : moving.PetId;
        var near = await db.Appointments.AsNoTracking()
            .Where(OwnOverlap.Or(
                a => a.DiaryId == diaryId && a.StartAt < blockedUntil && a.BlockedUntil > start
                    && a.Status != AppointmentStatus.Cancelled && a.Status != AppointmentStatus.Declined,
                OwnOverlap.Of(clientId ?? Guid.Empty, start, end, petId)))
            .Where(a => a.Id != movingId)
            .OrderBy(a => a.StartAt).ThenBy(a => a.Id).ToListAsync(cancellationToken);
        var taken = near.Any(a => a.DiaryId == diaryId && a.StartAt < blockedUntil && a.BlockedUntil > start && a.HoldsTime);
        var own = clientId is { } client ? near.Where(a => OwnOverlap.Holds(a, client, start, end, petId)).ToList() : [];

        List<string> concerns = [];
        if (!working.Covers(start, end))
        {
            concerns.Add(StaffBookingConcerns.OutsideHours);
        }

        if (busy.Count > 0)
        {
            concerns.Add(StaffBookingConcerns.BusyTime);
        }

        if (!service.DiaryIds.Contains(diaryId))
        {
            concerns.Add(StaffBookingConcerns.NotOffered);
        }

        if (own.Count > 0)
        {
            concerns.Add(StaffBookingConcerns.ClientBooked);
            // Named only when there is one (the usual check reads no names).
            await names.LoadAsync(own.Select(a => a.DiaryId).ToList(), [own[0].ClientId], cancellationToken, own.Select(a => a.PetId));
        }

        var startDate = hours.Where(h => LocalDate.FromDateOnly(h.Date) == first).SelectMany(h => h.Blocks)
            .Select(b => new TimeSpanView(
                schedule.Render(first.AtMidnight().PlusTicks(b.Start.Ticks).InZoneLeniently(zone).ToInstant()),
                schedule.Render(first.AtMidnight().PlusTicks(b.End.Ticks).InZoneLeniently(zone).ToInstant())))
            .ToList();
        // A closed business works no hours on the date (Roster gives it none): asked only then, to name the closure.
        var closed = concerns.Contains(StaffBookingConcerns.OutsideHours)
            ? await Requests.RequestConcerns.ClosedOnAsync(sender, zone, start, end, cancellationToken)
            : [];
        return new StaffBookingCheck(schedule.Render(start), schedule.Render(end), concerns, startDate,
            busy.Select(b => StaffViews.View(b, schedule)).ToList(), taken)
        {
            ClosedDays = closed,
            DiaryId = diaryId,
            ClientBooked = own.Select(a => ClientBookedView.Of(a, names, schedule)).ToList(),
        };
    }
}
