using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.BuildingBlocks.Problems;
using Microsoft.EntityFrameworkCore;

namespace Booking.Appointments.Features.Availability;

/// <summary>
/// The free times of a move (decision 294): a move keeps the appointment's own length and buffer as booked (decision 282),
/// so the times offered for it are judged by those, not by the service's current duration and buffer, or a list would
/// offer times the move refuses (a 90-minute appointment of a service now 60) and hide ones it takes (one now longer).
/// </summary>
internal static class MovingLength
{
    /// <summary>The rules with the moving appointment's own length and buffer; as given when nothing is moving.</summary>
    public static async Task<SlotRules> ApplyAsync(AppointmentsDbContext db, SlotRules rules, Guid? moving, CancellationToken ct)
    {
        if (moving is not { } id)
        {
            return rules;
        }

        var a = await db.Appointments.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { x.StartAt, x.EndAt, x.BlockedUntil }).FirstOrDefaultAsync(ct)
            ?? throw ProblemException.NotFound();
        return rules with { ServiceDuration = a.EndAt - a.StartAt, BufferAfter = a.BlockedUntil - a.EndAt };
    }
}
