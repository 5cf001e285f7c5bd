using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.PortalAppointments;
using Booking.Appointments.Features.Scheduling;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Contracts;
using Booking.Tenancy.Contracts;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.Appointments.Features.ClientAppointments;

/// <summary>
/// One of a client's appointments as the staff client page lists it; Start and End carry the business's offset. Ended: how
/// it ended, null while it stands (<see cref="AppointmentEndings"/>).
/// </summary>
public sealed record ClientAppointmentView(
    Guid Id, DateTimeOffset Start, DateTimeOffset End, string Status, string Source, NamedRef Service, NamedRef Diary, NamedRef? Pet,
    string? Ended)
{
    // Who ended it and why (session 33, decision 269): as on GET /api/v1/admin/appointments/{id}.

    /// <summary>When it was cancelled or declined; null while it holds its time.</summary>
    public DateTimeOffset? CancelledAt { get; init; }

    /// <summary><c>client</c> or <c>staff</c>; null while it holds its time.</summary>
    public string? CancelledBy { get; init; }

    /// <summary>The staff member who cancelled or declined it, when kept and still on the team.</summary>
    public NamedRef? CancelledByStaff { get; init; }

    /// <summary>The reason given (the client's, or staff's); null when none or while it holds its time.</summary>
    public string? CancelReason { get; init; }

    /// <summary>Its booking request and who decided it, when (as on the staff appointment answer; decision 276).</summary>
    public Booking.Appointments.Features.Requests.RequestDecisionView? BookingRequest { get; init; }

    /// <summary>The client's cancellation request and who decided it, when.</summary>
    public Booking.Appointments.Features.Requests.RequestDecisionView? CancellationRequest { get; init; }
}

/// <summary>
/// A client's appointments: <see cref="Upcoming"/> soonest first, <see cref="Past"/> most recent first, each at most the
/// limit; <see cref="MoreUpcoming"/> and <see cref="MorePast"/> say the client has more than the list shows.
/// </summary>
public sealed record ClientAppointmentsView(
    IReadOnlyList<ClientAppointmentView> Upcoming, bool MoreUpcoming, IReadOnlyList<ClientAppointmentView> Past, bool MorePast);

/// <summary>Limit: 1–200 for each list, default 50.</summary>
public sealed record GetClientAppointments(Guid ClientId, int? Limit) : IQuery<ClientAppointmentsView>;

public sealed class GetClientAppointmentsValidator : AbstractValidator<GetClientAppointments>
{
    public GetClientAppointmentsValidator() =>
        RuleFor(x => x.Limit).InclusiveBetween(1, AppointmentPages.MaxLimit).WithMessage($"Use a limit from 1 to {AppointmentPages.MaxLimit}.");
}

/// <summary>
/// A client's appointments in this business for staff (the front desk on the phone to them). Upcoming and past split as
/// the client's own lists do (a cancelled or declined appointment is past, whatever its date). Each list reads at most
/// limit + 1 rows (the index on client and start), so a client with thousands of appointments costs two short reads.
/// A client who is not this business's (PortalAuth's <see cref="GetClients"/>, tenant-filtered) is not found. Only the
/// diaries the reader may read are listed (<see cref="GetDiaryAccess"/>), as in the diary.
/// </summary>
public sealed class GetClientAppointmentsHandler(AppointmentsDbContext db, Schedule schedule, Names names, ISender sender)
    : IQueryHandler<GetClientAppointments, ClientAppointmentsView>
{
    public async ValueTask<ClientAppointmentsView> Handle(GetClientAppointments query, CancellationToken cancellationToken)
    {
        var client = (await sender.Send(new GetClients([query.ClientId]), cancellationToken)).FirstOrDefault()
            ?? throw ProblemException.NotFound(ClientAppointmentsEndpoint.ClientNotFound);
        var access = await sender.Send(new GetDiaryAccess(), cancellationToken);
        var only = access.Only?.ToArray();
        var limit = query.Limit ?? AppointmentPages.DefaultLimit;
        var now = schedule.Now;
        // A row no calendar can show (saved before staff times were bounded) is left out, as in the client's lists.
        var (min, max) = Schedule.Renderable;
        var theirs = db.Appointments.AsNoTracking()
            .Where(a => a.ClientId == client.Id && a.StartAt >= min && a.EndAt <= max && (only == null || only.Contains(a.DiaryId)));

        var upcoming = await theirs
            .Where(a => a.StartAt >= now && a.Status != AppointmentStatus.Cancelled && a.Status != AppointmentStatus.Declined)
            .OrderBy(a => a.StartAt).ThenBy(a => a.Id)
            .Take(limit + 1).ToListAsync(cancellationToken);
        var past = await theirs
            .Where(a => a.StartAt < now || a.Status == AppointmentStatus.Cancelled || a.Status == AppointmentStatus.Declined)
            .OrderByDescending(a => a.StartAt).ThenByDescending(a => a.Id)
            .Take(limit + 1).ToListAsync(cancellationToken);

        var shown = upcoming.Take(limit).Concat(past.Take(limit)).ToList();
        names.Know(client);
        await names.LoadAsync(shown.Select(a => a.DiaryId).ToList(), [client.Id], cancellationToken, shown.Select(a => a.PetId));
        await names.LoadStaffAsync(shown.Where(a => !a.HoldsTime).Select(a => a.CancelledByStaffId)
            .Concat(shown.SelectMany(Booking.Appointments.Features.Requests.RequestHistory.StaffIds)), cancellationToken);
        return new ClientAppointmentsView(
            upcoming.Take(limit).Select(View).ToList(), upcoming.Count > limit,
            past.Take(limit).Select(View).ToList(), past.Count > limit);

        ClientAppointmentView View(Appointment a) =>
            new(a.Id, schedule.Render(a.StartAt), schedule.Render(a.EndAt), a.Status, a.Source, names.Service(a.ServiceId), names.Diary(a.DiaryId), names.Pet(a.PetId), a.Ended)
            {
                CancelledAt = a.HoldsTime ? null : a.CancelledAt is { } at ? schedule.Render(at) : null,
                CancelledBy = a.HoldsTime ? null : a.CancelledBy,
                CancelledByStaff = a.HoldsTime ? null : names.StaffMember(a.CancelledByStaffId),
                CancelReason = a.HoldsTime ? null : a.CancelReason,
                BookingRequest = Booking.Appointments.Features.Requests.RequestHistory.Booking(a, names, schedule),
                CancellationRequest = Booking.Appointments.Features.Requests.RequestHistory.Cancellation(a, names, schedule),
            };
    }
}

public static class ClientAppointmentsEndpoint
{
    public const string ClientNotFound = "Client not found.";

    /// <summary>
    /// Authorised as <c>GET /api/v1/admin/clients/{id}</c> is (PortalAuth): owners and admins; a practitioner reads the
    /// diary only (decision 113). Mapped here because appointments are this module's.
    /// </summary>
    public static void MapClientAppointments(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/admin/clients/{id}/appointments", async (string id, string? limit, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(
                    new GetClientAppointments(ProblemException.IdOrNotFound(id, ClientNotFound), PortalAppointmentsEndpoints.ParseLimit(limit)), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("ListClientAppointments")
            .WithTags("Staff")
            .WithSummary("A client's appointments: upcoming (soonest first) and past (most recent first, with cancelled and declined ones), "
                + "`limit` 1–200 each (default 50); `moreUpcoming`/`morePast` say more exist. Another business's client: 404.")
            .Answers(400, ProblemKinds.Validation).Answers(404, ProblemKinds.NotFound)
            .Produces<ClientAppointmentsView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem();
}
