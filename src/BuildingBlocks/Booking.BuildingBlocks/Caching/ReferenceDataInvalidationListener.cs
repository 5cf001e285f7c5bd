using Booking.BuildingBlocks.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Booking.BuildingBlocks.Caching;

/// <summary>
/// Listens on <see cref="ReferenceDataCache.Channel"/> so that a change saved on any instance (this one included)
/// drops the cached entry everywhere once it commits (PostgreSQL delivers NOTIFY at commit). While the connection is
/// down, nothing cached is trusted: everything is dropped when it breaks and again when it is back. The same
/// connection listens on every other channel registered as <see cref="IDatabaseNotices"/> (the Data Protection key
/// ring's, decision 238), whose handlers are told likewise that notices may have been missed.
/// </summary>
public sealed class ReferenceDataInvalidationListener(
    DatabaseOptions database,
    ReferenceDataCache cache,
    IEnumerable<IDatabaseNotices> others,
    ILogger<ReferenceDataInvalidationListener> logger) : BackgroundService
{
    private readonly IReadOnlyList<IDatabaseNotices> channels = others.ToList();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(database.AppConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Dispatch(e.Channel, e.Payload);
                var listen = string.Join("; ", channels.Select(c => c.Channel).Prepend(ReferenceDataCache.Channel).Select(c => $"LISTEN {c}"));
                await using (var command = new NpgsqlCommand(listen, connection))
                {
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }

                DropAll();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                DropAll();
                logger.LogWarning(ex, "Reference data notifications were interrupted; cached reference data was dropped");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Dispatch(string channel, string payload)
    {
        if (channel == ReferenceDataCache.Channel)
        {
            cache.Apply(payload);
            return;
        }

        foreach (var other in channels.Where(c => c.Channel == channel))
        {
            Safely(other, () => other.Apply(payload));
        }
    }

    /// <summary>Notices may have been missed: the cache forgets everything, and every other channel is told.</summary>
    private void DropAll()
    {
        cache.InvalidateAll();
        foreach (var other in channels)
        {
            Safely(other, other.Missed);
        }
    }

    private void Safely(IDatabaseNotices channel, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Handling a notice on {Channel} failed", channel.Channel);
        }
    }
}
