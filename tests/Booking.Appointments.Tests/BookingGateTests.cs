using Booking.Appointments.Features.Scheduling;
using Booking.BuildingBlocks.Problems;
using Microsoft.Extensions.Configuration;

namespace Booking.Appointments.Tests;

public sealed class BookingGateTests
{
    private static BookingGate Gate(int limit, double seconds) => new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Appointments:MaxConcurrentBookings"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Appointments:BookingQueueSeconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }).Build());

    [Fact]
    public async Task Bookings_beyond_the_limit_wait_for_a_turn_and_get_it_when_one_ends()
    {
        var gate = Gate(2, 10);
        var first = await gate.EnterAsync(default);
        using var second = await gate.EnterAsync(default);
        var third = gate.EnterAsync(default);
        await Task.Delay(100);
        Assert.False(third.IsCompleted);
        first.Dispose();
        first.Dispose(); // a second dispose must not free a turn it does not hold
        using var entered = await third.WaitAsync(TimeSpan.FromSeconds(5));
        var fourth = gate.EnterAsync(default);
        await Task.Delay(100);
        Assert.False(fourth.IsCompleted);
    }

    [Fact]
    public async Task A_booking_that_waits_too_long_is_told_to_retry_with_429()
    {
        var gate = Gate(1, 0.2);
        using var held = await gate.EnterAsync(default);
        var refused = await Assert.ThrowsAsync<ProblemException>(() => gate.EnterAsync(default));
        Assert.Equal(429, refused.Status);
        Assert.Equal(ProblemKinds.RateLimited, refused.Kind);
        Assert.Equal(2, refused.RetryAfterSeconds);
    }

    [Fact]
    public void The_default_limit_is_four_per_core_and_at_least_eight() =>
        Assert.Equal(Math.Max(8, 4 * Environment.ProcessorCount), BookingGate.Limit(new ConfigurationBuilder().Build()));
}
