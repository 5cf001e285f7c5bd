using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Infrastructure;
using NodaTime;
using static Booking.IntegrationTests.Appointments.ClashScene;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Closing a day, giving it other hours, or adding busy time over live appointments saves and answers which
/// appointments are left out (never cancelling them); the pages list them with links, and the diary marks them.
/// </summary>
public sealed class ClashWarningTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    /// <summary>The clash scene with the cancelled appointment at 14:00, under the busy time 10:30–15:00.</summary>
    private Task<ClashScene> SceneAsync() => ClashScene.CreateAsync(App, cancelledHour: 14);

    private async Task<JsonElement> DiaryAsync(Bookable b, LocalDate from, LocalDate to) =>
        await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(from)}&to={Iso(to)}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static List<string> ClashesOf(JsonElement diary, Guid appointment) =>
        diary.GetProperty("appointments").EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == appointment)
            .GetProperty("clashes").EnumerateArray().Select(c => c.GetString()!).ToList();

    [Fact]
    public async Task Closing_a_day_or_shortening_it_answers_the_live_appointments_it_leaves_out_and_keeps_them()
    {
        var s = await SceneAsync();
        var owner = s.B.Biz.Owner;
        var exceptions = $"/api/v1/admin/diaries/{s.B.DiaryId}/exceptions";

        var closed = await (await owner.PostAsJsonAsync(exceptions, new { date = Iso(s.Day), closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.Created);
        // Not the cancelled one, nor another diary's, nor the next day's.
        s.AssertNoahsClashAlone(closed);

        // Reads of the exception say nothing of clashes (only a save's answer does).
        var id = closed.GetProperty("id").GetGuid();
        var read = await (await owner.GetAsync(new Uri($"{exceptions}/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.False(read.TryGetProperty("clashes", out _));

        // Other hours that end before the appointment does leave it out; hours that hold it do not.
        var shorter = await (await owner.PutAsJsonAsync($"{exceptions}/{id}", new
        {
            date = Iso(s.Day), closed = false, blocks = new[] { new { start = "09:00", end = "11:30", bookableOnline = true } },
        })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([s.Noah], Ids(shorter));
        var holding = await (await owner.PutAsJsonAsync($"{exceptions}/{id}", new
        {
            date = Iso(s.Day), closed = false,
            blocks = new[] { new { start = "09:00", end = "11:00", bookableOnline = true }, new { start = "11:00", end = "13:00", bookableOnline = false } },
        })).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(Ids(holding));

        // Nothing was cancelled.
        var appointment = await (await owner.GetAsync(new Uri($"/api/v1/admin/appointments/{s.Noah}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", appointment.GetProperty("status").GetString());
        Assert.False(appointment.TryGetProperty("clashes", out _));
    }

    /// <summary>
    /// Dr Alpha works Monday to Friday 09:00–17:00 and nothing at weekends; a Saturday and Sunday got "10:00–14:00"
    /// exceptions (opened hours) with an appointment in each, and a Monday one at 07:00 (outside the week's hours, no
    /// exception). Removing the exceptions puts the weekend appointments outside the diary's hours: the removal answers
    /// them (and goes ahead, cancelling nothing), and nothing else.
    /// </summary>
    private async Task<(Bookable B, LocalDate Saturday, Guid OnSaturday, Guid OnSunday, Guid EarlyMonday, Guid OnTuesday)> WeekendSceneAsync()
    {
        var b = await App.BookableAsync();
        await (await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{b.DiaryId}/roster", new
        {
            blocks = new[] { "monday", "tuesday", "wednesday", "thursday", "friday" }.Select(weekday => new { weekday, start = "09:00", end = "17:00", bookableOnline = true }),
        })).JsonAsync(HttpStatusCode.OK);
        var saturday = Day(6);
        while (saturday.DayOfWeek != IsoDayOfWeek.Saturday)
        {
            saturday = saturday.PlusDays(1);
        }

        var client = await App.RegisterClientAsync(b.Biz, "Wendy", "Weekend");
        var onSaturday = await StaffBookAsync(b.Biz, client.Id, b.ServiceId, b.DiaryId, At(saturday, 11));
        var onSunday = await StaffBookAsync(b.Biz, client.Id, b.ServiceId, b.DiaryId, At(saturday.PlusDays(1), 12));
        var earlyMonday = await StaffBookAsync(b.Biz, client.Id, b.ServiceId, b.DiaryId, At(saturday.PlusDays(2), 7));
        var onTuesday = await StaffBookAsync(b.Biz, client.Id, b.ServiceId, b.DiaryId, At(saturday.PlusDays(3), 10));
        return (b, saturday, onSaturday, onSunday, earlyMonday, onTuesday);
    }

    private static async Task<Guid> OpenAsync(TestBusiness biz, Guid diary, LocalDate date) =>
        (await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{diary}/exceptions", new
        {
            date = Iso(date), closed = false, blocks = new[] { new { start = "10:00", end = "14:00", bookableOnline = true } },
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<HttpResponseMessage> DeletePreferringAnswerAsync(HttpClient staff, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Prefer", "return=representation");
        return await staff.SendAsync(request);
    }

    [Fact]
    public async Task Removing_an_exception_that_opened_hours_answers_the_appointments_booked_in_them_and_removes_it()
    {
        var (b, saturday, onSaturday, _, _, _) = await WeekendSceneAsync();
        var exceptions = $"/api/v1/admin/diaries/{b.DiaryId}/exceptions";
        var opened = await OpenAsync(b.Biz, b.DiaryId, saturday);

        // The API's answer to a DELETE stays 204 (API.md) unless the caller asks for the representation.
        var removed = await DeletePreferringAnswerAsync(b.Biz.Owner, $"{exceptions}/{opened}");
        Assert.Equal("return=representation", removed.Headers.GetValues("Preference-Applied").Single());
        var answer = await removed.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, answer.GetProperty("removed").GetInt32());
        Assert.Equal([Iso(saturday)], answer.GetProperty("dates").EnumerateArray().Select(d => d.GetString()).ToList());
        Assert.Equal([onSaturday], Ids(answer));
        var clash = Assert.Single(answer.GetProperty("clashes").EnumerateArray());
        Assert.Equal("Wendy Weekend", clash.GetProperty("clientName").GetString());
        Assert.Equal(DateTimeOffset.Parse(At(saturday, 11), null), clash.GetProperty("start").GetDateTimeOffset());
        Assert.Empty((await (await b.Biz.Owner.GetAsync(new Uri(exceptions, UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        var appointment = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{onSaturday}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", appointment.GetProperty("status").GetString());
        Assert.Equal(["outside-hours"], ClashesOf(await DiaryAsync(b, saturday, saturday), onSaturday));

        // Without the preference: 204 and no body, the exception gone all the same.
        var again = await OpenAsync(b.Biz, b.DiaryId, saturday);
        var plain = await b.Biz.Owner.DeleteAsync(new Uri($"{exceptions}/{again}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, plain.StatusCode);
        Assert.Empty(await plain.Content.ReadAsStringAsync());
        Assert.Empty((await (await b.Biz.Owner.GetAsync(new Uri(exceptions, UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Removing_exceptions_over_a_range_answers_the_appointments_their_dates_leave_out_and_no_other()
    {
        var (b, saturday, onSaturday, onSunday, earlyMonday, onTuesday) = await WeekendSceneAsync();
        var exceptions = $"/api/v1/admin/diaries/{b.DiaryId}/exceptions";
        await (await b.Biz.Owner.PostAsJsonAsync($"{exceptions}/range", new
        {
            from = Iso(saturday), to = Iso(saturday.PlusDays(1)), closed = false, blocks = new[] { new { start = "10:00", end = "14:00", bookableOnline = true } },
        })).JsonAsync(HttpStatusCode.Created);
        // Tuesday closed: its 10:00 is inside the week's hours again once the exception goes.
        await (await b.Biz.Owner.PostAsJsonAsync(exceptions, new { date = Iso(saturday.PlusDays(3)), closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created);

        // Saturday to Tuesday: Monday had no exception, so its 07:00 (outside the week's hours all along) is not the removal's doing.
        var removed = await (await b.Biz.Owner.DeleteAsync(new Uri($"{exceptions}/range?from={Iso(saturday)}&to={Iso(saturday.PlusDays(3))}", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, removed.GetProperty("removed").GetInt32());
        Assert.Equal([onSaturday, onSunday], Ids(removed));
        Assert.DoesNotContain(earlyMonday, Ids(removed));
        Assert.DoesNotContain(onTuesday, Ids(removed));
        Assert.Empty((await (await b.Biz.Owner.GetAsync(new Uri(exceptions, UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Removing_an_exception_whose_date_the_week_covers_answers_no_clashes()
    {
        var (b, saturday, _, _, _, onTuesday) = await WeekendSceneAsync();
        var exceptions = $"/api/v1/admin/diaries/{b.DiaryId}/exceptions";
        var tuesday = saturday.PlusDays(3);
        var closed = await (await b.Biz.Owner.PostAsJsonAsync(exceptions, new { date = Iso(tuesday), closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal([onTuesday], Ids(closed)); // closing it left the 10:00 out; removing the closure puts it back inside

        var removed = await (await DeletePreferringAnswerAsync(b.Biz.Owner, $"{exceptions}/{closed.GetProperty("id").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(Ids(removed));
        var range = await (await b.Biz.Owner.DeleteAsync(new Uri($"{exceptions}/range?from={Iso(tuesday)}&to={Iso(tuesday.PlusDays(2))}", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, range.GetProperty("removed").GetInt32());
        Assert.Empty(Ids(range));
    }

    [Fact]
    public async Task The_roster_page_lists_the_appointments_a_removal_leaves_outside_the_weekly_hours()
    {
        var (b, saturday, onSaturday, _, _, _) = await WeekendSceneAsync();
        await OpenAsync(b.Biz, b.DiaryId, saturday);
        var page = $"/staff/setup/roster/{b.DiaryId}";
        var document = await new HtmlParser().ParseDocumentAsync(await b.Biz.Owner.GetStringAsync(new Uri(page, UriKind.Relative)));
        var remove = document.QuerySelectorAll("#exception-list > li").Single().QuerySelector("form")!;
        var fields = remove.QuerySelectorAll("input[type=hidden][name]").Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""));
        var posted = await b.Biz.Owner.PostAsync(new Uri(remove.GetAttribute("action")!, UriKind.Relative), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.EndsWith("#clashes", posted.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var after = await new HtmlParser().ParseDocumentAsync(await b.Biz.Owner.GetStringAsync(new Uri(page, UriKind.Relative)));
        var notice = after.QuerySelector("#clashes[role=status]")!;
        Assert.Contains(" removed.", notice.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 appointment is outside this diary's weekly hours:", notice.TextContent, StringComparison.Ordinal);
        Assert.Contains("Nothing was cancelled", notice.TextContent, StringComparison.Ordinal);
        var link = Assert.Single(notice.QuerySelectorAll("a"));
        Assert.Equal($"/staff/diary/appointments/{onSaturday}", link.GetAttribute("href"));
        Assert.Equal("Wendy Weekend, 11:00 AM–12:00 PM Consultation", link.TextContent);
    }

    [Fact]
    public async Task A_busy_block_over_an_appointment_answers_it_and_the_diary_marks_it()
    {
        var s = await SceneAsync();
        var owner = s.B.Biz.Owner;

        var block = await (await owner.PostAsJsonAsync("/api/v1/admin/busy-blocks",
            new { diaryId = s.B.DiaryId, start = At(s.Day, 9, 30), end = At(s.Day, 11), note = "Training" })).JsonAsync(HttpStatusCode.Created);
        Assert.Empty(Ids(block)); // ends as Noah's starts
        var over = await (await owner.PostAsJsonAsync("/api/v1/admin/busy-blocks",
            new { diaryId = s.B.DiaryId, start = At(s.Day, 10, 30), end = At(s.Day, 15) })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal([s.Noah], Ids(over)); // not the cancelled 14:00, nor Dr Beta's 11:00
        var read = await (await owner.GetAsync(new Uri($"/api/v1/admin/busy-blocks/{over.GetProperty("id").GetGuid()}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.False(read.TryGetProperty("clashes", out _));

        var diary = await DiaryAsync(s.B, s.Day, s.Day.PlusDays(1));
        Assert.Equal(["busy-time"], ClashesOf(diary, s.Noah));
        Assert.Empty(ClashesOf(diary, s.OtherDiary));
        Assert.Empty(ClashesOf(diary, s.NextDay));
        Assert.Empty(ClashesOf(diary, s.Cancelled));
    }

    [Fact]
    public async Task The_diary_marks_an_appointment_outside_its_diarys_hours_for_its_date()
    {
        var s = await SceneAsync();
        await (await s.B.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{s.B.DiaryId}/exceptions", new
        {
            date = Iso(s.Day), closed = false, blocks = new[] { new { start = "08:00", end = "10:00", bookableOnline = true } },
        })).JsonAsync(HttpStatusCode.Created);

        var diary = await DiaryAsync(s.B, s.Day, s.Day.PlusDays(1));
        Assert.Equal(["outside-hours"], ClashesOf(diary, s.Noah));
        Assert.Empty(ClashesOf(diary, s.OtherDiary));
        Assert.Empty(ClashesOf(diary, s.NextDay));

        foreach (var view in new[] { "day", "week" })
        {
            var page = await new HtmlParser().ParseDocumentAsync(await s.B.Biz.Owner.GetStringAsync(
                new Uri($"/staff/diary?date={Iso(s.Day)}&view={view}&diary={s.B.DiaryId}", UriKind.Relative)));
            var entry = page.QuerySelectorAll("li.diary-entry.appointment")
                .Single(li => li.QuerySelector("a")!.GetAttribute("href") == $"/staff/diary/appointments/{s.Noah}");
            Assert.Equal("Outside hours", entry.QuerySelector(".clash-note")?.TextContent);
            var next = page.QuerySelectorAll("li.diary-entry.appointment")
                .Where(li => li.QuerySelector("a")!.GetAttribute("href") == $"/staff/diary/appointments/{s.NextDay}");
            Assert.All(next, li => Assert.Null(li.QuerySelector(".clash-note")));
        }
    }

    [Fact]
    public async Task A_diary_with_no_roster_marks_nothing_outside_hours_until_an_exception_sets_that_date()
    {
        var b = await App.BookableAsync();
        var unrostered = await b.Biz.DiaryAsync("Room 2");
        var service = await b.Biz.ServiceAsync("Fitting", 60, 0, [b.DiaryId, unrostered]);
        var client = await App.RegisterClientAsync(b.Biz, "Una", "Rostered");
        var day = Day(6);
        var booked = await StaffBookAsync(b.Biz, client.Id, service, unrostered, At(day, 7));

        Assert.Empty(ClashesOf(await DiaryAsync(b, day, day), booked));

        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{unrostered}/exceptions", new { date = Iso(day), closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal(["outside-hours"], ClashesOf(await DiaryAsync(b, day, day), booked));
    }

    [Fact]
    public async Task The_roster_page_lists_a_closed_days_appointments_with_links_after_saving()
    {
        var s = await SceneAsync();
        var page = $"/staff/setup/roster/{s.B.DiaryId}";
        var fields = new Dictionary<string, string> { ["NewException.Date"] = Iso(s.Day), ["NewException.Closed"] = "true" };
        using (var posted = await PostRosterFormAsync(s.B.Biz.Owner, page, "Exception", fields))
        {
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }

        var after = await new HtmlParser().ParseDocumentAsync(await s.B.Biz.Owner.GetStringAsync(new Uri(page, UriKind.Relative)));
        var notice = after.QuerySelector("[role=status].notice")!;
        Assert.Contains("saved.", notice.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 appointment is on this closed day:", notice.TextContent, StringComparison.Ordinal);
        Assert.Contains("Nothing was cancelled", notice.TextContent, StringComparison.Ordinal);
        // What staff can do: open one to move or cancel it, or cancel them all with the form under the notice (decision 279).
        Assert.Contains("Nothing was cancelled yet. Open an appointment to move it, or cancel them all below.", notice.TextContent, StringComparison.Ordinal);
        Assert.NotNull(notice.QuerySelector("form.cancel-clashes"));
        var link = Assert.Single(notice.QuerySelectorAll("a"));
        Assert.Equal($"/staff/diary/appointments/{s.Noah}", link.GetAttribute("href"));
        Assert.Equal("Noah New, 11:00 AM–12:00 PM Massage", link.TextContent);
    }

    [Fact]
    public async Task The_busy_page_lists_the_appointments_the_busy_time_overlaps_with_links()
    {
        var s = await SceneAsync();
        var posted = await StaffDiaryTests.PostPageAsync(s.B.Biz.Owner, "/staff/diary/busy", new Dictionary<string, string>
        {
            ["Input.DiaryId"] = s.B.DiaryId.ToString(), ["Input.Date"] = Iso(s.Day), ["Input.Start"] = "09:30", ["Input.End"] = "11:30",
        });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);

        var diary = await new HtmlParser().ParseDocumentAsync(await s.B.Biz.Owner.GetStringAsync(posted.Headers.Location!));
        var notice = diary.QuerySelector("[role=status].notice")!;
        Assert.Contains("Busy time added.", notice.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 appointment is in this busy time:", notice.TextContent, StringComparison.Ordinal);
        var link = Assert.Single(notice.QuerySelectorAll("a"));
        Assert.Equal($"/staff/diary/appointments/{s.Noah}", link.GetAttribute("href"));
        Assert.Equal("Noah New, 11:00 AM–12:00 PM Massage", link.TextContent);
        var entry = diary.QuerySelectorAll("li.diary-entry.appointment")
            .Single(li => li.QuerySelector("a")!.GetAttribute("href") == $"/staff/diary/appointments/{s.Noah}");
        Assert.Equal("Clashes with busy time", entry.QuerySelector(".clash-note")?.TextContent);

        // A busy time over nobody's appointment says only that it was added.
        var quiet = await StaffDiaryTests.PostPageAsync(s.B.Biz.Owner, "/staff/diary/busy", new Dictionary<string, string>
        {
            ["Input.DiaryId"] = s.B.DiaryId.ToString(), ["Input.Date"] = Iso(s.Day), ["Input.Start"] = "16:00", ["Input.End"] = "17:00",
        });
        var plain = await new HtmlParser().ParseDocumentAsync(await s.B.Biz.Owner.GetStringAsync(quiet.Headers.Location!));
        Assert.Equal("Busy time added.", plain.QuerySelector("[role=status].notice")!.TextContent.Trim());
    }
}
