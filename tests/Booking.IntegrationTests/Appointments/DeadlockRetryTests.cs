using System.Net;
using Booking.IntegrationTests.Infrastructure;
using Npgsql;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Overlapping inserts that wait on each other inside the exclusion check deadlock; PostgreSQL aborts one. The
/// aborted booking was not refused by a committed appointment, so it is tried again, and answered by what it then
/// meets (here 409, because the other transaction commits an overlap), never 500. CI once saw that 500 when the
/// retry missed the error because Npgsql's execution strategy wraps it.
/// </summary>
public sealed class DeadlockRetryTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task A_booking_chosen_as_a_deadlock_victim_is_tried_again_and_answers_409_not_500()
    {
        var b = await App.BookableAsync(durationMinutes: 60, bufferMinutes: 0);
        var alice = await App.RegisterClientAsync(b.Biz);
        var bob = await App.RegisterClientAsync(b.Biz, "Bob"); // the other session's rows are his: alice's own would be own-appointment-overlap
        var day = Day(6);
        var admin = new NpgsqlConnectionStringBuilder(await TestDatabaseServer.AdminConnectionStringAsync()) { Database = App.Database.Database }.ConnectionString;
        var deadlocksBefore = await DeadlocksAsync(admin);

        await using var other = await HeldTransaction.BeginAsync(App.Database.Database);
        // This session waits 30 s before it looks for a cycle, the app's sessions 1 s: the booking is the victim.
        await other.ExecAsync("SET LOCAL deadlock_timeout = '30s'");
        await other.InsertAppointmentAsync(b, bob.Id, At(day, 10), At(day, 11));

        var booking = alice.BookAsync(b, At(day, 10, 30)); // 10:30–11:30 waits on the uncommitted 10:00–11:00
        await other.WaitForWaitingAsync(1, "INSERT INTO appointments.appointments");
        await other.InsertAppointmentAsync(b, bob.Id, At(day, 11), At(day, 11, 30)); // waits on the booking's row: a cycle
        await other.CommitAsync();

        var response = await booking;
        Assert.Equal("slot-conflict", await response.KindAsync(HttpStatusCode.Conflict));
        await Eventually.ReturnsAsync(() => DeadlocksAsync(admin), n => n > deadlocksBefore, what: "PostgreSQL to count the deadlock");
        Assert.Equal(2L, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM appointments.appointments WHERE tenant_id = @t", ("t", b.Biz.Id)));
    }

    private static Task<long> DeadlocksAsync(string admin) =>
        Sql.ScalarAsync<long>(admin, "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
}
