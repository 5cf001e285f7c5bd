using Booking.IntegrationTests.Infrastructure;
using Booking.Tenancy.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.StaffAuth;

/// <summary>
/// Decision 236's migration on a database already in use: the tenant tables are forced under row-level security by
/// then (the migrator applies it after each module's migrations), and migrations run as the owner role, which the policy
/// binds. The move of a waiting email change's link must still see the rows: it lifts the policy around its statements
/// and forces it again after (as MobileTrust does). Before that, it moved and deleted nothing, and the link was lost.
/// </summary>
public sealed class StaffEmailLinkMigrationTests
{
    [Fact]
    public async Task On_a_database_in_use_a_waiting_email_change_moves_to_the_email_links_and_the_tables_are_forced_again()
    {
        // Its own database: migrating down and up again leaves what the migrator's isolation step would redo.
        await using var app = new BookingApp(await TestDatabaseServer.CreateDatabaseAsync("staffemailmove"));
        var biz = await app.SignUpBusinessAsync("move");
        var db = app.Database.Database;
        var staffId = await Sql.AdminScalarAsync<Guid>(db, "select id from tenancy.staff_members where tenant_id = @t", ("t", biz.Id));

        var module = app.Services.GetServices<Booking.BuildingBlocks.Data.IModuleDatabase>().Single(m => m.ContextType == typeof(TenancyDbContext));
        await using var tenancy = module.Create(app.Services, app.Database.OwnerConnectionString);
        var migrator = tenancy.GetInfrastructure().GetRequiredService<IMigrator>();
        await migrator.MigrateAsync("20261205120000_StaffEmailConfirmations");

        // A change of sign-in email waiting for its link, kept the old way (in the reset links, sent to the new address),
        // and a reset link to the person's own address, which stays where it is.
        var change = Guid.NewGuid();
        var reset = Guid.NewGuid();
        await Sql.AdminExecAsync(db, """
            insert into tenancy.staff_password_reset_tokens (tenant_id, id, staff_id, token_hash, created_at, expires_at, used_at, sent_to)
            values (@t, @change, @s, '\x01'::bytea, now(), now() + interval '1 hour', null, 'moved-here@example.com'),
                   (@t, @reset, @s, '\x02'::bytea, now(), now() + interval '1 hour', null, @own)
            """, ("t", biz.Id), ("change", change), ("reset", reset), ("s", staffId), ("own", biz.OwnerEmail));
        // In use: forced, as the migrator leaves every tenant table.
        await Sql.AdminExecAsync(db, """
            alter table tenancy.staff_password_reset_tokens force row level security;
            alter table tenancy.staff_email_confirmations force row level security;
            alter table tenancy.staff_members force row level security;
            """);

        await migrator.MigrateAsync();

        Assert.Equal("moved-here@example.com",
            await Sql.AdminScalarAsync<string>(db, "select sent_to from tenancy.staff_email_confirmations where id = @id", ("id", change)));
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(db, "select count(*) from tenancy.staff_password_reset_tokens where id = @id", ("id", change)));
        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(db, "select count(*) from tenancy.staff_password_reset_tokens where id = @id", ("id", reset)));
        // Forced again: the owner role sees no tenant's rows without a tenant set.
        foreach (var table in new[] { "staff_password_reset_tokens", "staff_email_confirmations", "staff_members" })
        {
            Assert.True(await Sql.AdminScalarAsync<bool>(db, "select relforcerowsecurity from pg_class where oid = ('tenancy.' || @n)::regclass", ("n", table)), table);
        }
    }
}
