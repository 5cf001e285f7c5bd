using Booking.BuildingBlocks.Jobs;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.Notifications.Features.Messages;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Email rows (Tools → Messages) older than the message retention (400 days unless set) are deleted by a daily sweep over
/// every tenant once settled (sent, failed, withheld); younger ones, and an old one still waiting to be retried, stay.
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
}
