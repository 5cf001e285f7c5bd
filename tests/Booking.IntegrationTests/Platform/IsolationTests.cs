using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.IntegrationTests.Infrastructure;
using Booking.Tenancy.Data;
using Booking.Tenancy.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Booking.IntegrationTests.Platform;

/// <summary>The two walls, proven as the app's own database role: the EF tenant filter and PostgreSQL row-level security.</summary>
public sealed class IsolationTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private string AppRole => App.Database.AppConnectionString;

    [Fact]
    public async Task With_no_tenant_set_the_app_role_sees_no_rows()
    {
        await App.SignUpBusinessAsync("none");
        Assert.Equal(0L, await Sql.ScalarAsync<long>(AppRole, "SELECT count(*) FROM tenancy.staff_members"));
        Assert.True(await Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM tenancy.staff_members") > 0);
    }

    [Fact]
    public async Task With_tenant_A_set_no_row_of_B_is_visible()
    {
        var a = await App.SignUpBusinessAsync("rls-a");
        var b = await App.SignUpBusinessAsync("rls-b");
        await using var connection = await OpenAsAsync(a.Id);

        await using var command = new NpgsqlCommand("SELECT tenant_id FROM tenancy.staff_members", connection);
        var seen = new List<Guid>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                seen.Add(reader.GetGuid(0));
            }
        }

        Assert.NotEmpty(seen);
        Assert.All(seen, t => Assert.Equal(a.Id, t));
        Assert.DoesNotContain(b.Id, seen);
    }

    [Fact]
    public async Task Inserting_a_row_for_B_while_A_is_set_is_rejected_by_the_database()
    {
        var a = await App.SignUpBusinessAsync("ins-a");
        var b = await App.SignUpBusinessAsync("ins-b");
        await using var connection = await OpenAsAsync(a.Id);
        await using var command = new NpgsqlCommand("""
            INSERT INTO tenancy.staff_members (tenant_id, id, name, email, password_hash, role, created_at)
            VALUES (@b, @id, 'Mallory', 'mallory@example.com', 'x', 'owner', now())
            """, connection);
        command.Parameters.AddWithValue("b", b.Id);
        command.Parameters.AddWithValue("id", Guid.NewGuid());

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState); // "new row violates row-level security policy"
    }

    [Fact]
    public async Task Alternating_tenants_a_thousand_times_over_one_pooled_connection_never_shows_a_foreign_row()
    {
        var a = await App.SignUpBusinessAsync("alt-a");
        var b = await App.SignUpBusinessAsync("alt-b");
        var pooled = new NpgsqlConnectionStringBuilder(App.Database.AppConnectionString) { MaxPoolSize = 1, Pooling = true }.ConnectionString;
        var foreign = 0;
        var empty = 0;
        for (var i = 0; i < 1000; i++)
        {
            var tenant = i % 2 == 0 ? a : b;
            await using var db = ContextFor(pooled, tenant.Id);
            var owners = await db.Staff.AsNoTracking().Select(s => s.TenantId).ToListAsync();
            foreign += owners.Count(t => t != tenant.Id);
            empty += owners.Count == 0 ? 1 : 0;
        }

        Assert.Equal(0, foreign);
        Assert.Equal(0, empty);
    }

    [Fact]
    public async Task On_the_tenant_contexts_pool_which_does_not_reset_a_connection_the_next_user_never_inherits_a_tenant()
    {
        var a = await App.SignUpBusinessAsync("keep-a");
        var b = await App.SignUpBusinessAsync("keep-b");
        // The pool the app's tenant-aware contexts use (no reset on return), narrowed to one physical connection.
        var pool = new NpgsqlConnectionStringBuilder(TenantConnectionInterceptor.PoolFor(App.Database.AppConnectionString)) { MaxPoolSize = 1 }.ConnectionString;
        int? backend = null;
        async Task<List<Guid>> SeenAsync(Guid? tenantId)
        {
            await using var db = ContextFor(pool, tenantId);
            await db.Database.OpenConnectionAsync();
            var pid = ((NpgsqlConnection)db.Database.GetDbConnection()).ProcessID;
            Assert.Equal(backend ??= pid, pid); // the same server session every time
            return await db.Staff.AsNoTracking().Select(s => s.TenantId).ToListAsync();
        }

        // A context that lives across other users of its connection (it reopens one B has just used).
        await using var longLived = ContextFor(pool, a.Id);
        for (var i = 0; i < 50; i++)
        {
            var afterA = await SeenAsync(a.Id);
            Assert.NotEmpty(afterA);
            Assert.All(afterA, t => Assert.Equal(a.Id, t));
            Assert.Empty(await SeenAsync(null)); // no tenant after A: nothing, not A's rows
            var afterB = await SeenAsync(b.Id);
            Assert.NotEmpty(afterB);
            Assert.All(afterB, t => Assert.Equal(b.Id, t));
            var again = await longLived.Staff.AsNoTracking().Select(s => s.TenantId).ToListAsync();
            Assert.NotEmpty(again);
            Assert.All(again, t => Assert.Equal(a.Id, t));
        }

        // What makes the above worth checking: the session does keep the last setting, for anyone using it raw.
        await using (var db = ContextFor(pool, a.Id))
        {
            Assert.NotEmpty(await db.Staff.AsNoTracking().ToListAsync());
        }

        // A context built the same way but without the interceptor rents from the same (EF-built) data source.
        var builder = new DbContextOptionsBuilder<TenancyDbContext>();
        ModuleDb.Configure(builder, pool, TenancyDbContext.SchemaName);
        await using var bare = new TenancyDbContext(builder.Options);
        await bare.Database.OpenConnectionAsync();
        var raw = (NpgsqlConnection)bare.Database.GetDbConnection();
        Assert.Equal(backend, raw.ProcessID);
        await using var command = new NpgsqlCommand("SELECT current_setting('app.tenant_id', true)", raw);
        Assert.Equal(a.Id.ToString(), await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_EF_filter_hides_other_tenants_even_without_the_database_wall()
    {
        var a = await App.SignUpBusinessAsync("ef-a");
        var b = await App.SignUpBusinessAsync("ef-b");
        // As the superuser row-level security does not apply: only the named query filter stands between the tenants.
        var admin = new NpgsqlConnectionStringBuilder(await TestDatabaseServer.AdminConnectionStringAsync()) { Database = App.Database.Database }.ConnectionString;
        await using var db = ContextFor(admin, a.Id);

        var owners = await db.Staff.AsNoTracking().Select(s => s.TenantId).Distinct().ToListAsync();
        var unfiltered = await db.Staff.IgnoreQueryFilters([TenantFilters.Tenant]).AsNoTracking().Select(s => s.TenantId).Distinct().ToListAsync();

        Assert.Equal([a.Id], owners);
        Assert.Contains(b.Id, unfiltered);
    }

    [Fact]
    public async Task SaveChanges_stamps_the_tenant_and_refuses_a_row_of_another_tenant_or_no_tenant()
    {
        var a = await App.SignUpBusinessAsync("save-a");
        var b = await App.SignUpBusinessAsync("save-b");

        await using (var db = ContextFor(App.Database.AppConnectionString, a.Id))
        {
            db.Staff.Add(new StaffMember { Id = Guid.NewGuid(), TenantId = b.Id, Name = "Eve", Email = "eve@example.com", PasswordHash = "x", Role = StaffRoles.Admin });
            await Assert.ThrowsAsync<CrossTenantWriteException>(() => db.SaveChangesAsync());
        }

        await using (var db = ContextFor(App.Database.AppConnectionString, null))
        {
            db.Staff.Add(new StaffMember { Id = Guid.NewGuid(), Name = "Nobody", Email = "n@example.com", PasswordHash = "x", Role = StaffRoles.Admin });
            await Assert.ThrowsAsync<CrossTenantWriteException>(() => db.SaveChangesAsync());
        }

        var id = Guid.NewGuid();
        await using (var db = ContextFor(App.Database.AppConnectionString, a.Id))
        {
            db.Staff.Add(new StaffMember { Id = id, Name = "Adam", Email = $"adam-{id:N}@example.com", PasswordHash = "x", Role = StaffRoles.Admin, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        Assert.Equal(a.Id, await Sql.AdminScalarAsync<Guid>(App.Database.Database, "SELECT tenant_id FROM tenancy.staff_members WHERE id = @id", ("id", id)));
    }

    [Fact]
    public async Task Every_table_with_a_tenant_id_forces_row_level_security_and_the_app_role_owns_nothing()
    {
        var unprotected = await Sql.AdminScalarAsync<long>(App.Database.Database, """
            SELECT count(*) FROM information_schema.columns col
            JOIN pg_class c ON c.relname = col.table_name
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = col.table_schema
            WHERE col.column_name = 'tenant_id' AND c.relkind = 'r'
              AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
            """);
        var protectedTables = await Sql.AdminScalarAsync<long>(App.Database.Database, """
            SELECT count(*) FROM pg_class c WHERE c.relkind = 'r' AND c.relforcerowsecurity
            """);
        var role = App.Database.AppRole;
        var owned = await Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM pg_tables WHERE tableowner = @r", ("r", role));
        var privileged = await Sql.AdminScalarAsync<bool>(App.Database.Database, "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = @r", ("r", role));

        Assert.Equal(0L, unprotected);
        Assert.True(protectedTables >= 7, $"only {protectedTables} tables force RLS");
        Assert.Equal(0L, owned);
        Assert.False(privileged);
    }

    private async Task<NpgsqlConnection> OpenAsAsync(Guid tenantId)
    {
        var connection = new NpgsqlConnection(App.Database.AppConnectionString);
        await connection.OpenAsync();
        await using var set = TenantConnectionInterceptor.SetTenantCommand(connection, tenantId);
        await set.ExecuteNonQueryAsync();
        return connection;
    }

    internal static TenancyDbContext ContextFor(string connectionString, Guid? tenantId, TenantContext? tenant = null)
    {
        tenant ??= new TenantContext();
        if (tenantId is { } id)
        {
            tenant.Set(new TenantInfo(id, "t", "t", "UTC", "AU", "AUD", true));
        }

        var builder = new DbContextOptionsBuilder<TenancyDbContext>();
        ModuleDb.Configure(builder, connectionString, TenancyDbContext.SchemaName).AddInterceptors(TenantConnectionInterceptor.Instance);
        var context = new TenancyDbContext(builder.Options);
        context.UseTenant(tenant);
        return context;
    }
}
