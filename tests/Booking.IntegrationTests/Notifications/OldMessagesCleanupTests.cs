using Booking.BuildingBlocks.Jobs;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.Notifications.Data;
using Booking.Notifications.Features.Messages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Email rows (Tools → Messages) older than the message retention (400 days unless set) are deleted by a daily sweep over
/// every tenant once settled (sent, failed, withheld); younger ones, and an old one still waiting to be retried, stay.
/// The sweep deletes oldest first, <c>Messages:PurgeBatchSize</c> rows per statement, each committed before the next
/// (decision 266); the batch tests run the real handler in a tenant's scope with a batch of 2.
/// </summary>
public sealed class OldMessagesCleanupTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private Task InsertAsync(Guid tenantId, string recipient, string status, TimeSpan age) =>
        Sql.AdminExecAsync(App.Database.Database, """
            INSERT INTO notifications.outbound_messages
                (tenant_id, id, event_id, recipient, kind, status, attempts, next_attempt_at, created_at, content)
            VALUES (@t, @id, @e, @r, 'client-booking-confirmation', @s, 1, now() + interval '30 days', now() - @age,
                    '{"subject":"Your booking","body":"Hi","values":{}}'::jsonb)
            """, ("t", tenantId), ("id", Guid.NewGuid()), ("e", Guid.NewGuid()), ("r", recipient), ("s", status), ("age", age));

    private Task<long> CountAsync(Guid tenantId, string recipient) =>
        Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM notifications.outbound_messages WHERE tenant_id = @t AND recipient = @r", ("t", tenantId), ("r", recipient));

    [Fact]
    public async Task The_daily_sweep_deletes_every_tenants_settled_emails_past_the_retention_and_keeps_the_rest()
    {
        var days = MessageRetention.DefaultDays;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var tenants = new[] { await App.BookableAsync(), await App.BookableAsync() };
        foreach (var b in tenants)
        {
            foreach (var status in new[] { "sent", "failed", "withheld" })
            {
                await InsertAsync(b.Biz.Id, $"old-{tag}@example.com", status, TimeSpan.FromDays(days + 1));
            }

            await InsertAsync(b.Biz.Id, $"young-{tag}@example.com", "sent", TimeSpan.FromDays(days - 1));
            await InsertAsync(b.Biz.Id, $"waiting-{tag}@example.com", "retrying", TimeSpan.FromDays(days + 1));
        }

        App.AssertScheduledAndTrigger<PurgeOldMessages>(OldMessagesCleanup.RecurringJobId);

        foreach (var b in tenants)
        {
            await Eventually.ReturnsAsync(() => CountAsync(b.Biz.Id, $"old-{tag}@example.com"), n => n == 0,
                TimeSpan.FromSeconds(60), $"{b.Biz.Slug}'s settled emails older than {days} days deleted");
            Assert.Equal(1, await CountAsync(b.Biz.Id, $"young-{tag}@example.com"));
            Assert.Equal(1, await CountAsync(b.Biz.Id, $"waiting-{tag}@example.com"));
        }
    }

    /// <summary>Runs the sweep's handler for one tenant as its job does, with a batch of <paramref name="batch"/> rows.</summary>
    private async Task SweepAsync(Guid tenantId, int batch)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(MessageRetention.BatchSetting, batch.ToString(System.Globalization.CultureInfo.InvariantCulture))]).Build();
        await using var scope = await TenantScope.OpenAsync(App.Services.GetRequiredService<IServiceScopeFactory>(), tenantId, CancellationToken.None);
        var handler = new PurgeOldMessagesHandler(scope.ServiceProvider.GetRequiredService<NotificationsDbContext>(), configuration, TimeProvider.System);
        await handler.Handle(new PurgeOldMessages(), CancellationToken.None);
    }

    [Fact]
    public async Task A_sweep_in_batches_deletes_exactly_the_settled_old_emails_and_only_its_tenants()
    {
        var days = MessageRetention.DefaultDays;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var b = await App.BookableAsync();
        var other = await App.BookableAsync();
        var statuses = new[] { "sent", "failed", "withheld", "sent", "failed" };
        for (var i = 0; i < statuses.Length; i++)
        {
            await InsertAsync(b.Biz.Id, $"old-{tag}@example.com", statuses[i], TimeSpan.FromDays(days + 1 + i));
        }

        await InsertAsync(b.Biz.Id, $"waiting-{tag}@example.com", "retrying", TimeSpan.FromDays(days + 10));
        await InsertAsync(b.Biz.Id, $"young-{tag}@example.com", "sent", TimeSpan.FromDays(days - 1));
        await InsertAsync(other.Biz.Id, $"old-{tag}@example.com", "sent", TimeSpan.FromDays(days + 1));
        await InsertAsync(other.Biz.Id, $"old-{tag}@example.com", "sent", TimeSpan.FromDays(days + 2));

        await SweepAsync(b.Biz.Id, batch: 2);

        Assert.Equal(0, await CountAsync(b.Biz.Id, $"old-{tag}@example.com"));
        Assert.Equal(1, await CountAsync(b.Biz.Id, $"waiting-{tag}@example.com"));
        Assert.Equal(1, await CountAsync(b.Biz.Id, $"young-{tag}@example.com"));
        Assert.Equal(2, await CountAsync(other.Biz.Id, $"old-{tag}@example.com")); // another tenant's sweep is its own
    }

    [Fact]
    public async Task Each_batch_is_committed_before_the_next_so_a_big_backlog_is_not_held_in_one_statement()
    {
        var days = MessageRetention.DefaultDays;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var b = await App.BookableAsync();
        for (var i = 0; i < 5; i++)
        {
            await InsertAsync(b.Biz.Id, $"old-{i}-{tag}@example.com", "sent", TimeSpan.FromDays(days + 5 - i)); // old-4 the youngest
        }

        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        Assert.Equal(1, await held.ExecAsync("SELECT 1 FROM notifications.outbound_messages WHERE tenant_id = @t AND recipient = @r FOR UPDATE",
            ("t", b.Biz.Id), ("r", $"old-4-{tag}@example.com")));

        var sweep = SweepAsync(b.Biz.Id, batch: 2);
        await held.WaitForBlockedAsync(1); // the third batch waits on the held row

        // The first two batches are committed while the third waits: one statement over all five would still hold them.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(0, await CountAsync(b.Biz.Id, $"old-{i}-{tag}@example.com"));
        }

        await held.CommitAsync();
        await sweep;
        Assert.Equal(0, await CountAsync(b.Biz.Id, $"old-4-{tag}@example.com"));
    }
}
