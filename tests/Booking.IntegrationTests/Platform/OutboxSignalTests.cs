using Booking.BuildingBlocks.Outbox;

namespace Booking.IntegrationTests.Platform;

/// <summary>A commit's nudge wakes the relay of the module that wrote the events, not whichever relay is waiting.</summary>
public sealed class OutboxSignalTests
{
    private sealed class AppointmentsLike;

    private sealed class RosterLike;

    [Fact]
    public async Task A_nudge_wakes_the_relay_of_its_own_module_only()
    {
        var signal = new OutboxSignal();
        var other = signal.WaitAsync(typeof(RosterLike), TimeSpan.FromMilliseconds(300), CancellationToken.None);
        var own = signal.WaitAsync(typeof(AppointmentsLike), TimeSpan.FromSeconds(30), CancellationToken.None);

        signal.Nudge(typeof(AppointmentsLike));

        Assert.True(await own);
        Assert.False(await other);
    }

    [Fact]
    public async Task Nudges_before_the_relay_waits_are_kept_as_one_wake_up()
    {
        var signal = new OutboxSignal();
        signal.Nudge(typeof(AppointmentsLike));
        signal.Nudge(typeof(AppointmentsLike));

        Assert.True(await signal.WaitAsync(typeof(AppointmentsLike), TimeSpan.Zero, CancellationToken.None));
        Assert.False(await signal.WaitAsync(typeof(AppointmentsLike), TimeSpan.Zero, CancellationToken.None));
    }
}
