using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Decision 307: an action on an existing appointment (staff accepting or declining a booking request, cancelling one or
/// many; the client cancelling or moving their own) that read the appointment before a client merge moved it to the kept
/// client and saves after. Each test holds the merged-away client's booking lock in a transaction of its own, so the
/// merge's move waits there holding the client's appointment rows (decision 293 (8)'s order), the actions read the rows
/// (still the merged-away client's) and wait on them, and then the merge commits: the same order every run. Staff's
/// actions succeed and every event they write names the kept client (before: the deleted one, whom Notifications cannot
/// find, so the person was told nothing); the client's own, from a session the merge ended, answer 401 and change nothing.
/// </summary>
public sealed class MergeRaceActionsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static string BookingLock(Guid clientId) => $"portal-bookings:{clientId:D}";

    private static Task<HttpResponseMessage> MergeAsync(HttpClient staff, Guid keepId, Guid mergeId) =>
        staff.PostAsJsonAsync(new Uri($"/api/v1/admin/clients/{keepId}/merge", UriKind.Relative), new { mergeId = mergeId.ToString() });

    private static async Task<Guid> WalkInAsync(TestBusiness biz, string first, string last) =>
        (await (await biz.Owner.PostAsJsonAsync(new Uri("/api/v1/admin/clients", UriKind.Relative), new { firstName = first, lastName = last, mobile = MobileIn(biz.CountryCode) }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<Guid> StaffBookAsync(Bookable b, Guid clientId, string start) =>
        (await (await b.Biz.Owner.PostAsJsonAsync(new Uri("/api/v1/admin/appointments", UriKind.Relative),
            new { clientId, serviceId = b.ServiceId, diaryId = b.DiaryId, start, note = "" })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<Guid> PortalBookAsync(PortalClient client, Bookable b, string start, string status)
    {
        var booked = await (await client.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(status, booked.GetProperty("status").GetString());
        return booked.GetProperty("id").GetGuid();
    }

    /// <summary>The business's outbox events naming <paramref name="clientId"/>.</summary>
    private Task<long> EventsNamingAsync(TestBusiness biz, Guid clientId) => Sql.AdminScalarAsync<long>(App.Database.Database,
        "select count(*) from appointments.outbox_messages where tenant_id = @t and payload->>'clientId' = @c", ("t", biz.Id), ("c", clientId.ToString()));

    private Task<Guid> ClientOfAsync(Guid appointmentId) =>
        Sql.AdminScalarAsync<Guid>(App.Database.Database, "select client_id from appointments.appointments where id = @i", ("i", appointmentId));

    private Task<string?> StatusOfAsync(Guid appointmentId) =>
        Sql.AdminScalarAsync<string>(App.Database.Database, "select status from appointments.appointments where id = @i", ("i", appointmentId));

    /// <summary>
    /// Until <paramref name="count"/> sessions wait on the merge's move (the session waiting for <paramref name="key"/>,
    /// the held booking lock), or <paramref name="orDone"/> has finished.
    /// </summary>
    private async Task WaitForWaitersOnMergeAsync(string key, int count, Task orDone)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!orDone.IsCompleted)
        {
            var waiting = await Sql.AdminScalarAsync<long>(App.Database.Database, """
                SELECT count(*) FROM pg_stat_activity w, pg_locks m
                WHERE m.locktype = 'advisory' AND NOT m.granted AND m.objsubid = 1
                  AND ((m.classid::bigint << 32) | m.objid::bigint) = hashtextextended(@k, 0)
                  AND pg_blocking_pids(w.pid) @> ARRAY[m.pid]
                """, ("k", key));
            if (waiting >= count)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{count} session(s) waiting on the merge: {waiting} after 30 s");
            }

            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Staff_decisions_and_cancels_saved_after_the_merge_moved_the_appointment_succeed_and_their_events_name_the_kept_client()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var keep = await WalkInAsync(b.Biz, "Tess", "Kept");
        var away = await App.RegisterClientAsync(b.Biz, "Tess", "Kept", withMobile: false); // pending approval: books requests
        var accept = await PortalBookAsync(away, b, At(Day(2), 10), "requested");
        var decline = await PortalBookAsync(away, b, At(Day(2), 12), "requested");
        var cancel = await StaffBookAsync(b, away.Id, At(Day(2), 14));
        var many = await StaffBookAsync(b, away.Id, At(Day(2), 16));
        var awayEvents = await EventsNamingAsync(b.Biz, away.Id);
        Assert.Equal(0, await EventsNamingAsync(b.Biz, keep));

        // The merge's move locks the merged-away client's appointment rows, then waits for the held booking lock.
        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        await held.ExecAsync("SELECT pg_advisory_xact_lock(hashtextextended(@k, 0))", ("k", BookingLock(away.Id)));
        var merge = MergeAsync(b.Biz.Owner, keep, away.Id);
        await held.WaitForBlockedAsync(1);

        // Each action reads its appointment (the merged-away client's still) and waits on its row to save.
        var owner = b.Biz.Owner;
        var actions = new[]
        {
            owner.PostAsJsonAsync(new Uri($"/api/v1/admin/requests/{accept}/accept", UriKind.Relative), new { }),
            owner.PostAsJsonAsync(new Uri($"/api/v1/admin/requests/{decline}/decline", UriKind.Relative), new { reason = "Fully booked" }),
            owner.PostAsJsonAsync(new Uri($"/api/v1/admin/appointments/{cancel}/cancel", UriKind.Relative), new { reason = "Closed" }),
            owner.PostAsJsonAsync(new Uri("/api/v1/admin/appointments/cancel-many", UriKind.Relative), new { ids = new[] { many.ToString() }, reason = "Closed" }),
        };
        await WaitForWaitersOnMergeAsync(BookingLock(away.Id), actions.Length, Task.WhenAny(actions));
        await held.CommitAsync();
        await (await merge).JsonAsync(HttpStatusCode.OK);

        var answers = await Task.WhenAll(actions);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(keep, (await answers[0].JsonAsync(HttpStatusCode.OK)).GetProperty("appointment").GetProperty("client").GetProperty("id").GetGuid());
        Assert.Equal("confirmed", await StatusOfAsync(accept));
        Assert.Equal("declined", await StatusOfAsync(decline));
        Assert.Equal("cancelled", await StatusOfAsync(cancel));
        Assert.Equal("cancelled", await StatusOfAsync(many));
        foreach (var id in new[] { accept, decline, cancel, many })
        {
            Assert.Equal(keep, await ClientOfAsync(id));
        }

        // Nothing written since names the deleted record: the accept's decision and booked events, the decline's, the two
        // cancellations, all name the kept client, whose contact details Notifications finds.
        Assert.Equal(awayEvents, await EventsNamingAsync(b.Biz, away.Id));
        Assert.Equal(5, await EventsNamingAsync(b.Biz, keep));
    }

    [Fact]
    public async Task The_merged_away_clients_own_cancel_and_move_saved_after_the_merge_answer_401_and_change_nothing()
    {
        var b = await App.BookableAsync();
        var keep = await WalkInAsync(b.Biz, "Cal", "Kept");
        var away = await App.RegisterClientAsync(b.Biz, "Cal", "Kept", withMobile: false);
        var toCancel = await PortalBookAsync(away, b, At(Day(3), 10), "confirmed");
        var toMove = await PortalBookAsync(away, b, At(Day(3), 12), "confirmed");
        var awayEvents = await EventsNamingAsync(b.Biz, away.Id);

        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        await held.ExecAsync("SELECT pg_advisory_xact_lock(hashtextextended(@k, 0))", ("k", BookingLock(away.Id)));
        var merge = MergeAsync(b.Biz.Owner, keep, away.Id);
        await held.WaitForBlockedAsync(1);

        // Signed in still (the merge has not committed): the cancel reads the appointment as the client's and waits on its
        // row to save; the move waits for its row lock.
        var cancel = away.Http.CancelAsync(b.Biz.Slug, toCancel, "Changed plans");
        var move = away.Http.PostAsJsonAsync(new Uri($"/api/v1/portal/appointments/{toMove}/move?name={b.Biz.Slug}", UriKind.Relative),
            new { start = At(Day(4), 12) });
        await WaitForWaitersOnMergeAsync(BookingLock(away.Id), 2, Task.WhenAny(cancel, move));
        await held.CommitAsync();
        await (await merge).JsonAsync(HttpStatusCode.OK);

        // The merge ended this client's sessions: the answer their next request gets, and nothing was done.
        Assert.Equal("unauthenticated", await (await cancel).KindAsync(HttpStatusCode.Unauthorized));
        Assert.Equal("unauthenticated", await (await move).KindAsync(HttpStatusCode.Unauthorized));
        Assert.Equal("confirmed", await StatusOfAsync(toCancel));
        Assert.Equal("confirmed", await StatusOfAsync(toMove));
        Assert.Equal(DateTimeOffset.Parse(At(Day(3), 12), null).UtcDateTime, await Sql.AdminScalarAsync<DateTime>(App.Database.Database,
            "select start_at from appointments.appointments where id = @i", ("i", toMove)));
        Assert.Equal(keep, await ClientOfAsync(toCancel));
        Assert.Equal(awayEvents, await EventsNamingAsync(b.Biz, away.Id));
        Assert.Equal(0, await EventsNamingAsync(b.Biz, keep));
    }
}
