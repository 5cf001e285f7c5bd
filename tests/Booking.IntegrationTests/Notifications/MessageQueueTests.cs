using System.Collections.Concurrent;
using Booking.IntegrationTests.Infrastructure;
using Booking.Notifications.Delivery;
using Hangfire.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace Booking.IntegrationTests.Notifications;

/// <summary>Consumers' messages leave in one delivery job per tenant per gathering window (decision 28).</summary>
public sealed class MessageQueueTests
{
    private static (Guid Tenant, Guid[] Ids) Ids(Job job) => job.Method.Name switch
    {
        nameof(MessageDeliveryJob.SendAllAsync) => ((Guid)job.Args[0], ((IEnumerable<Guid>)job.Args[1]).ToArray()),
        nameof(MessageDeliveryJob.SendAsync) => ((Guid)job.Args[0], [(Guid)job.Args[1]]),
        _ => throw new InvalidOperationException(job.Method.Name),
    };

    [Fact]
    public async Task Messages_handed_over_together_leave_in_one_job_per_tenant_without_anyone_flushing()
    {
        var jobs = new RecordingJobs();
        using var queue = new MessageQueue(jobs, NullLogger<MessageQueue>.Instance);
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        Guid[] first = [Guid.NewGuid(), Guid.NewGuid()], second = [Guid.NewGuid()], other = [Guid.NewGuid()];

        queue.EnqueueAll(a, first);
        queue.EnqueueAll(a, second);
        queue.EnqueueAll(b, other);
        Assert.Empty(jobs.Created); // gathered, not yet handed to Hangfire

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (jobs.Created.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var sent = jobs.Created.Select(Ids).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Equal([.. first, .. second], sent.Single(j => j.Tenant == a).Ids);
        Assert.Equal(other, sent.Single(j => j.Tenant == b).Ids);
        Assert.Equal(nameof(MessageDeliveryJob.SendAsync), jobs.Created.Single(j => (Guid)j.Args[0] == b).Method.Name);
    }

    [Fact]
    public void A_large_gathering_is_split_into_jobs_of_at_most_the_limit_and_loses_no_message()
    {
        var jobs = new RecordingJobs();
        using var queue = new MessageQueue(jobs, NullLogger<MessageQueue>.Instance);
        var tenant = Guid.NewGuid();
        var ids = Enumerable.Range(0, (2 * MessageQueue.MaxPerJob) + 7).Select(_ => Guid.NewGuid()).ToArray();

        queue.EnqueueAll(tenant, ids);
        queue.Flush();

        var sent = jobs.Created.Select(Ids).ToList();
        Assert.Equal(3, sent.Count);
        Assert.All(sent, j => Assert.True(j.Ids.Length <= MessageQueue.MaxPerJob));
        Assert.Equal(ids, sent.SelectMany(j => j.Ids));
    }
}
