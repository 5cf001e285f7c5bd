using Booking.BuildingBlocks.Jobs;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Features.Housekeeping;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Text rows (Tools → Messages) older than the message retention (400 days unless set) are deleted by a daily sweep over
/// every tenant once settled (sent, refused, failed); younger ones, and an old one still retrying, stay.
/// The sweep deletes oldest first, <c>Messages:PurgeBatchSize</c> rows per statement, each committed before the next
/// (decision 266); the batch tests run the real handler in a tenant's scope with a batch of 2.
/// </summary>
public sealed class OldTextsCleanupTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private Task InsertAsync(Guid tenantId, string to, TimeSpan age, string status = "sent") =>
        Sql.AdminExecAsync(App.Database.Database, """
            INSERT INTO portalauth.texts (tenant_id, id, kind, "to", status, body, attempts, created_at, sent_at)
            VALUES (@t, @id, 'appointment-reminder', @to, @s, 'Hi', 1, now() - @age, now() - @age)
            """, ("t", tenantId), ("id", Guid.NewGuid()), ("to", to), ("s", status), ("age", age));

    private Task<long> CountAsync(Guid tenantId, string to) =>
        Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM portalauth.texts WHERE tenant_id = @t AND \"to\" = @to",
            ("t", tenantId), ("to", to));

    [Fact]
    public async Task The_daily_sweep_deletes_every_tenants_texts_past_the_retention_and_keeps_younger_ones()
    {
        var days = MessageRetention.DefaultDays;
        var tenants = new[] { await App.BookableAsync(), await App.BookableAsync() };
        foreach (var b in tenants)
        {
            foreach (var status in new[] { "sent", "refused", "failed" })
            {
                await InsertAsync(b.Biz.Id, "+61400000101", TimeSpan.FromDays(days + 1), status);
            }

            await InsertAsync(b.Biz.Id, "+61400000102", TimeSpan.FromDays(days - 1));
            await InsertAsync(b.Biz.Id, "+61400000103", TimeSpan.FromDays(days + 1), "retrying");
        }

        App.AssertScheduledAndTrigger<PurgeOldTexts>(OldTextsCleanup.RecurringJobId);

        foreach (var b in tenants)
        {
            await Eventually.ReturnsAsync(() => CountAsync(b.Biz.Id, "+61400000101"), n => n == 0,
                TimeSpan.FromSeconds(60), $"{b.Biz.Slug}'s text older than {days} days deleted");
            Assert.Equal(1, await CountAsync(b.Biz.Id, "+61400000102"));
            Assert.Equal(1, await CountAsync(b.Biz.Id, "+61400000103"));
        }
    }

    /// <summary>Runs the sweep's handler for one tenant as its job does, with a batch of <paramref name="batch"/> rows.</summary>
    private async Task SweepAsync(Guid tenantId, int batch)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(MessageRetention.BatchSetting, batch.ToString(System.Globalization.CultureInfo.InvariantCulture))]).Build();
        await using var scope = await TenantScope.OpenAsync(App.Services.GetRequiredService<IServiceScopeFactory>(), tenantId, CancellationToken.None);
        var handler = new PurgeOldTextsHandler(scope.ServiceProvider.GetRequiredService<PortalAuthDbContext>(), configuration, TimeProvider.System);
        await handler.Handle(new PurgeOldTexts(), CancellationToken.None);
    }

    [Fact]
    public async Task A_sweep_in_batches_deletes_exactly_the_settled_old_texts_and_only_its_tenants()
    {
        var days = MessageRetention.DefaultDays;
        var b = await App.BookableAsync();
        var other = await App.BookableAsync();
        var statuses = new[] { "sent", "refused", "failed", "sent", "refused" };
        for (var i = 0; i < statuses.Length; i++)
        {
            await InsertAsync(b.Biz.Id, "+61400000201", TimeSpan.FromDays(days + 1 + i), statuses[i]);
        }

        await InsertAsync(b.Biz.Id, "+61400000202", TimeSpan.FromDays(days + 10), "retrying");
        await InsertAsync(b.Biz.Id, "+61400000203", TimeSpan.FromDays(days - 1));
        await InsertAsync(other.Biz.Id, "+61400000201", TimeSpan.FromDays(days + 1));
        await InsertAsync(other.Biz.Id, "+61400000201", TimeSpan.FromDays(days + 2));

        await SweepAsync(b.Biz.Id, batch: 2);

        Assert.Equal(0, await CountAsync(b.Biz.Id, "+61400000201"));
        Assert.Equal(1, await CountAsync(b.Biz.Id, "+61400000202"));
        Assert.Equal(1, await CountAsync(b.Biz.Id, "+61400000203"));
        Assert.Equal(2, await CountAsync(other.Biz.Id, "+61400000201")); // another tenant's sweep is its own
    }

    [Fact]
    public async Task Each_batch_is_committed_before_the_next_so_a_big_backlog_is_not_held_in_one_statement()
    {
        var days = MessageRetention.DefaultDays;
        var b = await App.BookableAsync();
        for (var i = 0; i < 5; i++)
        {
            await InsertAsync(b.Biz.Id, $"+6140000030{i}", TimeSpan.FromDays(days + 5 - i)); // ...304 the youngest
        }

        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        Assert.Equal(1, await held.ExecAsync("SELECT 1 FROM portalauth.texts WHERE tenant_id = @t AND \"to\" = @to FOR UPDATE",
            ("t", b.Biz.Id), ("to", "+61400000304")));

        var sweep = SweepAsync(b.Biz.Id, batch: 2);
        await held.WaitForBlockedAsync(1); // the third batch waits on the held row

        // The first two batches are committed while the third waits: one statement over all five would still hold them.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(0, await CountAsync(b.Biz.Id, $"+6140000030{i}"));
        }

        await held.CommitAsync();
        await sweep;
        Assert.Equal(0, await CountAsync(b.Biz.Id, "+61400000304"));
    }
}
