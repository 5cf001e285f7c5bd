using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Me;

/// <summary>
/// A signed-in client's own write whose client row went while it ran (decision 300): merged away by staff, the row
/// deleted under the merge's lock while this write waited for it. The update then touches no row (EF's "expected to
/// affect 1 row(s) but 0"), or an insert naming the client meets its foreign key: either way the session is dead, and
/// the answer is 401 <c>unauthenticated</c>, as for any request of a client no longer on file, never a 500.
/// </summary>
internal static class OwnWrites
{
    /// <summary><paramref name="write"/>, with a vanished client row answered 401.</summary>
    public static async Task RunAsync(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (DbUpdateConcurrencyException ex) when (ex.Entries.Any(e => e.Entity is Client))
        {
            // Clients have no concurrency token: an update of one that touches no row means the row is gone.
            throw ProblemException.Unauthenticated();
        }
        catch (DbUpdateException ex) when (ex.IsForeignKeyViolation())
        {
            throw ProblemException.Unauthenticated();
        }
    }

    /// <summary>Saves the client's own change (<see cref="RunAsync"/>).</summary>
    public static Task SaveAsync(PortalAuthDbContext db, CancellationToken cancellationToken) => RunAsync(() => db.SaveChangesAsync(cancellationToken));
}
