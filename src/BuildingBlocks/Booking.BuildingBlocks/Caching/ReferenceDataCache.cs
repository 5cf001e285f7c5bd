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

    /// <summary>
    /// The payload's area of a change that drops only a tenant's worked-out values (<see cref="GetOrWorkOutAsync{T}"/>),
    /// not its reference data: time freed in a diary (see <see cref="InvalidateWorkedOut"/>). No area's data is kept
    /// under it, so invalidating it drops exactly those values, on an instance of any version.
    /// </summary>
    public const string WorkedOutArea = "worked-out";

    private readonly ConcurrentDictionary<(string Area, Guid TenantId), long> generations = new();
    private readonly ConcurrentDictionary<Guid, long> tenantGenerations = new();
    private readonly ConcurrentDictionary<string, byte> derivedNames = new();
    private readonly ConcurrentDictionary<DerivedKey, Flight> workingOut = new();
    private long everything;

    /// <summary>
    /// Raised after a tenant's area was dropped here: by a save on this instance, or by the notification of a change
    /// saved on any instance. For a cache kept outside this one that follows an area of its own (Tenancy's directory of
    /// businesses: a business's name, zone or country changed), so it is dropped on every instance at once too.
    /// </summary>
    public event Action<string, Guid>? Dropped;

    /// <summary>Raised after <see cref="InvalidateAll"/>: changes may have been missed, so such caches drop everything too.</summary>
    public event Action? DroppedAll;

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
    /// the tenant is (so a change of setup shows at once), when the uncached part says it changed
    /// (<see cref="InvalidateWorkedOut"/>: time freed in a diary; <see cref="TimeTaken"/>: the free time a value rests on,
    /// see <see cref="IRestsOnFreeTime"/>), and in any case after <paramref name="lifetime"/>, the backstop for a change
    /// missed. A load that overlaps an invalidation of the tenant is returned but not kept.
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

        Dropped?.Invoke(area, tenantId);
    }

    /// <summary>
    /// Drops the tenant's worked-out values only (its reference data stays): something they are worked out from that is
    /// not cached changed, such as an appointment cancelled or a busy block removed. A load running meanwhile is not kept.
    /// </summary>
    public void InvalidateWorkedOut(Guid tenantId) => Invalidate(WorkedOutArea, tenantId);

    /// <summary>
    /// A diary's time from <paramref name="from"/> until <paramref name="until"/> was just taken (a booking, a busy
    /// block): a kept value of the tenant that rests on a free time there (<see cref="IRestsOnFreeTime"/>) is dropped
    /// here. Memory only, and only a kept value whose own free time was taken: a booking elsewhere costs a lookup. A
    /// value being worked out meanwhile may have read the diary before this time was taken, so it is not kept.
    /// </summary>
    public void TimeTaken(Guid tenantId, Guid diaryId, DateTimeOffset from, DateTimeOffset until)
    {
        foreach (var name in derivedNames.Keys)
        {
            var key = new DerivedKey(name, tenantId);
            if (workingOut.ContainsKey(key))
            {
                tenantGenerations.AddOrUpdate(tenantId, 1, (_, g) => g + 1); // its answer is returned, not kept
            }

            if (cache.TryGetValue(key, out var kept) && kept is IRestsOnFreeTime { RestsOn: { } free } && free.DiaryId == diaryId
                && free.From < until && from < free.Until)
            {
                tenantGenerations.AddOrUpdate(tenantId, 1, (_, g) => g + 1);
                cache.Remove(key);
            }
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

        DroppedAll?.Invoke();
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

/// <summary>
/// A worked-out value that holds only while a certain diary time stays free (a business is bookable because that start
/// is free): <see cref="ReferenceDataCache.TimeTaken"/> drops it when that time is taken. Null when it rests on none.
/// </summary>
public interface IRestsOnFreeTime
{
    FreeTime? RestsOn { get; }
}

/// <summary>A diary's free time, from a start until the end of what a booking there would hold (its buffer included).</summary>
public sealed record FreeTime(Guid DiaryId, DateTimeOffset From, DateTimeOffset Until);
