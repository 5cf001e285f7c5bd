using Booking.Appointments.Contracts;
using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.PortalAppointments;
using Booking.Appointments.Features.Scheduling;
using Booking.Appointments.Features.StaffDiary;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Contracts;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Booking.Tenancy.Contracts;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Appointments.Features.Requests;

/// <summary>
/// Kind "booking" (a requested appointment) or "cancellation" (a client asked to cancel inside the window). Id = the appointment's.
/// ClientStatus: the client's standing now, <c>active</c> or <c>pending-approval</c> (PortalAuth's <c>GetClients</c>; null
/// for a client it no longer knows): a pending client's later bookings stay requests until staff approve them
/// (<c>POST /api/v1/admin/clients/{id}/approve</c>; review J17).
/// </summary>
public sealed record RequestView(Guid Id, string Kind, StaffAppointmentView Appointment, DateTimeOffset RequestedAt, string? ClientStatus)
{
    /// <summary>
    /// A booking request's only (left out for cancellation requests): the diary's busy blocks that overlap its time now,
    /// soonest first (the appointment's <c>clashes</c> then has <c>busy-time</c>; decision 276).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<BusyBlockView>? BusyTime { get; init; }

    /// <summary>
    /// A booking request's only (left out for cancellation requests): the client's other live appointments its time
    /// overlaps, soonest first (the appointment's <c>clashes</c> then has <c>client-booked</c>; decision 338).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<StaffAppointments.ClientBookedView>? ClientBooked { get; init; }

    /// <summary>What staff need to decide without leaving the card (the list's answer; null on a decision's): decision 276.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public RequestClientFacts? ClientFacts { get; init; }

    public static RequestView Of(Appointment a, string kind, Names names, Schedule schedule, Instant requestedAt, IReadOnlyList<string>? clashes = null,
        IEnumerable<BusyBlock>? busy = null, IEnumerable<Appointment>? clientBooked = null) =>
        new(a.Id, kind, StaffViews.View(names, a, schedule) with { Clashes = clashes }, schedule.Render(requestedAt), names.Clients.GetValueOrDefault(a.ClientId)?.Status)
        {
            BusyTime = kind == "booking" ? (busy ?? []).Select(b => StaffViews.View(b, schedule)).ToList() : null,
            ClientBooked = kind == "booking" ? (clientBooked ?? []).Select(o => StaffAppointments.ClientBookedView.Of(o, names, schedule)).ToList() : null,
        };
}

/// <summary>
/// Whether a waiting booking request's time is still inside its diary's working hours (the diary's rule, as it marks
/// "Outside hours": every block, online or not, after dated exceptions): a request is filed against the online hours, and
/// staff may close that time afterwards (a roster exception). One Roster query for all the appointments (its cached roster).
/// </summary>
public static class RequestHours
{
    /// <summary>The concern a booking request accepted into closed time is answered with (the diary's <c>outside-hours</c>).</summary>
    public const string OutsideHours = DiaryClashes.OutsideHours;

    public static async Task<IReadOnlySet<Guid>> OutsideAsync(ISender sender, Schedule schedule, IReadOnlyList<Appointment> appointments, CancellationToken ct)
    {
        if (appointments.Count == 0)
        {
            return new HashSet<Guid>();
        }

        var zone = schedule.Zone;
        var first = appointments.Min(a => a.StartAt.InZone(zone).Date);
        var last = appointments.Max(a => a.EndAt.InZone(zone).Date);
        var hours = await sender.Send(new GetWorkingHours(appointments.Select(a => a.DiaryId).Distinct().ToList(), first.ToDateOnly(), last.ToDateOnly()), ct);
        var working = hours.GroupBy(h => h.DiaryId).ToDictionary(g => g.Key, g => WorkingTime.Of(zone,
            g.Select(h => (LocalDate.FromDateOnly(h.Date), h.Blocks.Select(b => (b.Start, b.End))))));
        var none = WorkingTime.Of(zone, []);
        return appointments.Where(a => !working.GetValueOrDefault(a.DiaryId, none).Covers(a.StartAt, a.EndAt)).Select(a => a.Id).ToHashSet();
    }
}

