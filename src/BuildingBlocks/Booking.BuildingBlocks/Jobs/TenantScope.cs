using Booking.BuildingBlocks.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.BuildingBlocks.Jobs;

/// <summary>Opens a DI scope that belongs to one tenant: the tenant is set before anything else is resolved.</summary>
public static class TenantScope
{
    public static async Task<AsyncServiceScope> OpenAsync(IServiceScopeFactory scopes, Guid tenantId, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            var directory = scope.ServiceProvider.GetRequiredService<ITenantDirectory>();
            var tenant = await directory.FindByIdAsync(tenantId, cancellationToken)
                ?? throw new InvalidOperationException($"Tenant {tenantId} does not exist.");
            scope.ServiceProvider.GetRequiredService<ITenantContext>().Set(tenant);
            return scope;
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }
}
