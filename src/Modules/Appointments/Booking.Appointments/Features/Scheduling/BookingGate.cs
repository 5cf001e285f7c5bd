using Booking.BuildingBlocks.Problems;
using Microsoft.Extensions.Configuration;

namespace Booking.Appointments.Features.Scheduling;

/// <summary>
/// Caps how many bookings run at once in this process (Appointments:MaxConcurrentBookings, default 4 per core,
/// at least 8); the rest wait here, in memory, for a turn. Without it a burst (150 clients racing for a few slots)
/// takes up to the whole connection pool: every booking makes several round trips, and the losers of a race hold
/// their connection while they wait for their diary's turn (<see cref="DiaryTurns"/>; before turns, on the winner's
/// row in the exclusion check). With 100 backends on 2 cores every
/// round trip slowed down until requests waited more than Npgsql's 15 s for a pooled connection and answered 500.
/// Queued here, bookings keep PostgreSQL busy with a handful of backends and finish sooner overall. A request that
/// waits longer than Appointments:BookingQueueSeconds (default 30) is told to retry (429 with Retry-After).
/// </summary>
public sealed class BookingGate(IConfiguration configuration)
{
    private readonly SemaphoreSlim turns = new(Limit(configuration));
    private readonly TimeSpan patience = TimeSpan.FromSeconds(configuration.GetValue("Appointments:BookingQueueSeconds", 30.0));

    public static int Limit(IConfiguration configuration) =>
        Math.Max(1, configuration.GetValue("Appointments:MaxConcurrentBookings", Math.Max(8, 4 * Environment.ProcessorCount)));

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (!await turns.WaitAsync(patience, cancellationToken))
        {
            throw ProblemException.RateLimited(2, "Many bookings are being made right now. Try again in a moment.");
        }

        return new Turn(turns);
    }
}