public sealed record ListRequests : IQuery<ItemsView<RequestView>>;

/// <summary>Open requests, for owners and admins (a practitioner reads the diary only, decision 113).</summary>
public sealed class ListRequestsHandler(AppointmentsDbContext db, Schedule schedule, Names names, ISender sender) : IQueryHandler<ListRequests, ItemsView<RequestView>>
{
    public async ValueTask<ItemsView<RequestView>> Handle(ListRequests query, CancellationToken cancellationToken)
    {
        var open = await db.Appointments.AsNoTracking()
            .Where(Open)
            .OrderBy(a => a.StartAt).Take(500).ToListAsync(cancellationToken);
        // What changed under a booking request since it was made (staff see it on the card, and accepting asks to
        // confirm): the diary closed its time, or put busy time over it; and the client's own other appointments then.
        var bookings = open.Where(a => KindOf(a) == "booking").ToList();
        var booked = await RequestConcerns.ClientBookedAsync(db, bookings, cancellationToken);
        var others = booked.SelectMany(g => g).ToList();
        await names.LoadAsync(open.Concat(others).Select(a => a.DiaryId).ToList(), open.Select(a => a.ClientId).ToList(), cancellationToken,
            open.Concat(others).Select(a => a.PetId));
        await StaffViews.LoadStaffAsync(names, open, cancellationToken);
        var outside = await RequestHours.OutsideAsync(sender, schedule, bookings, cancellationToken);
        var busy = await RequestConcerns.BusyTimeAsync(db, bookings, cancellationToken);
        var facts = await RequestClientFacts.ForAsync(db, schedule, names, open, cancellationToken);
        return new ItemsView<RequestView>(open.Select(a => RequestView.Of(a, KindOf(a), names, schedule, RequestedAt(a),
            KindOf(a) == "booking" ? Concerns(outside.Contains(a.Id), busy[a.Id].Any(), booked[a.Id].Any()) : null, busy[a.Id], booked[a.Id])
            with { ClientFacts = facts[a.ClientId] }).ToList());
    }

    /// <summary>A booking request's concerns in <see cref="RequestConcerns.All"/>'s order.</summary>
    public static IReadOnlyList<string> Concerns(bool outsideHours, bool busyTime, bool clientBooked = false) =>
        RequestConcerns.All.Where(c => c switch
        {
            RequestConcerns.OutsideHours => outsideHours,
            RequestConcerns.BusyTime => busyTime,
            _ => clientBooked,
        }).ToList();

    /// <summary>A request waiting for staff: a booking requested, or a cancellation asked for.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<Appointment, bool>> Open =
        a => a.Status == AppointmentStatus.Requested || a.Status == AppointmentStatus.CancellationRequested;

    public static string KindOf(Appointment a) => a.Status == AppointmentStatus.Requested ? "booking" : "cancellation";

    /// <summary>
    /// When the request was filed: a booking request when the appointment was made, a cancellation request when the
    /// client asked (not the last change to the row, which other saves move).
    /// </summary>
    public static Instant RequestedAt(Appointment a) =>
        a.Status == AppointmentStatus.Requested ? a.CreatedAt : a.CancellationRequestedAt ?? a.UpdatedAt;
}

/// <summary>
/// How many requests wait for a decision (the staff menu's "Requests (3)", the Requests page's heading): the list's own
/// predicate, counted without reading rows, one query on the partial index of open requests.
/// </summary>
public sealed record CountOpenRequests : IQuery<int>;

public sealed class CountOpenRequestsHandler(AppointmentsDbContext db) : IQueryHandler<CountOpenRequests, int>
{
    public async ValueTask<int> Handle(CountOpenRequests query, CancellationToken cancellationToken) =>
        await db.Appointments.CountAsync(ListRequestsHandler.Open, cancellationToken);
}

