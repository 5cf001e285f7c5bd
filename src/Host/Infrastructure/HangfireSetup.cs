using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Jobs;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Npgsql;

namespace Booking.Host.Infrastructure;

public static class HangfireSetup
{
    public const string Schema = "hangfire";

    public static IServiceCollection AddBookingHangfire(this IServiceCollection services, DatabaseOptions database, IConfiguration configuration)
    {
        services.AddSingleton<IExtraSchemaInstaller, HangfireSchemaInstaller>();
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = Schema,
            PrepareSchemaIfNecessary = false, // installed by the migrator as the owner role
            // LISTEN/NOTIFY wakes workers at once; the poll is the fallback. The default 15 s is too slow for sign-in codes.
            EnableLongPolling = true,
            QueuePollInterval = TimeSpan.FromMilliseconds(500),
            InvisibilityTimeout = TimeSpan.FromMinutes(5),
            UseSlidingInvisibilityTimeout = true,
        };

        // This app's own storage and activator, registered before AddHangfire (which only adds them when missing):
        // its defaults read the process-wide JobStorage.Current and JobActivator.Current, so two apps in one process
        // (the tests, the benchmarks) could each run the other's jobs with their own services.
        services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(database.AppConnectionString, storageOptions), storageOptions));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(sp.GetRequiredService<JobStorage>()));
        if (configuration.GetValue("Hangfire:Server", true))
        {
            services.AddHangfireServer(options =>
            {
                options.WorkerCount = configuration.GetValue("Hangfire:Workers", Math.Max(4, Environment.ProcessorCount * 2));
                options.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                options.ServerName = $"booking:{Environment.MachineName}:{Environment.ProcessId}";
            });

            // Outbox events on workers of their own (decision 312): an email job can hold its worker for the SMTP
            // timeout (30 s by default) and a retrying one comes back; with one pool for all, a few of those kept every
            // new event (the email a sign-up, booking or sign-in code is waiting for) queued behind them. An event job
            // is short database work, so two workers keep up; jobs of the default queue never run here, nor events there.
            services.AddHangfireServer(options =>
            {
                options.WorkerCount = Math.Max(1, configuration.GetValue("Hangfire:EventWorkers", 2));
                options.Queues = [IntegrationEventJob.QueueName];
                options.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                options.ServerName = $"booking:{Environment.MachineName}:{Environment.ProcessId}:events";
            });
        }

        return services;
    }
}

/// <summary>Installs Hangfire's tables as the owner and grants the app role what Hangfire needs.</summary>
public sealed class HangfireSchemaInstaller : IExtraSchemaInstaller
{
    public async Task InstallAsync(NpgsqlConnection ownerConnection, string appRole, CancellationToken cancellationToken)
    {
        PostgreSqlObjectsInstaller.Install(ownerConnection, HangfireSetup.Schema);
        var role = DatabaseMigrator.Quote(appRole);
        await using var command = new NpgsqlCommand($"""
            GRANT USAGE ON SCHEMA {HangfireSetup.Schema} TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {HangfireSetup.Schema} TO {role};
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {HangfireSetup.Schema} TO {role};
            """, ownerConnection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// The dashboard: requests from loopback in Development (a request with no remote address is not local,
/// <see cref="Booking.BuildingBlocks.Web.LocalRequests"/>); elsewhere nobody until platform operators exist (Program
/// maps it in Development only, so outside it /hangfire is 404; this filter still says no there, should it be mapped).
/// </summary>
public sealed class LocalDevelopmentOnly(bool development) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => development && Booking.BuildingBlocks.Web.LocalRequests.IsFromLoopback(context.GetHttpContext());
}
