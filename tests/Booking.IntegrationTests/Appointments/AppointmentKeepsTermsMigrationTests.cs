using System.Net;
using System.Text.Json.Nodes;
using Booking.Appointments.Data;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Decision 270's <c>AppointmentKeepsTerms</c> backfill on a database in use (tenant tables forced under row-level
/// security, migrations run as the owner role the policy binds): appointments made before it, at two businesses with
/// different cancellation policies, each get their own business's policy as it is when the migration runs (hours and
/// what happens inside the window), never the other's, and no price; both tables are forced again.
/// </summary>
public sealed class AppointmentKeepsTermsMigrationTests
{
    private const string Before = "20261206072235_StaffWhoAndStaffNote";

    private static Task Policy(Bookable b, int hours, string insideWindow) => b.Biz.SettingsAsync(s =>
        s["cancellationPolicy"] = new JsonObject { ["hours"] = hours, ["text"] = $"At least {hours} hours' notice.", ["insideWindow"] = insideWindow });

    [Fact]
    public async Task Appointments_made_before_it_get_their_own_business_s_window_and_no_price()
    {
        // Its own database: migrating down and up again leaves what the migrator's isolation step would redo.
        await using var app = new BookingApp(await TestDatabaseServer.CreateDatabaseAsync("keepsterms"));
        var north = await app.BookableAsync();
        var south = await app.BookableAsync();
        await Policy(north, 48, "request");
        await Policy(south, 6, "refuse");
        var nora = await app.RegisterClientAsync(north.Biz, "Nora");
        var sam = await app.RegisterClientAsync(south.Biz, "Sam");
        var norths = new List<Guid>();
        var souths = new List<Guid>();
        foreach (var hour in new[] { 9, 11 })
        {
            norths.Add((await (await nora.BookAsync(north, At(Day(3), hour))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid());
            souths.Add((await (await sam.BookAsync(south, At(Day(3), hour))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid());
        }

        // Down to the migration before: the rows are as they were, with no terms and no price.
        var module = app.Services.GetServices<Booking.BuildingBlocks.Data.IModuleDatabase>().Single(m => m.ContextType == typeof(AppointmentsDbContext));
        await using var appointments = module.Create(app.Services, app.Database.OwnerConnectionString);
        var migrator = appointments.GetInfrastructure().GetRequiredService<IMigrator>();
        await migrator.MigrateAsync(Before);
        var db = app.Database.Database;
        await Sql.AdminExecAsync(db, "alter table appointments.appointments force row level security");
        await Sql.AdminExecAsync(db, "alter table tenancy.portal_settings force row level security");
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(db,
            "select count(*) from information_schema.columns where table_schema = 'appointments' and table_name = 'appointments' and column_name = 'cancellation_hours'"));

        // The south business changes its policy before the upgrade: its clients were last told 12 hours.
        await Policy(south, 12, "refuse");

        await migrator.MigrateAsync();

        async Task<string> StoredAsync(Guid id) => await Sql.AdminScalarAsync<string>(db, """
            select coalesce(cancellation_hours::text, 'null') || ' ' || coalesce(cancellation_inside_window, 'null') || ' '
                   || coalesce(price_amount::text, 'null') || ' ' || coalesce(price_currency, 'null')
              from appointments.appointments where id = @id
            """, ("id", id)) ?? "missing";
        foreach (var id in norths)
        {
            Assert.Equal("48 request null null", await StoredAsync(id));
        }

        foreach (var id in souths)
        {
            Assert.Equal("12 refuse null null", await StoredAsync(id));
        }

        Assert.True(await Sql.AdminScalarAsync<bool>(db, "select relforcerowsecurity from pg_class where oid = 'appointments.appointments'::regclass"));
        Assert.True(await Sql.AdminScalarAsync<bool>(db, "select relforcerowsecurity from pg_class where oid = 'tenancy.portal_settings'::regclass"));
    }
}
