using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using NodaTime;
using static Booking.IntegrationTests.Appointments.ClashScene;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// The business closed on a date or over several, for every diary at once (decision 289): <c>/api/v1/admin/closed-days</c>
/// and Setup → Roster's "Business closed days". The closure is the business's own row, which every reader of hours
/// honours: the portal's free times, staff free times, the staff booking's confirm step and the staff diary.
/// </summary>
public sealed class BusinessClosedDaysTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static async Task<JsonElement> CloseAsync(TestBusiness biz, LocalDate from, LocalDate to, string? label, HttpStatusCode expected = HttpStatusCode.Created) =>
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/closed-days", new { from = Iso(from), to = Iso(to), label })).JsonAsync(expected);

    private static async Task<JsonElement> ReopenAsync(TestBusiness biz, LocalDate from, LocalDate to) =>
        await (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/closed-days?from={Iso(from)}&to={Iso(to)}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static async Task<HashSet<LocalDate>> SlotDatesAsync(HttpClient http, Bookable b, Guid diary, LocalDate from, LocalDate to) =>
        (await http.SlotsAsync(b, from, to, diary.ToString())).Starts().Select(s => LocalDate.FromDateTime(s.DateTime)).ToHashSet();

    private static string ErrorOn(JsonElement problem, string field) =>
        string.Join(" ", problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));

    [Fact]
    public async Task Closed_days_take_every_diarys_free_times_a_later_diarys_too_and_removing_them_gives_them_back_leaving_a_diarys_own_exception()
    {
        var b = await App.BookableAsync();
        var beta = await b.Biz.DiaryAsync("Dr Beta");
        await b.Biz.RosterEveryDayAsync(beta, "09:00", "17:00");
        var (first, last) = (Day(5), Day(6));
        // Dr Beta's own day off on the second date, saved before the business closes.
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{beta}/exceptions", new { date = Iso(last), closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created);
        var other = await App.BookableAsync(); // another business, open on those dates
        var portal = App.NewClient();
        Assert.Contains(first, await SlotDatesAsync(portal, b, b.DiaryId, first, last));

        var saved = await CloseAsync(b.Biz, first, last, "Christmas");

        Assert.Equal([Iso(first), Iso(last)], saved.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("date").GetString()).ToList());
        Assert.All(saved.GetProperty("items").EnumerateArray(), i => Assert.Equal("Christmas", i.GetProperty("label").GetString()));
        Assert.Empty(saved.GetProperty("clashes").EnumerateArray());
        // A diary added after the closure is closed on those dates too, and open around them.
        var gamma = await b.Biz.DiaryAsync("Dr Gamma");
        await b.Biz.RosterEveryDayAsync(gamma, "09:00", "17:00");
        var service = await b.Biz.ServiceAsync("Massage", 60, 0, [b.DiaryId, beta, gamma]);
        var massage = b with { ServiceId = service };
        foreach (var diary in new[] { b.DiaryId, beta, gamma })
        {
            var dates = await SlotDatesAsync(portal, massage, diary, first.PlusDays(-1), last.PlusDays(1));
            Assert.DoesNotContain(first, dates);
            Assert.DoesNotContain(last, dates);
            Assert.Contains(first.PlusDays(-1), dates);
            Assert.Contains(last.PlusDays(1), dates);
        }

        Assert.Contains(first, await SlotDatesAsync(portal, other, other.DiaryId, first, last)); // another business is open
        // Staff free times: none on the closed dates either.
        var staffFree = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/availability?service={service}&diary={gamma}&from={Iso(first)}&to={Iso(last)}", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Empty(staffFree.GetProperty("slots").EnumerateArray());
        // A staff booking on a closed date is asked about, as on a diary's closed day.
        var client = await App.RegisterClientAsync(b.Biz);
        var check = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments/check",
            new { clientId = client.Id, serviceId = service, diaryId = gamma, start = At(first, 10), petId = (Guid?)null, note = "" })).JsonAsync(HttpStatusCode.OK);
        Assert.Contains("outside-hours", check.GetProperty("concerns").EnumerateArray().Select(c => c.GetString()));
        Assert.Empty(check.GetProperty("workingHours").EnumerateArray());
        // The portal's day says why it has no times, without staff's label.
        var closedDay = await client.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={service}&diary=any&date={Iso(first)}");
        Assert.Contains("is closed that day.", closedDay.One("[data-business-closed]")?.TextContent ?? closedDay.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Christmas", closedDay.Text, StringComparison.Ordinal);
        // Moving an appointment to that day says the same.
        var booked = (await (await client.BookAsync(b, At(first.PlusDays(-1), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var moveDay = await client.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={booked}&date={Iso(first)}");
        Assert.Equal($"No free times on this day. Business {b.Biz.Slug} is closed that day.", moveDay.One("#day-empty")?.TextContent.Trim());

        var removed = await ReopenAsync(b.Biz, first, last);

        Assert.Equal(2, removed.GetProperty("removed").GetInt32());
        Assert.Equal([Iso(first), Iso(last)], removed.GetProperty("dates").EnumerateArray().Select(d => d.GetString()).ToList());
        Assert.Contains(first, await SlotDatesAsync(portal, massage, gamma, first, last));
        Assert.Contains(last, await SlotDatesAsync(portal, massage, gamma, first, last));
        Assert.DoesNotContain("is closed that day", (await client.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={service}&diary=any&date={Iso(first)}")).Text,
            StringComparison.Ordinal);
        // Dr Beta's own day off stays: open on the first date, closed on the second.
        var betas = await SlotDatesAsync(portal, massage, beta, first, last);
        Assert.Contains(first, betas);
        Assert.DoesNotContain(last, betas);
        var exceptions = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{beta}/exceptions", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([Iso(last)], exceptions.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("date").GetString()).ToList());
        var inHours = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments/check",
            new { clientId = client.Id, serviceId = service, diaryId = gamma, start = At(first, 10), petId = (Guid?)null, note = "" })).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(inHours.GetProperty("concerns").EnumerateArray());
        // Nothing left to remove is an answer, not an error.
        Assert.Equal(0, (await ReopenAsync(b.Biz, first, last)).GetProperty("removed").GetInt32());
    }

    [Fact]
    public async Task Closing_over_booked_days_saves_and_lists_the_live_appointments_of_every_diary_and_the_diary_marks_them()
    {
        var scene = await ClashScene.CreateAsync(App, cancelledHour: 14);

        var saved = await CloseAsync(scene.B.Biz, scene.Day, scene.Day, "Staff training");

        // Dr Alpha's and Dr Beta's live appointments that day, by start; not the cancelled one, not the next day's.
        Assert.Equal(2, Ids(saved).Count);
        Assert.True(Ids(saved).ToHashSet().SetEquals([scene.Noah, scene.OtherDiary]), string.Join(", ", Ids(saved)));
        Assert.DoesNotContain(scene.Cancelled, Ids(saved));
        Assert.DoesNotContain(scene.NextDay, Ids(saved));
        var diary = await (await scene.B.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(scene.Day)}&to={Iso(scene.Day)}", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.OK);
        var outside = diary.GetProperty("appointments").EnumerateArray()
            .Where(a => a.GetProperty("clashes").EnumerateArray().Any(c => c.GetString() == "outside-hours")).Select(a => a.GetProperty("id").GetGuid()).ToHashSet();
        Assert.True(outside.SetEquals([scene.Noah, scene.OtherDiary]), string.Join(", ", outside));
        // The staff diary says why, on that day.
        var page = await scene.B.Biz.Owner.PageAsync($"/staff/diary?date={Iso(scene.Day)}&view=day");
        Assert.Equal("Business closed: Staff training", page.One("[data-business-closed]")?.TextContent.Trim());
        var nextDay = await scene.B.Biz.Owner.PageAsync($"/staff/diary?date={Iso(scene.Day.PlusDays(1))}&view=day");
        Assert.Null(nextDay.One("[data-business-closed]"));
    }

    [Fact]
    public async Task Bad_input_is_refused_on_its_field_a_closed_date_is_named_and_only_owners_and_admins_may_close()
    {
        var b = await App.BookableAsync();
        var day = Day(10);

        var backwards = await CloseAsync(b.Biz, day, day.PlusDays(-1), null, HttpStatusCode.BadRequest);
        Assert.Equal("The last date is before the first date.", ErrorOn(backwards, "to"));
        var control = await CloseAsync(b.Biz, day, day, "Christmas\u0007Eve", HttpStatusCode.BadRequest);
        Assert.Equal(["label"], SetupApi.ErrorFields(control));
        var tooLong = await CloseAsync(b.Biz, day, day, new string('x', 101), HttpStatusCode.BadRequest);
        Assert.Equal("Use at most 100 characters.", ErrorOn(tooLong, "label"));
        var tooMany = await CloseAsync(b.Biz, day, day.PlusDays(366), null, HttpStatusCode.BadRequest);
        Assert.Equal("A range covers at most 366 dates.", ErrorOn(tooMany, "to"));
        var unreadable = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/closed-days", new { from = "24/12/2026", to = Iso(day) })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["from"], SetupApi.ErrorFields(unreadable));
        // A past date (decision 310): it would close nothing, and no list shows it to remove; said with today's date.
        var past = await CloseAsync(b.Biz, Day(-2), Day(1), "Missed", HttpStatusCode.BadRequest);
        Assert.Equal(["from"], SetupApi.ErrorFields(past));
        Assert.Equal($"{Booking.BuildingBlocks.Time.DateStyle.DayFirst.Long(Day(-2))} has passed: the business can be closed from today ({Booking.BuildingBlocks.Time.DateStyle.DayFirst.Long(Day(0))}) on.",
            ErrorOn(past, "from"));
        var list = await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/closed-days", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(list.GetProperty("items").EnumerateArray()); // nothing saved by any of them

        await CloseAsync(b.Biz, day, day, "Holiday");
        var again = await CloseAsync(b.Biz, day.PlusDays(-2), day.PlusDays(2), "Week off", HttpStatusCode.BadRequest);
        // The date as every page writes it (the business's date style; AU: day first), not the machine's "2026-12-15".
        Assert.Equal($"The business is already closed on {Booking.BuildingBlocks.Time.DateStyle.DayFirst.Long(day)}; nothing was saved. Remove that closed day first, or choose dates around it.",
            ErrorOn(again, "from"));
        // A diary's exception range says its taken dates the same way.
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{b.DiaryId}/exceptions",
            new { date = Iso(day.PlusDays(20)), closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.Created);
        var taken = await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{b.DiaryId}/exceptions/range",
            new { from = Iso(day.PlusDays(19)), to = Iso(day.PlusDays(21)), closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith($"This diary already has an exception on {Booking.BuildingBlocks.Time.DateStyle.DayFirst.Long(day.PlusDays(20))}; nothing was saved.",
            ErrorOn(taken, "from"), StringComparison.Ordinal);
        list = await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/closed-days", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([Iso(day)], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("date").GetString()).ToList());

        var practitioner = await App.SignInPractitionerAsync(b.Biz);
        Assert.Equal("forbidden", await (await practitioner.PostAsJsonAsync("/api/v1/admin/closed-days", new { from = Iso(day.PlusDays(5)), to = Iso(day.PlusDays(5)) }))
            .KindAsync(HttpStatusCode.Forbidden));
        Assert.Equal("forbidden", await (await practitioner.DeleteAsync(new Uri($"/api/v1/admin/closed-days?from={Iso(day)}&to={Iso(day)}", UriKind.Relative)))
            .KindAsync(HttpStatusCode.Forbidden));
        // Another business sees none of them, and removing there removes none of ours.
        var other = await App.BookableAsync();
        Assert.Empty((await (await other.Biz.Owner.GetAsync(new Uri("/api/v1/admin/closed-days", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray());
        Assert.Equal(0, (await ReopenAsync(other.Biz, day, day)).GetProperty("removed").GetInt32());
        Assert.Single((await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/closed-days", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_roster_page_closes_a_range_lists_it_as_one_row_says_whom_it_leaves_out_and_removes_it()
    {
        var scene = await ClashScene.CreateAsync(App, cancelledHour: 14);
        var biz = scene.B.Biz;
        var page = await biz.Owner.PageAsync("/staff/setup/roster");
        Assert.Contains("No closed days ahead.", page.One("#closed-days")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("First date", page.One("label[for=Closed_From]")?.TextContent);
        Assert.Equal("Label (optional)", page.One("label[for=Closed_Label]")?.TextContent);

        // Bad input is said on its field, nothing saved.
        var refused = await biz.Owner.SubmitAsync(page, PortalHtml.Fields(("Closed.From", Iso(scene.Day)), ("Closed.To", Iso(scene.Day.PlusDays(-1))), ("Closed.Label", "")),
            "#close-business-form");
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal("The last date is before the first date.", refused.One("#closed-to-error")?.TextContent.Trim());
        var past = await biz.Owner.SubmitAsync(page, PortalHtml.Fields(("Closed.From", Iso(Day(-3))), ("Closed.To", ""), ("Closed.Label", "")), "#close-business-form");
        Assert.Equal(HttpStatusCode.OK, past.Status);
        Assert.StartsWith($"{Booking.BuildingBlocks.Time.DateStyle.DayFirst.Long(Day(-3))} has passed", past.One("#closed-from-error")?.TextContent.Trim(), StringComparison.Ordinal);

        var saved = await biz.Owner.SubmitAsync(page, PortalHtml.Fields(("Closed.From", Iso(scene.Day)), ("Closed.To", Iso(scene.Day.PlusDays(1))), ("Closed.Label", "Christmas")),
            "#close-business-form");
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var after = await biz.Owner.PageAsync("/staff/setup/roster");
        var notice = after.One("#closed-days-clashes")!.TextContent;
        Assert.Contains("The business is closed from", notice, StringComparison.Ordinal);
        Assert.Contains("3 appointments are on the closed days:", notice, StringComparison.Ordinal); // Dr Alpha's two, Dr Beta's one
        Assert.Equal(3, after.All("#closed-days-clashes .clash-list a").Length);
        var row = Assert.Single(after.All("tr[data-closed-run]"));
        Assert.Contains("(2 dates)", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Christmas", row.TextContent, StringComparison.Ordinal);

        // "Cancel these and tell the clients" works from it, over every diary: the confirm step lists all three, then cancels them.
        var review = await biz.Owner.SubmitAsync(after, PortalHtml.Fields(("Reason", "We are closed for Christmas.")), "#closed-days-clashes form.cancel-clashes");
        Assert.Equal(HttpStatusCode.OK, review.Status);
        var listed = review.All("#cancel-list a").Select(a => Guid.Parse(a.GetAttribute("href")!.Split('/')[^1])).ToHashSet();
        Assert.True(listed.SetEquals([scene.Noah, scene.OtherDiary, scene.NextDay]), review.Text);
        var done = await biz.Owner.SubmitAsync(review, PortalHtml.Fields(), "form[action*='handler=Confirm']");
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        foreach (var id in new[] { scene.Noah, scene.OtherDiary, scene.NextDay })
        {
            var appointment = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
            Assert.Equal("cancelled", appointment.GetProperty("status").GetString());
        }

        var removed = await biz.Owner.SubmitAsync(after, PortalHtml.Fields(), $"tr[data-closed-run='{Iso(scene.Day)}'] form");
        Assert.Equal(HttpStatusCode.Redirect, removed.Status);
        var reopened = await biz.Owner.PageAsync("/staff/setup/roster");
        Assert.Contains("The business is open again on 2 dates.", reopened.One("#closed-days")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(reopened.All("tr[data-closed-run]"));

        // Practitioners do not get the page, as the rest of Setup → Roster.
        var practitioner = await App.SignInPractitionerAsync(biz);
        Assert.Equal(HttpStatusCode.Forbidden, (await practitioner.GetAsync(new Uri("/staff/setup/roster", UriKind.Relative))).StatusCode);
    }
}
