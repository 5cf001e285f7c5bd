using Booking.Appointments.Contracts;
using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.Idempotency;
using Booking.Appointments.Features.PortalAppointments;
using Booking.Appointments.Features.Scheduling;
using Booking.Appointments.Features.StaffDiary;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Contracts;
using Booking.Tenancy.Contracts;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Appointments.Features.StaffAppointments;

/// <summary>
/// The body of a staff booking (and of its check). DiaryId: a diary's id, or <c>any</c> in any case (decision 333): the
/// first active diary offering the service, by name, that a client could book at that time (<see cref="BookingDesk"/>).
/// </summary>
public sealed record StaffBookingBody(Guid? ClientId, Guid? ServiceId, string? DiaryId, DateTimeOffset? Start, Guid? PetId, string? Note);

public sealed record BookStaffAppointment(StaffBookingBody Body) : ICommand<StaffAppointmentView>
{
    /// <summary>
    /// In process only (the staff Book page, decision 341): the client as the caller already read them (PortalAuth's
    /// <c>GetClients</c>), used when it is the body's client, so the post reads the client once; null: read here.
    /// </summary>
    public ClientView? Client { get; init; }

    /// <summary>In process only: the portal settings the caller already read, whose cancellation policy the booking keeps
    /// (decision 270); null: the booking reads them.</summary>
    public PortalSettingsView? Settings { get; init; }
}

public sealed class BookStaffAppointmentValidator : AbstractValidator<BookStaffAppointment>
{
    public BookStaffAppointmentValidator(TimeProvider clock)
    {
        RuleFor(x => x.Body.ClientId).NotNull().OverridePropertyName("clientId").WithMessage("Choose a client.");
        RuleFor(x => x.Body.ServiceId).NotNull().OverridePropertyName("serviceId").WithMessage("Choose a service.");
        RuleFor(x => x.Body.DiaryId).NotNull().OverridePropertyName("diaryId").WithMessage("Choose a diary.");
        RuleFor(x => x.Body.DiaryId).Must(d => d is null || DiaryChoice.IsAnyOrId(d)).OverridePropertyName("diaryId").WithMessage(StaffDiaryChoice.Message);
        RuleFor(x => x.Body.Start).NotNull().OverridePropertyName("start").WithMessage("Give the start (ISO 8601 with offset).");
        // Checked here, before the handler writes or emails anything (StaffWindow).
        RuleFor(x => x.Body.Start).Must(s => StaffWindow.Allows(clock, s)).OverridePropertyName("start").WithMessage(StaffWindow.StartMessage);
        RuleFor(x => x.Body.Start).Must(WholeMinute.Allows).OverridePropertyName("start").WithMessage(WholeMinute.StartMessage);
        RuleFor(x => x.Body.Note).MaximumLength(2000).OverridePropertyName("note").WithMessage("Use at most 2000 characters.").MultiLine();
    }
}

/// <summary>Staff may book outside online hours, never over another appointment (the constraint decides).</summary>
public sealed class BookStaffAppointmentHandler(ISender sender, BookingDesk desk, BookingGate gate, Schedule schedule, Names names, IStaffContext staff)
    : ICommandHandler<BookStaffAppointment, StaffAppointmentView>
{
    public async ValueTask<StaffAppointmentView> Handle(BookStaffAppointment command, CancellationToken cancellationToken)
    {
        using var turn = await gate.EnterAsync(cancellationToken);
        var body = command.Body;
        var client = command.Client is { } known && known.Id == body.ClientId
            ? known
            : (await sender.Send(new GetClients([body.ClientId!.Value]), cancellationToken)).FirstOrDefault()
                ?? throw ProblemException.Invalid("clientId", "No such client.");
        names.Know(client); // the answer names the client (and pet) from this read, not a second one
        if (body.PetId is { } petId && client.Pets.All(p => p.Id != petId))
        {
            throw ProblemException.Invalid("petId", "Choose one of the client's pets.");
        }

        var (appointment, _) = await desk.BookAsync(
            new BookingOrder(client.Id, body.PetId, body.ServiceId!.Value, DiaryChoice.Parse(body.DiaryId), Instant.FromDateTimeOffset(body.Start!.Value),
                Online: false, AppointmentStatus.Confirmed, ChangeSources.Staff, null, body.Note, ClientAwaitingFirstRequest: client.AwaitingFirstRequest,
                BookedByStaffId: staff.Current?.Id, Policy: command.Settings?.CancellationPolicy),
            cancellationToken);
        return await StaffViews.ViewAsync(names, appointment, schedule, cancellationToken);
    }
}

