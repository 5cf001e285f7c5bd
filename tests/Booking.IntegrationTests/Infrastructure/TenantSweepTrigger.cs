using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Jobs;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Infrastructure;

/// <summary>For tests of a recurring per-tenant cleanup: it is scheduled as it should be, and runs now.</summary>
public static class TenantSweepTrigger
{
    /// <summary>Asserts Hangfire holds the recurring job (a <see cref="TenantSweep{TJob}"/> with a schedule), then triggers it.</summary>
    public static void AssertScheduledAndTrigger<TJob>(this BookingApp app, string recurringJobId)
        where TJob : ITenantJob, new()
    {
        using (var connection = app.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == recurringJobId);
            Assert.Equal(typeof(TenantSweep<TJob>), job.Job.Type);
            Assert.False(string.IsNullOrEmpty(job.Cron));
        }

        app.Services.GetRequiredService<IRecurringJobManager>().Trigger(recurringJobId);
    }
}
