using System.Text.Json;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Outbox;
using Booking.BuildingBlocks.Tenancy;
using Hangfire;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.BuildingBlocks.Jobs;

/// <summary>Enqueues commands to run in the background for a tenant named explicitly, never taken from ambient state.</summary>
public interface ITenantJobs
{
    string Enqueue(Guid tenantId, ITenantJob job);

    /// <summary>Enqueues the job once per active tenant (the fan-out of recurring work).</summary>
    Task<int> EnqueueForEveryTenantAsync(Func<ITenantJob> job, CancellationToken cancellationToken);
}

public sealed class TenantJobs(IBackgroundJobClient client, ITenantDirectory directory) : ITenantJobs
{
    public string Enqueue(Guid tenantId, ITenantJob job)
    {
        if (tenantId == Guid.Empty)
        {
            throw new ArgumentException("A tenant job needs a tenant.", nameof(tenantId));
        }

        var type = job.GetType();
        var payload = JsonSerializer.Serialize(job, type, OutboxMessage.Json);
        return client.Enqueue<TenantJobRunner>(r => r.RunAsync(tenantId, OutboxMessage.TypeName(type), payload, CancellationToken.None));
    }

    public async Task<int> EnqueueForEveryTenantAsync(Func<ITenantJob> job, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var tenantId in directory.ActiveTenantIdsAsync(cancellationToken))
        {
            Enqueue(tenantId, job());
            count++;
        }

        return count;
    }
}

/// <summary>The Hangfire entry point of every tenant job: restores the tenant, then sends the command.</summary>
public sealed class TenantJobRunner(IServiceScopeFactory scopes)
{
    [AutomaticRetry(Attempts = 5)]
    [JobDisplayName("{1} for tenant {0}")]
    public async Task RunAsync(Guid tenantId, string commandType, string payload, CancellationToken cancellationToken)
    {
        var type = Type.GetType(commandType, throwOnError: true)!;
        if (!typeof(ITenantJob).IsAssignableFrom(type))
        {
            throw new InvalidOperationException($"{commandType} is not a tenant job.");
        }

        var command = JsonSerializer.Deserialize(payload, type, OutboxMessage.Json)!;
        await using var scope = await TenantScope.OpenAsync(scopes, tenantId, cancellationToken);
        await scope.ServiceProvider.GetRequiredService<ISender>().Send(command, cancellationToken);
    }
}
