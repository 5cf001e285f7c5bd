using Booking.BuildingBlocks.Caching;
using Microsoft.Extensions.Caching.Memory;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// A value worked out per business (<see cref="ReferenceDataCache.GetOrWorkOutAsync{T}"/>: whether it has a free time to
/// book, read on every portal page) is worked out once at a time: when the kept one expires under load, the requests that
/// miss wait for one load instead of each running it. A change of setup while a load runs is not hidden by it.
/// </summary>
public sealed class WorkedOutValueTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Requests_that_miss_while_the_value_is_worked_out_wait_for_that_one_load()
    {
        using var memory = new MemoryCache(new MemoryCacheOptions());
        var cache = new ReferenceDataCache(memory);
        var tenant = Guid.NewGuid();
        var loads = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task<string> LoadAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref loads);
            await gate.Task;
            return "answer " + Volatile.Read(ref loads);
        }

        var misses = Enumerable.Range(0, 8).Select(_ => cache.GetOrWorkOutAsync("bookable", tenant, Lifetime, LoadAsync, CancellationToken.None).AsTask()).ToList();
        await Task.Delay(50);
        gate.SetResult();
        var answers = await Task.WhenAll(misses);

        Assert.Equal(1, loads);
        Assert.All(answers, a => Assert.Equal("answer 1", a));
        Assert.Equal("answer 1", await cache.GetOrWorkOutAsync("bookable", tenant, Lifetime, LoadAsync, CancellationToken.None)); // kept
        Assert.Equal(1, loads);
    }

    [Fact]
    public async Task A_miss_after_a_change_does_not_take_the_answer_of_a_load_that_began_before_it()
    {
        using var memory = new MemoryCache(new MemoryCacheOptions());
        var cache = new ReferenceDataCache(memory);
        var tenant = Guid.NewGuid();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var before = cache.GetOrWorkOutAsync("bookable", tenant, Lifetime, async _ => { await gate.Task; return "before the change"; }, CancellationToken.None).AsTask();
        cache.Invalidate("roster", tenant); // staff saved the roster while that load ran

        var after = await cache.GetOrWorkOutAsync("bookable", tenant, Lifetime, _ => Task.FromResult("after the change"), CancellationToken.None)
            .AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        gate.SetResult();

        Assert.Equal("after the change", after);
        Assert.Equal("before the change", await before); // its own caller gets it, but it is not kept
        Assert.Equal("after the change", await cache.GetOrWorkOutAsync("bookable", tenant, Lifetime, _ => Task.FromResult("loaded again"), CancellationToken.None));
    }

    [Fact]
    public async Task A_load_that_fails_fails_its_waiters_and_the_next_miss_loads_again()
    {
        using var memory = new MemoryCache(new MemoryCacheOptions());
        var cache = new ReferenceDataCache(memory);
        var tenant = Guid.NewGuid();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = cache.GetOrWorkOutAsync<string>("bookable", tenant, Lifetime, async _ => { await gate.Task; throw new InvalidOperationException("database gone"); }, CancellationToken.None).AsTask();
        var waiter = cache.GetOrWorkOutAsync("bookable", tenant, Lifetime, _ => Task.FromResult("not loaded: it waits"), CancellationToken.None).AsTask();
        gate.SetResult();

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => waiter);
        Assert.Equal("back", await cache.GetOrWorkOutAsync("bookable", tenant, Lifetime, _ => Task.FromResult("back"), CancellationToken.None));
    }
}
