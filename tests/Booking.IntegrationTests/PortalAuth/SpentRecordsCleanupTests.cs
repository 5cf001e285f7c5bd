using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.PortalAuth.Features.Housekeeping;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// The counted sends (code sends, forgot-password requests), phone sign-in attempts and expired reset links are
/// deleted a day after they stop counting, by a recurring sweep over every tenant; younger rows stay.
/// </summary>
public sealed class SpentRecordsCleanupTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static readonly string[] Tables = ["code_sends", "password_reset_requests", "sign_in_attempts", "password_reset_tokens"];

    private async Task InsertAsync(Guid tenantId, Guid clientId, string marker, TimeSpan age)
    {
        var db = App.Database.Database;
        await Sql.AdminExecAsync(db, "INSERT INTO portalauth.code_sends (tenant_id, id, mobile, ip, at) VALUES (@t, @id, @m, '203.0.113.9', now() - @age)",
            ("t", tenantId), ("id", Guid.NewGuid()), ("m", marker), ("age", age));
        await Sql.AdminExecAsync(db, "INSERT INTO portalauth.password_reset_requests (tenant_id, id, email, ip, at) VALUES (@t, @id, @m, '203.0.113.9', now() - @age)",
            ("t", tenantId), ("id", Guid.NewGuid()), ("m", marker), ("age", age));
        await Sql.AdminExecAsync(db, """
            INSERT INTO portalauth.sign_in_attempts (tenant_id, id, mobile, code_hash, created_at, code_sent_at, code_expires_at, wrong_codes)
            VALUES (@t, @id, @m, '\x00', now() - @age, now() - @age, now() - @age + interval '10 minutes', 0)
            """, ("t", tenantId), ("id", Guid.NewGuid()), ("m", marker), ("age", age));
        await Sql.AdminExecAsync(db, """
            INSERT INTO portalauth.password_reset_tokens (tenant_id, id, client_id, token_hash, created_at, expires_at)
            VALUES (@t, @id, @c, decode(md5(@m || gen_random_uuid()::text), 'hex'), now() - @age, now() - @age + interval '30 minutes')
            """, ("t", tenantId), ("id", Guid.NewGuid()), ("c", clientId), ("m", marker), ("age", age));
    }

    /// <summary>Rows of the tenant carrying the marker (mobile or email; reset tokens by their age).</summary>
    private async Task<long[]> CountAsync(Guid tenantId, string marker, bool old) => [
        await Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM portalauth.code_sends WHERE tenant_id = @t AND mobile = @m", ("t", tenantId), ("m", marker)),
        await Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM portalauth.password_reset_requests WHERE tenant_id = @t AND email = @m", ("t", tenantId), ("m", marker)),
        await Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM portalauth.sign_in_attempts WHERE tenant_id = @t AND mobile = @m", ("t", tenantId), ("m", marker)),
        await Sql.AdminScalarAsync<long>(App.Database.Database,
            old ? "SELECT count(*) FROM portalauth.password_reset_tokens WHERE tenant_id = @t AND created_at < now() - interval '2 days'"
                : "SELECT count(*) FROM portalauth.password_reset_tokens WHERE tenant_id = @t AND created_at > now() - interval '2 days'",
            ("t", tenantId))];

    [Fact]
    public async Task The_recurring_sweep_deletes_every_tenants_spent_records_and_keeps_younger_ones()
    {
        var tenants = new[] { await App.BookableAsync(), await App.BookableAsync() };
        foreach (var b in tenants)
        {
            var client = await App.RegisterClientAsync(b.Biz);
            await InsertAsync(b.Biz.Id, client.Id, "+61400000001", TimeSpan.FromDays(3));
            await InsertAsync(b.Biz.Id, client.Id, "+61400000002", TimeSpan.FromHours(20));
        }

        App.AssertScheduledAndTrigger<PurgeSpentSignInRecords>(SpentRecordsCleanup.RecurringJobId);

        foreach (var b in tenants)
        {
            await Eventually.ReturnsAsync(async () => (await CountAsync(b.Biz.Id, "+61400000001", old: true)).Sum(), n => n == 0,
                TimeSpan.FromSeconds(60), $"spent records of {b.Biz.Slug} deleted ({string.Join(", ", Tables)})");
            var kept = await CountAsync(b.Biz.Id, "+61400000002", old: false);
            Assert.Equal(new long[] { 1, 1, 1, 1 }, kept);
        }
    }
}
