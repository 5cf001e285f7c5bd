using Booking.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Context;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// Each app host logs through a logger of its own, not Serilog's static one. With the static logger (Serilog's default
/// when it is not preserved), every host in a process wrote through whichever host had configured it last, so a test
/// reading its app's captured log lines missed them once another app started beside it (a clean run's
/// SmsCountriesTests waited three minutes for a line its console showed at once). One process runs one app in
/// production; the tests run many.
/// </summary>
public sealed class LoggerPerHostTests
{
    [Fact]
    public async Task An_app_s_log_lines_reach_its_own_sinks_after_another_app_has_started()
    {
        await using var first = new BookingApp(await TestDatabaseServer.CreateDatabaseAsync("loghost_a"));
        first.NewClient().Dispose(); // started
        await using var second = new BookingApp(await TestDatabaseServer.CreateDatabaseAsync("loghost_b"));
        second.NewClient().Dispose(); // started after the first: with the static logger, it took over everyone's lines

        var slug = $"log-{Guid.NewGuid():N}"[..20];
        var logger = first.Services.GetRequiredService<ILogger<LoggerPerHostTests>>();
        using (LogContext.PushProperty("TenantSlug", slug))
        {
            logger.LogWarning("A line of the first app");
        }

        Assert.Contains(first.Logs.Of(slug, Serilog.Events.LogEventLevel.Warning), l => l.Contains("A line of the first app", StringComparison.Ordinal));
        Assert.Empty(second.Logs.Of(slug, Serilog.Events.LogEventLevel.Warning));
    }
}
