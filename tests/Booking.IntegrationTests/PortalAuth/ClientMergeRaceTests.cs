using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Decision 299: a booking for a client that staff merge away while it is under way never saves an appointment naming the
/// deleted client, whichever way the two meet. Each test holds a lock in a transaction of its own so the booking and the
/// merge meet in one order, every run: a booking already saving when the merge moves the client's appointments is moved
/// with them (201, the kept client's); one that saves after the move is refused (staff: 409 <c>changed-meanwhile</c>,
/// <c>reason</c> <c>client-merged</c>, naming the kept client; the portal: 401, its session ended by the merge). Never a
/// 500, never a row under the merged-away id.
/// </summary>
public sealed class ClientMergeRaceTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static Task<HttpResponseMessage> MergeAsync(HttpClient staff, Guid keepId, Guid mergeId) =>
        staff.PostAsJsonAsync(new Uri($"/api/v1/admin/clients/{keepId}/merge", UriKind.Relative), new { mergeId = mergeId.ToString() });

    private static Task<HttpResponseMessage> StaffBookAsync(Bookable b, Guid clientId, string start) =>
        b.Biz.Owner.PostAsJsonAsync(new Uri("/api/v1/admin/appointments", UriKind.Relative),
            new { clientId, serviceId = b.ServiceId, diaryId = b.DiaryId, start, note = "" });

    /// <summary>A walk-in with a mobile (staff's, so verified) and no email (the record kept), or with an email only.</summary>
    private static async Task<Guid> WalkInAsync(TestBusiness biz, string first, string last, bool withEmail = false) =>
        (await (await biz.Owner.PostAsJsonAsync(new Uri("/api/v1/admin/clients", UriKind.Relative), new
        {
            firstName = first, lastName = last,
            email = withEmail ? $"walk-{Guid.NewGuid():N}@client.example" : null, mobile = withEmail ? null : MobileIn(biz.CountryCode),
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private Task<long> AppointmentsOfAsync(Guid clientId) =>
        Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from appointments.appointments where client_id = @i", ("i", clientId));

    /// <summary>
    /// Until <paramref name="count"/> sessions wait for the advisory lock of <paramref name="key"/> (the hashed 64-bit key
    /// as pg_locks shows it: its high half as classid, its low half as objid), or <paramref name="orDone"/> has finished
    /// (without decision 299 nothing waits there, and the test goes on to fail on the answers).
    /// </summary>
    private async Task WaitForLockWaitersAsync(string key, int count, Task orDone)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!orDone.IsCompleted)
        {
            var waiting = await Sql.AdminScalarAsync<long>(App.Database.Database, """
                SELECT count(*) FROM pg_locks
                WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1
                  AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(@k, 0)
                """, ("k", key));
            if (waiting >= count)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{count} session(s) waiting for lock {key}: {waiting} after 20 s");
            }

            await Task.Delay(50);
        }
    }

    private static string MergeLock(TestBusiness biz) => $"client-merges:{biz.Id:D}";

    private static string BookingLock(Guid clientId) => $"portal-bookings:{clientId:D}";

    [Fact]
    public async Task Bookings_that_reach_their_save_after_the_merge_moved_the_clients_appointments_are_refused_and_name_no_deleted_client()
    {
        var b = await App.BookableAsync();
        var keep = await WalkInAsync(b.Biz, "Kit", "Kept");
        var away = await App.RegisterClientAsync(b.Biz, "Kit", "Kept", withMobile: false);

        // The business's merge lock, held: the merge goes as far as its move of the appointments and waits there, its
        // PortalAuth work written but not committed (so the client still reads as there), holding the client's booking lock.
        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        await held.ExecAsync("SELECT pg_advisory_xact_lock(hashtextextended(@k, 0))", ("k", MergeLock(b.Biz)));
        var merge = MergeAsync(b.Biz.Owner, keep, away.Id);
        await WaitForLockWaitersAsync(MergeLock(b.Biz), 1, merge);

        // The portal booking reads its client (still there), then waits for the client's booking lock behind the merge.
        var portal = away.BookAsync(b, At(Day(2), 10));
        await WaitForLockWaitersAsync(BookingLock(away.Id), 1, portal);
        // The staff booking takes no client lock: it reads the client (still there) and reaches its save, where the
        // trigger waits for the merge lock behind the merge.
        var staff = StaffBookAsync(b, away.Id, At(Day(2), 14));
        await WaitForLockWaitersAsync(MergeLock(b.Biz), 2, staff);

        await held.CommitAsync();
        await (await merge).JsonAsync(HttpStatusCode.OK);

        var staffProblem = await (await staff).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("changed-meanwhile", staffProblem.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal("client-merged", staffProblem.GetProperty("reason").GetString());
        Assert.Equal(keep, staffProblem.GetProperty("keptClientId").GetGuid());
        Assert.Contains("merged into another", staffProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The portal client's session ended with the merge: 401, as its next request gets.
        Assert.Equal("unauthenticated", await (await portal).KindAsync(HttpStatusCode.Unauthorized));
        Assert.Equal(HttpStatusCode.Unauthorized, (await away.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}&when=upcoming", UriKind.Relative))).StatusCode);

        Assert.Equal(0, await AppointmentsOfAsync(away.Id));
        Assert.Equal(0, await AppointmentsOfAsync(keep)); // neither was booked for the kept client behind staff's back
        Assert.Equal(1, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from appointments.merged_clients where client_id = @a and kept_client_id = @k", ("a", away.Id), ("k", keep)));
    }

    [Fact]
    public async Task A_staff_booking_already_saving_when_the_merge_starts_is_committed_first_and_moved_to_the_kept_client()
    {
        var b = await App.BookableAsync();
        var keep = await WalkInAsync(b.Biz, "Ned", "Kept");
        var away = await WalkInAsync(b.Biz, "Ned", "Kept", withEmail: true);
        var other = await WalkInAsync(b.Biz, "Olive", "Other");

        // Another client's appointment at that time, inserted and not committed: the staff booking's insert waits in the
        // exclusion constraint's check for this transaction, past its read of the client and its trigger.
        var start = At(Day(3), 11);
        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        await held.InsertAppointmentAsync(b, other, start, At(Day(3), 12));
        var staff = StaffBookAsync(b, away, start);
        await held.WaitForBlockedAsync(1);

        // The merge now: with decision 299 its move waits for the booking under way (the booking holds the merge lock
        // shared); before it, the merge finished here and the booking then saved under the deleted client's id.
        var merge = MergeAsync(b.Biz.Owner, keep, away);
        await Task.WhenAny(merge, WaitForLockWaitersAsync(MergeLock(b.Biz), 1, merge));

        if (merge.IsCompleted)
        {
            // Without decision 299: the merge is done; the booking saves after the merge event's sweep (decision 293) too.
            await Eventually.ReturnsAsync(() => Sql.AdminScalarAsync<long>(App.Database.Database,
                "select count(*) from portalauth.outbox_messages where type like 'Booking.PortalAuth.Contracts.ClientsMerged,%' and payload::text like '%' || @a || '%' and dispatched_at is not null",
                ("a", away.ToString())), n => n == 1, what: "the merge event's delivery");
        }

        await held.RollbackAsync(); // the other appointment was never there: the time is free
        var booked = (await (await staff).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await merge).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(0, await AppointmentsOfAsync(away));
        Assert.Equal(keep, await Sql.AdminScalarAsync<Guid>(App.Database.Database, "select client_id from appointments.appointments where id = @i", ("i", booked)));
    }
}
