namespace Booking.Appointments.Features.Scheduling;

/// <summary>
/// In this process, saves of bookings on one diary take turns. Two transactions that insert overlapping rows at
/// the same moment each find the other's uncommitted row in the exclusion check and wait for it: a deadlock, which
/// PostgreSQL breaks only after deadlock_timeout (1 s) by aborting one of them, to be tried again (and perhaps to
/// deadlock again with the next). Taking turns per diary, the second save finds the first one's row committed and
/// is refused at once (409). The constraint stays the guard: turns only order saves; across processes a deadlock
/// can still happen and is tried again (<see cref="SchedulingProblems.IsTransient"/>).
/// A fixed set of stripes keyed by (tenant, diary) keeps memory flat; diaries that share a stripe merely wait for
/// each other's single insert.
/// </summary>
public sealed class DiaryTurns
{
    private readonly SemaphoreSlim[] stripes = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<IDisposable> EnterAsync(Guid tenantId, Guid diaryId, CancellationToken cancellationToken)
    {
        var stripe = stripes[(uint)HashCode.Combine(tenantId, diaryId) % (uint)stripes.Length];
        await stripe.WaitAsync(cancellationToken);
        return new Turn(stripe);
    }
}

/// <summary>A held place in a semaphore (<see cref="BookingGate"/>, <see cref="DiaryTurns"/>): disposing it gives it back, once.</summary>
internal sealed class Turn(SemaphoreSlim semaphore) : IDisposable
{
    private int released;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
        {
            semaphore.Release();
        }
    }
}
