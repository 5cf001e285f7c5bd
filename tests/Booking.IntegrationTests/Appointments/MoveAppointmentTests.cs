using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.IntegrationTests.Setup;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Moving an appointment to another time (decision 282): one transaction that changes the row in place, so the exclusion
/// constraint guards the new time and the old one is free once it commits; a refusal leaves it exactly as it was. The
/// client may move a confirmed appointment of theirs outside its cancellation window to an offered time; staff (owner,
/// admin) to any time of an active diary, confirming what a client could not book, never over another appointment.
/// </summary>
public sealed class MoveAppointmentTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static string Text(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static Task<HttpResponseMessage> MoveAsync(PortalClient client, Bookable b, Guid id, string start, string? diaryId = null, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/portal/appointments/{id}/move?name={b.Biz.Slug}")
        {
            Content = JsonContent.Create(new { start, diaryId }),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return client.Http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> StaffMoveAsync(HttpClient staff, Guid id, string start, Guid? diaryId = null, string? confirm = null) =>
        staff.PostAsJsonAsync($"/api/v1/admin/appointments/{id}/move{(confirm is null ? "" : "?confirm=" + confirm)}", new { start, diaryId });

    private static async Task<Guid> BookedAsync(PortalClient client, Bookable b, string start) =>
        (await (await client.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<JsonElement> MineAsync(PortalClient client, Bookable b, Guid id) =>
        await (await client.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static async Task<JsonElement> StaffViewAsync(Bookable b, Guid id) =>
        await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static async Task<JsonElement> ListItemAsync(PortalClient client, Bookable b, Guid id) =>
        (await (await client.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}&when=upcoming", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id);

    [Fact]
    public async Task A_client_moves_their_appointment_to_an_offered_time_and_the_old_time_is_free_at_once()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        var (from, to) = (At(Day(3), 10), At(Day(4), 14, 30));
        var id = await BookedAsync(mary, b, from);
        Assert.True((await ListItemAsync(mary, b, id)).GetProperty("canMove").GetBoolean());

        var moved = await (await MoveAsync(mary, b, id, to)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(id, moved.GetProperty("id").GetGuid());
        Assert.Equal(DateTimeOffset.Parse(to, CultureInfo.InvariantCulture), moved.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse(to, CultureInfo.InvariantCulture).AddHours(1), moved.GetProperty("end").GetDateTimeOffset());
        Assert.Equal("confirmed", moved.GetProperty("status").GetString());
        Assert.Equal(24, moved.GetProperty("cancellationPolicy").GetProperty("hours").GetInt32()); // its kept terms stay
        // The old time is free: another client books it at once; the new one is Mary's.
        await (await bob.BookAsync(b, from)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("slot-conflict", await (await bob.BookAsync(b, to)).KindAsync(HttpStatusCode.Conflict));

        // Who moved it and from where, for staff; and one event for Notifications.
        var staff = await StaffViewAsync(b, id);
        var record = staff.GetProperty("moved");
        Assert.Equal("client", record.GetProperty("by").GetString());
        Assert.Equal(DateTimeOffset.Parse(from, CultureInfo.InvariantCulture), record.GetProperty("fromStart").GetDateTimeOffset());
        Assert.Equal(1, record.GetProperty("count").GetInt32());
        var events = await App.OutboxAsync(b.Biz.Id, "AppointmentMoved");
        var evt = JsonDocument.Parse(Assert.Single(events)).RootElement;
        Assert.Equal(id, evt.GetProperty("appointmentId").GetGuid());

        // The same time again: a no-op 200, nothing more written or sent.
        var again = await (await MoveAsync(mary, b, id, to)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(moved.GetProperty("start").GetDateTimeOffset(), again.GetProperty("start").GetDateTimeOffset());
        Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentMoved"));
        Assert.Equal(1, (await StaffViewAsync(b, id)).GetProperty("moved").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_repeat_with_the_same_idempotency_key_answers_the_first_move_and_another_body_is_refused()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));
        var key = Guid.NewGuid().ToString();

        var first = await (await MoveAsync(mary, b, id, At(Day(5), 9), key: key)).JsonAsync(HttpStatusCode.OK);
        var repeat = await (await MoveAsync(mary, b, id, At(Day(5), 9), key: key)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(first.GetProperty("start").GetDateTimeOffset(), repeat.GetProperty("start").GetDateTimeOffset());
        Assert.Equal("idempotency-key-reuse", await (await MoveAsync(mary, b, id, At(Day(6), 9), key: key)).KindAsync(HttpStatusCode.UnprocessableEntity));
        Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentMoved"));
    }

    [Fact]
    public async Task Inside_the_window_it_is_refused_with_the_policy_and_stays_as_it_was()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        // Within the default 24 hours: a slot between 3 and 20 hours from now.
        var now = DateTimeOffset.UtcNow;
        var soon = (await mary.Http.SlotsAsync(b, Day(0), Day(1))).Starts().First(s => s - now > TimeSpan.FromHours(3) && s - now < TimeSpan.FromHours(20));
        var id = await BookedAsync(mary, b, Text(soon));
        Assert.False((await ListItemAsync(mary, b, id)).GetProperty("canMove").GetBoolean());

        var refused = await (await MoveAsync(mary, b, id, At(Day(5), 10))).JsonAsync(HttpStatusCode.Conflict);

        Assert.Equal("policy-window", refused.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.False(string.IsNullOrWhiteSpace(refused.GetProperty("policyText").GetString()));
        Assert.Contains("contact", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(soon, (await MineAsync(mary, b, id)).GetProperty("start").GetDateTimeOffset());
        Assert.Empty(await App.OutboxAsync(b.Biz.Id, "AppointmentMoved"));
    }

    [Fact]
    public async Task A_taken_time_is_a_slot_conflict_and_a_time_not_offered_is_slot_unavailable_and_nothing_changes()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        var from = At(Day(3), 10);
        var id = await BookedAsync(mary, b, from);
        await BookedAsync(bob, b, At(Day(4), 10));

        Assert.Equal("slot-conflict", await (await MoveAsync(mary, b, id, At(Day(4), 10, 30))).KindAsync(HttpStatusCode.Conflict)); // Bob's, with its buffer
        Assert.Equal("slot-unavailable", await (await MoveAsync(mary, b, id, At(Day(4), 15, 10))).KindAsync(HttpStatusCode.Conflict)); // off the grid
        Assert.Equal("slot-unavailable", await (await MoveAsync(mary, b, id, At(Day(90), 10))).KindAsync(HttpStatusCode.Conflict)); // beyond the horizon
        Assert.Equal("slot-unavailable", await (await MoveAsync(mary, b, id, At(Day(-1), 10))).KindAsync(HttpStatusCode.Conflict)); // in the past
        var other = await b.Biz.DiaryAsync("Dr Beta"); // a diary not offering the service
        Assert.Equal("slot-unavailable", await (await MoveAsync(mary, b, id, At(Day(4), 15), other.ToString())).KindAsync(HttpStatusCode.Conflict));
        Assert.Equal("validation", await (await MoveAsync(mary, b, id, "tomorrow")).KindAsync(HttpStatusCode.BadRequest));

        Assert.Equal(DateTimeOffset.Parse(from, CultureInfo.InvariantCulture), (await MineAsync(mary, b, id)).GetProperty("start").GetDateTimeOffset());
        Assert.Empty(await App.OutboxAsync(b.Biz.Id, "AppointmentMoved"));
    }

    [Fact]
    public async Task Another_clients_appointment_is_not_found_and_access_levels_off_refuse_the_move()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        var marys = await BookedAsync(mary, b, At(Day(3), 10));

        Assert.Equal("not-found", await (await MoveAsync(bob, b, marys, At(Day(5), 10))).KindAsync(HttpStatusCode.NotFound));
        Assert.Equal("not-found", await (await MoveAsync(bob, b, Guid.NewGuid(), At(Day(5), 10))).KindAsync(HttpStatusCode.NotFound));

        await b.Biz.SettingsAsync(s => s["accessLevels"]!["cancel"] = false);
        Assert.False((await ListItemAsync(mary, b, marys)).GetProperty("canMove").GetBoolean());
        Assert.Equal("access-level-off", await (await MoveAsync(mary, b, marys, At(Day(5), 10))).KindAsync(HttpStatusCode.Forbidden));
        await b.Biz.SettingsAsync(s => { s["accessLevels"]!["cancel"] = true; s["accessLevels"]!["book"] = false; });
        Assert.Equal("access-level-off", await (await MoveAsync(mary, b, marys, At(Day(5), 10))).KindAsync(HttpStatusCode.Forbidden));

        Assert.Equal(DateTimeOffset.Parse(At(Day(3), 10), CultureInfo.InvariantCulture), (await MineAsync(mary, b, marys)).GetProperty("start").GetDateTimeOffset());
        Assert.Empty(await App.OutboxAsync(b.Biz.Id, "AppointmentMoved"));
    }

    [Fact]
    public async Task Staff_move_outside_hours_only_once_confirmed_never_over_another_appointment_and_a_practitioner_may_not()
    {
        var b = await App.BookableAsync();
        await b.Biz.RosterEveryDayAsync(b.DiaryId, "09:00", "17:00");
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        var id = await BookedAsync(mary, b, At(Day(3), 10));
        await BookedAsync(bob, b, At(Day(3), 14));

        var asked = await (await StaffMoveAsync(b.Biz.Owner, id, At(Day(3), 18))).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("slot-unavailable", asked.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal("outside-hours", Assert.Single(asked.GetProperty("concerns").EnumerateArray()).GetString());
        Assert.Equal(DateTimeOffset.Parse(At(Day(3), 10), CultureInfo.InvariantCulture), (await StaffViewAsync(b, id)).GetProperty("start").GetDateTimeOffset());

        Assert.Equal("slot-conflict", await (await StaffMoveAsync(b.Biz.Owner, id, At(Day(3), 14, 30))).KindAsync(HttpStatusCode.Conflict));

        var practitioner = await App.SignInPractitionerAsync(b.Biz);
        Assert.Equal("forbidden", await (await StaffMoveAsync(practitioner, id, At(Day(3), 11))).KindAsync(HttpStatusCode.Forbidden));
        Assert.Empty(await App.OutboxAsync(b.Biz.Id, "AppointmentMoved"));

        var moved = await (await StaffMoveAsync(b.Biz.Owner, id, At(Day(3), 18), confirm: "outside-hours")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(DateTimeOffset.Parse(At(Day(3), 18), CultureInfo.InvariantCulture), moved.GetProperty("start").GetDateTimeOffset());
        Assert.Equal("staff", moved.GetProperty("moved").GetProperty("by").GetString());
        Assert.Equal("Olive Owner", moved.GetProperty("moved").GetProperty("byStaff").GetProperty("name").GetString());
        var evt = JsonDocument.Parse(Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentMoved"))).RootElement;
        Assert.Equal("staff", evt.GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_move_into_the_past_or_to_year_9999_is_a_validation_problem_on_start_and_a_retired_services_appointment_still_moves()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));

        // Moved into the past it would count as started: no longer movable or cancellable. Refused, nothing written.
        var past = await (await StaffMoveAsync(b.Biz.Owner, id, At(Day(-1), 10), confirm: "outside-hours,busy-time,not-offered")).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("validation", past.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.True(past.GetProperty("errors").TryGetProperty("start", out _));
        var far = await (await MoveAsync(mary, b, id, "9999-12-31T23:30:00+00:00")).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(far.GetProperty("errors").TryGetProperty("start", out _));
        Assert.Equal(DateTimeOffset.Parse(At(Day(3), 10), CultureInfo.InvariantCulture), (await StaffViewAsync(b, id)).GetProperty("start").GetDateTimeOffset());
        Assert.Empty(await App.OutboxAsync(b.Biz.Id, "AppointmentMoved"));

        // The service retired since: its booked appointment keeps it and staff may still move it.
        (await b.Biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/services/{b.ServiceId}", UriKind.Relative))).EnsureSuccessStatusCode();
        var moved = await (await StaffMoveAsync(b.Biz.Owner, id, At(Day(3), 11), confirm: "not-offered")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(DateTimeOffset.Parse(At(Day(3), 11), CultureInfo.InvariantCulture), moved.GetProperty("start").GetDateTimeOffset());
    }

    [Fact]
    public async Task Two_moves_racing_for_one_time_one_wins_and_the_other_is_a_slot_conflict_with_nothing_written()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        var marys = await BookedAsync(mary, b, At(Day(3), 10));
        var bobs = await BookedAsync(bob, b, At(Day(3), 12));
        var target = At(Day(4), 9);

        var answers = await Task.WhenAll(MoveAsync(mary, b, marys, target), MoveAsync(bob, b, bobs, target));

        var statuses = answers.Select(a => a.StatusCode).OrderBy(s => s).ToList();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], statuses);
        var loser = answers[0].StatusCode == HttpStatusCode.Conflict ? (mary, marys, At(Day(3), 10)) : (bob, bobs, At(Day(3), 12));
        Assert.Equal("slot-conflict", await answers.Single(a => a.StatusCode == HttpStatusCode.Conflict).KindAsync(HttpStatusCode.Conflict));
        var loserView = await MineAsync(loser.Item1, b, loser.Item2);
        Assert.Equal(DateTimeOffset.Parse(loser.Item3, CultureInfo.InvariantCulture), loserView.GetProperty("start").GetDateTimeOffset());
        Assert.False((await StaffViewAsync(b, loser.Item2)).TryGetProperty("moved", out _));
        Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentMoved"));
    }

    [Fact]
    public async Task The_client_reaches_the_confirm_step_of_change_time_from_my_appointments()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));

        var list = await mary.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        var link = list.One($"#appointment-{id} a.move")?.GetAttribute("href");
        Assert.NotNull(link);
        var times = await mary.Http.PageAsync(System.Net.WebUtility.HtmlDecode(link!) + "&date=" + Iso(Day(4)));
        Assert.Equal(HttpStatusCode.OK, times.Status);
        var slot = times.All("#slots a.slot").First(a => a.QuerySelector("time")!.GetAttribute("datetime") == At(Day(4), 14, 30));
        var confirm = await mary.Http.PageAsync(System.Net.WebUtility.HtmlDecode(slot.GetAttribute("href")!));
        Assert.StartsWith("Move Consultation from ", confirm.One("#move-question")?.TextContent, StringComparison.Ordinal);

        Assert.NotNull(confirm.One("#move-form input[name='FormKey']"));

        // The post moves it and goes to My appointments; the same form posted again (a refresh, a double click) moves nothing twice.
        var moved = await mary.Http.SubmitAsync(confirm, new Dictionary<string, string>(), "#move-form");
        Assert.Equal(HttpStatusCode.Redirect, moved.Status);
        Assert.StartsWith("/ol/appointments", moved.Response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(DateTimeOffset.Parse(At(Day(4), 14, 30), CultureInfo.InvariantCulture), (await StaffViewAsync(b, id)).GetProperty("start").GetDateTimeOffset());
        var again = await mary.Http.SubmitAsync(confirm, new Dictionary<string, string>(), "#move-form");
        Assert.Equal(HttpStatusCode.Redirect, again.Status);
        Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentMoved"));
    }

    [Fact]
    public async Task Staff_move_from_the_appointment_page_asks_before_an_outside_hours_time_and_the_page_says_where_it_was()
    {
        var b = await App.BookableAsync();
        await b.Biz.RosterEveryDayAsync(b.DiaryId, "09:00", "17:00");
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));

        var page = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}");
        Assert.NotNull(page.One("#move-link"));
        var form = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}/move");
        var fields = new Dictionary<string, string> { ["Input.Date"] = Iso(Day(3)), ["Input.Time"] = "18:00" };
        var asked = await b.Biz.Owner.SubmitAsync(form, fields, "#move-form");
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.Contains("outside the diary's working hours", asked.One("#confirm-move")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(DateTimeOffset.Parse(At(Day(3), 10), CultureInfo.InvariantCulture), (await StaffViewAsync(b, id)).GetProperty("start").GetDateTimeOffset());

        var moved = await b.Biz.Owner.SubmitAsync(asked, fields, "#move-form");
        Assert.Equal(HttpStatusCode.Redirect, moved.Status);
        var shown = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}");
        Assert.StartsWith("Moved from ", shown.One("#moved-from")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("by Olive Owner (staff)", shown.One("#moved-from")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(DateTimeOffset.Parse(At(Day(3), 18), CultureInfo.InvariantCulture), (await StaffViewAsync(b, id)).GetProperty("start").GetDateTimeOffset());
    }
}
