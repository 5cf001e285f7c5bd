using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.BuildingBlocks.Caching;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Session 40's race audit, finding 4 (decision 342): a booking that read the day's hours before a closed day (or an
/// exception, or a new weekly roster) was saved, and saved after it, was on the closed day and missing from the clashes
/// the closed day's save answered. Bookings and moves now hold <c>hours:&lt;tenant&gt;</c> SHARED in their transaction
/// (a portal booking from its limit statement on, every insert or change of time from the appointments trigger), and
/// those saves take it EXCLUSIVE before they write, so a save waits for the bookings under way and lists them. Each test
/// holds a booking after its hours were read (the client's booking lock, or an uncommitted appointment at the time in a
/// transaction of the test's own), starts the save, lets go, and finds the booking in the clashes or refused: never
/// neither.
/// </summary>
public sealed class ClosedDayBookingRaceTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task A_portal_booking_under_way_when_its_day_is_closed_is_in_the_closed_days_clashes()
    {
        var b = await App.BookableAsync();
        var cara = await App.RegisterClientAsync(b.Biz);
        var day = Day(3);

        // The booking read the day's hours and waits for the client's booking lock (another booking of theirs under way).
        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        await held.ExecAsync("SELECT pg_advisory_xact_lock(hashtextextended(@k, 0))", ("k", $"portal-bookings:{cara.Id:D}"));
        var booking = cara.BookAsync(b, At(day, 10), key: "under-way");
        await held.WaitForBlockedAsync(1);

        var closing = b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/closed-days", new { from = Iso(day), to = Iso(day), label = "Flood" });
        await SaveFinishesOrWaitsAsync(closing, waiting: 2);
        await held.CommitAsync();

        await AssertListedOrRefusedAsync(await booking, await closing);
    }

    [Fact]
    public async Task A_staff_booking_under_way_when_its_diary_closes_that_day_is_in_the_exceptions_clashes()
    {
        var b = await App.BookableAsync();
        var cara = await App.RegisterClientAsync(b.Biz);
        var day = Day(4);

        // An appointment at that time, uncommitted in the test's transaction: the staff booking's insert waits on it.
        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        await held.ExecAsync("""
            INSERT INTO appointments.appointments (id, tenant_id, client_id, diary_id, service_id, start_at, end_at, blocked_until, status, source, created_at, updated_at)
            SELECT gen_random_uuid(), tenant_id, client_id, diary_id, service_id, @s::timestamptz, @s::timestamptz + interval '1 hour', @s::timestamptz + interval '75 minutes',
                   'confirmed', 'staff', now(), now()
            FROM (SELECT @t::uuid AS tenant_id, @c::uuid AS client_id, @d::uuid AS diary_id, @v::uuid AS service_id) x
            """, ("s", DateTimeOffset.Parse(At(day, 10), System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime()), ("t", b.Biz.Id), ("c", cara.Id), ("d", b.DiaryId), ("v", b.ServiceId));
        var booking = b.Biz.Owner.PostAsJsonAsync(new Uri("/api/v1/admin/appointments", UriKind.Relative),
            new { clientId = cara.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(day, 10), note = "" });
        await held.WaitForBlockedAsync(1);

        var closing = b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{b.DiaryId}/exceptions", new { date = Iso(day), closed = true, blocks = Array.Empty<object>() });
        await SaveFinishesOrWaitsAsync(closing, waiting: 1);
        await held.RollbackAsync(); // the time is free again: the booking goes in

        await AssertListedOrRefusedAsync(await booking, await closing);
    }

    /// <summary>
    /// Decision 347: the window decision 342 left. A portal booking reads the hours from Roster's cached snapshot and takes
    /// the hours lock only in its limit statement; a closed day saved and committed between the two listed no booking, and
    /// the booking, finding the lock free, was made on the closed day. The test holds the booking between its hours read and
    /// its limit statement ("any": its read of the diaries' busy time waits on the test's lock of the busy blocks), saves
    /// the closed day meanwhile (it commits: nothing of the booking's is there to list), then lets the booking go: now the
    /// version the save raised differs from the one the booking's hours were read at, and the booking, judged again on
    /// fresh hours, is refused (before: 201 on the closed day, in no clash list).
    /// </summary>
    [Fact]
    public async Task A_portal_booking_whose_hours_were_read_before_a_closed_day_committed_is_judged_on_the_new_hours()
    {
        var b = await App.BookableAsync();
        var cara = await App.RegisterClientAsync(b.Biz);
        var day = Day(5);
        // The snapshot is warm: the booking reads its hours from the cache, as most do.
        await (await cara.Http.GetAsync(new Uri($"/api/v1/portal/availability?name={b.Biz.Slug}&service={b.ServiceId}&from={Iso(day)}&to={Iso(day)}", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.OK);

        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        await held.ExecAsync("LOCK TABLE appointments.busy_blocks IN ACCESS EXCLUSIVE MODE");
        var booking = cara.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = "any", start = At(day, 10), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null },
            "after-the-hours-read");
        await held.WaitForBlockedAsync(1); // its hours read (the day open), waiting to read the busy time

        var closing = await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/closed-days", new { from = Iso(day), to = Iso(day), label = "Flood" });
        var saved = await closing.JsonAsync(HttpStatusCode.Created);
        Assert.Empty(saved.GetProperty("clashes").EnumerateArray());
        await held.CommitAsync();

        var answer = await booking;
        Assert.Equal("slot-unavailable", await answer.KindAsync(HttpStatusCode.Conflict));
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM appointments.appointments WHERE tenant_id = @t AND client_id = @c", ("t", b.Biz.Id), ("c", cara.Id)));
    }

    /// <summary>
    /// Decision 353: the window decision 347 left for a client's move. A move reads the online hours from the cached roster
    /// after its client statement took the hours lock, so a save that cut them has committed by then; but a cache on another
    /// instance keeps the old hours until the save's notification arrives. The test holds that moment open: the move is made
    /// on a second instance that runs no notification listener (its cache, warm with the day open, is what any instance's
    /// is between another's commit and the notice), after the closed day was saved and committed on the first (nothing of
    /// the move's is there to list). Now the move asks the cached hours version before its client statement, which reads
    /// the version in force as a column: another one, and the move is judged again on fresh hours and refused, and the
    /// appointment stays where it was (before: 200, moved onto the closed day, in no clash list).
    /// </summary>
    [Fact]
    public async Task A_client_move_on_an_instance_the_closed_days_notice_has_not_reached_is_judged_on_the_new_hours()
    {
        var b = await App.BookableAsync();
        await using var late = new WithoutNotices(App.Database);
        var cara = await late.RegisterClientAsync(b.Biz);
        var (from, day) = (At(Day(3), 10), Day(5));
        var id = (await (await cara.BookAsync(b, from)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var ten = DateTimeOffset.Parse(At(day, 10), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(ten, (await cara.Http.SlotsAsync(b, day, day)).Starts()); // the second instance's roster is warm

        var closing = await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/closed-days", new { from = Iso(day), to = Iso(day), label = "Flood" });
        Assert.Empty((await closing.JsonAsync(HttpStatusCode.Created)).GetProperty("clashes").EnumerateArray());
        // The notice has not reached it: it still offers the closed day (without this the test would prove nothing).
        Assert.Contains(ten, (await cara.Http.SlotsAsync(b, day, day)).Starts());

        var moved = await cara.Http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/move?name={b.Biz.Slug}", new { start = At(day, 10) });
        var problem = await moved.JsonAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/slot-unavailable", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime, await Sql.AdminScalarAsync<DateTime>(App.Database.Database,
            "SELECT start_at FROM appointments.appointments WHERE tenant_id = @t AND id = @i", ("t", b.Biz.Id), ("i", id)));
        // Judged again on hours read from the database, the instance's roster is the new one: the day is no longer offered.
        Assert.DoesNotContain(ten, (await cara.Http.SlotsAsync(b, day, day)).Starts());
    }

    /// <summary>Until the save answered (the race) or waits for the business's hours lock behind the booking.</summary>
    private Task SaveFinishesOrWaitsAsync(Task<HttpResponseMessage> save, int waiting) => Eventually.ReturnsAsync(
        async () => save.IsCompleted || await Sql.AdminScalarAsync<long>(App.Database.Database, """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND wait_event = 'advisory'
            """) == waiting,
        done => done, what: "the save to answer or to wait for the hours lock");

    private static async Task AssertListedOrRefusedAsync(HttpResponseMessage booking, HttpResponseMessage closing)
    {
        var saved = await closing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(closing.IsSuccessStatusCode, saved.ToString());
        var clashes = saved.GetProperty("clashes").EnumerateArray().Select(c => c.GetProperty("appointmentId").GetGuid()).ToList();
        if (booking.StatusCode == HttpStatusCode.Created)
        {
            var id = (await booking.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
            Assert.Contains(id, clashes);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Conflict, booking.StatusCode);
        }
    }

    /// <summary>
    /// A second instance of the app on the same database that never hears of another's committed changes (its
    /// <see cref="ReferenceDataInvalidationListener"/> is not run): its cached reference data stays as it read it, as any
    /// instance's does until a change's notification arrives.
    /// </summary>
    private sealed class WithoutNotices(Booking.BuildingBlocks.Postgres.ProvisionedDatabase database) : BookingApp(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                foreach (var listener in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ReferenceDataInvalidationListener)).ToList())
                {
                    services.Remove(listener);
                }
            });
        }
    }
}
