using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;

namespace Booking.BuildingBlocks.Caching;

/// <summary>
/// A business's slowly changing reference data (its services, its roster and rules), kept in memory per module
/// ("area") and tenant, because every availability answer, booking and portal page needs it. An entry is dropped
/// when its module saves a change for that tenant (at once on this instance; on the others when PostgreSQL
/// delivers the committed change's notification, see <see cref="ReferenceDataInvalidationListener"/>), and in any
/// case after <see cref="Lifetime"/>. A load that overlaps an invalidation is returned but not kept, so a reader that
/// saw the old rows cannot put them back after the change.
/// </summary>
public sealed class ReferenceDataCache(IMemoryCache cache)
{
    /// <summary>The backstop: how long an entry lives even if a notification were lost.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>The PostgreSQL notification channel; the payload is "area:tenant-id".</summary>
    public const string Channel = "booking_reference_data";

    private readonly ConcurrentDictionary<(string Area, Guid TenantId), long> generations = new();
    private readonly ConcurrentDictionary<Guid, long> tenantGenerations = new();
    private readonly ConcurrentDictionary<string, byte> derivedNames = new();
    private long everything;

    public async ValueTask<T> GetOrLoadAsync<T>(string area, Guid tenantId, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
        where T : class
    {
        var key = new CacheKey(area, tenantId);
        if (cache.TryGetValue(key, out T? cached) && cached is not null)
        {
            return cached;
        }

        var before = Generation(area, tenantId);
        var value = await load(cancellationToken);
        if (Generation(area, tenantId) == before)
        {
            cache.Set(key, value, Lifetime);
        }

        return value;
    }

    /// <summary>
    /// A value worked out from several areas' data of a tenant and from data that is not cached at all (whether a
    /// business has a free time to book: its services, its roster and its appointments). Dropped whenever any area of
    /// the tenant is (so a change of setup shows at once), and in any case after <paramref name="lifetime"/>, which is
    /// as stale as the uncached part may get. A load that overlaps an invalidation of the tenant is returned but not kept.
    /// </summary>
    public async ValueTask<T> GetOrWorkOutAsync<T>(string name, Guid tenantId, TimeSpan lifetime, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
        where T : class
    {
        var key = new DerivedKey(name, tenantId);
        if (cache.TryGetValue(key, out T? cached) && cached is not null)
        {
            return cached;
        }

        derivedNames.TryAdd(name, 0);
        var before = TenantGeneration(tenantId);
        var value = await load(cancellationToken);
        if (TenantGeneration(tenantId) == before)
        {
            cache.Set(key, value, lifetime);
        }

        return value;
    }

    public void Invalidate(string area, Guid tenantId)
    {
        generations.AddOrUpdate((area, tenantId), 1, (_, g) => g + 1);
        tenantGenerations.AddOrUpdate(tenantId, 1, (_, g) => g + 1);
        cache.Remove(new CacheKey(area, tenantId));
        foreach (var name in derivedNames.Keys)
        {
            cache.Remove(new DerivedKey(name, tenantId));
        }
    }

    /// <summary>After the notification connection was lost: changes may have been missed, so nothing kept is trusted.</summary>
    public void InvalidateAll()
    {
        Interlocked.Increment(ref everything);
        if (cache is MemoryCache memory)
        {
            foreach (var key in memory.Keys.Where(k => k is CacheKey or DerivedKey).ToList())
            {
                memory.Remove(key);
            }
        }
    }

    /// <summary>Applies a notification payload ("area:tenant-id"); false when it is not one.</summary>
    public bool Apply(string payload)
    {
        var colon = payload.LastIndexOf(':');
        if (colon <= 0 || !Guid.TryParse(payload.AsSpan(colon + 1), out var tenantId))
        {
            return false;
        }

        Invalidate(payload[..colon], tenantId);
        return true;
    }

    public static string Payload(string area, Guid tenantId) => $"{area}:{tenantId}";

    private (long All, long Entry) Generation(string area, Guid tenantId) =>
        (Interlocked.Read(ref everything), generations.GetValueOrDefault((area, tenantId)));

    private (long All, long Tenant) TenantGeneration(Guid tenantId) =>
        (Interlocked.Read(ref everything), tenantGenerations.GetValueOrDefault(tenantId));

    private sealed record CacheKey(string Area, Guid TenantId);

    private sealed record DerivedKey(string Name, Guid TenantId);
}
