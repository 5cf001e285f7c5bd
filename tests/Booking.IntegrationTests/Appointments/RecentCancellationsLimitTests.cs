using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// A client who cancelled 5 of their appointments in the last 24 hours books no more online (decision 322): each
/// book-and-cancel round emailed the client's registered (never confirmed) address twice, so a stranger could mail any
/// address without end. The booking is refused 409 <c>booking-limit</c> (<c>reason</c> <c>recent-cancellations</c>) with
/// the business's contact, nothing is written or sent, the portal's page says so before a time is chosen, another client
/// books as before, and the limit rolls: once the oldest cancellation is 24 hours old the client books again.
/// </summary>
public sealed class RecentCancellationsLimitTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task Five_cancellations_in_a_day_stop_online_booking_until_the_oldest_is_a_day_old_and_other_clients_book_as_before()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["contact"] = new JsonObject { ["email"] = "hello@churn.example" });
        var cara = await App.RegisterClientAsync(b.Biz);
        var dan = await App.RegisterClientAsync(b.Biz, "Dan");
        var start = At(Day(3), 10);

        for (var round = 1; round <= 5; round++)
        {
            // At the limit's edge (4 cancelled) the fifth booking still goes through.
            var id = (await (await cara.BookAsync(b, start, key: $"round-{round}")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
            await (await cara.Http.CancelAsync(b.Biz.Slug, id)).JsonAsync(HttpStatusCode.OK);
        }

        var refused = await (await cara.BookAsync(b, start, key: "sixth")).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("booking-limit", refused.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal("recent-cancellations", refused.GetProperty("reason").GetString());
        Assert.Equal(5, refused.GetProperty("limit").GetInt32());
        Assert.Equal($"You have cancelled 5 appointments in the last 24 hours, so Business {b.Biz.Slug} cannot take another booking from you online for now. "
            + $"To book, please contact Business {b.Biz.Slug} at hello@churn.example.", refused.GetProperty("detail").GetString());
        var again = refused.GetProperty("bookAgainAt").GetDateTimeOffset();
        Assert.InRange(again, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(24).AddMinutes(1));
        Assert.Equal(5, (await App.OutboxAsync(b.Biz.Id, "AppointmentBooked")).Count); // the refused one wrote and sent nothing
        Assert.Equal(5L, await CountAsync(b, cara.Id));

        // The page says so before a time is chosen, with no Book button; Dan's says nothing and books.
        var page = await cara.Http.PageAsync($"/ol/book?name={b.Biz.Slug}");
        Assert.Contains("You have cancelled 5 appointments in the last 24 hours", page.One("#booking-limit")?.TextContent, StringComparison.Ordinal);
        Assert.Null(page.One("div.actions a[href*='/ol/new-booking']")); // the Book button (the nav may still link there)
        Assert.Null((await dan.Http.PageAsync($"/ol/book?name={b.Biz.Slug}")).One("#booking-limit"));
        await (await dan.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created);

        // Rolling: the oldest cancellation a day old, four remain in the window and Cara books online again.
        await Sql.AdminExecAsync(App.Database.Database, """
            UPDATE appointments.appointments SET cancelled_at = now() - interval '24 hours 1 minute'
            WHERE id = (SELECT id FROM appointments.appointments WHERE tenant_id = @t AND client_id = @c ORDER BY cancelled_at LIMIT 1)
            """, ("t", b.Biz.Id), ("c", cara.Id));
        await (await cara.BookAsync(b, At(Day(3), 14), key: "after-a-day")).JsonAsync(HttpStatusCode.Created);
    }

    /// <summary>
    /// Decision 329: the churn read is a column of the booking's limit statement, made once the client's lock is granted,
    /// so a cancellation committed while the booking waited its turn counts. The test holds the client's booking lock
    /// itself, so the booking waits there (before: having read 4 cancellations on its own first); the client's fifth
    /// cancellation commits meanwhile, written by the test's own transaction as a cancel writes it (the client's own
    /// cancel takes the booking lock since decision 342, so it would queue behind the booking); then the lock is let go.
    /// The booking is refused, the same 409 as ever; with the read before the lock it was booked (201).
    /// </summary>
    [Fact]
    public async Task A_cancellation_committed_while_the_booking_waits_for_the_clients_lock_counts()
    {
        var b = await App.BookableAsync();
        var cara = await App.RegisterClientAsync(b.Biz);
        var start = At(Day(3), 10);
        Guid fifth = default;
        for (var round = 1; round <= 5; round++)
        {
            fifth = (await (await cara.BookAsync(b, start, key: $"round-{round}")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
            if (round < 5)
            {
                await (await cara.Http.CancelAsync(b.Biz.Slug, fifth)).JsonAsync(HttpStatusCode.OK);
            }
        }

        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        await held.ExecAsync("SELECT pg_advisory_xact_lock(hashtextextended(@k, 0))", ("k", $"portal-bookings:{cara.Id:D}"));
        var booking = cara.BookAsync(b, At(Day(3), 14), key: "waiting");
        await held.WaitForBlockedAsync(1); // the booking waits for the client's lock, its limit not read yet
        Assert.Equal(1, await held.ExecAsync("""
            UPDATE appointments.appointments
            SET status = 'cancelled', ended = 'cancelled', cancelled_by = 'client', cancelled_at = now(), updated_at = now()
            WHERE id = @i
            """, ("i", fifth)));
        await held.CommitAsync();

        var refused = await (await booking).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("booking-limit", refused.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal("recent-cancellations", refused.GetProperty("reason").GetString());
        Assert.InRange(refused.GetProperty("bookAgainAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(24).AddMinutes(1));
        Assert.Equal(5L, await CountAsync(b, cara.Id)); // nothing written
    }

    private Task<long> CountAsync(Bookable b, Guid clientId) =>
        Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM appointments.appointments WHERE tenant_id = @t AND client_id = @c", ("t", b.Biz.Id), ("c", clientId));
}
