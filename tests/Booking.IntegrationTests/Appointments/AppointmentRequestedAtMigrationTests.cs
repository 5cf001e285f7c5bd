using System.Net;
using System.Net.Http.Json;
using Booking.Appointments.Data;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Decision 245's migration on a database in use (tenant tables forced under row-level security, migrations run as the
/// owner role the policy binds): appointments filed as booking requests before it get their <c>requested_at</c>, an
/// accepted one too (its BookingRequested event in the outbox tells it from a direct booking), and the table is forced
/// again. A portal booking made directly and one staff made stay null, and a decision then answers each as it should.
/// </summary>
public sealed class AppointmentRequestedAtMigrationTests
{
    [Fact]
    public async Task On_a_database_in_use_requests_of_every_fate_get_requested_at_and_direct_bookings_do_not()
    {
        // Its own database: migrating down and up again leaves what the migrator's isolation step would redo.
        await using var app = new BookingApp(await TestDatabaseServer.CreateDatabaseAsync("requestedat"));
        var b = await app.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var cara = await app.RegisterClientAsync(b.Biz, "Cara", "Upgrade");

        async Task<Guid> RequestAsync(string start)
        {
            var requested = await (await cara.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created);
            Assert.Equal("requested", requested.GetProperty("status").GetString());
            return requested.GetProperty("id").GetGuid();
        }

        Task<HttpResponseMessage> DecideAsync(Guid id, string verb) =>
            b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{id}/{verb}?request=booking", new { reason = (string?)null });

        var accepted = await RequestAsync(At(Day(2), 9));
        await (await DecideAsync(accepted, "accept")).JsonAsync(HttpStatusCode.OK);
        var declined = await RequestAsync(At(Day(2), 11));
        await (await DecideAsync(declined, "decline")).JsonAsync(HttpStatusCode.OK);
        var waiting = await RequestAsync(At(Day(2), 13));
        await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/clients/{cara.Id}/approve", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        var direct = (await (await cara.BookAsync(b, At(Day(3), 9))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var staff = (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = cara.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(3), 11) })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var module = app.Services.GetServices<Booking.BuildingBlocks.Data.IModuleDatabase>().Single(m => m.ContextType == typeof(AppointmentsDbContext));
        await using var appointments = module.Create(app.Services, app.Database.OwnerConnectionString);
        var migrator = appointments.GetInfrastructure().GetRequiredService<IMigrator>();
        await migrator.MigrateAsync("20261205113000_CancellationRequestWithdrawals");
        var db = app.Database.Database;
        await Sql.AdminExecAsync(db, "alter table appointments.appointments force row level security");

        await migrator.MigrateAsync();

        async Task<string> StoredAsync(Guid id) => await Sql.AdminScalarAsync<string>(db, """
            select case when requested_at is null then 'none' when requested_at = created_at then 'when made' else 'other' end
              from appointments.appointments where id = @id
            """, ("id", id)) ?? "missing";
        Assert.Equal("when made", await StoredAsync(accepted));
        Assert.Equal("when made", await StoredAsync(declined));
        Assert.Equal("when made", await StoredAsync(waiting));
        Assert.Equal("none", await StoredAsync(direct));
        Assert.Equal("none", await StoredAsync(staff));
        Assert.True(await Sql.AdminScalarAsync<bool>(db, "select relforcerowsecurity from pg_class where oid = 'appointments.appointments'::regclass"));

        var never = await (await DecideAsync(direct, "accept")).JsonAsync(HttpStatusCode.NotFound);
        Assert.Equal("No open request with this id.", never.GetProperty("detail").GetString());
        var already = await (await DecideAsync(accepted, "accept")).JsonAsync(HttpStatusCode.NotFound);
        Assert.Equal("Cara Upgrade's booking request was already confirmed.", already.GetProperty("detail").GetString());
    }
}
