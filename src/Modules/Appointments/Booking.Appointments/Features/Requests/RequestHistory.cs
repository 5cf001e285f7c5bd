using Booking.Appointments.Domain;
using Booking.Appointments.Features.Scheduling;
using NodaTime;

namespace Booking.Appointments.Features.Requests;

/// <summary>
/// One of the client's requests on an appointment and what became of it (session 34, decision 276): when it was filed;
/// <c>Decision</c> null while it waits, else <c>accepted</c>, <c>declined</c>, <c>withdrawn</c> (by the client) or
/// <c>cancelled</c> (a booking request staff cancelled from the diary before deciding it); <c>DecidedAt</c> and
/// <c>DecidedByStaff</c> ({id, name}) when kept: null on rows decided before session 34 (the pages say "staff") and for
/// a member since removed from the team. <c>Reason</c>: a declined request's reason as the client was told it (a booking
/// request's is the ending's <c>cancelReason</c>; a cancellation request's is kept since decision 286), null otherwise.
/// </summary>
public sealed record RequestDecisionView(DateTimeOffset RequestedAt, string? Decision, DateTimeOffset? DecidedAt, NamedRef? DecidedByStaff)
{
    public string? Reason { get; init; }
}

/// <summary>The staff answers' <c>bookingRequest</c> and <c>cancellationRequest</c>, from the appointment's row.</summary>
public static class RequestHistory
{
    /// <summary>Null for an appointment never filed as a booking request (booked directly).</summary>
    public static RequestDecisionView? Booking(Appointment a, Names names, Schedule schedule)
    {
        if (a.RequestedAt is not { } requestedAt)
        {
            return null;
        }

        var by = names.StaffMember(a.RequestDecidedByStaffId);
        return a.Status == AppointmentStatus.Requested
            ? new(schedule.Render(requestedAt), null, null, null)
            : a.Ended switch
            {
                AppointmentEndings.Withdrawn => new(schedule.Render(requestedAt), "withdrawn", Render(schedule, a.CancelledAt), null),
                AppointmentEndings.RequestCancelled => new(schedule.Render(requestedAt), "cancelled", Render(schedule, a.CancelledAt), names.StaffMember(a.CancelledByStaffId)),
                // Declined rows from session 33 kept who and when as the ending (CancelledAt, CancelledByStaffId).
                AppointmentEndings.Declined => new(schedule.Render(requestedAt), "declined", Render(schedule, a.RequestDecidedAt ?? a.CancelledAt),
                    by ?? names.StaffMember(a.CancelledByStaffId)) { Reason = a.CancelReason },
                _ => new(schedule.Render(requestedAt), "accepted", Render(schedule, a.RequestDecidedAt), by),
            };
    }

    /// <summary>
    /// The latest cancellation request, null when none stands on the row (never asked, or withdrawn: the answers'
    /// <c>cancellationWithdrawnAt</c>). A decision older than the request is another request's and is not shown.
    /// </summary>
    public static RequestDecisionView? Cancellation(Appointment a, Names names, Schedule schedule)
    {
        if (a.CancellationRequestedAt is not { } requestedAt)
        {
            return null;
        }

        var decidedAt = a.CancellationDecidedAt is { } at && at >= requestedAt ? at : (Instant?)null;
        var by = decidedAt is null ? null : names.StaffMember(a.CancellationDecidedByStaffId);
        if (a.Status == AppointmentStatus.CancellationRequested)
        {
            return new(schedule.Render(requestedAt), null, null, null);
        }

        // Accepted: the client's cancel, made by staff's decision (CancelledBy "client"). Staff cancelling from the diary
        // instead says so in its own ending; the request then counts as accepted by that member.
        return a.HoldsTime
            ? new(schedule.Render(requestedAt), "declined", Render(schedule, decidedAt), by) { Reason = DeclineReason(a) }
            : new(schedule.Render(requestedAt), "accepted", Render(schedule, decidedAt ?? a.CancelledAt),
                by ?? (a.CancelledBy == "staff" ? names.StaffMember(a.CancelledByStaffId) : null));
    }

    /// <summary>
    /// The reason staff gave declining the latest cancellation request, while that decline stands: the request is the
    /// latest (a decision older than it is another's) and the appointment kept (not cancelled since); null otherwise.
    /// </summary>
    public static string? DeclineReason(Appointment a) =>
        a.CancellationRequestedAt is { } requestedAt && a.CancellationDecidedAt is { } decidedAt && decidedAt >= requestedAt
        && a.HoldsTime && a.Status != AppointmentStatus.CancellationRequested && !string.IsNullOrWhiteSpace(a.CancellationDeclineReason)
            ? a.CancellationDeclineReason
            : null;

    /// <summary>The staff members these rows' requests name.</summary>
    public static IEnumerable<Guid?> StaffIds(Appointment a) => [a.RequestDecidedByStaffId, a.CancellationDecidedByStaffId, a.CancelledByStaffId];

    private static DateTimeOffset? Render(Schedule schedule, Instant? at) => at is { } i ? schedule.Render(i) : null;
}
