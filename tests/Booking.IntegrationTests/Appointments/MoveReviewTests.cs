using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using Booking.BuildingBlocks.Jobs;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// The product review of moving (decision 288, after decision 282): the portal's confirm step says who with and asks only
/// about a time the move would take; a page left open while the appointment moved elsewhere refuses rather than moving it
/// again; the staff move page lists free times, names a closed day, offers only diaries providing the service.
/// </summary>
public sealed class MoveReviewTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    /// <summary>Mia Chen (the appointment's diary) and Tom Walsh both provide Consultation, online every day 00:00–23:30.</summary>
    private async Task<(Bookable B, Guid Mia, Guid Tom)> TwoDiariesAsync()
    {
        var biz = await App.SignUpBusinessAsync("mvr");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var mia = await biz.DiaryAsync("Mia Chen");
        var tom = await biz.DiaryAsync("Tom Walsh");
        await biz.RosterEveryDayAsync(mia, "00:00", "23:30");
        await biz.RosterEveryDayAsync(tom, "00:00", "23:30");
        var service = await biz.ServiceAsync("Consultation", 60, 15, [mia, tom]);
        return (new Bookable(biz, mia, service), mia, tom);
    }

    private static async Task<Guid> BookedAsync(PortalClient client, Bookable b, string start, Guid? diary = null) =>
        (await (await client.BookAsync(b, start, diaryId: diary)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static string ConfirmUrl(Bookable b, Guid id, string diary, string start) =>
        $"/ol/move?name={b.Biz.Slug}&id={id}&diary={diary}&start={Uri.EscapeDataString(start)}";

    private static async Task<DateTimeOffset> StartAsync(Bookable b, Guid id) =>
        (await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("start").GetDateTimeOffset();

    private static DateTimeOffset Parse(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    private static Task<HttpResponseMessage> MoveAsync(HttpClient http, string url, object body) => http.PostAsJsonAsync(url, body);

    // ---- 2: who with

    [Fact]
    public async Task The_confirm_step_says_who_with_when_the_diary_changes_and_resolves_any_to_the_diary_the_move_takes()
    {
        var (b, mia, tom) = await TwoDiariesAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        var id = await BookedAsync(mary, b, At(Day(3), 10), mia);
        await BookedAsync(bob, b, At(Day(4), 10), mia); // Mia is taken at the new time: "any" can only be Tom

        var chosen = await mary.Http.PageAsync(ConfirmUrl(b, id, tom.ToString(), At(Day(4), 14)));
        Assert.EndsWith("with Tom Walsh (was Mia Chen)?", chosen.One("#move-question")?.TextContent, StringComparison.Ordinal);

        var any = await mary.Http.PageAsync(ConfirmUrl(b, id, "any", At(Day(4), 10)));
        Assert.EndsWith("with Tom Walsh (was Mia Chen)?", any.One("#move-question")?.TextContent, StringComparison.Ordinal);
        // The form posts the diary it named, so the move takes exactly that one.
        Assert.Contains($"diary={tom}", WebUtility.HtmlDecode(any.One("#move-form")!.GetAttribute("action")), StringComparison.Ordinal);

        var moved = await mary.Http.SubmitAsync(any, new Dictionary<string, string>(), "#move-form");
        Assert.Equal(HttpStatusCode.Redirect, moved.Status);
        var view = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(tom, view.GetProperty("diaryId").GetGuid());
    }

    // ---- 3: a room is named as the portal names rooms

    [Fact]
    public async Task Change_time_names_a_room_after_a_dash_and_its_choice_where_and_any_available()
    {
        var biz = await App.SignUpBusinessAsync("mvroom");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var pool = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Hydrotherapy pool", kind = "resource", active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(pool, "00:00", "23:30");
        var service = await biz.ServiceAsync("Hydrotherapy session", 60, 0, [pool]);
        var b = new Bookable(biz, pool, service);
        var mary = await App.RegisterClientAsync(biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));

        var page = await mary.Http.PageAsync($"/ol/move?name={biz.Slug}&id={id}");

        Assert.Contains("Hydrotherapy session — Hydrotherapy pool", page.One("#current")?.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("with Hydrotherapy pool", page.One("#current")!.TextContent, StringComparison.Ordinal);
        // One place offers it: named, as the booking pages name it (decision 354), not a choice of one.
        Assert.Equal("Where: Hydrotherapy pool", page.One("#only-diary")?.TextContent.Trim());
        Assert.Null(page.One("#diary"));
    }

    // ---- 4: only a time the move would take is asked about

    [Fact]
    public async Task A_start_not_offered_is_refused_before_asking_and_that_days_times_are_shown()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{b.DiaryId}/exceptions", new { date = Iso(Day(6)), closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created);

        // Off the grid, a closed day, beyond the horizon: no question, the problem said at once.
        foreach (var start in new[] { At(Day(5), 10, 10), At(Day(6), 10), At(Day(90), 10) })
        {
            var page = await mary.Http.PageAsync(ConfirmUrl(b, id, b.DiaryId.ToString(), start));
            Assert.Null(page.One("#move-form"));
            Assert.Contains("not one of the times offered", page.One("#move-problem")?.TextContent, StringComparison.Ordinal);
        }

        // Off the grid: that day's free times, not today's.
        var offGrid = await mary.Http.PageAsync(ConfirmUrl(b, id, b.DiaryId.ToString(), At(Day(5), 10, 10)));
        var times = offGrid.All("#slots a.slot time").Select(t => t.GetAttribute("datetime")!).ToList();
        Assert.NotEmpty(times);
        Assert.All(times, t => Assert.StartsWith(Iso(Day(5)), t, StringComparison.Ordinal));

        Assert.Equal(Parse(At(Day(3), 10)), await StartAsync(b, id));
    }

    [Fact]
    public async Task A_move_refused_after_the_click_shows_the_chosen_days_free_times()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        var id = await BookedAsync(mary, b, At(Day(3), 10));
        var confirm = await mary.Http.PageAsync(ConfirmUrl(b, id, b.DiaryId.ToString(), At(Day(5), 14)));
        Assert.NotNull(confirm.One("#move-form"));
        await BookedAsync(bob, b, At(Day(5), 14)); // taken while the page was open

        var refused = await mary.Http.SubmitAsync(confirm, new Dictionary<string, string>(), "#move-form");

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.NotNull(refused.One("#move-problem"));
        var times = refused.All("#slots a.slot time").Select(t => t.GetAttribute("datetime")!).ToList();
        Assert.NotEmpty(times);
        Assert.All(times, t => Assert.StartsWith(Iso(Day(5)), t, StringComparison.Ordinal));
    }

    // ---- 5: a page left open while it moved elsewhere

    [Fact]
    public async Task A_move_expecting_where_it_no_longer_is_is_a_status_conflict_and_without_expectation_it_moves()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));
        var portal = $"/api/v1/portal/appointments/{id}/move?name={b.Biz.Slug}";
        var admin = $"/api/v1/admin/appointments/{id}/move";

        await (await MoveAsync(mary.Http, portal, new { start = At(Day(4), 10), expectedStart = At(Day(3), 10), expectedDiaryId = b.DiaryId })).JsonAsync(HttpStatusCode.OK);
        var stale = await (await MoveAsync(mary.Http, portal, new { start = At(Day(5), 10), expectedStart = At(Day(3), 10) })).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("status-conflict", stale.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Contains("This appointment changed since you opened this page", stale.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var staffStale = await (await MoveAsync(b.Biz.Owner, admin, new { start = At(Day(5), 11), expectedStart = At(Day(3), 10) })).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("status-conflict", staffStale.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal(Parse(At(Day(4), 10)), await StartAsync(b, id));
        Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentMoved"));

        // Left out (older clients): no check. A bad expectedDiaryId is a validation problem naming it.
        await (await MoveAsync(mary.Http, portal, new { start = At(Day(5), 10) })).JsonAsync(HttpStatusCode.OK);
        await (await MoveAsync(b.Biz.Owner, admin, new { start = At(Day(5), 11), expectedStart = At(Day(5), 10) })).JsonAsync(HttpStatusCode.OK);
        var bad = await (await MoveAsync(b.Biz.Owner, admin, new { start = At(Day(5), 12), expectedDiaryId = "nope" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("expectedDiaryId", out _));
    }

    [Fact]
    public async Task Two_tabs_the_second_confirm_of_a_moved_appointment_is_refused_not_repeated()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));
        var tabA = await mary.Http.PageAsync(ConfirmUrl(b, id, b.DiaryId.ToString(), At(Day(5), 9)));
        var tabB = await mary.Http.PageAsync(ConfirmUrl(b, id, b.DiaryId.ToString(), At(Day(4), 9)));

        Assert.Equal(HttpStatusCode.Redirect, (await mary.Http.SubmitAsync(tabB, new Dictionary<string, string>(), "#move-form")).Status);
        var stale = await mary.Http.SubmitAsync(tabA, new Dictionary<string, string>(), "#move-form");

        Assert.Equal(HttpStatusCode.OK, stale.Status);
        Assert.Contains("This appointment changed since you opened this page", stale.One("#move-problem")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(Parse(At(Day(4), 9)), await StartAsync(b, id));
        Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentMoved"));
    }

    [Fact]
    public async Task A_confirm_posted_after_the_appointment_was_cancelled_in_another_tab_says_so_once()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));
        var tab = await mary.Http.PageAsync(ConfirmUrl(b, id, b.DiaryId.ToString(), At(Day(5), 9)));
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{id}/cancel", new { reason = "" })).JsonAsync(HttpStatusCode.OK);

        var stale = await mary.Http.SubmitAsync(tab, new Dictionary<string, string>(), "#move-form");

        Assert.Equal(HttpStatusCode.OK, stale.Status);
        Assert.Null(stale.One("#move-problem"));
        var why = stale.One("#cannot-move");
        Assert.Equal("alert", why?.GetAttribute("role"));
        Assert.Equal("This appointment is cancelled, so its time cannot be changed. Book a new appointment instead.", why!.TextContent.Trim());
        Assert.Null((await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}")).One("#cannot-move")?.GetAttribute("role"));
    }

    [Fact]
    public async Task The_staff_move_page_left_open_while_it_moved_refuses_its_post()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));
        var tabA = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}/move");
        await (await MoveAsync(b.Biz.Owner, $"/api/v1/admin/appointments/{id}/move", new { start = At(Day(4), 10) })).JsonAsync(HttpStatusCode.OK);

        var stale = await b.Biz.Owner.SubmitAsync(tabA, new Dictionary<string, string> { ["Input.Date"] = Iso(Day(5)), ["Input.Time"] = "11:00" }, "#move-form");

        Assert.True(stale.Status == HttpStatusCode.OK, stale.Text);
        Assert.Contains("This appointment changed since you opened this page", stale.Text, StringComparison.Ordinal);
        Assert.Equal(Parse(At(Day(4), 10)), await StartAsync(b, id));
    }

    // ---- 6: the staff move page's free times

    [Fact]
    public async Task The_staff_move_page_lists_free_times_and_a_picked_one_fills_the_form_and_moves()
    {
        var b = await App.BookableAsync();
        await b.Biz.RosterEveryDayAsync(b.DiaryId, "09:00", "12:00");
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 9));

        var page = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}/move");
        Assert.NotNull(page.One("#free-times"));
        // Day 3 from 09:00 to 12:00, 60 min + 15 buffer on a 30-min grid: its own 9:00 holds 9:00–10:15, so 10:30 is free.
        var buttons = page.All("#free-times button[name=pick]");
        var tenThirty = buttons.First(x => x.TextContent.Trim().StartsWith("10:30", StringComparison.Ordinal));

        // The next day's list, then a pick: the form holds it; Move moves it there.
        var next = await PostButtonAsync(b.Biz.Owner, page, page.One("#free-times-next")!);
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.NotEqual(page.One("#free-times-title")?.TextContent, next.One("#free-times-title")?.TextContent);
        Assert.Equal(Iso(Day(4)), next.One("#Input_Date")?.GetAttribute("value"));
        var picked = await PostButtonAsync(b.Biz.Owner, page, tenThirty);
        Assert.Equal("10:30", picked.One("#Input_Time")?.GetAttribute("value"));
        Assert.NotNull(picked.One("#picked-time"));
        var moved = await b.Biz.Owner.SubmitAsync(picked, new Dictionary<string, string>(), "#move-form");
        Assert.Equal(HttpStatusCode.Redirect, moved.Status);
        Assert.Equal(Parse(At(Day(3), 10, 30)), await StartAsync(b, id));
    }

    // ---- 7: the staff move page's words and diaries

    [Fact]
    public async Task The_staff_move_page_says_a_date_is_not_real_names_a_closed_day_and_offers_only_diaries_providing_the_service()
    {
        var b = await App.BookableAsync();
        var room = await b.Biz.DiaryAsync("Room Nine"); // provides no Consultation
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{b.DiaryId}/exceptions", new { date = Iso(Day(5)), closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created);
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));

        var page = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}/move");
        var options = page.All("#Input_DiaryId option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains(b.DiaryId.ToString(), options);
        Assert.DoesNotContain(room.ToString(), options);

        var unreal = await b.Biz.Owner.SubmitAsync(page, new Dictionary<string, string> { ["Input.Date"] = "2026-02-30", ["Input.Time"] = "10:00" }, "#move-form");
        Assert.Contains("not a real date", unreal.One("#date-error")?.TextContent, StringComparison.Ordinal);

        var closed = await b.Biz.Owner.SubmitAsync(page, new Dictionary<string, string> { ["Input.Date"] = Iso(Day(5)), ["Input.Time"] = "10:00" }, "#move-form");
        Assert.Contains("the diary is closed that day", closed.One("#confirm-move")?.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("working hours", closed.One("#confirm-move")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(Parse(At(Day(3), 10)), await StartAsync(b, id));
    }

    // ---- 8: one wording for a request

    [Fact]
    public async Task Moving_a_booking_request_says_withdraw_it_as_the_page_does()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var wendy = await App.RegisterClientAsync(b.Biz, "Wendy");
        var requested = await (await wendy.BookAsync(b, At(Day(4), 10))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
        var id = requested.GetProperty("id").GetGuid();

        var refused = await (await MoveAsync(wendy.Http, $"/api/v1/portal/appointments/{id}/move?name={b.Biz.Slug}", new { start = At(Day(5), 10) })).JsonAsync(HttpStatusCode.Conflict);
        var page = await wendy.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}");

        Assert.Contains("withdraw it and book the time you want", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("withdraw it and book the time you want", page.One("#cannot-move")?.TextContent, StringComparison.Ordinal);
    }

    // ---- decision 308: the appointment's own time is not taken; its current start is no move; a retired service

    /// <summary>
    /// Mary's Consultation on day 3 at 10:00 (60 min + 15 buffer: it holds 10:00–11:15) and Bob's at 12:30 (12:30–13:45),
    /// in a diary open 00:00–23:30 on a 30-minute grid.
    /// </summary>
    private async Task<(Bookable B, PortalClient Mary, Guid Id)> MaryAtTenBobAtHalfTwelveAsync()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        var id = await BookedAsync(mary, b, At(Day(3), 10));
        await BookedAsync(bob, b, At(Day(3), 12, 30));
        return (b, mary, id);
    }

    [Fact]
    public async Task Change_time_offers_a_later_time_overlapping_its_own_marks_its_current_start_and_another_clients_time_stays_hidden()
    {
        var (b, mary, id) = await MaryAtTenBobAtHalfTwelveAsync();

        var page = await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}&date={Iso(Day(3))}");
        var links = page.All("#slots a.slot time").Select(t => Parse(t.GetAttribute("datetime")!)).ToList();
        Assert.Contains(Parse(At(Day(3), 10, 30)), links); // overlaps where it is now: the move takes it
        Assert.Contains(Parse(At(Day(3), 9, 30)), links);
        Assert.Contains(Parse(At(Day(3), 11)), links); // 11:00–12:15 ends before Bob's 12:30
        Assert.DoesNotContain(Parse(At(Day(3), 11, 30)), links); // its buffer runs into Bob's time
        Assert.DoesNotContain(Parse(At(Day(3), 12)), links);
        // Its own start is shown where it falls, as text, not a link: choosing it would move nothing.
        Assert.DoesNotContain(Parse(At(Day(3), 10)), links);
        var current = page.One("#slot-current");
        Assert.Equal("time", current?.GetAttribute("aria-current"));
        Assert.Equal(Parse(At(Day(3), 10)), Parse(current!.QuerySelector("time")!.GetAttribute("datetime")!));
        Assert.Contains("your current time", current.TextContent, StringComparison.Ordinal);

        // The confirm step agrees with the list: the current start is not asked about; Bob's time is not free.
        var same = await mary.Http.PageAsync(ConfirmUrl(b, id, b.DiaryId.ToString(), At(Day(3), 10)));
        Assert.Null(same.One("#move-form"));
        Assert.Contains("your appointment's current time", same.One("#move-problem")?.TextContent, StringComparison.Ordinal);
        var sameAny = await mary.Http.PageAsync(ConfirmUrl(b, id, "any", At(Day(3), 10)));
        Assert.Null(sameAny.One("#move-form"));
        var bobs = await mary.Http.PageAsync(ConfirmUrl(b, id, b.DiaryId.ToString(), At(Day(3), 12)));
        Assert.Null(bobs.One("#move-form"));
        Assert.Contains("no longer free", bobs.One("#move-problem")?.TextContent, StringComparison.Ordinal);

        var confirm = await mary.Http.PageAsync(ConfirmUrl(b, id, b.DiaryId.ToString(), At(Day(3), 10, 30)));
        Assert.NotNull(confirm.One("#move-form"));
        Assert.Equal(HttpStatusCode.Redirect, (await mary.Http.SubmitAsync(confirm, new Dictionary<string, string>(), "#move-form")).Status);
        Assert.Equal(Parse(At(Day(3), 10, 30)), await StartAsync(b, id));
    }

    [Fact]
    public async Task The_staff_move_page_offers_a_time_overlapping_its_own_marks_its_current_start_and_refuses_it_as_no_move()
    {
        var (b, _, id) = await MaryAtTenBobAtHalfTwelveAsync();

        var page = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}/move");
        var times = page.All("#free-times button[name=pick]").Select(x => x.TextContent.Trim()).ToList();
        // The owner's clock reads 12-hour ("10:30 AM").
        Assert.Contains(times, t => t.StartsWith("10:30 AM", StringComparison.Ordinal));
        Assert.Contains(times, t => t.StartsWith("9:30 AM", StringComparison.Ordinal));
        Assert.DoesNotContain(times, t => t.StartsWith("10:00 AM", StringComparison.Ordinal));
        Assert.DoesNotContain(times, t => t.StartsWith("12:00 PM", StringComparison.Ordinal)); // Bob's
        var current = page.One("#free-time-current");
        Assert.StartsWith("10:00 AM", current?.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("current time", current!.TextContent, StringComparison.Ordinal);
        Assert.Equal("time", current.GetAttribute("aria-current"));

        // The form opens at its current time: Move there is no move, said as such (not "Moved … to" the same time).
        var same = await b.Biz.Owner.SubmitAsync(page, new Dictionary<string, string>(), "#move-form");
        Assert.Equal(HttpStatusCode.OK, same.Status);
        Assert.Contains("current time", same.One("#time-error")?.TextContent, StringComparison.Ordinal);

        var picked = await PostButtonAsync(b.Biz.Owner, page, page.All("#free-times button[name=pick]").First(x => x.TextContent.Trim().StartsWith("10:30 AM", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, (await b.Biz.Owner.SubmitAsync(picked, new Dictionary<string, string>(), "#move-form")).Status);
        Assert.Equal(Parse(At(Day(3), 10, 30)), await StartAsync(b, id));
        Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentMoved"));
    }

    [Fact]
    public async Task A_retired_services_appointment_has_free_times_on_the_staff_move_page_and_moves_while_the_portal_says_it_cannot()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));
        Assert.Equal(HttpStatusCode.NoContent, (await b.Biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/services/{b.ServiceId}", UriKind.Relative))).StatusCode);

        var page = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}/move");
        Assert.Contains("no longer offered", page.One("#move-retired")?.TextContent, StringComparison.Ordinal);
        var buttons = page.All("#free-times button[name=pick]");
        Assert.NotEmpty(buttons);
        Assert.All(buttons, x => Assert.Contains("staff-only", x.GetAttribute("class"), StringComparison.Ordinal)); // no client can book it
        var picked = await PostButtonAsync(b.Biz.Owner, page, buttons.First(x => x.TextContent.Trim().StartsWith("2:00 PM", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, (await b.Biz.Owner.SubmitAsync(picked, new Dictionary<string, string>(), "#move-form")).Status);
        Assert.Equal(Parse(At(Day(3), 14)), await StartAsync(b, id));

        // The client cannot book it, so cannot move it (the server refuses): the page says so once, with no times to choose.
        var portal = await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}");
        Assert.Contains("no longer offers Consultation online", portal.One("#cannot-move")?.TextContent, StringComparison.Ordinal);
        Assert.Null(portal.One("#slots"));
        var confirm = await mary.Http.PageAsync(ConfirmUrl(b, id, b.DiaryId.ToString(), At(Day(4), 10)));
        Assert.Null(confirm.One("#move-form"));
        Assert.Null(confirm.One("#move-problem"));
        Assert.NotNull(confirm.One("#cannot-move"));
        var refused = await (await MoveAsync(mary.Http, $"/api/v1/portal/appointments/{id}/move?name={b.Biz.Slug}", new { start = At(Day(4), 10) })).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("slot-unavailable", refused.GetProperty("type").GetString()!.Split('/')[^1]);
    }

    [Fact]
    public async Task Change_time_opens_on_any_when_its_own_diary_no_longer_offers_the_service_and_says_why()
    {
        var (b, mia, tom) = await TwoDiariesAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10), mia);
        await (await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{b.ServiceId}", Setup.SetupApi.ServiceBody("Consultation", [tom])))
            .JsonAsync(HttpStatusCode.OK);

        var page = await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}&date={Iso(Day(4))}");

        Assert.Equal("Mia Chen no longer offers Consultation online, so a new time is with Tom Walsh.", page.One("#move-diary-note")?.TextContent.Trim());
        Assert.Equal("With: Tom Walsh", page.One("#only-diary")?.TextContent.Trim()); // the one diary left: named, not chosen
        Assert.Null(page.One("#diary"));
        Assert.NotEmpty(page.All("#slots a.slot"));
        var confirm = await mary.Http.PageAsync(page.All("#slots a.slot").First().GetAttribute("href")!);
        Assert.EndsWith("with Tom Walsh (was Mia Chen)?", confirm.One("#move-question")?.TextContent, StringComparison.Ordinal);
    }

    /// <summary>
    /// Decision 313 (5): with "any" and its own diary no longer offering the service, the appointment's own start is a
    /// real move (to another diary at that time), so it is listed as a time to choose and asked about, not marked and
    /// refused as "your current time" (which "any" means only while its own diary is among those offered).
    /// </summary>
    [Fact]
    public async Task Change_time_with_any_offers_its_own_start_in_another_diary_when_its_own_no_longer_offers_the_service()
    {
        var (b, mia, tom) = await TwoDiariesAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10), mia);
        await (await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{b.ServiceId}", Setup.SetupApi.ServiceBody("Consultation", [tom])))
            .JsonAsync(HttpStatusCode.OK);

        var page = await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}&date={Iso(Day(3))}");
        Assert.Equal("With: Tom Walsh", page.One("#only-diary")?.TextContent.Trim());
        Assert.Contains("diary=any", WebUtility.HtmlDecode(page.All("#slots a.slot").First().GetAttribute("href")), StringComparison.Ordinal);
        Assert.Null(page.One("#slot-current"));
        Assert.Contains(Parse(At(Day(3), 10)), page.All("#slots a.slot time").Select(t => Parse(t.GetAttribute("datetime")!)));

        var confirm = await mary.Http.PageAsync(ConfirmUrl(b, id, "any", At(Day(3), 10)));
        Assert.Null(confirm.One("#move-problem"));
        Assert.EndsWith("with Tom Walsh (was Mia Chen)?", confirm.One("#move-question")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await mary.Http.SubmitAsync(confirm, new Dictionary<string, string>(), "#move-form")).Status);
        var view = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal((tom, Parse(At(Day(3), 10))), (view.GetProperty("diaryId").GetGuid(), view.GetProperty("start").GetDateTimeOffset()));
    }

    // ---- decision 318: canMove says no for a service no longer offered online; an inactive own diary on the staff page

    private static async Task<System.Text.Json.JsonElement> MineAsync(PortalClient client, Bookable b, Guid id) =>
        await (await client.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static async Task<System.Text.Json.JsonElement> ListItemAsync(PortalClient client, Bookable b, Guid id) =>
        (await (await client.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}&when=upcoming", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id);

    [Fact]
    public async Task A_retired_services_appointment_answers_can_move_false_with_its_reason_and_my_appointments_says_why_and_whom_to_contact()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));
        var before = await ListItemAsync(mary, b, id);
        Assert.True(before.GetProperty("canMove").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, before.GetProperty("cannotMoveReason").ValueKind);
        // Another inside its cancellation window (the default 24 hours): that reason comes first, as the move route refuses.
        var now = DateTimeOffset.UtcNow;
        var soon = (await mary.Http.SlotsAsync(b, Day(0), Day(1))).Starts().First(x => x - now > TimeSpan.FromHours(3) && x - now < TimeSpan.FromHours(20));
        var late = await BookedAsync(mary, b, soon.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));

        Assert.Equal(HttpStatusCode.NoContent, (await b.Biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/services/{b.ServiceId}", UriKind.Relative))).StatusCode);

        // The list and the one appointment agree with the move route, which refuses it (slot-unavailable).
        foreach (var answer in new[] { await ListItemAsync(mary, b, id), await MineAsync(mary, b, id) })
        {
            Assert.False(answer.GetProperty("canMove").GetBoolean());
            Assert.Equal("service-not-offered", answer.GetProperty("cannotMoveReason").GetString());
            Assert.True(answer.GetProperty("canCancel").GetBoolean()); // cancelling is not about the service
        }

        Assert.Equal("policy-window", (await MineAsync(mary, b, late)).GetProperty("cannotMoveReason").GetString());

        var list = await mary.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Null(list.One($"#appointment-{id} a.move"));
        Assert.Contains("no longer offers Consultation online, so this appointment's time cannot be changed here",
            list.One($"#appointment-{id} .not-movable")?.TextContent, StringComparison.Ordinal);
        // This business gave no phone, email or address: no "contact" line, the one line saying so (decision 359).
        Assert.Null(list.One("#not-movable-contact"));
        Assert.Equal($"Business {b.Biz.Slug} hasn't given a phone number or email address here.", list.One("#no-contact")?.TextContent.Trim());
    }

    [Fact]
    public async Task An_appointment_whose_only_diary_is_inactive_cannot_be_moved_by_the_client_and_the_staff_page_says_why()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));
        await (await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{b.DiaryId}", new { name = "Dr Alpha", contactEmail = "diary@test.example", active = false }))
            .JsonAsync(HttpStatusCode.OK);

        // No active diary provides the service online: no client could book it, so canMove says no, with the reason.
        var mine = await MineAsync(mary, b, id);
        Assert.False(mine.GetProperty("canMove").GetBoolean());
        Assert.Equal("service-not-offered", mine.GetProperty("cannotMoveReason").GetString());

        // Staff: said plainly, not "No free times"; no form, as no diary can take it.
        var page = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}/move");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.StartsWith("Dr Alpha is inactive and no active diary offers Consultation", page.One("#move-diary-inactive")?.TextContent, StringComparison.Ordinal);
        Assert.Null(page.One("#move-form"));
    }

    [Fact]
    public async Task The_staff_move_page_of_an_appointment_in_an_inactive_diary_says_so_and_moves_it_to_another_diary_offering_the_service()
    {
        var (b, mia, tom) = await TwoDiariesAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10), mia);
        await (await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{mia}", new { name = "Mia Chen", contactEmail = "mia@test.example", active = false }))
            .JsonAsync(HttpStatusCode.OK);

        var page = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}/move");

        Assert.Equal("Mia Chen is inactive, so this appointment cannot stay in it: choose another diary that offers Consultation.",
            page.One("#move-diary-inactive")?.TextContent.Trim());
        var options = page.All("#Input_DiaryId option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Equal([tom.ToString()], options);
        Assert.Contains("move-diary-inactive", page.One("#Input_DiaryId")?.GetAttribute("aria-describedby"), StringComparison.Ordinal);
        // The form opens on Tom's free times that day, not on the inactive diary's empty list.
        var buttons = page.All("#free-times button[name=pick]");
        Assert.NotEmpty(buttons);
        var picked = await PostButtonAsync(b.Biz.Owner, page, buttons.First(x => x.TextContent.Trim().StartsWith("2:00 PM", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, (await b.Biz.Owner.SubmitAsync(picked, new Dictionary<string, string>(), "#move-form")).Status);

        var moved = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(tom, moved.GetProperty("diaryId").GetGuid());
        Assert.Equal(Parse(At(Day(3), 14)), moved.GetProperty("start").GetDateTimeOffset());
    }

    [Fact]
    public async Task Leaving_the_moving_appointment_out_of_the_busy_time_works_only_on_its_own_business()
    {
        var (b, _, id) = await MaryAtTenBobAtHalfTwelveAsync();
        var other = await App.BookableAsync();
        var zoe = await App.RegisterClientAsync(other.Biz, "Zoe");
        var othersId = await BookedAsync(zoe, other, At(Day(3), 10));
        var day = Iso(Day(3));

        async Task<List<DateTimeOffset>> FreeAsync(Bookable at, Guid? moving)
        {
            await using var scope = await TenantScope.OpenAsync(App.Services.GetRequiredService<IServiceScopeFactory>(), at.Biz.Id, CancellationToken.None);
            var view = await scope.ServiceProvider.GetRequiredService<ISender>()
                .Send(new Booking.Appointments.Features.Availability.GetAvailability(at.ServiceId.ToString(), at.DiaryId.ToString(), day, day) { Moving = moving });
            return view.Slots.Select(s => s.Start).ToList();
        }

        Assert.DoesNotContain(Parse(At(Day(3), 10, 30)), await FreeAsync(b, null));
        var moving = await FreeAsync(b, id);
        Assert.Contains(Parse(At(Day(3), 10, 30)), moving);
        Assert.DoesNotContain(Parse(At(Day(3), 12)), moving); // Bob's time stays taken
        // Another business's appointment id is none of this one's: not found, nothing left out.
        var foreign = await Assert.ThrowsAsync<Booking.BuildingBlocks.Problems.ProblemException>(() => FreeAsync(b, othersId));
        Assert.Equal(404, foreign.Status);
        Assert.DoesNotContain(Parse(At(Day(3), 10, 30)), await FreeAsync(other, null));
    }

    /// <summary>What a browser sends for a submit button of the move form: the form's fields, the button's name and value, to its formaction.</summary>
    private static async Task<HtmlPage> PostButtonAsync(HttpClient http, HtmlPage page, AngleSharp.Dom.IElement button)
    {
        var form = (IHtmlFormElement)page.One("#" + (button.GetAttribute("form") ?? "move-form"))!;
        var values = PortalHtml.FormValues(form, new HashSet<string>(StringComparer.Ordinal));
        if (button.GetAttribute("name") is { } name)
        {
            values.Add(new(name, button.GetAttribute("value")!));
        }

        var action = WebUtility.HtmlDecode(button.GetAttribute("formaction")!).Split('#')[0];
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(action, UriKind.Relative)) { Content = new FormUrlEncodedContent(values) };
        return await PortalHtml.ReadAsync(await http.SendAsync(request));
    }

    // ---- session 39 (decision 325): Change time opens near the appointment; a day the business has since closed is said

    [Fact]
    public async Task Change_time_opens_on_the_appointments_own_day_with_the_days_around_it()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(10), 10));

        var page = await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}");

        // Its own day, where its time is shown as its current one, not today.
        Assert.Equal(Iso(Day(10)), page.One("#date")?.GetAttribute("value"));
        Assert.Equal(At(Day(10), 10), page.One("#slot-current time")?.GetAttribute("datetime"));
        var times = page.All("#slots a.slot time").Select(t => t.GetAttribute("datetime")!).ToList();
        Assert.NotEmpty(times);
        Assert.All(times, t => Assert.StartsWith(Iso(Day(10)), t, StringComparison.Ordinal));
        // The days around it are offered: three before, three after.
        var days = page.All(".other-days a").Select(x => x.GetAttribute("href")!).ToList();
        Assert.Contains(days, h => h.Contains($"date={Iso(Day(7))}", StringComparison.Ordinal));
        Assert.Contains(days, h => h.Contains($"date={Iso(Day(13))}", StringComparison.Ordinal));
        Assert.DoesNotContain(days, h => h.Contains($"date={Iso(Day(6))}", StringComparison.Ordinal));

        // A day chosen is kept as before.
        var chosen = await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}&date={Iso(Day(2))}");
        Assert.Equal(Iso(Day(2)), chosen.One("#date")?.GetAttribute("value"));
    }

    [Fact]
    public async Task An_appointment_on_a_day_the_business_has_since_closed_is_said_so_on_my_appointments_change_time_and_cancel()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(10), 10));
        var other = await BookedAsync(mary, b, At(Day(12), 10));
        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/closed-days", new { from = Iso(Day(10)), to = Iso(Day(10)), label = "Staff training" }))
            .JsonAsync(HttpStatusCode.Created);
        var business = $"Business {b.Biz.Slug}";

        // The API says it, of that appointment only (a closed day cancels nothing: it is still confirmed).
        var mine = await (await mary.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.True(mine.GetProperty("onClosedDay").GetBoolean());
        Assert.Equal("confirmed", mine.GetProperty("status").GetString());
        var list = (await (await mary.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}&when=upcoming", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().ToDictionary(x => x.GetProperty("id").GetGuid(), x => x.GetProperty("onClosedDay").GetBoolean());
        Assert.True(list[id]);
        Assert.False(list[other]);

        var appointments = await mary.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Equal($"{business} has since closed on this day. They may be in touch; you can choose a new time or cancel it.",
            appointments.One($"#appointment-{id} .closed-day")?.TextContent.Trim());
        Assert.Null(appointments.One($"#appointment-{other} .closed-day"));
        // No phone, email or address given: not "contact them" (decision 359), the one line saying so.
        Assert.Null(appointments.One("#closed-day-contact"));
        Assert.Equal($"{business} hasn't given a phone number or email address here.", appointments.One("#no-contact")?.TextContent.Trim());
        Assert.DoesNotContain("Staff training", appointments.Text, StringComparison.Ordinal);

        // Change time says it above, and opens on the free day nearest the appointment's, not on "No free times".
        var move = await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}");
        Assert.Equal($"{business} has since closed on this day. They may be in touch; you can choose a new time below or cancel it.", move.One("#closed-day")?.TextContent.Trim());
        Assert.Equal(Iso(Day(9)), move.One("#date")?.GetAttribute("value"));
        Assert.Null(move.One("#day-empty"));
        Assert.NotEmpty(move.All("#slots a.slot"));

        var cancel = await mary.Http.PageAsync($"/ol/cancel?name={b.Biz.Slug}&id={id}");
        Assert.Equal($"{business} has since closed on this day. They may be in touch; you can cancel it below or choose a new time.", cancel.One("#closed-day")?.TextContent.Trim());
        Assert.Null((await mary.Http.PageAsync($"/ol/cancel?name={b.Biz.Slug}&id={other}")).One("#closed-day"));
    }
}
