namespace Booking.IntegrationTests.Infrastructure;

/// <summary>
/// Waits for background work (jobs, relays) to show its effect; fails with the last observation. The default wait is
/// 60 s, as the email waits have had since session 36: on a quiet machine the effect comes within a second or two, but
/// under a full CI run on the 2-core machine an event's path (the relay's poll, the events queue, a retry after a
/// transient failure: 1 + 2 + 5 + 10 s) has taken over 20 s (session 42: a staff mobile change's text to the old number,
/// in CI's run of 16779ae4). A passing wait returns as soon as the effect shows, so only a failure waits longer.
/// </summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what ?? "a condition"}; last value: {value}");
            }

            await Task.Delay(100);
        }
    }
}
