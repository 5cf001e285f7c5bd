using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// A client who moved their appointments 5 times in the last 24 hours moves no more online (decision 326): each portal
/// move emailed "Your appointment has moved" to the client's (never confirmed) address, and moves were counted by no
/// limit, so a stranger could mail any address without end by moving one booking back and forth. The sixth move, of any
/// of the client's appointments, is refused 409 <c>booking-limit</c> (<c>reason</c> <c>recent-moves</c>,
/// <c>moveAgainAt</c>) with the business's contact, and nothing moves or is sent; the answers say <c>canMove</c> false
/// (<c>cannotMoveReason</c> <c>recent-moves</c>), and the pages say why instead of offering times. Staff still move it,
/// another client moves as before, and the limit rolls: once the oldest move is a day old the client moves again.
/// </summary>
public sealed class RecentMovesLimitTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static Task<HttpResponseMessage> MoveAsync(PortalClient client, Bookable b, Guid id, string start) =>
        client.Http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/move?name={b.Biz.Slug}", new { start });

    private static async Task<Guid> BookedAsync(PortalClient client, Bookable b, string start) =>
        (await (await client.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<DateTimeOffset> StartAsync(Bookable b, Guid id) =>
        (await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("start").GetDateTimeOffset();

    private static async Task<JsonElement> ListItemAsync(PortalClient client, Bookable b, Guid id) =>
        (await (await client.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}&when=upcoming", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id);

    private static DateTimeOffset Parse(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    /// <summary>How many times the page's text gives the business's email (the words, the contact line, the footer).</summary>
    private static int ContactsShown(HtmlPage page) =>
        System.Text.RegularExpressions.Regex.Count(page.Text, "hello@moves\\.example");

    [Fact]
    public async Task Five_moves_in_a_day_stop_the_clients_moves_until_the_oldest_is_a_day_old_while_staff_and_other_clients_move_as_before()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["contact"] = new JsonObject { ["email"] = "hello@moves.example" });
        var cara = await App.RegisterClientAsync(b.Biz, "Cara");
        var dan = await App.RegisterClientAsync(b.Biz, "Dan");
        var first = await BookedAsync(cara, b, At(Day(3), 10));
        var second = await BookedAsync(cara, b, At(Day(5), 10));
        var tab = await cara.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={second}&diary={b.DiaryId}&start={Uri.EscapeDataString(At(Day(5), 15))}");
        Assert.NotNull(tab.One("#move-form")); // a confirm step opened before the limit, posted after it

        // Five moves of one appointment go through; the fifth's answer already says no more.
        for (var hour = 11; hour <= 15; hour++)
        {
            var moved = await (await MoveAsync(cara, b, first, At(Day(3), hour))).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(hour < 15, moved.GetProperty("canMove").GetBoolean());
        }

        var words = $"You have changed appointment times 5 times in the last 24 hours, so Business {b.Biz.Slug} cannot take another change online for now. "
            + $"Your appointment stays as it is. To change it, please contact Business {b.Biz.Slug} at hello@moves.example.";
        var refused = await (await MoveAsync(cara, b, first, At(Day(3), 16))).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("booking-limit", refused.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal("recent-moves", refused.GetProperty("reason").GetString());
        Assert.Equal(5, refused.GetProperty("limit").GetInt32());
        Assert.Equal(words, refused.GetProperty("detail").GetString());
        Assert.InRange(refused.GetProperty("moveAgainAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(24).AddMinutes(1));
        // Counted per client: their other appointment is refused too; nothing moved, nothing sent.
        Assert.Equal("recent-moves", (await (await MoveAsync(cara, b, second, At(Day(5), 14))).JsonAsync(HttpStatusCode.Conflict)).GetProperty("reason").GetString());
        Assert.Equal(Parse(At(Day(3), 15)), await StartAsync(b, first));
        Assert.Equal(Parse(At(Day(5), 10)), await StartAsync(b, second));
        Assert.Equal(5, (await App.OutboxAsync(b.Biz.Id, "AppointmentMoved")).Count);
        // A repeat of the move already made is still the no-op it was.
        await (await MoveAsync(cara, b, first, At(Day(3), 15))).JsonAsync(HttpStatusCode.OK);

        // The answers and pages say it: no Change time link, the reason once under the list, the move page says why.
        var item = await ListItemAsync(cara, b, first);
        Assert.False(item.GetProperty("canMove").GetBoolean());
        Assert.Equal("recent-moves", item.GetProperty("cannotMoveReason").GetString());
        var list = await cara.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Empty(list.All("a.move"));
        Assert.Contains("You have changed appointment times 5 times in the last 24 hours", list.One("#moves-used-up")?.TextContent, StringComparison.Ordinal);
        // The page says the refusal's words with the contact once, under them as links, not also inside them (decision 334).
        var pageWords = $"You have changed appointment times 5 times in the last 24 hours, so Business {b.Biz.Slug} cannot take another change online for now. "
            + $"Your appointment stays as it is. To change it, please contact Business {b.Biz.Slug}.";
        var page = await cara.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={first}");
        Assert.Equal(pageWords, page.One("#cannot-move")?.TextContent.Trim());
        Assert.Null(page.One("#slots"));
        Assert.Equal(1, ContactsShown(page));
        var posted = await cara.Http.SubmitAsync(tab, new Dictionary<string, string>(), "#move-form");
        Assert.Equal(HttpStatusCode.OK, posted.Status);
        Assert.Null(posted.One("#move-problem")); // said once, as an alert
        Assert.Equal("alert", posted.One("#cannot-move")?.GetAttribute("role"));
        Assert.Equal(pageWords, posted.One("#cannot-move")?.TextContent.Trim());
        Assert.Equal(1, ContactsShown(posted));
        Assert.Equal(Parse(At(Day(5), 10)), await StartAsync(b, second));

        // Staff move it all the same (not limited, not counted); another client moves as before.
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{first}/move", new { start = At(Day(3), 16) })).JsonAsync(HttpStatusCode.OK);
        var dans = await BookedAsync(dan, b, At(Day(4), 10));
        await (await MoveAsync(dan, b, dans, At(Day(4), 11))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(5L, await MovesAsync(b, first));

        // Rolling: the oldest move a day old, four remain in the window and Cara moves online again.
        await Sql.AdminExecAsync(App.Database.Database, """
            UPDATE appointments.client_moves SET moved_at = now() - interval '24 hours 1 minute'
            WHERE id = (SELECT id FROM appointments.client_moves WHERE tenant_id = @t AND appointment_id = @a ORDER BY moved_at LIMIT 1)
            """, ("t", b.Biz.Id), ("a", first));
        Assert.True((await ListItemAsync(cara, b, first)).GetProperty("canMove").GetBoolean());
        await (await MoveAsync(cara, b, first, At(Day(3), 12))).JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>
    /// The moves limit is read under the client's lock (the one a portal booking's limit statement takes), in the move's
    /// transaction, once the client's turn comes. Cara has moved 4 times; the test holds her lock itself, sends three
    /// moves of three of her appointments at once and lets go only when all three wait for it (each has passed its own
    /// row lock and the appointment's rules). They take turns: the first moves (her fifth), the other two then read 5 and
    /// are refused. With the count read before the move's transaction, all three had read 4 and all three moved.
    /// </summary>
    [Fact]
    public async Task Moves_sent_at_once_take_turns_under_the_clients_lock_so_only_one_passes_the_fifth_move()
    {
        var b = await App.BookableAsync();
        var cara = await App.RegisterClientAsync(b.Biz, "Cara");
        var ids = new List<Guid>();
        for (var day = 3; day <= 5; day++)
        {
            ids.Add(await BookedAsync(cara, b, At(Day(day), 10)));
        }

        for (var hour = 11; hour <= 14; hour++)
        {
            await (await MoveAsync(cara, b, ids[0], At(Day(3), hour))).JsonAsync(HttpStatusCode.OK);
        }

        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        await held.ExecAsync("SELECT pg_advisory_xact_lock(hashtextextended(@k, 0))", ("k", $"portal-bookings:{cara.Id:D}"));
        var sent = ids.Select((id, i) => MoveAsync(cara, b, id, At(Day(3 + i), 16))).ToList();
        await held.WaitForBlockedAsync(3); // all three wait for the client's lock, their limit not read yet
        await held.CommitAsync();
        var answers = await Task.WhenAll(sent);

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        var refused = answers.Where(a => a.StatusCode != HttpStatusCode.OK).ToList();
        Assert.Equal(2, refused.Count);
        foreach (var answer in refused)
        {
            var problem = await answer.JsonAsync(HttpStatusCode.Conflict);
            Assert.Equal("booking-limit", problem.GetProperty("type").GetString()!.Split('/')[^1]);
            Assert.Equal("recent-moves", problem.GetProperty("reason").GetString());
        }

        Assert.Equal(5L, await Sql.AdminScalarAsync<long>(App.Database.Database, """
            SELECT count(*) FROM appointments.client_moves m JOIN appointments.appointments a ON a.tenant_id = m.tenant_id AND a.id = m.appointment_id
            WHERE a.tenant_id = @t AND a.client_id = @c
            """, ("t", b.Biz.Id), ("c", cara.Id)));
        Assert.Equal(5, (await App.OutboxAsync(b.Biz.Id, "AppointmentMoved")).Count);
    }

    private Task<long> MovesAsync(Bookable b, Guid appointmentId) =>
        Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM appointments.client_moves WHERE tenant_id = @t AND appointment_id = @a", ("t", b.Biz.Id), ("a", appointmentId));
}
