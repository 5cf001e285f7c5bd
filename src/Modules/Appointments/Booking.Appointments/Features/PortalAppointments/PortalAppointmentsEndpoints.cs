using Booking.Appointments.Features.Idempotency;
using Booking.Appointments.Features.Scheduling;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.Appointments.Features.PortalAppointments;

public static class PortalAppointmentsEndpoints
{
    public static void MapPortalAppointments(this IEndpointRouteBuilder app)
    {
        var portal = app.MapGroup("/api/v1/portal/appointments").WithTags("Portal");

        portal.MapGet("", async (string? when, string? cursor, string? limit, ISender sender, HttpContext http, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListMyAppointmentsPage(http.User.SubjectId(), when, cursor, ParseLimit(limit)), ct)))
            .RequirePortalClient().RequirePortalEnabled()
            .WithName("ListMyAppointments")
            .Answers(400, ProblemKinds.Validation).Answers(403, ProblemKinds.AccessLevelOff, ProblemKinds.Forbidden)
            .WithSummary("The signed-in client's upcoming or past appointments (past includes cancelled ones), a page at a time: "
                + "`limit` 1–200 (default 50); pass the answer's `nextCursor` as `cursor` for the next page (null on the last).")
            .Produces<PortalAppointmentPage>();

        portal.MapGet("/{id}", async (string id, ISender sender, HttpContext http, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetMyAppointment(http.User.SubjectId(), ParseId(id)), ct)))
            .RequirePortalClient().RequirePortalEnabled()
            .WithName("GetMyAppointment")
            .Answers(403, ProblemKinds.AccessLevelOff, ProblemKinds.Forbidden).Answers(404, ProblemKinds.NotFound)
            .Produces<PortalAppointmentView>()
            .Produces(StatusCodes.Status404NotFound);

        portal.MapPost("", async (PortalBookingBody body, ISender sender, HttpContext http, IdempotentRequests idempotency) =>
            {
                var clientId = http.User.SubjectId();
                // The Location names the business: a portal session is read per business (booking-portal.<slug>).
                var slug = Uri.EscapeDataString(http.RequestServices.GetRequiredService<ITenantContext>().Current!.Slug);
                var result = await idempotency.RunAsync(http, clientId, body,
                    async () => Created(await sender.Send(new BookPortalAppointment(clientId, body), http.RequestAborted)),
                    async booked => Created(await sender.Send(new GetMyAppointment(clientId, booked), http.RequestAborted)));
                if (result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status201Created })
                {
                    // Filed (or its first answer repeated): a new client's session opens the rest of the portal now, so the
                    // Location and the next page answer at once; their row follows through the outbox event.
                    await FirstRequest.LiftAsync(http);
                }

                return result;

                Answer Created(PortalAppointmentView view) => new(StatusCodes.Status201Created, view, $"/api/v1/portal/appointments/{view.Id}?name={slug}");
            })
            .RequirePortalClient().RequirePortalEnabled().OpenBeforeFirstRequest()
            .WithName("BookMyAppointment")
            .Answers(403, ProblemKinds.AccessLevelOff).Answers(409, ProblemKinds.SlotConflict, ProblemKinds.SlotUnavailable, ProblemKinds.BookingLimit, ProblemKinds.OwnAppointmentOverlap, ProblemKinds.ChangedMeanwhile, ProblemKinds.IdempotencyInProgress).Answers(422, ProblemKinds.IdempotencyKeyReuse).Answers(429, ProblemKinds.RateLimited).Answers(503, ProblemKinds.BookingNotSaved)
            .WithSummary("Book a slot (Idempotency-Key honoured); status confirmed, or requested for a client awaiting approval.")
            .Accepts<PortalBookingBody>("application/json")
            .Produces<PortalAppointmentView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesValidationProblem();

        portal.MapPost("/{id}/cancel", async (string id, [FromBody] CancelBody? body, ISender sender, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await sender.Send(new CancelMyAppointment(http.User.SubjectId(), ParseId(id), body?.Reason), ct);
                return Results.Json(outcome.Appointment, statusCode: outcome.Status);
            })
            .RequirePortalClient().RequirePortalEnabled()
            .WithName("CancelMyAppointment")
            .Answers(403, ProblemKinds.AccessLevelOff, ProblemKinds.Forbidden).Answers(404, ProblemKinds.NotFound).Answers(409, ProblemKinds.PolicyWindow, ProblemKinds.ChangedMeanwhile, ProblemKinds.CancellationRequestLimit, ProblemKinds.AlreadyHappened, ProblemKinds.CancellationDeclined)
            .WithSummary("Cancel: 200 cancelled, 202 cancellation requested, 409 policy-window with policyText.")
            .Accepts<CancelBody>("application/json")
            .Produces<PortalAppointmentView>()
            .Produces<PortalAppointmentView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status409Conflict);

        portal.MapPost("/{id}/keep", async (string id, ISender sender, HttpContext http, CancellationToken ct) =>
                Results.Ok(await sender.Send(new KeepMyAppointment(http.User.SubjectId(), ParseId(id)), ct)))
            .RequirePortalClient().RequirePortalEnabled()
            .WithName("KeepMyAppointment")
            .Answers(403, ProblemKinds.AccessLevelOff, ProblemKinds.Forbidden).Answers(404, ProblemKinds.NotFound)
            .Answers(409, ProblemKinds.NoOpenCancellationRequest, ProblemKinds.ChangedMeanwhile)
            .WithSummary("Withdraw the client's cancellation request the business has not decided yet: 200, the appointment confirmed again "
                + "(the same for one already withdrawn); 409 no-open-cancellation-request once the business decided it (decision kept or cancelled).")
            .Produces<PortalAppointmentView>()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>A malformed id answers exactly like a missing one.</summary>
    public static Guid ParseId(string id) => ProblemException.IdOrNotFound(id);

    /// <summary>Not a whole number: 0, which the list's validator refuses beside every other bad field (<see cref="QueryLimit"/>).</summary>
    internal static int? ParseLimit(string? limit) => limit is null ? null : QueryLimit.Read(limit) ?? 0;
}
