using Booking.BuildingBlocks.Caching;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// An app's <see cref="ReferenceDataInvalidationListener"/> drops everything it keeps (<see cref="ReferenceDataCache.InvalidateAll"/>)
/// once its LISTEN is in place, at some moment after the app starts: a test that counts what a second instance reads
/// from its cache must start counting after that. The signal is the listener hearing a notification: it sends a probe
/// (<c>pg_notify</c> with an area and tenant of its own) until the app's cache drops that entry. A notification is only
/// heard after the LISTEN, and the listener reads none before its <see cref="ReferenceDataCache.InvalidateAll"/> has run.
/// </summary>
internal static class ReferenceDataListening
{
    private const string ProbeArea = "listening-probe";

    public static async Task WaitUntilListeningAsync(BookingApp app, TimeSpan? timeout = null)
    {
        var cache = app.Services.GetRequiredService<ReferenceDataCache>();
        var probe = Guid.NewGuid();
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnDropped(string area, Guid tenantId)
        {
            if (area == ProbeArea && tenantId == probe)
            {
                heard.TrySetResult();
            }
        }

        cache.Dropped += OnDropped;
        try
        {
            var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
            while (!heard.Task.IsCompleted)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("The app's reference data listener heard no notification: it is not listening.");
                }

                await Sql.ExecAsync(app.Database.AppConnectionString, "select pg_notify(@channel, @payload)",
                    ("channel", ReferenceDataCache.Channel), ("payload", ReferenceDataCache.Payload(ProbeArea, probe)));
                await Task.WhenAny(heard.Task, Task.Delay(100));
            }
        }
        finally
        {
            cache.Dropped -= OnDropped;
        }
    }
}
