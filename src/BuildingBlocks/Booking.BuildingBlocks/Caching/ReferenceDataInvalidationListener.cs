using Booking.BuildingBlocks.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Booking.BuildingBlocks.Caching;

/// <summary>
/// Listens on <see cref="ReferenceDataCache.Channel"/> so that a change saved on any instance (this one included)
/// drops the cached entry everywhere once it commits (PostgreSQL delivers NOTIFY at commit). While the connection is
/// down, nothing cached is trusted: everything is dropped when it breaks and again when it is back.
/// </summary>
public sealed class ReferenceDataInvalidationListener(
    DatabaseOptions database,
    ReferenceDataCache cache,
    ILogger<ReferenceDataInvalidationListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(database.AppConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => cache.Apply(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ReferenceDataCache.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                cache.InvalidateAll();
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
                cache.InvalidateAll();
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
}
