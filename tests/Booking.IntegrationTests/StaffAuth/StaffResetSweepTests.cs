using Booking.IntegrationTests.Infrastructure;
using Booking.Tenancy.Features.StaffPasswordReset;

namespace Booking.IntegrationTests.StaffAuth;

/// <summary>
/// Staff forgot-password requests and reset links are deleted by a recurring sweep over every tenant a day after they
/// stop counting (requests: a day old; links: a day past their expiry or their use), as the portal's; younger rows stay.
/// </summary>
public sealed class StaffResetSweepTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private async Task InsertAsync(Guid tenantId, string marker, TimeSpan age, TimeSpan? usedAfter = null, TimeSpan? lifetime = null)
    {
        var db = App.Database.Database;
        await Sql.AdminExecAsync(db, "INSERT INTO tenancy.staff_password_reset_requests (tenant_id, id, email, ip, at) VALUES (@t, @id, @m, '203.0.113.9', now() - @age)",
            ("t", tenantId), ("id", Guid.NewGuid()), ("m", marker), ("age", age));
        await Sql.AdminExecAsync(db, """
            INSERT INTO tenancy.staff_password_reset_tokens (tenant_id, id, staff_id, token_hash, created_at, expires_at, used_at)
            VALUES (@t, @id, (SELECT id FROM tenancy.staff_members WHERE tenant_id = @t LIMIT 1), decode(md5(@m || gen_random_uuid()::text), 'hex'),
                    now() - @age, now() - @age + @life, CASE WHEN @used THEN now() - @age + @usedAfter END)
            """, ("t", tenantId), ("id", Guid.NewGuid()), ("m", marker), ("age", age), ("life", lifetime ?? TimeSpan.FromMinutes(30)),
            ("used", usedAfter is not null), ("usedAfter", usedAfter ?? TimeSpan.Zero));
    }

    /// <summary>The tenant's rows: requests carrying the marker, and links created that long ago or more (old) or less (young).</summary>
    private async Task<long[]> CountAsync(Guid tenantId, string marker, bool old) => [
        await Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM tenancy.staff_password_reset_requests WHERE tenant_id = @t AND email = @m", ("t", tenantId), ("m", marker)),
        await Sql.AdminScalarAsync<long>(App.Database.Database,
            old ? "SELECT count(*) FROM tenancy.staff_password_reset_tokens WHERE tenant_id = @t AND created_at < now() - interval '2 days'"
                : "SELECT count(*) FROM tenancy.staff_password_reset_tokens WHERE tenant_id = @t AND created_at > now() - interval '2 days'",
            ("t", tenantId))];

    [Fact]
    public async Task The_recurring_sweep_deletes_every_tenants_spent_requests_and_links_and_keeps_younger_ones()
    {
        var tenants = new[] { await App.SignUpBusinessAsync("sweep"), await App.SignUpBusinessAsync("sweep") };
        foreach (var biz in tenants)
        {
            await InsertAsync(biz.Id, "old@example.com", TimeSpan.FromDays(3));
            // Used three days ago though it would live a week: spent by its use.
            await InsertAsync(biz.Id, "old@example.com", TimeSpan.FromDays(3), usedAfter: TimeSpan.FromMinutes(5), lifetime: TimeSpan.FromDays(7));
            await InsertAsync(biz.Id, "young@example.com", TimeSpan.FromHours(20));
        }

        App.AssertScheduledAndTrigger<PurgeSpentStaffResets>(SpentStaffResetsCleanup.RecurringJobId);

        foreach (var biz in tenants)
        {
            await Eventually.ReturnsAsync(async () => (await CountAsync(biz.Id, "old@example.com", old: true)).Sum(), n => n == 0,
                TimeSpan.FromSeconds(60), $"spent staff reset rows of {biz.Slug} deleted");
            Assert.Equal(new long[] { 1, 1 }, await CountAsync(biz.Id, "young@example.com", old: false));
        }
    }
}
