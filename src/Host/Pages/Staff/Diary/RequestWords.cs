using Booking.Appointments.Features.Requests;

namespace Booking.Host.Pages.Staff.Diary;

/// <summary>
/// The client's requests on an appointment and who decided them, for the staff appointment page and the client page's
/// history (decision 276): "Requested by the client on 3 December 2026, 14:02 · accepted by Niamh Byrne on 3 December
/// 2026, 15:10", "Cancellation requested by the client on …, declined by Niamh Byrne on … — the appointment stands.
/// Reason given to the client: …". A
/// decider not kept (decided before session 34) or no longer on the team is "staff"; a time not kept is left out.
/// </summary>
public static class RequestWords
{
    /// <summary>The booking request's line; null for an appointment booked directly. <paramref name="reason"/>: a decline's.</summary>
    public static string? Booking(DiaryTime time, RequestDecisionView? request, string? reason = null)
    {
        if (request is null)
        {
            return null;
        }

        var asked = $"Requested by the client {On(time, request.RequestedAt)}";
        return request.Decision switch
        {
            null => $"{asked} · waiting for a decision",
            "accepted" => $"{asked} · accepted by {Who(request)}{On(time, request.DecidedAt, " ")}",
            "declined" => $"{asked} · declined by {Who(request)}{On(time, request.DecidedAt, " ")}" + (string.IsNullOrWhiteSpace(reason) ? "" : $" — {reason}"),
            "withdrawn" => $"{asked} · withdrawn by the client{On(time, request.DecidedAt, " ")}",
            _ => $"{asked} · cancelled by {Who(request)}{On(time, request.DecidedAt, " ")}, before it was decided",
        };
    }

    /// <summary>The cancellation request's line; null when none stands on the appointment.</summary>
    public static string? Cancellation(DiaryTime time, RequestDecisionView? request)
    {
        if (request is null)
        {
            return null;
        }

        var asked = $"Cancellation requested by the client {On(time, request.RequestedAt)}";
        return request.Decision switch
        {
            null => $"{asked}, waiting for a decision",
            "accepted" => $"{asked}, accepted by {Who(request)}{On(time, request.DecidedAt, " ")}",
            // The decline's reason as the client was told it (kept since decision 286; none on older declines).
            _ => $"{asked}, declined by {Who(request)}{On(time, request.DecidedAt, " ")} — the appointment stands"
                + (string.IsNullOrWhiteSpace(request.Reason) ? "" : $". Reason given to the client: {request.Reason}"),
        };
    }

    private static string Who(RequestDecisionView request) => request.DecidedByStaff is { Name.Length: > 0 } member ? member.Name : "staff";

    private static string On(DiaryTime time, DateTimeOffset? at, string before = "") => at is { } when ? $"{before}on {time.DateAndTime(when)}" : "";
}
