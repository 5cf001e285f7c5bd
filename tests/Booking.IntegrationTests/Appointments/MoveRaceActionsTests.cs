using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Session 40's race audit: a cancel that read an appointment before a move of it committed, and saves after. A move
/// changes the start and diary, not the status, so with only the status (and client) as concurrency tokens the cancel's
/// save went through and its event named the time the appointment had before the move: the client and the diary's
/// contact were told of a cancellation at a time that was no longer the appointment's. The move count is a token too
/// now, so the cancel runs again on the moved appointment. Each test holds a move of the appointment (its row updated as
/// a move updates it) in a transaction of its own while the cancel reads and waits, then commits: the same order every run.
/// </summary>
public sealed class MoveRaceActionsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    /// <summary>The AppointmentCancelled events of the appointment whose start is the appointment's start as it is now.</summary>
    private Task<long> CancelledEventsAtItsTimeAsync(TestBusiness biz, Guid appointmentId) => Sql.AdminScalarAsync<long>(App.Database.Database, """
        select count(*) from appointments.outbox_messages o
        where o.tenant_id = @t and o.type like '%AppointmentCancelled%' and o.payload->>'appointmentId' = @i
          and (o.payload->>'start')::timestamptz = (select a.start_at from appointments.appointments a where a.id = @g)
        """, ("t", biz.Id), ("i", appointmentId.ToString()), ("g", appointmentId));

    private Task<long> CancelledEventsAsync(TestBusiness biz, Guid appointmentId) => Sql.AdminScalarAsync<long>(App.Database.Database,
        "select count(*) from appointments.outbox_messages where tenant_id = @t and type like '%AppointmentCancelled%' and payload->>'appointmentId' = @i",
        ("t", biz.Id), ("i", appointmentId.ToString()));

    [Fact]
    public async Task A_staff_cancel_saved_after_a_move_committed_cancels_the_moved_appointment_and_names_its_new_time()
    {
        var b = await App.BookableAsync();
        var client = await App.RegisterClientAsync(b.Biz, "Mo", "Vedd", withMobile: false);
        var id = (await (await b.Biz.Owner.PostAsJsonAsync(new Uri("/api/v1/admin/appointments", UriKind.Relative),
            new { clientId = client.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(3), 10), note = "" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // A move to 13:00 holds the appointment's row, uncommitted, as BookingDesk.MoveAsync's save does.
        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        Assert.Equal(1, await held.ExecAsync("""
            UPDATE appointments.appointments
            SET start_at = start_at + interval '3 hours', end_at = end_at + interval '3 hours',
                blocked_until = blocked_until + interval '3 hours', move_count = move_count + 1
            WHERE id = @i
            """, ("i", id)));

        // The cancel reads the appointment as it was (10:00) and waits on its row to save.
        var cancel = b.Biz.Owner.PostAsJsonAsync(new Uri($"/api/v1/admin/appointments/{id}/cancel", UriKind.Relative), new { reason = "Closed" });
        await held.WaitForBlockedAsync(1);
        await held.CommitAsync();
        await (await cancel).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("cancelled", await Sql.AdminScalarAsync<string>(App.Database.Database, "select status from appointments.appointments where id = @i", ("i", id)));
        Assert.Equal(1, await Sql.AdminScalarAsync<int>(App.Database.Database, "select move_count from appointments.appointments where id = @i", ("i", id)));
        // One cancellation told, and at the time the appointment had when it was cancelled (13:00), not the 10:00 read.
        Assert.Equal(1, await CancelledEventsAsync(b.Biz, id));
        Assert.Equal(1, await CancelledEventsAtItsTimeAsync(b.Biz, id));
    }
}
