using Booking.BuildingBlocks.Tenancy;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// The tenant setting rides along with a context's first statement instead of a round trip of its own
/// (TenantConnectionInterceptor). These hold the cases where it could go stale: a fresh connection, a rolled-back
/// transaction, a tenant that changes on an open connection, a non-query's row count and a save with no query first.
/// </summary>
public sealed class TenantSettingTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static async Task<string> SettingAsync(DbContext db) =>
        (await db.Database.SqlQuery<string>($"SELECT coalesce(current_setting('app.tenant_id', true), '') AS \"Value\"").ToListAsync()).Single();

    [Fact]
    public async Task The_first_query_on_a_fresh_connection_runs_as_the_contexts_tenant()
    {
        var a = await App.SignUpBusinessAsync("ride-a");
        await using var db = IsolationTests.ContextFor(App.Database.AppConnectionString, a.Id);
        await db.Database.OpenConnectionAsync();

        Assert.Equal(a.Id.ToString(), await SettingAsync(db));
        var staff = await db.Staff.AsNoTracking().Select(s => s.TenantId).ToListAsync();
        Assert.NotEmpty(staff);
        Assert.All(staff, t => Assert.Equal(a.Id, t));
    }

    [Fact]
    public async Task A_rolled_back_transaction_does_not_leave_the_open_connection_without_its_tenant()
    {
        var a = await App.SignUpBusinessAsync("rollback-a");
        await using var db = IsolationTests.ContextFor(App.Database.AppConnectionString, a.Id);
        await db.Database.OpenConnectionAsync();

        // The setting is made inside the transaction, so the rollback undoes it on the server.
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            Assert.Equal(a.Id.ToString(), await SettingAsync(db));
            await transaction.RollbackAsync();
        }

        Assert.Equal(a.Id.ToString(), await SettingAsync(db));
        Assert.NotEmpty(await db.Staff.AsNoTracking().ToListAsync());
    }

    [Fact]
    public async Task A_tenant_set_after_the_connection_opened_becomes_the_setting()
    {
        // Sign-up's shape: the unit of work starts with no tenant and gets one once the business exists.
        var a = await App.SignUpBusinessAsync("late-a");
        var tenant = new TenantContext();
        await using var db = IsolationTests.ContextFor(App.Database.AppConnectionString, tenantId: null, tenant);
        await db.Database.OpenConnectionAsync();
        Assert.Equal("", await SettingAsync(db));
        Assert.Empty(await db.Staff.AsNoTracking().ToListAsync());

        tenant.Set(new TenantInfo(a.Id, "a", "a", "UTC", "AU", "AUD", true));

        Assert.Equal(a.Id.ToString(), await SettingAsync(db));
        var staff = await db.Staff.AsNoTracking().Select(s => s.TenantId).ToListAsync();
        Assert.NotEmpty(staff);
        Assert.All(staff, t => Assert.Equal(a.Id, t));
    }

    [Fact]
    public async Task A_non_query_that_carries_the_setting_reports_only_its_own_rows()
    {
        var a = await App.SignUpBusinessAsync("count-a");
        await App.SignUpBusinessAsync("count-b");
        await using var db = IsolationTests.ContextFor(App.Database.AppConnectionString, a.Id);
        var expected = await Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM tenancy.staff_members WHERE tenant_id = @t", ("t", a.Id));

        var updated = await db.Database.ExecuteSqlAsync($"UPDATE tenancy.staff_members SET name = name || ' (checked)'");

        Assert.True(expected > 0);
        Assert.Equal(expected, updated);
        var renamedElsewhere = await Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM tenancy.staff_members WHERE tenant_id <> @t AND name LIKE '% (checked)'", ("t", a.Id));
        Assert.Equal(0L, renamedElsewhere);
    }

    [Fact]
    public async Task A_save_on_a_connection_that_ran_no_query_sets_the_tenant_first()
    {
        var a = await App.SignUpBusinessAsync("save-a");
        await using var db = IsolationTests.ContextFor(App.Database.AppConnectionString, a.Id);
        var owner = await db.Staff.FirstAsync(); // its own connection, closed again after the query
        owner.Name = "Renamed Owner";

        await db.SaveChangesAsync(); // a fresh connection: without the setting RLS would hide the row (0 rows → concurrency error)

        Assert.Equal("Renamed Owner", await Sql.AdminScalarAsync<string>(App.Database.Database,
            "SELECT name FROM tenancy.staff_members WHERE id = @id", ("id", owner.Id)));
    }
}