/// <summary>A staff booking's <c>diaryId</c>: an id or <c>any</c> (in any case); blank or anything else is refused.</summary>
public static class StaffDiaryChoice
{
    public const string Message = "Give a diary id or `any`.";
}

public sealed record GetStaffAppointment(Guid Id) : IQuery<StaffAppointmentView>;

/// <summary>One appointment; one of a diary the reader may not read (a practitioner's other diaries) is not found, as a missing id.</summary>
public sealed class GetStaffAppointmentHandler(AppointmentsDbContext db, Schedule schedule, Names names, ISender sender) : IQueryHandler<GetStaffAppointment, StaffAppointmentView>
{
    public async ValueTask<StaffAppointmentView> Handle(GetStaffAppointment query, CancellationToken cancellationToken)
    {
        var access = await sender.Send(new GetDiaryAccess(), cancellationToken);
        var a = await db.Appointments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == query.Id, cancellationToken);
        if (a is null || !access.Allows(a.DiaryId))
        {
            throw ProblemException.NotFound();
        }

        return await StaffViews.ViewAsync(names, a, schedule, cancellationToken);
    }
}

public sealed record CancelStaffAppointment(Guid Id, string? Reason) : ICommand<StaffAppointmentView>;

public sealed class CancelStaffAppointmentValidator : AbstractValidator<CancelStaffAppointment>
{
    public CancelStaffAppointmentValidator() => RuleFor(x => x.Reason).MaximumLength(2000).WithMessage("Use at most 2000 characters.").MultiLine();
}

public sealed class CancelStaffAppointmentHandler(AppointmentsDbContext db, Schedule schedule, Names names, IStaffContext staff) : ICommandHandler<CancelStaffAppointment, StaffAppointmentView>
{
    public async ValueTask<StaffAppointmentView> Handle(CancelStaffAppointment command, CancellationToken cancellationToken) =>
        await db.RetryOnConcurrentChangeAsync(() => CancelAsync(command, cancellationToken));

    private async Task<StaffAppointmentView> CancelAsync(CancelStaffAppointment command, CancellationToken cancellationToken)
    {
        var a = await db.Appointments.FirstOrDefaultAsync(x => x.Id == command.Id, cancellationToken) ?? throw ProblemException.NotFound();
        if (AppointmentStatus.Outcomes.Contains(a.Status))
        {
            throw AppointmentOutcomes.StatusConflict(
                $"This appointment is marked {a.Status}: it has already happened, so it cannot be cancelled.");
        }

        if (a.Status == AppointmentStatus.Confirmed && a.StartAt <= schedule.Now)
        {
            // It happened (or is happening): what became of it is an outcome, not a cancellation. A request still open
            // (a booking or a cancellation asked for) may still be answered this way.
            throw AppointmentOutcomes.StatusConflict(
                "This appointment has already started, so it cannot be cancelled. Record what happened instead: mark it completed or no-show.");
        }

        if (a.HoldsTime)
        {
            var now = schedule.Now;
            var reason = string.IsNullOrWhiteSpace(command.Reason) ? null : command.Reason.Trim();
            var previous = a.Status;
            // The client's reason for asking to cancel is kept (staff's own goes to the client with the event).
            a.End(AppointmentEndings.OfCancel(previous, "staff"), "staff", previous == AppointmentStatus.CancellationRequested ? a.CancelReason ?? reason : reason, now,
                staff.Current?.Id);
            db.Publish(AppointmentEvents.Cancelled(a, db, ChangeSources.Staff, reason, previous));
            await db.SaveChangesAsync(cancellationToken);
        }

        return await StaffViews.ViewAsync(names, a, schedule, cancellationToken);
    }
}

/// <summary>The body of <c>PUT /api/v1/admin/appointments/{id}</c>: staff's own note, the whole of it (an empty string clears it).</summary>
public sealed record StaffNoteBody(string? StaffNote);

public sealed record SetStaffNote(Guid Id, string? StaffNote) : ICommand<StaffAppointmentView>;

