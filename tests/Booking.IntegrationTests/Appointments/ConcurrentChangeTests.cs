using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Two changes of one appointment at the same moment (a double click, a client and a staff member): each reads the
/// appointment, decides, and saves. The second save must not overwrite the first as if it had not happened: no
/// second cancellation (and so no second email), no cancelled appointment brought back as "cancellation requested",
/// no request both accepted and declined. Each test makes the overlap certain: an open transaction locks the row,
/// the requests read it and queue behind the lock in a known order, then the lock is let go.
/// </summary>
public sealed class ConcurrentChangeTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task Two_cancels_of_one_appointment_at_once_cancel_it_once()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var id = (await (await alice.BookAsync(b, At(Day(5), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        HttpResponseMessage[] answers;
        await using (var row = await LockAsync(id))
        {
            // A client's cancel waits in its read, which locks the row before the client's booking lock (decision 342).
            answers = await row.QueueThenCommitAsync(ClientCancelRead,
                () => alice.Http.CancelAsync(b.Biz.Slug, id, "Away"),
                () => alice.Http.CancelAsync(b.Biz.Slug, id, "Away"));
        }

        foreach (var answer in answers)
        {
            Assert.Equal("cancelled", (await answer.JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        }

        Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentCancelled"));
    }

    [Fact]
    public async Task A_clients_late_cancellation_request_does_not_undo_a_staff_cancel_made_at_the_same_moment()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Two days' notice.", ["insideWindow"] = "request" });
        var id = (await (await alice.BookAsync(b, At(Day(1), 12))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        HttpResponseMessage[] answers;
        await using (var row = await LockAsync(id))
        {
            // The staff cancel waits in its save; the client's, sent after it, in its locking read (decision 342).
            var staffSent = b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{id}/cancel", new { reason = "Diary change" });
            await row.WaitForWaitingAsync(1, Save);
            var clientSent = alice.Http.CancelAsync(b.Biz.Slug, id, "Sick"); // inside the window: would file a request
            await row.WaitForWaitingAsync(1, ClientCancelRead);
            await row.CommitAsync();
            answers = await Task.WhenAll(staffSent, clientSent);
        }

        var (staff, client) = (answers[0], answers[1]);

        Assert.Equal("cancelled", (await staff.JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        // The client's request is decided on the row as the staff cancel left it: cancelled, and it says so.
        Assert.Equal("cancelled", (await client.JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal("cancelled", await StatusAsync(id));
        var cancelled = Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentCancelled"));
        Assert.Equal("staff", System.Text.Json.JsonDocument.Parse(cancelled).RootElement.GetProperty("source").GetString());
        var requests = await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/requests", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(requests.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_booking_request_accepted_and_declined_at_the_same_moment_is_decided_once()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var nina = await App.RegisterClientAsync(b.Biz, "Nina");
        await Sql.AdminExecAsync(App.Database.Database, "UPDATE portalauth.clients SET status = 'pending-approval' WHERE id = @id", ("id", nina.Id));
        var id = (await (await nina.BookAsync(b, At(Day(4), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        HttpResponseMessage[] answers;
        await using (var row = await LockAsync(id))
        {
            answers = await row.QueueThenCommitAsync(DecideRead,
                () => b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{id}/accept", UriKind.Relative), null),
                () => b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{id}/decline", new { reason = "Fully booked" }));
        }

        var (accepted, declined) = (answers[0], answers[1]);

        Assert.Equal("confirmed", (await accepted.JsonAsync(HttpStatusCode.OK)).GetProperty("appointment").GetProperty("status").GetString());
        Assert.Equal("not-found", await declined.KindAsync(HttpStatusCode.NotFound)); // no open request any more
        Assert.Equal("confirmed", await StatusAsync(id));
        Assert.Single(await App.OutboxAsync(b.Biz.Id, "BookingRequestDecided"));
        Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentBooked"));
    }

    private Task<string?> StatusAsync(Guid id) =>
        Sql.AdminScalarAsync<string>(App.Database.Database, "SELECT status FROM appointments.appointments WHERE id = @id", ("id", id));

    /// <summary>What the app's save of a changed appointment starts with (each request has read the row before it waits).</summary>
    private const string Save = "UPDATE appointments.appointments";

    /// <summary>A staff decision on a request reads the open request's row FOR UPDATE (decision 347): each waits there.</summary>
    private const string DecideRead = "'cancellation-requested') FOR UPDATE";

    /// <summary>
    /// The client's own cancel's read: the appointment FOR UPDATE, then the client's booking lock, one command whose
    /// statements Npgsql sends one by one, so a wait on the row shows the first alone (its parameters numbered from $1).
    /// </summary>
    private const string ClientCancelRead = "AND client_id = $3 FOR UPDATE";

    /// <summary>The appointment's row locked FOR UPDATE by a transaction of the test's own.</summary>
    private async Task<HeldTransaction> LockAsync(Guid appointmentId)
    {
        var held = await HeldTransaction.BeginAsync(App.Database.Database);
        Assert.Equal(1, await held.ExecAsync("SELECT 1 FROM appointments.appointments WHERE id = @id FOR UPDATE", ("id", appointmentId)));
        return held;
    }
}
