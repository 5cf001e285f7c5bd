using System.Collections.Concurrent;

namespace Booking.BuildingBlocks.Outbox;

/// <summary>
/// In-process wake-up for the relays: a commit that wrote events nudges its own module's relay instead of waiting
/// for a poll. One signal per module's context: with a single shared one, a nudge woke whichever relay happened to be
/// waiting (usually one of the five with nothing to send), and the module that had written the events waited for
/// its next poll.
/// </summary>
public sealed class OutboxSignal
{
    private readonly ConcurrentDictionary<Type, SemaphoreSlim> signals = new();

    public void Nudge(Type context)
    {
        var signal = For(context);
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another commit nudged first; one wake-up serves both.
            }
        }
    }

    public Task<bool> WaitAsync(Type context, TimeSpan timeout, CancellationToken cancellationToken) =>
        For(context).WaitAsync(timeout, cancellationToken);

    private SemaphoreSlim For(Type context) => signals.GetOrAdd(context, _ => new SemaphoreSlim(0, 1));
}