/// <summary>
/// <paramref name="Request"/>: the kind of request the caller means (<c>booking</c> or <c>cancellation</c>, the list's
/// <c>kind</c>; the API's optional <c>?request=</c>), or null for whichever is open. The id is the appointment's, which
/// has one booking request and may have cancellation requests later: a decision made from an old page or email names
/// its kind, so it never decides another request of the same appointment (a stale "Confirm booking" cancelling it).
/// </summary>
/// <paramref name="Confirm"/>: what the caller confirms about accepting (the API's optional <c>?confirm=</c>): <c>outside-hours</c>
/// books a booking request whose time the diary has closed since it was made, <c>busy-time</c> one the diary has put busy
/// time over since, <c>outside-hours,busy-time</c> both, <c>client-booked</c> one the client holds another appointment
/// overlapping (decision 338); without each that applies the accept is refused (409
/// <c>slot-unavailable</c>, <see cref="RequestConcerns.NeedsConfirmingAsync"/>).
public sealed record DecideRequest(Guid Id, bool Accept, string? Reason, string? Request = null, string? Confirm = null) : ICommand<RequestView>;

public sealed class DecideRequestValidator : AbstractValidator<DecideRequest>
{
    public DecideRequestValidator()
    {
        RuleFor(x => x.Reason).MaximumLength(2000).WithMessage("Use at most 2000 characters.").MultiLine();
        RuleFor(x => x.Request).Must(r => r is null or "booking" or "cancellation").WithMessage("Use booking or cancellation.");
        RuleFor(x => x.Confirm).Must(c => RequestConcerns.Confirmed(c) is not null)
            .WithMessage("Use outside-hours, busy-time, client-booked or several (comma-separated: outside-hours,busy-time), or leave it out.");
    }
}

