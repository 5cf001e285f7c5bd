using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.Idempotency;
using Booking.Appointments.Features.PortalAppointments;
using Booking.Appointments.Features.Scheduling;
using Booking.Appointments.Features.StaffAppointments;
using Booking.Appointments.Features.StaffDiary;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Booking.Tenancy.Contracts;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Appointments.Features.Moves;

/// <summary>
/// The body of a move: the new <c>start</c> (ISO 8601 with offset, whole minutes) and <c>diaryId</c>: for a client an id
/// or <c>any</c> (omitted: the appointment's current diary); for staff an id (omitted: the current diary).
/// <c>expectedStart</c>, <c>expectedDiaryId</c> (optional, decision 288): where the caller saw the appointment when it
/// chose the new time; when it is no longer there (another tab or person moved it meanwhile) the move is refused with 409
/// <c>status-conflict</c> rather than moving it again unseen. Left out: no check (older clients).
/// </summary>
public sealed record MoveBody(DateTimeOffset? Start, string? DiaryId, DateTimeOffset? ExpectedStart = null, string? ExpectedDiaryId = null);

/// <summary>The client's rule for moving (decision 282): what <c>canMove</c> says and the move route enforces.</summary>
public static class PortalMoves
{
    /// <summary>
    /// Both the book and the cancel access levels on, the appointment confirmed, not started, and outside the window it
    /// keeps (a cancel now would be allowed outright): a move gives up a time the business could no longer fill.
    /// </summary>
    public static bool CanMove(Appointment a, PortalSettingsView settings, Instant now) =>
        settings.AccessLevels.Book && settings.AccessLevels.Cancel && a.Status == AppointmentStatus.Confirmed && a.StartAt > now
        && !PortalAccess.InsideWindow(a, settings, now);

    /// <summary><c>cannotMoveReason</c>: the book or cancel access level is off.</summary>
    public const string AccessLevelOff = "access-level-off";

    /// <summary><c>cannotMoveReason</c>: it has started, taken place or has its outcome recorded.</summary>
    public const string AlreadyHappened = "already-happened";

    /// <summary><c>cannotMoveReason</c>: not confirmed (a booking request, a cancellation request, cancelled or declined).</summary>
    public const string StatusConflict = "status-conflict";

    /// <summary><c>cannotMoveReason</c>: inside the cancellation window it keeps.</summary>
    public const string PolicyWindow = "policy-window";

    /// <summary>
    /// <c>cannotMoveReason</c> (decision 326): the client has moved as many times in the last day as the portal lets them
    /// (<see cref="RecentMovesLimit"/>), so the move would answer 409 <c>booking-limit</c>.
    /// </summary>
    public const string RecentMoves = RecentMovesLimit.Reason;

    /// <summary>
    /// <c>cannotMoveReason</c> (decision 318): its service is retired, no longer bookable online, or provided online by no
    /// active diary, so the client could not book it and the move refuses it (<c>slot-unavailable</c>).
    /// </summary>
    public const string ServiceNotOffered = "service-not-offered";

    /// <summary>
    /// Why the client may not move it now, in the order the move route refuses (its access levels, then
    /// <see cref="Admit"/>'s rules, then the service as <c>BookingDesk.MoveAsync</c> checks it); null while it may
    /// (<c>canMove</c>). <paramref name="serviceOffered"/>: its service is one the client could book now
    /// (<see cref="OfferedOnlineAsync"/>). <paramref name="movesUsedUp"/>: the client is at <see cref="RecentMovesLimit"/>.
    /// </summary>
    public static string? CannotMove(Appointment a, PortalSettingsView settings, Instant now, bool serviceOffered, bool movesUsedUp = false)
    {
        if (!settings.AccessLevels.Book || !settings.AccessLevels.Cancel)
        {
            return AccessLevelOff;
        }

        if (a.StartAt <= now || AppointmentStatus.Outcomes.Contains(a.Status))
        {
            return AlreadyHappened;
        }

        if (a.Status != AppointmentStatus.Confirmed)
        {
            return StatusConflict;
        }

        if (PortalAccess.InsideWindow(a, settings, now))
        {
            return PolicyWindow;
        }

        if (movesUsedUp)
        {
            return RecentMoves;
        }

        return serviceOffered ? null : ServiceNotOffered;
    }

