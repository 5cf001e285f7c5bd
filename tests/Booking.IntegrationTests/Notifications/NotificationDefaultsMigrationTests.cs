using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.Notifications.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Decision 352's migration <c>NotificationDefaultsForNewBusinesses</c> on a database in use (the settings table forced
/// under row-level security, migrations run as the owner role the policy binds): a business there before it that never
/// saved its notification choices gets an explicit all-off row, so it does not start getting booking emails it did not
/// choose; a business that saved its own keeps them; a business signed up after it has the new-business defaults (no row,
/// both diary-contact emails on). The table is forced again.
/// </summary>
public sealed class NotificationDefaultsMigrationTests
{
    private const string Before = "20261207070000_UniqueTemplateNamesInAnyCase";

    private static async Task<(bool OnNew, bool OnCancelled)> SwitchesAsync(TestBusiness biz)
    {
        var json = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/notification-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        return (json.GetProperty("notifyDiaryContactOnNew").GetProperty("enabled").GetBoolean(),
            json.GetProperty("notifyDiaryContactOnCancelled").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task A_business_that_never_saved_its_choices_is_written_all_off_one_that_saved_keeps_them_and_a_later_one_has_the_defaults()
    {
        // Its own database: migrating down and up again leaves what the migrator's isolation step would redo.
        await using var app = new BookingApp(await TestDatabaseServer.CreateDatabaseAsync("notifydefaults"));
        var module = app.Services.GetServices<Booking.BuildingBlocks.Data.IModuleDatabase>().Single(m => m.ContextType == typeof(NotificationsDbContext));
        await using var notifications = module.Create(app.Services, app.Database.OwnerConnectionString);
        var migrator = notifications.GetInfrastructure().GetRequiredService<IMigrator>();
        var db = app.Database.Database;

        // Down to the migration before (its Down writes nothing): businesses signed up then, one never saving, one
        // saving new bookings on and cancellations off.
        await migrator.MigrateAsync(Before);
        await Sql.AdminExecAsync(db, "alter table notifications.notification_settings force row level security");
        var quiet = await app.SignUpBusinessAsync("quiet");
        var chose = await app.SignUpBusinessAsync("chose");
        var response = await chose.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = true,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Task<long> RowsAsync(TestBusiness biz) =>
            Sql.AdminScalarAsync<long>(db, "select count(*) from notifications.notification_settings where tenant_id = @t", ("t", biz.Id));
        Assert.Equal(0L, await RowsAsync(quiet));
        Assert.Equal((true, true), await SwitchesAsync(quiet)); // what the defaults would have given it

        await migrator.MigrateAsync();

        Assert.Equal(1L, await RowsAsync(quiet));
        Assert.Equal("f f null null null {} f", await Sql.AdminScalarAsync<string>(db, """
            select concat_ws(' ', notify_on_new_enabled::text::char, notify_on_cancelled_enabled::text::char,
                   coalesce(notify_on_new_template_id::text, 'null'), coalesce(notify_on_cancelled_template_id::text, 'null'),
                   coalesce(extra_addresses_template_id::text, 'null'), extra_addresses::text, include_staff_changes::text::char)
              from notifications.notification_settings where tenant_id = @t
            """, ("t", quiet.Id)));
        Assert.Equal((false, false), await SwitchesAsync(quiet));
        Assert.Equal((true, false), await SwitchesAsync(chose));
        Assert.True(await Sql.AdminScalarAsync<bool>(db, "select include_staff_changes from notifications.notification_settings where tenant_id = @t", ("t", chose.Id)));

        // Signed up after it: no row, the defaults.
        var later = await app.SignUpBusinessAsync("later");
        Assert.Equal(0L, await RowsAsync(later));
        Assert.Equal((true, true), await SwitchesAsync(later));
        Assert.True(await Sql.AdminScalarAsync<bool>(db, "select relforcerowsecurity from pg_class where oid = 'notifications.notification_settings'::regclass"));
    }
}
