using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.IntegrationTests.Infrastructure;
using Booking.Tenancy.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// The tenant setting rides along with a context's first statement instead of a round trip of its own
/// (TenantConnectionInterceptor). These hold the cases where it could go stale: a fresh connection, a rolled-back
/// transaction, a tenant that changes on an open connection, a non-query's row count and a save with no query first;
/// and on a held connection, a transaction disposed without commit or rollback (a rollback EF does not report) and a
/// statement that fails behind the riding-along setting (decision 245).
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

    /// <summary>
    /// The tenant contexts' pool (no reset on return) narrowed to one physical connection, with a name of its own so
    /// no other test's contexts use that connection between this test's.
    /// </summary>
    private string OneConnectionPool(string name) =>
        new NpgsqlConnectionStringBuilder(TenantConnectionInterceptor.PoolFor(App.Database.AppConnectionString))
        {
            MaxPoolSize = 1,
            ApplicationName = $"booking (tenant contexts, {name})",
        }.ConnectionString;

    /// <summary>What the context's statements run as, by the rows RLS lets through (the EF filter set aside).</summary>
    private static Task<List<Guid>> TenantsSeenAsync(Booking.Tenancy.Data.TenancyDbContext db) =>
        db.Staff.IgnoreQueryFilters([TenantFilters.Tenant]).AsNoTracking().Select(s => s.TenantId).Distinct().ToListAsync();

    [Fact]
    public async Task A_transaction_disposed_without_commit_on_a_held_connection_leaves_no_other_tenants_setting()
    {
        var a = await App.SignUpBusinessAsync("disposed-a");
        var b = await App.SignUpBusinessAsync("disposed-b");
        var pool = OneConnectionPool("disposed transaction");

        // A's unit of work ends and its connection goes back to the pool still set for A (the pool does not reset).
        await using (var first = IsolationTests.ContextFor(pool, a.Id))
        {
            Assert.Equal([a.Id], await TenantsSeenAsync(first));
        }

        // B's unit of work holds that connection; its first statement, inside a transaction, sets B.
        await using var db = IsolationTests.ContextFor(pool, b.Id);
        await db.Database.OpenConnectionAsync();
        await using (await db.Database.BeginTransactionAsync())
        {
            Assert.Equal(b.Id.ToString(), await SettingAsync(db));
        }

        // Disposed without Commit or Rollback: Npgsql rolls back, the setting with it (to A's), and EF tells no
        // interceptor. The next statements must still run as B.
        Assert.Equal(b.Id.ToString(), await SettingAsync(db));
        Assert.Equal([b.Id], await TenantsSeenAsync(db));
    }

    [Fact]
    public async Task A_save_that_fails_its_concurrency_check_on_a_held_connection_leaves_no_other_tenants_setting()
    {
        var a = await App.SignUpBusinessAsync("save-fails-a");
        var b = await App.SignUpBusinessAsync("save-fails-b");
        var pool = OneConnectionPool("failed save");
        await using (var first = IsolationTests.ContextFor(pool, a.Id))
        {
            Assert.Equal([a.Id], await TenantsSeenAsync(first));
        }

        await using var db = IsolationTests.ContextFor(pool, b.Id);
        await db.Database.OpenConnectionAsync();
        // Two updates of rows that are not there: EF saves them in a transaction of its own, whose set_config comes
        // first, finds no row updated and throws; disposing its transaction rolls the setting back to A's.
        foreach (var id in new[] { Guid.NewGuid(), Guid.NewGuid() })
        {
            var ghost = new StaffMember { Id = id, TenantId = b.Id, Name = "Ghost", Email = $"{id:N}@example.com", PasswordHash = "x", Role = StaffRoles.Admin };
            db.Staff.Attach(ghost);
            ghost.Name = "Still a ghost";
        }

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();

        Assert.Equal(b.Id.ToString(), await SettingAsync(db));
        Assert.Equal([b.Id], await TenantsSeenAsync(db));
    }

    [Fact]
    public async Task A_statement_that_fails_behind_the_riding_setting_leaves_the_held_connection_usable_and_set()
    {
        var a = await App.SignUpBusinessAsync("fails-behind-a");
        await using var db = IsolationTests.ContextFor(OneConnectionPool("failed statement"), a.Id);
        await db.Database.OpenConnectionAsync();

        // Sent as "SELECT set_config(…); SELECT 1 / 0": the first result is read, the second statement's error comes
        // when the interceptor moves on to it.
        var error = await Assert.ThrowsAsync<PostgresException>(() => db.Database.SqlQuery<int>($"SELECT 1 / 0 AS \"Value\"").ToListAsync());
        Assert.Equal(PostgresErrorCodes.DivisionByZero, error.SqlState);

        // The reader of the failed command is not left open on the connection, and the setting (undone with the
        // failed message's implicit transaction) is made again.
        Assert.Equal(a.Id.ToString(), await SettingAsync(db));
        Assert.Equal([a.Id], await TenantsSeenAsync(db));
        Assert.Equal(a.Id.ToString(), await SettingAsync(db));
    }
}
