using Booking.Appointments.Data;
using Booking.BuildingBlocks.Problems;
using Booking.Tenancy.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Booking.Appointments.Features.PortalAppointments;

/// <summary>
/// How often a client may ask to cancel one appointment and take the request back (decision 309). Every request emails
/// each owner and admin and the diary contact (and texts a phone client), every withdrawal emails them again and stays
/// on record for the month report (decision 295); withdrawing a request before it is sent does not help (decision 228).
/// After <see cref="MaxWithdrawals"/> withdrawals of one appointment's requests, the client cannot file another online
/// (409 <c>cancellation-request-limit</c>): they call the business, as after a declined request
/// (<c>cancellation-declined</c>). Outside the cancellation window nothing is a request, so nothing is limited. Kept in
/// its own class so the cancel and keep handlers only call it.
/// </summary>
public static class CancellationRequestLimit
{
    /// <summary>A client changing their mind twice is believable; a third time they talk to the business.</summary>
    public const int MaxWithdrawals = 2;

    /// <summary>"twice": how often, in words, for the pages.</summary>
    public static string MaxWithdrawalsInWords => Times(MaxWithdrawals);

    /// <summary>Whether the client has taken back as many requests to cancel this appointment as they may.</summary>
    public static async Task<bool> UsedUpAsync(AppointmentsDbContext db, Guid appointmentId, CancellationToken ct) =>
        await db.CancellationRequestWithdrawals.CountAsync(w => w.AppointmentId == appointmentId, ct) >= MaxWithdrawals;

    /// <summary>Of these appointments, those whose requests to cancel are used up (one query for a list).</summary>
    public static async Task<IReadOnlySet<Guid>> UsedUpAsync(AppointmentsDbContext db, IReadOnlyCollection<Guid> appointmentIds, CancellationToken ct)
    {
        if (appointmentIds.Count == 0)
        {
            return new HashSet<Guid>();
        }

        var used = await db.CancellationRequestWithdrawals
            .Where(w => appointmentIds.Contains(w.AppointmentId))
            .GroupBy(w => w.AppointmentId)
            .Where(g => g.Count() >= MaxWithdrawals)
            .Select(g => g.Key)
            .ToListAsync(ct);
        return used.ToHashSet();
    }

    /// <summary>409 <c>cancellation-request-limit</c>: the client asked and took it back too often; the business's contact.</summary>
    public static ProblemException Refusal(string business, PortalSettingsView settings)
    {
        var problem = new ProblemException(ProblemKinds.CancellationRequestLimit, 409, "Cancel this appointment with the business",
            $"You asked to cancel this appointment and took the request back {Times(MaxWithdrawals)}, so it cannot be asked online again. "
            + $"To cancel it now, please contact {business}{BookPortalAppointmentHandler.Reach(settings.Contact)}.");
        problem.Extensions["maxWithdrawals"] = MaxWithdrawals;
        return problem;
    }

    private static string Times(int n) => n switch
    {
        1 => "once",
        2 => "twice",
        _ => $"{n} times",
    };
}
