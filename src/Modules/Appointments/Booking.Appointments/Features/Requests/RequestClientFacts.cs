using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace Booking.Appointments.Features.Requests;

/// <summary>
/// The client of a request as the front desk weighs it (decision 276): how to reach them (email and mobile as on file;
/// <c>MobileVerified</c> as the client answers say) and whether they are new or returning. <c>PastVisits</c>: their
/// appointments in this business that started before now and were kept (completed, or confirmed with no outcome
/// recorded: most businesses never mark one); <c>NoShows</c>: those marked no-show. Cancelled, declined and waiting
/// ones count for neither. Every diary's, as the client page lists them to owners and admins.
/// </summary>
public sealed record RequestClientFacts(string? Email, string? Mobile, bool MobileVerified, int PastVisits, int NoShows)
{
    /// <summary>Per client of <paramref name="requests"/>, one grouped count over their appointments (the index on client and start).</summary>
    public static async Task<IReadOnlyDictionary<Guid, RequestClientFacts>> ForAsync(AppointmentsDbContext db, Schedule schedule, Names names,
        IReadOnlyList<Appointment> requests, CancellationToken ct)
    {
        var clients = requests.Select(a => a.ClientId).Distinct().ToList();
        if (clients.Count == 0)
        {
            return new Dictionary<Guid, RequestClientFacts>();
        }

        var now = schedule.Now;
        var counts = await db.Appointments.AsNoTracking()
            .Where(a => clients.Contains(a.ClientId) && a.StartAt < now
                && (a.Status == AppointmentStatus.Completed || a.Status == AppointmentStatus.Confirmed || a.Status == AppointmentStatus.NoShow))
            .GroupBy(a => new { a.ClientId, NoShow = a.Status == AppointmentStatus.NoShow })
            .Select(g => new { g.Key.ClientId, g.Key.NoShow, Count = g.Count() })
            .ToListAsync(ct);
        return clients.ToDictionary(id => id, id =>
        {
            var client = names.Clients.GetValueOrDefault(id);
            return new RequestClientFacts(client?.Email, client?.Mobile, client?.MobileVerified ?? false,
                counts.Where(c => c.ClientId == id && !c.NoShow).Sum(c => c.Count),
                counts.Where(c => c.ClientId == id && c.NoShow).Sum(c => c.Count));
        });
    }
}