public sealed class SetStaffNoteValidator : AbstractValidator<SetStaffNote>
{
    public SetStaffNoteValidator()
    {
        // PUT replaces the whole object: a missing field is not "leave as is" (API.md).
        RuleFor(x => x.StaffNote).NotNull().WithMessage("Give the staff note (an empty string clears it).");
        RuleFor(x => x.StaffNote).MaximumLength(2000).WithMessage("Use at most 2000 characters.").MultiLine();
    }
}

/// <summary>
/// Staff's own note on an appointment, in any status (decision 269): saved with when and who, never sent to the client
/// (no event: no email, text or .ics carries it) and never on the client's pages. Owners and admins (the route's roles).
/// </summary>
public sealed class SetStaffNoteHandler(AppointmentsDbContext db, Schedule schedule, Names names, IStaffContext staff)
    : ICommandHandler<SetStaffNote, StaffAppointmentView>
{
    public async ValueTask<StaffAppointmentView> Handle(SetStaffNote command, CancellationToken cancellationToken) =>
        await db.RetryOnConcurrentChangeAsync(() => SetAsync(command, cancellationToken));

    private async Task<StaffAppointmentView> SetAsync(SetStaffNote command, CancellationToken cancellationToken)
    {
        var a = await db.Appointments.FirstOrDefaultAsync(x => x.Id == command.Id, cancellationToken) ?? throw ProblemException.NotFound();
        var note = string.IsNullOrWhiteSpace(command.StaffNote) ? null : command.StaffNote.Trim();
        if (note != a.StaffNote)
        {
            // UpdatedAt stays: it dates the appointment's own changes, which the request and message answers read.
            a.StaffNote = note;
            a.StaffNoteUpdatedAt = schedule.Now;
            a.StaffNoteUpdatedByStaffId = staff.Current?.Id;
            await db.SaveChangesAsync(cancellationToken);
        }

        return await StaffViews.ViewAsync(names, a, schedule, cancellationToken);
    }
}

/// <summary>The body of an outcome: <c>completed</c>, <c>no-show</c>, or <c>confirmed</c> to take a recorded outcome back.</summary>
public sealed record OutcomeBody(string? Status);

public sealed record RecordOutcome(Guid Id, string? Status) : ICommand<StaffAppointmentView>;

public sealed class RecordOutcomeValidator : AbstractValidator<RecordOutcome>
{
    public RecordOutcomeValidator() =>
        RuleFor(x => x.Status).Must(s => s is AppointmentStatus.Completed or AppointmentStatus.NoShow or AppointmentStatus.Confirmed)
            .WithMessage("Choose completed, no-show, or confirmed (to take an outcome back).");
}

