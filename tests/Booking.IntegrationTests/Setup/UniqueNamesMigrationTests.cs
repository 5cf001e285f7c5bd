using Booking.BuildingBlocks.Data;
using Booking.IntegrationTests.Infrastructure;
using Booking.PortalAuth.Data;
using Booking.Services.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// The migrations that add the unique name indexes (<c>UniqueLiveServiceNames</c>, <c>UniquePetNames</c>) meet names
/// saved before them: live services of one business, or pets on file of one client, that share a name in any case keep
/// the oldest as it is and the later ones get " (2)", " (3)", … (a number nobody there has, shortened to fit the
/// column), so the index can be built; retired services and removed pets, and other businesses and clients, keep theirs.
/// Each runs on a database of its own, its rows written as the migrator leaves the table (row security forced).
/// </summary>
public sealed class UniqueNamesMigrationTests
{
    private static readonly string Long120 = new('W', 120);

    private static readonly string Long100 = new('R', 100);

    [Fact]
    public async Task Live_services_sharing_a_name_are_numbered_from_the_second_and_the_index_is_built()
    {
        var database = await TestDatabaseServer.CreateDatabaseAsync("service_names");
        await MigrateAsync<ServicesDbContext>(database.OwnerConnectionString, "PriceMinorUnits");
        Guid tenant = Guid.NewGuid(), other = Guid.NewGuid();
        await Sql.AdminExecAsync(database.Database, """
            ALTER TABLE services.services ENABLE ROW LEVEL SECURITY;
            ALTER TABLE services.services FORCE ROW LEVEL SECURITY;
            INSERT INTO services.services (tenant_id, id, name, description, duration_minutes, buffer_after_minutes, price_amount, bookable_online, retired_at, created_at, updated_at)
            SELECT s.tenant, gen_random_uuid(), s.name, '', 30, 0, 0, false, s.retired, now() - s.age * interval '1 hour', now() - s.age * interval '1 hour'
              FROM (VALUES (@t, 'Wash', 9, now()),  -- retired: its name is free, and it keeps it
                           (@t, 'Wash', 8, NULL),   -- the oldest live one keeps it
                           (@t, 'wash', 7, NULL),
                           (@t, 'WASH', 6, NULL),
                           (@t, 'Wash (2)', 5, NULL), -- a name of its own, which the second "wash" cannot take
                           (@t, @long, 4, NULL),
                           (@t, @long, 3, NULL),
                           (@o, 'Wash', 2, NULL)) AS s(tenant, name, age, retired);
            """, ("t", tenant), ("o", other), ("long", Long120));

        await MigrateAsync<ServicesDbContext>(database.OwnerConnectionString);

        Assert.Equal(
            string.Join('|', "Wash", "Wash", "wash (3)", "WASH (4)", "Wash (2)", Long120, Long120[..116] + " (2)"),
            await Sql.AdminScalarAsync<string>(database.Database, "SELECT string_agg(name, '|' ORDER BY created_at) FROM services.services WHERE tenant_id = @t", ("t", tenant)));
        Assert.Equal("Wash", await Sql.AdminScalarAsync<string>(database.Database, "SELECT name FROM services.services WHERE tenant_id = @o", ("o", other)));
        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(database.Database,
            "SELECT count(*) FROM pg_indexes WHERE schemaname = 'services' AND indexname = @n AND indexdef LIKE '%UNIQUE%lower(%WHERE (retired_at IS NULL)%'",
            ("n", ServicesDbContext.LiveNameIndex)));
        Assert.True(await Sql.AdminScalarAsync<bool>(database.Database, "SELECT relforcerowsecurity FROM pg_class WHERE oid = 'services.services'::regclass"));
    }

    [Fact]
    public async Task A_clients_pets_on_file_sharing_a_name_are_numbered_from_the_second_and_the_index_is_built()
    {
        var database = await TestDatabaseServer.CreateDatabaseAsync("pet_names");
        await MigrateAsync<PortalAuthDbContext>(database.OwnerConnectionString, "ResetLinkSentTo");
        Guid tenant = Guid.NewGuid(), alice = Guid.NewGuid(), bob = Guid.NewGuid();
        await Sql.AdminExecAsync(database.Database, """
            ALTER TABLE portalauth.pets ENABLE ROW LEVEL SECURITY;
            ALTER TABLE portalauth.pets FORCE ROW LEVEL SECURITY;
            INSERT INTO portalauth.clients (tenant_id, id, first_name, last_name, mobile_verified, status, awaiting_first_request, created_at)
            VALUES (@t, @a, 'Alice', 'Client', false, 'active', false, now()), (@t, @b, 'Bob', 'Client', false, 'active', false, now());
            INSERT INTO portalauth.pets (tenant_id, id, client_id, name, species, removed_at)
            SELECT @t, ('00000000-0000-7000-8000-' || lpad(p.n::text, 12, '0'))::uuid, p.client, p.name, 'dog', p.removed
              FROM (VALUES (1, @a, 'Rex', now()),  -- removed: keeps its name
                           (2, @a, 'Rex', NULL),   -- the first on file (pet ids are time-ordered) keeps it
                           (3, @a, 'REX', NULL),
                           (4, @a, 'rex', NULL),   -- (2) is taken by then, (3) is another pet's
                           (5, @a, 'Rex (3)', NULL),
                           (6, @a, @long, NULL),
                           (7, @a, @long, NULL),
                           (8, @b, 'Rex', NULL)) AS p(n, client, name, removed);
            """, ("t", tenant), ("a", alice), ("b", bob), ("long", Long100));

        await MigrateAsync<PortalAuthDbContext>(database.OwnerConnectionString);

        Assert.Equal(
            string.Join('|', "Rex", "Rex", "REX (2)", "rex (4)", "Rex (3)", Long100, Long100[..96] + " (2)"),
            await Sql.AdminScalarAsync<string>(database.Database, "SELECT string_agg(name, '|' ORDER BY id) FROM portalauth.pets WHERE client_id = @a", ("a", alice)));
        Assert.Equal("Rex", await Sql.AdminScalarAsync<string>(database.Database, "SELECT name FROM portalauth.pets WHERE client_id = @b", ("b", bob)));
        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(database.Database,
            "SELECT count(*) FROM pg_indexes WHERE schemaname = 'portalauth' AND indexname = @n AND indexdef LIKE '%UNIQUE%lower(%WHERE (removed_at IS NULL)%'",
            ("n", PortalAuthDbContext.PetNameIndex)));
        Assert.True(await Sql.AdminScalarAsync<bool>(database.Database, "SELECT relforcerowsecurity FROM pg_class WHERE oid = 'portalauth.pets'::regclass"));
    }

    private static async Task MigrateAsync<TContext>(string ownerConnectionString, string? target = null)
        where TContext : DbContext
    {
        await using var db = ModuleDb.Create<TContext>(new ServiceCollection().BuildServiceProvider(), ownerConnectionString);
        await db.GetService<IMigrator>().MigrateAsync(target);
    }
}
