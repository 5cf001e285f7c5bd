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

    [Fact]
    public async Task Time_freed_drops_the_worked_out_values_and_keeps_the_reference_data()
    {
        using var memory = new MemoryCache(new MemoryCacheOptions());
        var cache = new ReferenceDataCache(memory);
        var (tenant, neighbour) = (Guid.NewGuid(), Guid.NewGuid());
        await cache.GetOrLoadAsync("services", tenant, _ => Task.FromResult("services"), CancellationToken.None);
        await cache.GetOrWorkOutAsync("bookable", tenant, Lifetime, _ => Task.FromResult("fully booked"), CancellationToken.None);
        await cache.GetOrWorkOutAsync("bookable", neighbour, Lifetime, _ => Task.FromResult("fully booked"), CancellationToken.None);

        // As another instance's notification of a cancellation arrives (the payload the Appointments module sends).
        Assert.True(cache.Apply(ReferenceDataCache.Payload(ReferenceDataCache.WorkedOutArea, tenant)));

        Assert.Equal("bookable", await cache.GetOrWorkOutAsync("bookable", tenant, Lifetime, _ => Task.FromResult("bookable"), CancellationToken.None));
        Assert.Equal("services", await cache.GetOrLoadAsync("services", tenant, _ => Task.FromResult("loaded again"), CancellationToken.None));
        Assert.Equal("fully booked", await cache.GetOrWorkOutAsync("bookable", neighbour, Lifetime, _ => Task.FromResult("bookable"), CancellationToken.None));
    }

    [Fact]
    public async Task Time_taken_drops_only_a_kept_value_that_rests_on_that_very_time()
    {
        using var memory = new MemoryCache(new MemoryCacheOptions());
        var cache = new ReferenceDataCache(memory);
        var tenant = Guid.NewGuid();
        var (diary, other) = (Guid.NewGuid(), Guid.NewGuid());
        var ten = new DateTimeOffset(2026, 12, 8, 10, 0, 0, TimeSpan.FromHours(11));
        var loads = 0;
        Task<Answer> LoadAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref loads);
            return Task.FromResult(new Answer(new FreeTime(diary, ten, ten.AddMinutes(75)))); // 60 minutes and a 15-minute buffer
        }

        await cache.GetOrWorkOutAsync("bookable", tenant, Lifetime, LoadAsync, CancellationToken.None);

        // Time elsewhere: another diary, before it, after it (a range ends where the next may start).
        cache.TimeTaken(tenant, other, ten, ten.AddHours(1));
        cache.TimeTaken(tenant, diary, ten.AddHours(-1), ten);
        cache.TimeTaken(tenant, diary, ten.AddMinutes(75), ten.AddHours(3));
        cache.TimeTaken(Guid.NewGuid(), diary, ten, ten.AddHours(1));
        await cache.GetOrWorkOutAsync("bookable", tenant, Lifetime, LoadAsync, CancellationToken.None);
        Assert.Equal(1, loads);

        // A busy block over its buffer's last minute is enough.
        cache.TimeTaken(tenant, diary, ten.AddMinutes(74), ten.AddHours(2));
        await cache.GetOrWorkOutAsync("bookable", tenant, Lifetime, LoadAsync, CancellationToken.None);
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task A_value_being_worked_out_while_time_is_taken_is_answered_but_not_kept()
    {
        using var memory = new MemoryCache(new MemoryCacheOptions());
        var cache = new ReferenceDataCache(memory);
        var tenant = Guid.NewGuid();
        var diary = Guid.NewGuid();
        var ten = new DateTimeOffset(2026, 12, 8, 10, 0, 0, TimeSpan.FromHours(11));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loads = 0;
        async Task<Answer> LoadAsync(CancellationToken ct)
        {
            if (Interlocked.Increment(ref loads) == 1)
            {
                await release.Task; // read the diary before the booking below committed
            }

            return new Answer(new FreeTime(diary, ten, ten.AddHours(1)));
        }

        var first = cache.GetOrWorkOutAsync("bookable", tenant, Lifetime, LoadAsync, CancellationToken.None).AsTask();
        cache.TimeTaken(tenant, diary, ten, ten.AddHours(1)); // nothing kept yet: only the load in flight can hold it
        release.SetResult();
        Assert.NotNull((await first).RestsOn);

        await cache.GetOrWorkOutAsync("bookable", tenant, Lifetime, LoadAsync, CancellationToken.None);
        Assert.Equal(2, loads);
    }

    private sealed record Answer(FreeTime? RestsOn) : IRestsOnFreeTime;
}