/// <summary>
/// Accepting a booking request confirms it (AppointmentBooked); declining releases the time. Accepting a
/// cancellation request cancels (AppointmentCancelled, from the portal: the client asked); declining keeps it.
/// </summary>
public sealed class DecideRequestHandler(AppointmentsDbContext db, Schedule schedule, Names names, ISender sender, ITenantContext tenant, IStaffContext staff)
    : ICommandHandler<DecideRequest, RequestView>
{
    public async ValueTask<RequestView> Handle(DecideRequest command, CancellationToken cancellationToken) =>
        await db.RetryOnConcurrentChangeAsync(() => DecideAsync(command, cancellationToken));

    /// <summary>
    /// One transaction (begun lazily: its BEGIN rides with the read), the save without a savepoint, so round trips are
    /// as before (read, save, commit). The read locks the open request's row, then, accepting a cancellation request
    /// (which writes a client cancellation, counted by the churn limit, decision 322), the client's booking lock
    /// (<see cref="BookingDesk.ClientLockKey"/>, its key made from the row's client) in the same command: the order every
    /// path keeps (row, hours, client, merge; decision 342), so a portal booking's limit statement and the acceptance take
    /// turns and the acceptance's cancellation is stamped after any booking that counted before it (decision 347).
    /// </summary>
    private async Task<RequestView> DecideAsync(DecideRequest command, CancellationToken cancellationToken)
    {
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var view = await DecideLockedAsync(command, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return view;
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
        }
    }

    private async Task<RequestView> DecideLockedAsync(DecideRequest command, CancellationToken cancellationToken)
    {
        var a = (await db.Appointments.FromSqlInterpolated($"""
                SELECT * FROM appointments.appointments
                WHERE tenant_id = {db.TenantId} AND id = {command.Id} AND status IN ('requested', 'cancellation-requested') FOR UPDATE;
                SELECT pg_advisory_xact_lock(hashtextextended({BookingDesk.ClientLockPrefix} || client_id::text, 0)) FROM appointments.appointments
                WHERE tenant_id = {db.TenantId} AND id = {command.Id} AND status = 'cancellation-requested' AND {command.Accept}
                """)
                // Two statements cannot be composed with the tenant filter; the text names the tenant itself (and
                // row-level security holds it), so only that filter is dropped.
                .IgnoreQueryFilters([TenantFilters.Tenant]).ToListAsync(cancellationToken)).FirstOrDefault();
        if (a is null || (command.Request is { } asked && ListRequestsHandler.KindOf(a) != asked))
        {
            throw await NotOpenAsync(command.Id, command.Request, cancellationToken);
        }

        var kind = ListRequestsHandler.KindOf(a);
        var requestedAt = ListRequestsHandler.RequestedAt(a);
        IReadOnlyList<string>? clashes = kind == "booking" ? [] : null;
        IReadOnlyList<BusyBlock> busy = [];
        IReadOnlyList<Appointment> booked = [];
        if (kind == "booking" && command.Accept)
        {
            // The diary closed that time, or put busy time over it, after the request was made, or the client holds
            // another appointment then (decision 338): booked only when the caller confirms each (nothing written otherwise).
            var outside = (await RequestHours.OutsideAsync(sender, schedule, [a], cancellationToken)).Count > 0;
            busy = (await RequestConcerns.BusyTimeAsync(db, [a], cancellationToken))[a.Id].ToList();
            booked = (await RequestConcerns.ClientBookedAsync(db, [a], cancellationToken))[a.Id].ToList();
            clashes = ListRequestsHandler.Concerns(outside, busy.Count > 0, booked.Count > 0);
            var confirmed = RequestConcerns.Confirmed(command.Confirm) ?? new HashSet<string>();
            if (clashes.Any(c => !confirmed.Contains(c)))
            {
                await names.LoadAsync([a.DiaryId, .. booked.Select(o => o.DiaryId)], [a.ClientId], cancellationToken, booked.Select(o => o.PetId));
                throw await RequestConcerns.NeedsConfirmingAsync(clashes, names.Diary(a.DiaryId).Name, busy, schedule, sender, a, tenant.Current?.CountryCode,
                    cancellationToken, booked.Select(o => StaffAppointments.ClientBookedView.Of(o, names, schedule)).ToList());
            }
        }

        var now = schedule.Now;
        var decidedBy = staff.Current?.Id;
        if (kind == "booking")
        {
            a.RequestDecidedAt = now;
            a.RequestDecidedByStaffId = decidedBy;
        }
        else
        {
            a.CancellationDecidedAt = now;
            a.CancellationDecidedByStaffId = decidedBy;
        }

        var reason = string.IsNullOrWhiteSpace(command.Reason) ? null : command.Reason.Trim();
        if (kind == "cancellation")
        {
            // A decline's reason is kept beside who decided it (decision 286): the staff page and the client's see what the email said.
            a.CancellationDeclineReason = command.Accept ? null : reason;
        }

        a.UpdatedAt = now;
        db.Publish(AppointmentEvents.Decided(a, db, kind, command.Accept, reason));
        switch (kind, command.Accept)
        {
            case ("booking", true):
                a.Status = AppointmentStatus.Confirmed;
                // Not the client's first request any more: filing it raised BookingRequested, which cleared any mark.
                db.Publish(AppointmentEvents.Booked(a, db, previousStatus: AppointmentStatus.Requested, clientAwaitingFirstRequest: false));
                break;
            case ("booking", false):
                a.End(AppointmentEndings.Declined, "staff", reason, now, decidedBy);
                break;
            case ("cancellation", true):
                a.End(AppointmentEndings.Cancelled, "client", a.CancelReason, now);
                db.Publish(AppointmentEvents.Cancelled(a, db, ChangeSources.Portal, a.CancelReason, AppointmentStatus.CancellationRequested));
                break;
            default:
                // The appointment stands: the client's reason no longer describes it. CancellationRequestedAt stays: the
                // client may not ask again inside the window (PortalAccess.CanCancel, cancellation-declined).
                a.Status = AppointmentStatus.Confirmed;
                a.CancelReason = null;
                break;
        }

        await db.SaveChangesAsync(cancellationToken);
        await names.LoadAsync([a.DiaryId, .. booked.Select(o => o.DiaryId)], [a.ClientId], cancellationToken, [a.PetId, .. booked.Select(o => o.PetId)]);
        await StaffViews.LoadStaffAsync(names, [a], cancellationToken);
        return RequestView.Of(a, kind, names, schedule, requestedAt, clashes, busy, booked);
    }

    /// <summary>
    /// No open request of this id (of the kind asked, <see cref="DecideRequest.Request"/>): what became of THAT request.
    /// The client withdrew it (a booking request they cancelled while it waited, or a cancellation request they took back
    /// with Keep my appointment, whatever happened to the appointment since): 409 <c>request-withdrawn</c> naming who and
    /// when, with <c>request</c> and <c>withdrawnAt</c>. Decided already (by staff, or a cancellation request staff
    /// answered by cancelling from the diary): 404 <c>not-found</c> as before (API.md: a request no longer open), its
    /// <c>detail</c> saying how it was decided and the extension members <c>request</c> and <c>decision</c>
    /// (<c>confirmed</c>, <c>declined</c>, <c>cancelled</c>, <c>kept</c>). Another business's or a missing id: the plain
    /// 404. Without a kind asked, the appointment's latest request is judged. Staff act on a request email or a page
    /// opened earlier: before, a stale "Confirm booking" of a booking request confirmed long ago, on an appointment whose
    /// later cancellation request was withdrawn, was told the client withdrew "their cancellation request".
    /// </summary>
    private async Task<ProblemException> NotOpenAsync(Guid id, string? asked, CancellationToken cancellationToken)
    {
        var a = await db.Appointments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        var request = a is null ? null : asked ?? LatestRequest(a);
        if (a is null || request is null)
        {
            return ProblemException.NotFound("No open request with this id.");
        }

        var fate = request == "booking" ? BookingRequestFate(a) : CancellationRequestFate(a);
        if (fate is null)
        {
            return ProblemException.NotFound("No open request with this id.");
        }

        await names.LoadAsync([a.DiaryId], [a.ClientId], cancellationToken, [a.PetId]);
        var client = names.Client(a.ClientId).Name is { Length: > 0 } name ? name : "The client";
        var (decision, withdrawnAt) = fate.Value;
        if (withdrawnAt is { } at)
        {
            var settings = await sender.Send(new GetPortalSettings(), cancellationToken);
            var country = tenant.Current?.CountryCode;
            var when = TimeFormat.For(country, settings.TimeFormatInEffect).LongDateTime(at.InZone(schedule.Zone), DateStyle.ForCountry(country));
            var withdrawn = new ProblemException(ProblemKinds.RequestWithdrawn, 409, "The client withdrew this request", request == "booking"
                ? $"{client} withdrew their booking request on {when}, before it was decided; nothing was booked."
                : $"{client} withdrew their cancellation request on {when}" + (a.Status == AppointmentStatus.Confirmed
                    ? "; the appointment stays booked."
                    : $"; {Since(a)}"));
            withdrawn.Extensions["request"] = request;
            withdrawn.Extensions["withdrawnAt"] = schedule.Render(at);
            return withdrawn;
        }

        var possessive = client == "The client" ? "The client's" : $"{client}'s";
        var detail = (request, decision) switch
        {
            ("booking", "confirmed") => $"{possessive} booking request was already confirmed"
                + (a.Status is AppointmentStatus.Confirmed or AppointmentStatus.Completed or AppointmentStatus.NoShow ? "." : $"; {Since(a)}"),
            ("booking", "declined") => $"{possessive} booking request was already declined; nothing was booked.",
            ("booking", _) => $"{possessive} booking request was already cancelled by the business, before it was decided; nothing was booked.",
            (_, "kept") => $"{possessive} cancellation request was already declined: the appointment was kept.",
            _ when a.CancelledBy == "client" => $"{possessive} cancellation request was already accepted: the appointment is cancelled, as they asked.",
            _ => $"{possessive} cancellation request was already decided: the appointment is cancelled.",
        };
        var decided = new ProblemException(ProblemKinds.NotFound, 404, "This request was already decided", detail);
        decided.Extensions["request"] = request;
        decided.Extensions["decision"] = decision;
        return decided;
    }

    /// <summary>The appointment's latest request when the caller did not name one; null when nothing shows it had one.</summary>
    private static string? LatestRequest(Appointment a) =>
        a.Ended is AppointmentEndings.Withdrawn or AppointmentEndings.Declined or AppointmentEndings.RequestCancelled ? "booking"
        : a.CancellationRequestedAt is not null || a.CancellationWithdrawnAt is not null ? "cancellation"
        : null;

    /// <summary>
    /// What became of the appointment's booking request (not open): withdrawn by the client (when), declined, cancelled
    /// by staff before it was decided, or else confirmed (the appointment went on to be booked, whatever came after);
    /// null for one never filed as a request (<see cref="Appointment.RequestedAt"/>): one staff booked, or a portal
    /// booking confirmed from the start, which has no request to have been accepted (decision 245).
    /// </summary>
    private static (string Decision, Instant? WithdrawnAt)? BookingRequestFate(Appointment a) => a.RequestedAt is null ? null : a.Ended switch
    {
        AppointmentEndings.Withdrawn => ("withdrawn", a.CancelledAt),
        AppointmentEndings.Declined => ("declined", null),
        AppointmentEndings.RequestCancelled => ("cancelled", null),
        _ => ("confirmed", null),
    };

    /// <summary>
    /// What became of the appointment's latest cancellation request (not open): withdrawn (kept in
    /// <c>CancellationWithdrawnAt</c> until the client asks again), declined (the appointment kept:
    /// <c>CancellationRequestedAt</c> stays), or accepted (cancelled); null when it never had one.
    /// </summary>
    private static (string Decision, Instant? WithdrawnAt)? CancellationRequestFate(Appointment a) =>
        a.CancellationRequestedAt is null
            ? a.CancellationWithdrawnAt is { } withdrawn ? ("withdrawn", withdrawn) : null
            : a.HoldsTime ? ("kept", null) : ("cancelled", null);

    /// <summary>What happened to the appointment after the request, for an answer about the request itself.</summary>
    private static string Since(Appointment a) => a.Status switch
    {
        AppointmentStatus.CancellationRequested => "they have since asked to cancel the appointment, a request of its own.",
        AppointmentStatus.Completed or AppointmentStatus.NoShow => "the appointment has since taken place.",
        _ => "the appointment has since been cancelled.",
    };
}