    /// <summary>
    /// The services a client could book now, as the portal's Change time page reads them: Services' own rule
    /// (<see cref="GetServicesOfferedOnline"/>, the one <c>ListPortalServices</c> is made by, so the two cannot drift;
    /// decision 329): bookable online, not retired, provided online by an active diary. Reference data kept in memory (no
    /// statement); an answer asks only when one of its appointments is otherwise movable.
    /// </summary>
    public static async Task<IReadOnlySet<Guid>> OfferedOnlineAsync(ISender sender, CancellationToken ct) =>
        (await sender.Send(new GetServicesOfferedOnline(), ct)).ToHashSet();

    /// <summary>
    /// A client's move refused because the service is no longer bookable online (409 <c>slot-unavailable</c>): "To change
    /// the time, contact the business." only where it gave a phone, email or address; without one, that it gave none
    /// (<see cref="BookPortalAppointmentHandler.NoContactGiven"/>), not a contact to look for (decision 359).
    /// </summary>
    public static string ServiceGone(bool contactable, string business) => contactable
        ? "This service cannot be booked online any more. To change the time, contact the business."
        : $"This service cannot be booked online any more, so this appointment's time cannot be changed online. {BookPortalAppointmentHandler.NoContactGiven(business)}";

    /// <summary>Why a booking request is not moved, in the words the API's refusal and the Change time page share.</summary>
    public static string RequestWaiting(string business) =>
        $"This booking request is still waiting for {business}. To ask for another time, withdraw it and book the time you want.";

    /// <summary>What a move refused for a stale page says (<c>expectedStart</c>/<c>expectedDiaryId</c> no longer match).</summary>
    public const string ChangedSinceOpened = "This appointment changed since you opened this page. Check its time and choose again.";

    /// <summary>409 <c>status-conflict</c>: the appointment is no longer where the caller saw it.</summary>
    public static ProblemException Changed() => new(AppointmentOutcomes.StatusConflictKind, 409, "Changed since you looked", ChangedSinceOpened);

    /// <summary>The refusals of <see cref="CanMove"/> about the appointment itself, in the client's words.</summary>
    public static void Admit(Appointment a, PortalSettingsView settings, Instant now, string business)
    {
        var reach = BookPortalAppointmentHandler.Reach(settings.Contact);
        if (a.StartAt <= now || AppointmentStatus.Outcomes.Contains(a.Status))
        {
            throw new ProblemException(ProblemKinds.AlreadyHappened, 409, "This appointment has already happened",
                $"This appointment has already started or taken place, so its time cannot be changed. If something is not right about it, contact {business}{reach}.");
        }

        switch (a.Status)
        {
            case AppointmentStatus.Confirmed:
                break;
            case AppointmentStatus.Requested:
                throw AppointmentOutcomes.StatusConflict(RequestWaiting(business));
            case AppointmentStatus.CancellationRequested:
                throw AppointmentOutcomes.StatusConflict(
                    $"You asked to cancel this appointment and {business} has not decided yet, so its time cannot be changed. To change it, contact {business}{reach}.");
            default:
                throw AppointmentOutcomes.StatusConflict("This appointment is cancelled, so its time cannot be changed. Book a new appointment instead.");
        }

        if (PortalAccess.InsideWindow(a, settings, now))
        {
            var policyText = PortalAccess.PolicyText(a, settings);
            var refused = new ProblemException(ProblemKinds.PolicyWindow, 409, "Too late to change online",
                $"It is too late to change this appointment's time online. To change it, contact {business}{reach}.");
            refused.Extensions["policyText"] = policyText;
            throw refused;
        }
    }
}

// ---- the client's move

public sealed record MoveMyAppointment(Guid ClientId, Guid Id, MoveBody Body) : ICommand<PortalAppointmentView>;

public sealed class MoveMyAppointmentValidator : AbstractValidator<MoveMyAppointment>
{
    public MoveMyAppointmentValidator(TimeProvider clock)
    {
        RuleFor(x => x.Body.Start).NotNull().OverridePropertyName("start").WithMessage("Give the new start (ISO 8601 with offset).");
        // Before any date maths (the appointment's length added to year 9999 overflows), as staff's move.
        RuleFor(x => x.Body.Start).Must(s => StaffWindow.Allows(clock, s)).OverridePropertyName("start").WithMessage(StaffWindow.StartMessage);
        RuleFor(x => x.Body.Start).Must(WholeMinute.Allows).OverridePropertyName("start").WithMessage(WholeMinute.StartMessage);
        RuleFor(x => x.Body.DiaryId).Must(DiaryChoice.IsValid).OverridePropertyName("diaryId").WithMessage("Give a diary id or `any`.");
        RuleFor(x => x.Body.ExpectedDiaryId).Must(d => d is null || Guid.TryParse(d, out _)).OverridePropertyName("expectedDiaryId").WithMessage("Give a diary id, or leave it out.");
    }
}

