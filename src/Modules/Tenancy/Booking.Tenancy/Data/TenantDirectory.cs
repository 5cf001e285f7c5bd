using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Booking.BuildingBlocks.Caching;
using Booking.BuildingBlocks.Tenancy;
using Booking.Tenancy.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.Tenancy.Data;

/// <summary>
/// Tenants by slug and by id, cached. A change of a business's details (its name, time zone or country:
/// <see cref="AnnounceChangeAsync"/>) drops its entries at once here and, through the reference-data notification
/// (<see cref="ReferenceDataCache"/>, area <see cref="Area"/>, delivered at commit), on every instance. Otherwise an
/// entry lives one minute, which bounds how long a business suspended in the database stays reachable elsewhere. A load
/// that overlaps a drop is returned but not kept, so a reader that saw the old row cannot put it back.
/// </summary>
public sealed class TenantDirectory : ITenantDirectory
{
    /// <summary>The notification area of a business's own row (the directory's entry), on the reference-data channel.</summary>
    public const string Area = "tenancy-business";

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly IMemoryCache cache;
    private readonly IServiceScopeFactory scopes;

    /// <summary>The slug of every business loaded here, so a drop by id reaches the entry by slug too.</summary>
    private readonly ConcurrentDictionary<Guid, string> slugs = new();

    private long generation;

    public TenantDirectory(IMemoryCache cache, IServiceScopeFactory scopes, ReferenceDataCache changes)
    {
        this.cache = cache;
        this.scopes = scopes;
        // The directory is a singleton, as the reference-data cache is: subscribed once, for the app's lifetime.
        changes.Dropped += (area, tenantId) =>
        {
            if (area == Area)
            {
                Drop(tenantId);
            }
        };
        changes.DroppedAll += DropAll;
    }

    public async ValueTask<TenantInfo?> FindBySlugAsync(string slug, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(SlugKey(slug), out TenantInfo? cached))
        {
            return cached;
        }

        var before = Interlocked.Read(ref generation);
        var tenant = await LoadAsync(t => t.Slug == slug, cancellationToken);
        if (Interlocked.Read(ref generation) == before)
        {
            cache.Set(SlugKey(slug), tenant, tenant is null ? TimeSpan.FromSeconds(5) : Lifetime);
        }

        return tenant;
    }

    public async ValueTask<TenantInfo?> FindByIdAsync(Guid id, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(IdKey(id), out TenantInfo? cached))
        {
            return cached;
        }

        var before = Interlocked.Read(ref generation);
        var tenant = await LoadAsync(t => t.Id == id, cancellationToken);
        if (tenant is not null && Interlocked.Read(ref generation) == before)
        {
            cache.Set(IdKey(id), tenant, Lifetime);
        }

        return tenant;
    }

    public void Invalidate(TenantInfo tenant)
    {
        Drop(tenant.Id);
        cache.Remove(SlugKey(tenant.Slug));
    }

    /// <summary>
    /// After a business's row changed (saved, or to be committed by the caller's transaction): dropped here at once
    /// and, by the notification delivered when the change commits, on every instance (this one included), with the
    /// business's worked-out values (whether it has a free time to book, worked out in its zone).
    /// </summary>
    public static async Task AnnounceChangeAsync(TenancyDbContext db, ReferenceDataCache changes, Guid tenantId)
    {
        changes.Invalidate(Area, tenantId); // raises Dropped: this directory's entries go at once
        await db.Database.AnnounceChangeAsync(Area, tenantId);
    }

    private void Drop(Guid tenantId)
    {
        Interlocked.Increment(ref generation);
        cache.Remove(IdKey(tenantId));
        if (slugs.TryGetValue(tenantId, out var slug))
        {
            cache.Remove(SlugKey(slug));
        }
    }

    private void DropAll()
    {
        Interlocked.Increment(ref generation);
        foreach (var (id, slug) in slugs)
        {
            cache.Remove(IdKey(id));
            cache.Remove(SlugKey(slug));
        }
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
        if (tenant is not null)
        {
            slugs[tenant.Id] = tenant.Slug;
        }

        return tenant?.ToInfo();
    }

    private static string SlugKey(string slug) => "tenant:slug:" + slug;

    private static string IdKey(Guid id) => "tenant:id:" + id;
}