public static class RequestsEndpoints
{
    public static void MapRequests(this IEndpointRouteBuilder app)
    {
        var requests = app.MapGroup("/api/v1/admin/requests").WithTags("Staff");
        requests.MapGet("", async (ISender sender, CancellationToken ct) => Results.Ok(await sender.Send(new ListRequests(), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("ListRequests")
            .WithSummary("Open booking and cancellation requests.")
            .Produces<ItemsView<RequestView>>();

        requests.MapPost("/{id}/accept", async (string id, [FromQuery] string? request, [FromQuery] string? confirm, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new DecideRequest(PortalAppointmentsEndpoints.ParseId(id), true, null, request, confirm), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("AcceptRequest")
            .WithSummary("Accept a request. A booking request whose time the diary has closed since (outside its working hours now) or put busy time over since is refused 409 slot-unavailable with concerns [outside-hours, busy-time] unless each is confirmed: ?confirm=outside-hours, ?confirm=busy-time, or ?confirm=outside-hours,busy-time.")
            .Answers(409, ProblemKinds.ChangedMeanwhile, ProblemKinds.RequestWithdrawn, ProblemKinds.SlotUnavailable)
            .Produces<RequestView>();

        requests.MapPost("/{id}/decline", async (string id, [FromQuery] string? request, [FromBody] CancelBody? body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new DecideRequest(PortalAppointmentsEndpoints.ParseId(id), false, body?.Reason, request), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("DeclineRequest")
            .Answers(409, ProblemKinds.ChangedMeanwhile, ProblemKinds.RequestWithdrawn)
            .Accepts<CancelBody>("application/json")
            .Produces<RequestView>();
    }
}
