using Booking.BuildingBlocks.Jobs;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.PortalAuth.Features.Housekeeping;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Text rows (Tools → Messages) older than the message retention (400 days unless set) are deleted by a daily sweep over
/// every tenant once settled (sent, refused, failed); younger ones, and an old one still retrying, stay.
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
}
