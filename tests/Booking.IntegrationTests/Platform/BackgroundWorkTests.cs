using System.Text.Json;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Jobs;
using Booking.BuildingBlocks.Outbox;
using Booking.BuildingBlocks.Tenancy;
using Booking.IntegrationTests.Infrastructure;
using Booking.Notifications.Features.DefaultTemplates;
using Booking.Tenancy.Contracts;
using Booking.Tenancy.Data;
using Hangfire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Booking.IntegrationTests.Platform;

/// <summary>Tenant jobs restore their tenant; the outbox delivers committed events once and rolled-back ones never.</summary>
public sealed class BackgroundWorkTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task A_job_enqueued_from_a_background_thread_runs_as_the_tenant_it_names()
    {
        var a = await App.SignUpBusinessAsync("job-a");
        var b = await App.SignUpBusinessAsync("job-b");
        await WaitForTemplatesAsync(a.Id, 3);
        await WaitForTemplatesAsync(b.Id, 3);
        await Sql.AdminExecAsync(App.Database.Database, "DELETE FROM notifications.email_templates WHERE tenant_id IN (@a, @b)", ("a", a.Id), ("b", b.Id));

        // No request, no HTTP context, no ambient tenant: only the id passed explicitly.
        var jobId = await Task.Run(() =>
        {
            Assert.Null(App.Services.GetRequiredService<IHttpContextAccessor>().HttpContext);
            using var scope = App.Services.CreateScope();
            return scope.ServiceProvider.GetRequiredService<ITenantJobs>().Enqueue(a.Id, new EnsureDefaultTemplates());
        });

        Assert.False(string.IsNullOrEmpty(jobId));
        Assert.Equal(3L, await WaitForTemplatesAsync(a.Id, 3));
        Assert.Equal(0L, await TemplatesOfAsync(b.Id));
    }

    [Fact]
    public async Task Fan_out_enqueues_one_job_per_active_tenant()
    {
        var biz = await App.SignUpBusinessAsync("fan");
        await WaitForTemplatesAsync(biz.Id, 3);
        await Sql.AdminExecAsync(App.Database.Database, "DELETE FROM notifications.email_templates WHERE tenant_id = @a", ("a", biz.Id));

        using var scope = App.Services.CreateScope();
        var count = await scope.ServiceProvider.GetRequiredService<ITenantJobs>().EnqueueForEveryTenantAsync(() => new EnsureDefaultTemplates(), default);

        var active = await Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM tenancy.tenants WHERE status = 'Active'");
        Assert.True(count >= 2 && count <= active, $"{count} jobs for {active} active tenants");
        Assert.Equal(3L, await WaitForTemplatesAsync(biz.Id, 3));
    }

    [Fact]
    public async Task A_rolled_back_change_leaves_no_event()
    {
        var biz = await App.SignUpBusinessAsync("rollback");
        var eventId = Guid.CreateVersion7();
        await using (var scope = await TenantScope.OpenAsync(App.Services.GetRequiredService<IServiceScopeFactory>(), biz.Id, default))
        {
            var db = scope.ServiceProvider.GetRequiredService<TenancyDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Publish(new BusinessSignedUp(eventId, biz.Id, biz.Slug, "x", "UTC", "x@example.com"));
            await db.SaveChangesAsync();
            await tx.RollbackAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // several relay polls
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM tenancy.outbox_messages WHERE id = @id", ("id", eventId)));
        Assert.Equal(0L, await ProcessedAsync(eventId));
    }

    [Fact]
    public async Task A_committed_event_is_delivered_once_even_when_handed_over_twice()
    {
        var biz = await App.SignUpBusinessAsync("commit");
        await WaitForTemplatesAsync(biz.Id, 3); // its own sign-up event first, so the two deliveries do not race
        var evt = new BusinessSignedUp(Guid.CreateVersion7(), biz.Id, biz.Slug, "x", "UTC", "x@example.com");
        await using (var scope = await TenantScope.OpenAsync(App.Services.GetRequiredService<IServiceScopeFactory>(), biz.Id, default))
        {
            var db = scope.ServiceProvider.GetRequiredService<TenancyDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Publish(evt);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        await Eventually.ReturnsAsync(() => ProcessedAsync(evt.EventId), n => n == 1, what: "delivery");
        var dispatched = await Sql.AdminScalarAsync<DateTime?>(App.Database.Database, "SELECT dispatched_at FROM tenancy.outbox_messages WHERE id = @id", ("id", evt.EventId));
        Assert.NotNull(dispatched);

        // At-least-once hand-over: the same event delivered again is recognised and ignored.
        var payload = JsonSerializer.Serialize(evt, OutboxMessage.Json);
        var again = App.Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<IntegrationEventJob>(j => j.DeliverAsync(biz.Id, evt.EventId, OutboxMessage.TypeName(typeof(BusinessSignedUp)), payload, CancellationToken.None));
        await Eventually.ReturnsAsync(
            () => Task.FromResult(App.Services.GetRequiredService<JobStorage>().GetConnection().GetStateData(again)?.Name),
            s => s is "Succeeded" or "Failed", what: "second delivery");
        Assert.Equal("Succeeded", App.Services.GetRequiredService<JobStorage>().GetConnection().GetStateData(again)?.Name);
        Assert.Equal(1L, await ProcessedAsync(evt.EventId));
        Assert.Equal(3L, await TemplatesOfAsync(biz.Id));
    }

    [Fact]
    public async Task Events_of_one_commit_are_all_marked_handed_over_and_delivered_once()
    {
        var biz = await App.SignUpBusinessAsync("several");
        await WaitForTemplatesAsync(biz.Id, 3);
        var events = Enumerable.Range(0, 3).Select(_ => new BusinessSignedUp(Guid.CreateVersion7(), biz.Id, biz.Slug, "x", "UTC", "x@example.com")).ToList();
        await using (var scope = await TenantScope.OpenAsync(App.Services.GetRequiredService<IServiceScopeFactory>(), biz.Id, default))
        {
            var db = scope.ServiceProvider.GetRequiredService<TenancyDbContext>();
            events.ForEach(db.Publish);
            await db.SaveChangesAsync();
        }

        var ids = events.Select(e => e.EventId).ToArray();
        await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM tenancy.outbox_messages WHERE id = ANY (@ids) AND dispatched_at IS NOT NULL", ("ids", ids)),
            n => n == 3, what: "all three marked handed over");
        foreach (var e in events)
        {
            Assert.Equal(1L, await Eventually.ReturnsAsync(() => ProcessedAsync(e.EventId), n => n >= 1, what: "delivery"));
        }
    }

    [Fact]
    public async Task An_event_that_fails_in_a_batch_gets_a_job_of_its_own_and_the_others_are_delivered()
    {
        var biz = await App.SignUpBusinessAsync("batch");
        await WaitForTemplatesAsync(biz.Id, 3);
        var type = OutboxMessage.TypeName(typeof(BusinessSignedUp));
        EventEnvelope Envelope(BusinessSignedUp e) => new(biz.Id, e.EventId, type, JsonSerializer.Serialize(e, OutboxMessage.Json));
        BusinessSignedUp Event() => new(Guid.CreateVersion7(), biz.Id, biz.Slug, "x", "UTC", "x@example.com");
        var first = Envelope(Event());
        var broken = Envelope(Event()) with { EventId = Guid.CreateVersion7() }; // its envelope does not match its payload
        var last = Envelope(Event());
        var jobs = new RecordingJobs();
        var job = new IntegrationEventJob(App.Services.GetRequiredService<IServiceScopeFactory>(), jobs, NullLogger<IntegrationEventJob>.Instance);

        await job.DeliverAllAsync([first, broken, last], CancellationToken.None);

        var alone = Assert.Single(jobs.Created);
        Assert.Equal(nameof(IntegrationEventJob.DeliverAsync), alone.Method.Name);
        Assert.Equal(broken.EventId, (Guid)alone.Args[1]!);
        Assert.Equal(1L, await ProcessedAsync(first.EventId));
        Assert.Equal(1L, await ProcessedAsync(last.EventId));
    }

    private Task<long> ProcessedAsync(Guid eventId) =>
        Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM notifications.processed_events WHERE event_id = @e", ("e", eventId));

    private Task<long> TemplatesOfAsync(Guid tenantId) =>
        Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM notifications.email_templates WHERE tenant_id = @t", ("t", tenantId));

    private Task<long> WaitForTemplatesAsync(Guid tenantId, long count) =>
        Eventually.ReturnsAsync(() => TemplatesOfAsync(tenantId), n => n >= count, what: "templates");
}