/// <summary>
/// A client moves their own confirmed appointment to another offered time (decision 282): allowed while cancelling it now
/// would be (outside the window it keeps) and the business lets clients book and cancel online; the new start must be
/// offered as a booking's is. One transaction (<see cref="BookingDesk.MoveAsync"/>); the same time again is a no-op.
/// </summary>
public sealed class MoveMyAppointmentHandler(AppointmentsDbContext db, ISender sender, BookingDesk desk, BookingGate gate, Schedule schedule, Names names, ITenantContext tenant)
    : ICommandHandler<MoveMyAppointment, PortalAppointmentView>
{
    public async ValueTask<PortalAppointmentView> Handle(MoveMyAppointment command, CancellationToken cancellationToken)
    {
        using var turn = await gate.EnterAsync(cancellationToken);
        var settings = await PortalAccess.RequireAsync(sender, l => l.Book && l.Cancel, "change appointment times", cancellationToken);
        var business = tenant.Current!.Name;
        var body = command.Body;
        // The client's moves in the last day (decision 326), read by the move under the client's lock (decision 335) and
        // refused after the appointment's own rules (Admit), so a repeat of a move already made stays a no-op and a refusal
        // about this appointment says what is wrong with it first.
        var result = await desk.MoveAsync(
            new MoveOrder(command.Id, Instant.FromDateTimeOffset(body.Start!.Value), DiaryChoice.Parse(body.DiaryId), DiaryChoice.IsAny(body.DiaryId),
                command.ClientId, null, a => PortalMoves.Admit(a, settings, schedule.Now, business))
            {
                Expected = Expected(body),
                Limit = RecentMovesLimit.Check(business, settings, schedule.Render),
                ServiceGoneWords = PortalMoves.ServiceGone(BookPortalAppointmentHandler.Contactable(settings.Contact, tenant.Current!.Address), business),
            },
            cancellationToken);
        return await PortalAccess.ViewAsync(names, result.Appointment, settings, schedule.Now, schedule, db, cancellationToken); // db: its used-up requests (decision 309)
    }

    /// <summary>Where the caller saw the appointment (both parts optional; validated as ids before).</summary>
    public static MoveExpectation? Expected(MoveBody body) =>
        body.ExpectedStart is null && body.ExpectedDiaryId is null
            ? null
            : new MoveExpectation(body.ExpectedStart is { } s ? Instant.FromDateTimeOffset(s) : null, Guid.TryParse(body.ExpectedDiaryId, out var d) ? d : null);
}

// ---- staff's move

/// <summary>
/// <paramref name="Confirm"/>: the concerns the caller confirms (the route's <c>?confirm=</c>, comma-separated):
/// <c>outside-hours</c>, <c>busy-time</c>, <c>not-offered</c>, <c>client-booked</c> (decision 338), as <c>POST …/appointments/check</c> names them.
/// </summary>
public sealed record MoveStaffAppointment(Guid Id, MoveBody Body, string? Confirm) : ICommand<StaffAppointmentView>;

public sealed class MoveStaffAppointmentValidator : AbstractValidator<MoveStaffAppointment>
{
    private static readonly string[] Known = [StaffBookingConcerns.OutsideHours, StaffBookingConcerns.BusyTime, StaffBookingConcerns.NotOffered, StaffBookingConcerns.ClientBooked];

    public MoveStaffAppointmentValidator(TimeProvider clock)
    {
        RuleFor(x => x.Body.Start).NotNull().OverridePropertyName("start").WithMessage("Give the new start (ISO 8601 with offset).");
        RuleFor(x => x.Body.Start).Must(s => StaffWindow.Allows(clock, s)).OverridePropertyName("start").WithMessage(StaffWindow.StartMessage);
        RuleFor(x => x.Body.Start).Must(WholeMinute.Allows).OverridePropertyName("start").WithMessage(WholeMinute.StartMessage);
        RuleFor(x => x.Body.DiaryId).Must(d => d is null || Guid.TryParse(d, out _)).OverridePropertyName("diaryId").WithMessage("Give a diary id.");
        RuleFor(x => x.Body.ExpectedDiaryId).Must(d => d is null || Guid.TryParse(d, out _)).OverridePropertyName("expectedDiaryId").WithMessage("Give a diary id, or leave it out.");
        RuleFor(x => x.Confirm).Must(c => c is null || Concerns(c).All(Known.Contains))
            .WithMessage("Use outside-hours, busy-time, not-offered or client-booked (comma-separated), or leave it out.");
    }

