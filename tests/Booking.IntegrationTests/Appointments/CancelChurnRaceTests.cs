using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Decision 342: a client's own cancel takes the client's booking lock (<c>portal-bookings:&lt;client&gt;</c>) in its
/// transaction, with its read of the appointment (the row locked first, then the client: the order a move and a merge
/// take them), before it decides and stamps its time, as a portal booking's limit statement takes it before it counts.
/// Before, a cancel took no lock: it read the appointment, stamped <c>cancelled_at</c> and saved, and a booking whose
/// churn read (decision 329) ran between the stamp and the commit counted 4, so the client was booked after (by the
/// record) their fifth cancellation in 24 hours. The test holds the appointment's row in a transaction of its own (as a
/// staff move or a merge holds it) while the client cancels it, and books meanwhile: the booking goes first (the cancel
/// has not decided yet), and the cancellation is stamped after it, so the record never shows a booking past the limit.
/// </summary>
public sealed class CancelChurnRaceTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task A_booking_made_while_the_clients_fifth_cancel_waits_comes_before_that_cancellation_in_the_record()
    {
        var b = await App.BookableAsync();
        var cara = await App.RegisterClientAsync(b.Biz);
        Guid fifth = default;
        for (var round = 1; round <= 5; round++)
        {
            fifth = (await (await cara.BookAsync(b, At(Day(3), 10), key: $"round-{round}")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
            if (round < 5)
            {
                await (await cara.Http.CancelAsync(b.Biz.Slug, fifth)).JsonAsync(HttpStatusCode.OK);
            }
        }

        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        Assert.Equal(1, await held.ExecAsync("SELECT id FROM appointments.appointments WHERE id = @i FOR UPDATE", ("i", fifth)));
        var cancel = cara.Http.CancelAsync(b.Biz.Slug, fifth);
        await held.WaitForBlockedAsync(1); // the cancel waits on the appointment's row (before: to save, its time stamped)

        var booked = (await (await cara.BookAsync(b, At(Day(4), 14), key: "during-the-cancel")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await held.CommitAsync();
        await (await cancel).JsonAsync(HttpStatusCode.OK);

        // The booking counted 4 cancellations; 4 are recorded before it (before: 5, the fifth stamped before it and unseen).
        Assert.Equal(4L, await Sql.AdminScalarAsync<long>(App.Database.Database, """
            SELECT count(*) FROM appointments.appointments c
            WHERE c.tenant_id = @t AND c.client_id = @c AND c.cancelled_by = 'client'
              AND c.cancelled_at < (SELECT created_at FROM appointments.appointments WHERE id = @b)
            """, ("t", b.Biz.Id), ("c", cara.Id), ("b", booked)));
        // The next booking counts all five.
        Assert.Equal("recent-cancellations", (await (await cara.BookAsync(b, At(Day(4), 16), key: "after")).JsonAsync(HttpStatusCode.Conflict)).GetProperty("reason").GetString());
    }

    /// <summary>
    /// Decision 347: staff accepting a client's cancellation request write a client cancellation (counted by the churn
    /// limit, decision 322) and took no client lock: they read the request, stamped <c>cancelled_at</c> and saved, so a
    /// booking whose limit statement ran between the stamp and the commit counted 4 and was booked after (by the record)
    /// the fifth cancellation. Now the acceptance's read locks the row and then the client's booking lock in one command;
    /// the test holds the row (as a move would) while staff accept, and the client books meanwhile.
    /// </summary>
    [Fact]
    public async Task A_booking_made_while_staff_accept_the_clients_fifth_cancellation_request_comes_before_that_cancellation()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s =>
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Two days' notice, please.", ["insideWindow"] = "request" });
        var cara = await App.RegisterClientAsync(b.Biz);
        for (var round = 1; round <= 4; round++)
        {
            var id = (await (await cara.BookAsync(b, At(Day(5), 9 + round), key: $"round-{round}")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
            await (await cara.Http.CancelAsync(b.Biz.Slug, id)).JsonAsync(HttpStatusCode.OK);
        }

        // The fifth inside the 48-hour window: the client may only ask; staff accepting it is her fifth cancellation.
        var fifth = (await (await cara.BookAsync(b, At(Day(1), 10), key: "inside")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await cara.Http.CancelAsync(b.Biz.Slug, fifth)).JsonAsync(HttpStatusCode.Accepted);

        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        Assert.Equal(1, await held.ExecAsync("SELECT id FROM appointments.appointments WHERE id = @i FOR UPDATE", ("i", fifth)));
        var accept = b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{fifth}/accept?request=cancellation", new { });
        await held.WaitForBlockedAsync(1); // the acceptance waits on the row (before: to save, its time stamped)

        var booked = (await (await cara.BookAsync(b, At(Day(6), 14), key: "during-the-accept")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await held.CommitAsync();
        await (await accept).JsonAsync(HttpStatusCode.OK);

        // The booking counted 4 client cancellations; 4 are recorded before it (before: 5, the fifth stamped before it).
        Assert.Equal(4L, await Sql.AdminScalarAsync<long>(App.Database.Database, """
            SELECT count(*) FROM appointments.appointments c
            WHERE c.tenant_id = @t AND c.client_id = @c AND c.cancelled_by = 'client'
              AND c.cancelled_at < (SELECT created_at FROM appointments.appointments WHERE id = @b)
            """, ("t", b.Biz.Id), ("c", cara.Id), ("b", booked)));
        Assert.Equal("recent-cancellations", (await (await cara.BookAsync(b, At(Day(6), 16), key: "after")).JsonAsync(HttpStatusCode.Conflict)).GetProperty("reason").GetString());
    }
}