/// <summary>
/// What became of an appointment that has started: staff mark it completed or no-show, or take that back to confirmed.
/// Only a confirmed appointment (or one already marked) whose start has passed; the time stays held either way.
/// </summary>
public sealed class RecordOutcomeHandler(AppointmentsDbContext db, Schedule schedule, Names names, ISender sender)
    : ICommandHandler<RecordOutcome, StaffAppointmentView>
{
    public async ValueTask<StaffAppointmentView> Handle(RecordOutcome command, CancellationToken cancellationToken) =>
        await db.RetryOnConcurrentChangeAsync(() => RecordAsync(command, cancellationToken));

    private async Task<StaffAppointmentView> RecordAsync(RecordOutcome command, CancellationToken cancellationToken)
    {
        var access = await sender.Send(new GetDiaryAccess(), cancellationToken);
        var a = await db.Appointments.FirstOrDefaultAsync(x => x.Id == command.Id, cancellationToken);
        if (a is null || !access.Allows(a.DiaryId))
        {
            throw ProblemException.NotFound();
        }

        var now = schedule.Now;
        if (a.Status != AppointmentStatus.Confirmed && !AppointmentStatus.Outcomes.Contains(a.Status))
        {
            throw AppointmentOutcomes.StatusConflict($"This appointment is {a.Status}; only a confirmed one has an outcome.");
        }

        if (a.StartAt > now && command.Status != AppointmentStatus.Confirmed)
        {
            throw AppointmentOutcomes.StatusConflict("This appointment has not started yet; record its outcome once it has.");
        }

        if (a.Status != command.Status)
        {
            a.Status = command.Status!;
            a.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return await StaffViews.ViewAsync(names, a, schedule, cancellationToken);
    }
}

public static class AppointmentOutcomes
{
    /// <summary>409: the appointment's status does not allow this change (API additions: <c>status-conflict</c>).</summary>
    public const string StatusConflictKind = "status-conflict";

    public static ProblemException StatusConflict(string detail) => new(StatusConflictKind, 409, "Not possible in this status", detail);
}

public static class StaffAppointmentsEndpoints
{
    private static Answer Created(StaffAppointmentView view) => new(StatusCodes.Status201Created, view, $"/api/v1/admin/appointments/{view.Id}");

    public static void MapStaffAppointments(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/admin/appointments").WithTags("Staff");

        admin.MapPost("", async (StaffBookingBody body, ISender sender, HttpContext http, IdempotentRequests idempotency) =>
                await idempotency.RunAsync(http, http.User.SubjectId(), body,
                    async () => Created(await sender.Send(new BookStaffAppointment(body), http.RequestAborted)),
                    async booked => Created(await sender.Send(new GetStaffAppointment(booked), http.RequestAborted))))
            .RequireStaff(StaffRoles.Setup)
            .WithName("BookStaffAppointment")
            .Answers(409, ProblemKinds.SlotConflict, ProblemKinds.SlotUnavailable, ProblemKinds.ChangedMeanwhile, ProblemKinds.IdempotencyInProgress)
            .Answers(422, ProblemKinds.IdempotencyKeyReuse).Answers(429, ProblemKinds.RateLimited).Answers(503, ProblemKinds.BookingNotSaved)
            .WithSummary("Book for a client at any time of an active diary, at once: outside working hours and over busy time too (ask `POST …/appointments/check` first to confirm those); never over another appointment (slot-conflict).")
            .Accepts<StaffBookingBody>("application/json")
            .Produces<StaffAppointmentView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem();

        admin.MapPost("/check", async (StaffBookingBody body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new CheckStaffBooking(body), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("CheckStaffBooking")
            .Answers(409, ProblemKinds.SlotUnavailable)
            .WithSummary("Before a staff booking: what a client could not book about its time (outside the diary's working hours, over busy time, a diary that does not offer the service) and whether another appointment holds it. Books nothing.")
            .Accepts<StaffBookingBody>("application/json")
            .Produces<StaffBookingCheck>()
            .ProducesValidationProblem();

        admin.MapGet("/{id}", async (string id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetStaffAppointment(PortalAppointmentsEndpoints.ParseId(id)), ct)))
            .RequireStaff()
            .WithName("GetStaffAppointment")
            .Produces<StaffAppointmentView>();

        admin.MapPut("/{id}", async (string id, StaffNoteBody body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new SetStaffNote(PortalAppointmentsEndpoints.ParseId(id), body.StaffNote), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("SetStaffAppointmentNote")
            .WithSummary("Staff's own note on the appointment ({staffNote}, at most 2000 characters; an empty string clears it). Never shown or sent to the client.")
            .Answers(409, ProblemKinds.ChangedMeanwhile)
            .Accepts<StaffNoteBody>("application/json")
            .Produces<StaffAppointmentView>()
            .ProducesValidationProblem();

        admin.MapPost("/{id}/cancel", async (string id, [FromBody] CancelBody? body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new CancelStaffAppointment(PortalAppointmentsEndpoints.ParseId(id), body?.Reason), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("CancelStaffAppointment")
            .Answers(409, ProblemKinds.ChangedMeanwhile, AppointmentOutcomes.StatusConflictKind)
            .Accepts<CancelBody>("application/json")
            .Produces<StaffAppointmentView>();

        admin.MapPost("/{id}/outcome", async (string id, OutcomeBody body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new RecordOutcome(PortalAppointmentsEndpoints.ParseId(id), body.Status), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("RecordAppointmentOutcome")
            .WithSummary("Once an appointment has started: mark it completed or no-show, or set it back to confirmed.")
            .Answers(409, ProblemKinds.ChangedMeanwhile, AppointmentOutcomes.StatusConflictKind)
            .Accepts<OutcomeBody>("application/json")
            .Produces<StaffAppointmentView>();
    }
}
