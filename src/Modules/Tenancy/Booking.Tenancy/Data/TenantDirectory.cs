using System.Runtime.CompilerServices;
using Booking.BuildingBlocks.Tenancy;
using Booking.Tenancy.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.Tenancy.Data;

/// <summary>
/// Tenants by slug and by id, cached. A change made here invalidates at once; other instances see it within
/// the cache lifetime (one minute), which bounds how long a suspended business stays reachable elsewhere.
/// </summary>
public sealed class TenantDirectory(IMemoryCache cache, IServiceScopeFactory scopes) : ITenantDirectory
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    public async ValueTask<TenantInfo?> FindBySlugAsync(string slug, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(SlugKey(slug), out TenantInfo? cached))
        {
            return cached;
        }

        var tenant = await LoadAsync(t => t.Slug == slug, cancellationToken);
        cache.Set(SlugKey(slug), tenant, tenant is null ? TimeSpan.FromSeconds(5) : Lifetime);
        return tenant;
    }

    public async ValueTask<TenantInfo?> FindByIdAsync(Guid id, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(IdKey(id), out TenantInfo? cached))
        {
            return cached;
        }

        var tenant = await LoadAsync(t => t.Id == id, cancellationToken);
        if (tenant is not null)
        {
            cache.Set(IdKey(id), tenant, Lifetime);
        }

        return tenant;
    }

    public void Invalidate(TenantInfo tenant)
    {
        cache.Remove(SlugKey(tenant.Slug));
        cache.Remove(IdKey(tenant.Id));
    }

    public IAsyncEnumerable<Guid> ActiveTenantIdsAsync(CancellationToken cancellationToken) => IdsAsync(activeOnly: true, cancellationToken);

    public IAsyncEnumerable<Guid> AllTenantIdsAsync(CancellationToken cancellationToken) => IdsAsync(activeOnly: false, cancellationToken);

    private async IAsyncEnumerable<Guid> IdsAsync(bool activeOnly, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TenancyDbContext>();
        await foreach (var id in db.Tenants.AsNoTracking().Where(t => !activeOnly || t.Status == TenantStatus.Active).Select(t => t.Id)
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return id;
        }
    }

    private async Task<TenantInfo?> LoadAsync(System.Linq.Expressions.Expression<Func<Tenant, bool>> predicate, CancellationToken cancellationToken)
    {
        // Its own scope: the directory is a singleton, and the request's context may not have a tenant yet.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TenancyDbContext>();
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(predicate, cancellationToken);
        return tenant?.ToInfo();
    }

    private static string SlugKey(string slug) => "tenant:slug:" + slug;

    private static string IdKey(Guid id) => "tenant:id:" + id;
}
