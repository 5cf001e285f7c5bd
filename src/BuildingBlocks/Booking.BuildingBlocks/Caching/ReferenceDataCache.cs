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
    private readonly ConcurrentDictionary<DerivedKey, Flight> workingOut = new();
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
    /// One load per value at a time: requests that miss while it runs (an entry just expired or dropped, under load) wait
    /// for its answer instead of each working it out again.
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
        var mine = new Flight(new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously), before);
        var running = workingOut.GetOrAdd(key, mine);
        if (!ReferenceEquals(running, mine))
        {
            if (running.Generation == before)
            {
                return (T)await running.Answer.Task.WaitAsync(cancellationToken); // one load at a time, not one each
            }

            return Keep(await load(cancellationToken)); // that load began before a change: not its answer
        }

        try
        {
            // Not this request's token: others may be waiting for the answer, and a load is short and bounded.
            var value = Keep(await load(CancellationToken.None));
            mine.Answer.SetResult(value);
            return value;
        }
        catch (Exception ex)
        {
            mine.Answer.SetException(ex);
            _ = mine.Answer.Task.Exception; // observed here; a waiter, if any, gets it too
            throw;
        }
        finally
        {
            workingOut.TryRemove(new KeyValuePair<DerivedKey, Flight>(key, mine));
        }

        T Keep(T value)
        {
            if (TenantGeneration(tenantId) == before)
            {
                cache.Set(key, value, lifetime);
            }

            return value;
        }
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

    /// <summary>A value being worked out, and the tenant's generation when its load began (a waiter after a change loads anew).</summary>
    private sealed record Flight(TaskCompletionSource<object> Answer, (long All, long Tenant) Generation);
}