    public static IReadOnlyList<string> Concerns(string? confirm) =>
        (confirm ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// Owners and admins move a confirmed appointment that has not started, to any time of an active diary, never over
/// another appointment (<c>slot-conflict</c>). What a client could not book about the new time (outside the diary's
/// working hours, over busy time, a diary that does not offer the service: <see cref="CheckStaffBookingHandler"/>'s
/// concerns) must be confirmed (<c>?confirm=</c>), else 409 <c>slot-unavailable</c> with <c>concerns</c>.
/// </summary>
public sealed class MoveStaffAppointmentHandler(
    AppointmentsDbContext db, ISender sender, BookingDesk desk, BookingGate gate, Schedule schedule, Names names, IStaffContext staff)
    : ICommandHandler<MoveStaffAppointment, StaffAppointmentView>
{
    public async ValueTask<StaffAppointmentView> Handle(MoveStaffAppointment command, CancellationToken cancellationToken)
    {
        using var turn = await gate.EnterAsync(cancellationToken);
        var access = await sender.Send(new GetDiaryAccess(), cancellationToken);
        var current = await db.Appointments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == command.Id, cancellationToken);
        if (current is null || !access.Allows(current.DiaryId))
        {
            throw ProblemException.NotFound();
        }

        var expected = MoveMyAppointmentHandler.Expected(command.Body);
        if (expected is not null && !expected.Matches(current) && !(current.StartAt == Instant.FromDateTimeOffset(command.Body.Start!.Value)
            && current.DiaryId == (DiaryChoice.Parse(command.Body.DiaryId) ?? current.DiaryId)))
        {
            throw PortalMoves.Changed(); // before asking to confirm concerns about a move from a place it has left
        }

        var start = Instant.FromDateTimeOffset(command.Body.Start!.Value);
        var diaryId = DiaryChoice.Parse(command.Body.DiaryId) ?? current.DiaryId;
        if (!access.Allows(diaryId))
        {
            throw ProblemException.Invalid("diaryId", "No such diary.");
        }

        if (start != current.StartAt || diaryId != current.DiaryId)
        {
            var check = await sender.Send(new CheckStaffBooking(new StaffBookingBody(current.ClientId, current.ServiceId, diaryId.ToString(), command.Body.Start, current.PetId, null), Moving: current.Id),
                cancellationToken);
            var confirmed = MoveStaffAppointmentValidator.Concerns(command.Confirm);
            var open = check.Concerns.Where(c => !confirmed.Contains(c)).ToList();
            if (open.Count > 0)
            {
                throw NeedsConfirming(check.Concerns, check.ClientBooked);
            }
        }

        var result = await desk.MoveAsync(
            new MoveOrder(command.Id, start, diaryId, AnyDiary: false, ClientId: null, staff.Current?.Id, a => Admit(a, schedule.Now)) { Expected = expected },
            cancellationToken);
        return await StaffViews.ViewAsync(names, result.Appointment, schedule, cancellationToken);
    }

    private static void Admit(Appointment a, Instant now)
    {
        switch (a.Status)
        {
            case AppointmentStatus.Confirmed when a.StartAt > now:
                return;
            case AppointmentStatus.Confirmed or AppointmentStatus.Completed or AppointmentStatus.NoShow:
                throw AppointmentOutcomes.StatusConflict("This appointment has already started, so it cannot be moved. Record what happened instead, or book a new appointment.");
            case AppointmentStatus.Requested:
                throw AppointmentOutcomes.StatusConflict("This is a booking request: accept or decline it under Requests before moving it.");
            case AppointmentStatus.CancellationRequested:
                throw AppointmentOutcomes.StatusConflict("The client asked to cancel this appointment: decide that request under Requests before moving it.");
            default:
                throw AppointmentOutcomes.StatusConflict($"This appointment is {a.Status}, so it cannot be moved.");
        }
    }

    /// <summary>
    /// 409 <c>slot-unavailable</c> with <c>concerns</c>: the move needs the caller's confirmation of each; with
    /// <c>client-booked</c>, <c>clientBooked</c> lists the client's appointments it would overlap (decision 338).
    /// </summary>
    public static ProblemException NeedsConfirming(IReadOnlyList<string> concerns, IReadOnlyList<ClientBookedView>? clientBooked = null)
    {
        var words = string.Join(", ", concerns.Select(c => c switch
        {
            StaffBookingConcerns.OutsideHours => "outside the diary's working hours",
            StaffBookingConcerns.BusyTime => "over busy time",
            StaffBookingConcerns.NotOffered => "in a diary that does not offer this service",
            StaffBookingConcerns.ClientBooked => "a time the client already has another appointment at",
            _ => c,
        }));
        var problem = new ProblemException(ProblemKinds.SlotUnavailable, 409, "Confirm the new time",
            $"The new time is {words}. Confirm the move anyway (confirm={string.Join(",", concerns)}) or choose another time.");
        problem.Extensions["concerns"] = concerns.ToArray();
        if (clientBooked is { Count: > 0 })
        {
            problem.Extensions["clientBooked"] = clientBooked.ToArray();
        }

        return problem;
    }
}

public static class MoveEndpoints
{
    public static void MapMoves(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/portal/appointments/{id}/move", async (string id, MoveBody body, ISender sender, HttpContext http, IdempotentRequests idempotency) =>
            {
                var clientId = http.User.SubjectId();
                var appointmentId = PortalAppointmentsEndpoints.ParseId(id);
                // The key's request is the appointment and the body: the same key on another appointment is another request.
                return await idempotency.RunAsync(http, clientId, new { appointmentId, body },
                    async () => new Answer(StatusCodes.Status200OK, await sender.Send(new MoveMyAppointment(clientId, appointmentId, body), http.RequestAborted)),
                    async moved => new Answer(StatusCodes.Status200OK, await sender.Send(new GetMyAppointment(clientId, moved), http.RequestAborted)));
            })
            .RequirePortalClient().RequirePortalEnabled()
            .WithTags("Portal")
            .WithName("MoveMyAppointment")
            .Answers(403, ProblemKinds.AccessLevelOff, ProblemKinds.Forbidden).Answers(404, ProblemKinds.NotFound)
            .Answers(409, ProblemKinds.PolicyWindow, ProblemKinds.SlotConflict, ProblemKinds.SlotUnavailable, ProblemKinds.OwnAppointmentOverlap,
                ProblemKinds.AlreadyHappened, AppointmentOutcomes.StatusConflictKind, ProblemKinds.IdempotencyInProgress, ProblemKinds.BookingLimit)
            .Answers(422, ProblemKinds.IdempotencyKeyReuse).Answers(429, ProblemKinds.RateLimited)
            .WithSummary("Move the client's own confirmed appointment to another offered time (and optionally another diary offering the service, or `any`): "
                + "200 with the appointment; the same time again is a no-op 200; inside its cancellation window 409 policy-window with policyText; "
                + "after 5 moves by the client in 24 hours 409 booking-limit with reason recent-moves and moveAgainAt. Idempotency-Key honoured.")
            .Accepts<MoveBody>("application/json")
            .Produces<PortalAppointmentView>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem();

        app.MapPost("/api/v1/admin/appointments/{id}/move", async (string id, string? confirm, MoveBody body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new MoveStaffAppointment(PortalAppointmentsEndpoints.ParseId(id), body, confirm), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithTags("Staff")
            .WithName("MoveStaffAppointment")
            .Answers(404, ProblemKinds.NotFound)
            .Answers(409, ProblemKinds.SlotConflict, ProblemKinds.SlotUnavailable, AppointmentOutcomes.StatusConflictKind)
            .Answers(429, ProblemKinds.RateLimited)
            .WithSummary("Move a confirmed appointment that has not started to another time and/or diary: {start, diaryId}. A time a client could not book "
                + "(outside working hours, over busy time, a diary not offering the service) needs ?confirm= naming each concern (else 409 slot-unavailable with concerns); never over another appointment (slot-conflict).")
            .Accepts<MoveBody>("application/json")
            .Produces<StaffAppointmentView>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem();
    }
}
