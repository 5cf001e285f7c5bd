using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// A worker killed mid-send leaves its message 'sending'. A fresh app on the same database sends it once the
/// lease has expired — once — and never sends again a message already marked sent.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class WorkerKilledMidSendTests
{
    [Fact]
    public async Task A_message_left_sending_with_an_expired_lease_is_sent_after_restart_once_and_a_sent_one_never_again()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        var database = await NotificationsFixture.CreateDatabaseAsync("killed");
        TestBusiness business;
        await using (var first = new NotificationsTestApp(database, smtp))
        {
            await AppStarts.StartAsync(first);
            business = await first.SignUpBusinessAsync("killed");
        }

        // The state a killed worker leaves behind (written as the superuser, as the dead process would have).
        var tag = Guid.NewGuid().ToString("N")[..8];
        var stuck = $"stuck-{tag}@example.com";
        var done = $"done-{tag}@example.com";
        const string content = """{"subject":"Your booking","body":"Hello {ClientFirstName}","values":{"ClientFirstName":"Kim"}}""";
        await Sql.AdminExecAsync(database.Database, """
            INSERT INTO notifications.outbound_messages
                (tenant_id, id, event_id, recipient, kind, status, attempts, next_attempt_at, lease_until, created_at, content)
            VALUES (@t, @id1, @e, @stuck, 'client-booking-confirmation', 'sending', 1, now() - interval '5 minutes', now() - interval '1 minute', now() - interval '5 minutes', @c::jsonb),
                   (@t, @id2, @e, @done, 'client-booking-confirmation', 'sent', 1, now() - interval '5 minutes', NULL, now() - interval '5 minutes', @c::jsonb)
            """,
            ("t", business.Id), ("id1", Guid.NewGuid()), ("id2", Guid.NewGuid()), ("e", Guid.NewGuid()), ("stuck", stuck), ("done", done), ("c", content));

        await using var second = new NotificationsTestApp(database, smtp);
        await AppStarts.StartAsync(second); // start: the sweeper finds the expired lease

        var mails = await Eventually.ReturnsAsync(() => Task.FromResult(smtp.MessagesTo(stuck)), m => m.Count >= 1, TimeSpan.FromSeconds(60), "the stuck email");
        Assert.Equal("Your booking", Assert.Single(mails).Subject);
        Assert.Contains("Hello Kim", mails[0].TextBody, StringComparison.Ordinal);
        await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<string>(database.Database, "SELECT status FROM notifications.outbound_messages WHERE recipient = @r", ("r", stuck)),
            s => s == "sent", TimeSpan.FromSeconds(30), "status sent");

        await Task.Delay(3000); // several sweeps later
        Assert.Single(smtp.MessagesTo(stuck));
        Assert.Empty(smtp.MessagesTo(done));
        Assert.Equal(2, await Sql.AdminScalarAsync<int>(database.Database, "SELECT attempts FROM notifications.outbound_messages WHERE recipient = @r", ("r", stuck)));
    }
}
