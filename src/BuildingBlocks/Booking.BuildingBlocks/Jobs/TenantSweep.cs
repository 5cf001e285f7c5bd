using Booking.BuildingBlocks.Contracts;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Booking.BuildingBlocks.Jobs;

/// <summary>
/// The recurring entry point of a per-tenant cleanup: one global Hangfire job that enqueues <typeparamref name="TJob"/>
/// for every active tenant (row-level security lets a job see one tenant at a time, and one slow tenant then holds up
/// nobody).
/// </summary>
public sealed class TenantSweep<TJob>(ITenantJobs jobs)
    where TJob : ITenantJob, new()
{
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 2)]
    [JobDisplayName("Cleanup {0}: fan out to every tenant")]
    public Task<int> FanOutAsync(string id, CancellationToken cancellationToken) =>
        jobs.EnqueueForEveryTenantAsync(() => new TJob(), cancellationToken);
}

/// <summary>One recurring sweep: its Hangfire id, the setting that may change its schedule, and its default cron.</summary>
public sealed record TenantSweepEntry(string Id, string CronSetting, string DefaultCron, Action<IRecurringJobManager, string, string> Register);

public static class TenantSweeps
{
    /// <summary>Runs <typeparamref name="TJob"/> for every tenant on a schedule (<paramref name="cronSetting"/>, else <paramref name="defaultCron"/>).</summary>
    public static IServiceCollection AddTenantSweep<TJob>(this IServiceCollection services, string id, string cronSetting, string defaultCron)
        where TJob : ITenantJob, new()
    {
        services.AddScoped<TenantSweep<TJob>>();
        services.AddSingleton(new TenantSweepEntry(id, cronSetting, defaultCron,
            (recurring, jobId, cron) => recurring.AddOrUpdate<TenantSweep<TJob>>(jobId, j => j.FanOutAsync(jobId, CancellationToken.None), cron)));
        if (!services.Any(d => d.ImplementationType == typeof(TenantSweepSchedule)))
        {
            services.AddHostedService<TenantSweepSchedule>();
        }

        return services;
    }
}

/// <summary>Registers every sweep's recurring job at start (AddOrUpdate is idempotent across restarts and instances).</summary>
public sealed class TenantSweepSchedule(IRecurringJobManager recurring, IConfiguration configuration, IEnumerable<TenantSweepEntry> sweeps) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var sweep in sweeps)
        {
            sweep.Register(recurring, sweep.Id, configuration.GetValue(sweep.CronSetting, sweep.DefaultCron)!);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
