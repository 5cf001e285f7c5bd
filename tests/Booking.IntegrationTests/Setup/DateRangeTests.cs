using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Infrastructure;
using NodaTime;
using static Booking.IntegrationTests.Appointments.ClashScene;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// Holidays and leave in one save (decision 242): a dated exception over a range of dates (API and the roster page), all
/// or nothing, its clashes over the whole range; busy time from one date and time to another on /staff/diary/busy. A
/// London business: the clocks go forward on Sunday 28 March 2027 (01:00 GMT → 02:00 BST).
/// </summary>
public sealed class DateRangeTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    private BookingApp App => shared.App;

    private static string LondonAt(string date, int hour, int minute = 0) =>
        LocalDate.FromDateTime(DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture)).At(new LocalTime(hour, minute))
            .InZoneStrictly(London).ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(TestBusiness Biz, Guid Diary, Guid Service, Guid Client)> LondonAsync(string slug)
    {
        var biz = await App.SignUpBusinessAsync(slug, "Europe/London", "GB");
        var diary = await biz.DiaryAsync("Dr Alpha");
        await biz.RosterEveryDayAsync(diary, "00:00", "23:30");
        var service = await biz.ServiceAsync("Massage", 60, 0, [diary], currency: "GBP");
        var client = await App.RegisterClientAsync(biz, "Noah", "New");
        return (biz, diary, service, client.Id);
    }

    [Fact]
    public async Task Exception_hours_at_a_time_the_clocks_skip_are_refused_on_the_block_while_a_repeated_time_is_kept()
    {
        var biz = await App.SignUpBusinessAsync("gap", "Europe/London", "GB");
        var diary = await biz.DiaryAsync("Dr Gap");
        var exceptions = $"/api/v1/admin/diaries/{diary}/exceptions";
        object Hours(string date, string start, string end) => new { date, closed = false, blocks = new[] { new { start, end, bookableOnline = true } } };

        // 28 March 2027 in London: 01:00 GMT is 02:00 BST; 01:15 and 01:45 name no moment.
        var skipped = await (await biz.Owner.PostAsJsonAsync(exceptions, Hours("2027-03-28", "01:15", "01:45"))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("There is no 01:15 on Sunday 28 March 2027: the clocks go forward from 01:00 to 02:00 (GMT to BST). Choose another time.", ErrorOn(skipped, "blocks[0].start"));
        Assert.StartsWith("There is no 01:45 on Sunday 28 March 2027", ErrorOn(skipped, "blocks[0].end"), StringComparison.Ordinal);
        var endInGap = await (await biz.Owner.PostAsJsonAsync(exceptions, Hours("2027-03-28", "00:30", "01:30"))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.False(endInGap.GetProperty("errors").TryGetProperty("blocks[0].start", out _));
        Assert.StartsWith("There is no 01:30 on Sunday 28 March 2027", ErrorOn(endInGap, "blocks[0].end"), StringComparison.Ordinal);
        // A range over the change day is refused for that day, nothing written.
        var range = await (await biz.Owner.PostAsJsonAsync($"{exceptions}/range",
            new { from = "2027-03-26", to = "2027-03-30", closed = false, blocks = new[] { new { start = "01:30", end = "03:00", bookableOnline = true } } }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("There is no 01:30 on Sunday 28 March 2027", ErrorOn(range, "blocks[0].start"), StringComparison.Ordinal);
        Assert.Empty(await ExceptionDatesAsync(biz, diary));

        // Written as the staff diary writes times there: a US business's clock and date order.
        var us = await App.SignUpBusinessAsync("gap-us", "America/New_York", "US");
        var usDiary = await us.DiaryAsync("Dr Gap");
        var usSkipped = await (await us.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{usDiary}/exceptions", Hours("2027-03-14", "02:30", "04:00")))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("There is no 2:30 AM on Sunday, March 14, 2027: the clocks go forward from 2:00 AM to 3:00 AM (EST to EDT). Choose another time.",
            ErrorOn(usSkipped, "blocks[0].start"));

        // The same hours on other days, and the repeated hour of the night the clocks go back, are real times.
        await (await biz.Owner.PostAsJsonAsync(exceptions, Hours("2027-03-27", "01:15", "01:45"))).JsonAsync(HttpStatusCode.Created);
        await (await biz.Owner.PostAsJsonAsync(exceptions, Hours("2027-10-31", "01:15", "01:45"))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(["2027-03-27", "2027-10-31"], await ExceptionDatesAsync(biz, diary));
    }

    private static async Task<List<string>> ExceptionDatesAsync(TestBusiness biz, Guid diary) =>
        (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{diary}/exceptions", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
        .GetProperty("items").EnumerateArray().Select(e => e.GetProperty("date").GetString()!).ToList();

    private static string ErrorOn(JsonElement problem, string field) =>
        string.Join(" ", problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));

    [Fact]
    public async Task Other_hours_over_a_range_across_the_clock_change_save_every_date_and_answer_the_clashes_of_the_whole_range()
    {
        var (biz, diary, service, client) = await LondonAsync("range-dst");
        // Hours 10:00–12:30 from Friday 26 to Monday 29 March 2027.
        var inside = await StaffBookAsync(biz, client, service, diary, LondonAt("2027-03-27", 11));
        var earlyOnTheChange = await StaffBookAsync(biz, client, service, diary, LondonAt("2027-03-28", 8));
        var insideOnTheChange = await StaffBookAsync(biz, client, service, diary, LondonAt("2027-03-28", 10, 30));
        var lateAfter = await StaffBookAsync(biz, client, service, diary, LondonAt("2027-03-29", 13));
        var insideAfter = await StaffBookAsync(biz, client, service, diary, LondonAt("2027-03-29", 11, 30)); // 11:30 BST is 10:30 UTC
        var afterTheRange = await StaffBookAsync(biz, client, service, diary, LondonAt("2027-03-30", 13));

        var saved = await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{diary}/exceptions/range", new
        {
            from = "2027-03-26", to = "2027-03-29", closed = false, blocks = new[] { new { start = "10:00", end = "12:30", bookableOnline = true } },
        })).JsonAsync(HttpStatusCode.Created);

        Assert.Equal(["2027-03-26", "2027-03-27", "2027-03-28", "2027-03-29"], saved.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("date").GetString()).ToList());
        Assert.All(saved.GetProperty("items").EnumerateArray(), e => Assert.Equal("12:30", e.GetProperty("blocks")[0].GetProperty("end").GetString()));
        Assert.Equal([earlyOnTheChange, lateAfter], Ids(saved));
        Assert.DoesNotContain(afterTheRange, Ids(saved));
        Assert.DoesNotContain(inside, Ids(saved));
        Assert.DoesNotContain(insideOnTheChange, Ids(saved));
        Assert.DoesNotContain(insideAfter, Ids(saved));
        Assert.Equal(["2027-03-26", "2027-03-27", "2027-03-28", "2027-03-29"], await ExceptionDatesAsync(biz, diary));

        // The working hours are the local 10:00–12:30 on both sides of the change: the diary marks only those two.
        var day = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/diary?from=2027-03-26&to=2027-03-30", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var outside = day.GetProperty("appointments").EnumerateArray()
            .Where(a => a.GetProperty("clashes").EnumerateArray().Any(c => c.GetString() == "outside-hours")).Select(a => a.GetProperty("id").GetGuid()).ToList();
        Assert.Equal([earlyOnTheChange, lateAfter], outside);
    }

    [Fact]
    public async Task A_range_with_a_date_that_already_has_an_exception_saves_nothing_and_names_the_date()
    {
        var (biz, diary, _, _) = await LondonAsync("range-clash");
        var exceptions = $"/api/v1/admin/diaries/{diary}/exceptions";
        await (await biz.Owner.PostAsJsonAsync(exceptions, new { date = "2027-03-28", closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.Created);

        var refused = await (await biz.Owner.PostAsJsonAsync($"{exceptions}/range", new { from = "2027-03-20", to = "2027-04-02", closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Sunday 28 March 2027", ErrorOn(refused, "from"), StringComparison.Ordinal); // in words, as pages write dates (decision 302)
        Assert.Equal(["2027-03-28"], await ExceptionDatesAsync(biz, diary)); // none of the 13 free dates was written

        // The limits, each on its field, nothing saved.
        var backwards = await (await biz.Owner.PostAsJsonAsync($"{exceptions}/range", new { from = "2027-04-10", to = "2027-04-09", closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("before the first", ErrorOn(backwards, "to"), StringComparison.Ordinal);
        var tooLong = await (await biz.Owner.PostAsJsonAsync($"{exceptions}/range", new { from = "2027-04-10", to = "2028-04-10", closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("A range covers at most 366 dates.", ErrorOn(tooLong, "to"));
        var closedWithHours = await (await biz.Owner.PostAsJsonAsync($"{exceptions}/range", new
        {
            from = "2027-04-10", to = "2027-04-12", closed = true, blocks = new[] { new { start = "10:00", end = "12:00", bookableOnline = true } },
        })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(closedWithHours.GetProperty("errors").TryGetProperty("blocks", out _));
        Assert.Equal(["2027-03-28"], await ExceptionDatesAsync(biz, diary));

        // 366 dates (a leap year's 29 February among them) is the most.
        var year = await (await biz.Owner.PostAsJsonAsync($"{exceptions}/range", new { from = "2027-04-10", to = "2028-04-09", closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal(366, year.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_roster_page_closes_a_range_and_refuses_one_over_an_existing_exception_in_words()
    {
        var (biz, diary, service, client) = await LondonAsync("range-page");
        var booked = await StaffBookAsync(biz, client, service, diary, LondonAt("2027-03-29", 9));
        var page = $"/staff/setup/roster/{diary}";

        var saved = await PostRosterFormAsync(biz.Owner, page, "Exception", new Dictionary<string, string>
        {
            ["NewException.Date"] = "2027-03-27", ["NewException.LastDate"] = "2027-03-30", ["NewException.Closed"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(["2027-03-27", "2027-03-28", "2027-03-29", "2027-03-30"], await ExceptionDatesAsync(biz, diary));
        var after = await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri(saved.Headers.Location!.OriginalString, UriKind.Relative)));
        Assert.Contains("Exceptions from Saturday 27 March 2027 to Tuesday 30 March 2027 saved (4 dates).", after.QuerySelector("#clashes")?.TextContent, StringComparison.Ordinal);
        Assert.NotNull(after.QuerySelector($"#clashes a[href='/staff/diary/appointments/{booked}']"));

        var refused = await PostRosterFormAsync(biz.Owner, page, "Exception", new Dictionary<string, string>
        {
            ["NewException.Date"] = "2027-03-25", ["NewException.LastDate"] = "2027-03-28", ["NewException.Closed"] = "true",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var form = await new HtmlParser().ParseDocumentAsync(await refused.Content.ReadAsStringAsync());
        Assert.Equal(
            "This diary already has an exception on Saturday 27 March 2027; Sunday 28 March 2027. Nothing was saved: change or remove those first, or choose dates around them.",
            form.QuerySelector("#exception-last-date-error")?.TextContent);
        Assert.Equal(["2027-03-27", "2027-03-28", "2027-03-29", "2027-03-30"], await ExceptionDatesAsync(biz, diary));

        var backwards = await PostRosterFormAsync(biz.Owner, page, "Exception", new Dictionary<string, string>
        {
            ["NewException.Date"] = "2027-04-05", ["NewException.LastDate"] = "2027-04-01", ["NewException.Closed"] = "true",
        });
        var backwardsForm = await new HtmlParser().ParseDocumentAsync(await backwards.Content.ReadAsStringAsync());
        Assert.Contains("before the first", backwardsForm.QuerySelector("#exception-last-date-error")?.TextContent, StringComparison.Ordinal);

        // A last date that does not read (a hand-made post) is said in the page's words, not the API's YYYY-MM-DD.
        var unreadable = await PostRosterFormAsync(biz.Owner, page, "Exception", new Dictionary<string, string>
        {
            ["NewException.Date"] = "2027-04-05", ["NewException.LastDate"] = "next week", ["NewException.Closed"] = "true",
        });
        var unreadableForm = await new HtmlParser().ParseDocumentAsync(await unreadable.Content.ReadAsStringAsync());
        Assert.Equal("Choose the last date, or leave it empty for one date.", unreadableForm.QuerySelector("#exception-last-date-error")?.TextContent.Trim());
    }

    [Fact]
    public async Task Removing_a_range_removes_every_exception_in_it_in_one_go_and_says_how_many_and_none_is_an_answer()
    {
        var (biz, diary, _, _) = await LondonAsync("range-remove");
        var exceptions = $"/api/v1/admin/diaries/{diary}/exceptions";
        await (await biz.Owner.PostAsJsonAsync($"{exceptions}/range", new { from = "2027-03-20", to = "2027-03-25", closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created);
        await (await biz.Owner.PostAsJsonAsync(exceptions, new { date = "2027-03-27", closed = false, blocks = new[] { new { start = "10:00", end = "12:00", bookableOnline = true } } }))
            .JsonAsync(HttpStatusCode.Created);
        await (await biz.Owner.PostAsJsonAsync(exceptions, new { date = "2027-04-01", closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.Created);
        var other = await App.SignUpBusinessAsync("range-remove-other", "Europe/London", "GB");
        var otherDiary = await other.DiaryAsync("Dr Other");
        await (await other.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{otherDiary}/exceptions", new { date = "2027-03-23", closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created);

        // Closed days and other hours alike, from the 22nd to the 27th: five exceptions, the 26th had none.
        var removed = await (await biz.Owner.DeleteAsync(new Uri($"{exceptions}/range?from=2027-03-22&to=2027-03-27", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(5, removed.GetProperty("removed").GetInt32());
        Assert.Equal(["2027-03-22", "2027-03-23", "2027-03-24", "2027-03-25", "2027-03-27"], removed.GetProperty("dates").EnumerateArray().Select(d => d.GetString()).ToList());
        Assert.Equal(["2027-03-20", "2027-03-21", "2027-04-01"], await ExceptionDatesAsync(biz, diary));
        Assert.Equal(["2027-03-23"], await ExceptionDatesAsync(other, otherDiary)); // another business's are not this diary's

        // Again: nothing there, and the answer says so.
        var none = await (await biz.Owner.DeleteAsync(new Uri($"{exceptions}/range?from=2027-03-22&to=2027-03-27", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, none.GetProperty("removed").GetInt32());
        Assert.Empty(none.GetProperty("dates").EnumerateArray());

        // The range's rules are the save's, each on its field; nothing removed.
        var backwards = await (await biz.Owner.DeleteAsync(new Uri($"{exceptions}/range?from=2027-04-02&to=2027-03-20", UriKind.Relative))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("before the first", ErrorOn(backwards, "to"), StringComparison.Ordinal);
        var tooLong = await (await biz.Owner.DeleteAsync(new Uri($"{exceptions}/range?from=2027-03-01&to=2028-03-01", UriKind.Relative))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("A range covers at most 366 dates.", ErrorOn(tooLong, "to"));
        var noFrom = await (await biz.Owner.DeleteAsync(new Uri($"{exceptions}/range?to=2027-04-01", UriKind.Relative))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(noFrom.GetProperty("errors").TryGetProperty("from", out _));
        await (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/diaries/{otherDiary}/exceptions/range?from=2027-03-01&to=2027-04-30", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.NotFound);
        Assert.Equal(["2027-03-20", "2027-03-21", "2027-04-01"], await ExceptionDatesAsync(biz, diary));
        Assert.Equal(["2027-03-23"], await ExceptionDatesAsync(other, otherDiary));
    }

    [Fact]
    public async Task The_roster_page_lists_consecutive_alike_exceptions_as_one_row_removed_in_one_go_and_each_date_alone()
    {
        var (biz, diary, _, _) = await LondonAsync("range-rows");
        var exceptions = $"/api/v1/admin/diaries/{diary}/exceptions";
        await (await biz.Owner.PostAsJsonAsync($"{exceptions}/range", new { from = "2027-12-22", to = "2028-01-02", closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created);
        var hours = new[] { new { start = "10:00", end = "12:00", bookableOnline = true } };
        await (await biz.Owner.PostAsJsonAsync($"{exceptions}/range", new { from = "2028-01-03", to = "2028-01-04", closed = false, blocks = hours })).JsonAsync(HttpStatusCode.Created);
        await (await biz.Owner.PostAsJsonAsync(exceptions, new { date = "2028-01-06", closed = false, blocks = hours })).JsonAsync(HttpStatusCode.Created);
        var page = $"/staff/setup/roster/{diary}";

        var document = await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri(page, UriKind.Relative)));
        var rows = document.QuerySelectorAll("#exception-list > li");
        Assert.Equal(["2027-12-22/2028-01-02", "2028-01-03/2028-01-04", "2028-01-06"], rows.Select(r => r.GetAttribute("data-exception-run")).ToList());
        Assert.StartsWith("Wednesday 22 December 2027 – Sunday 2 January 2028 (12 dates): closed", rows[0].TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(12, rows[0].QuerySelectorAll("details form button").Length); // each date can still go alone
        Assert.Equal("Remove the 12 exceptions from Wednesday 22 December 2027 to Sunday 2 January 2028",
            rows[0].QuerySelector(":scope > form button")?.GetAttribute("aria-label"));

        // The run's one Remove (its form as the page gives it, no script): all twelve dates, nothing else.
        var removed = await PostFormAsync(biz.Owner, rows[0].QuerySelector(":scope > form")!, []);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(["2028-01-03", "2028-01-04", "2028-01-06"], await ExceptionDatesAsync(biz, diary));
        var after = await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri(page, UriKind.Relative)));
        Assert.Contains("12 exceptions from Wednesday 22 December 2027 to Sunday 2 January 2028 removed.", after.QuerySelector("p.notice")?.TextContent, StringComparison.Ordinal);

        // One date of a run, alone.
        var single = after.QuerySelectorAll("#exception-list > li")[0].QuerySelectorAll("details form")[1];
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(biz.Owner, single, [])).StatusCode);
        Assert.Equal(["2028-01-03", "2028-01-06"], await ExceptionDatesAsync(biz, diary));

        // The range form: dates with none are said; a missing date is asked for.
        var rangeForm = after.QuerySelectorAll("form").Single(f => f.GetAttribute("aria-labelledby") == "remove-range-heading");
        var none = await PostFormAsync(biz.Owner, rangeForm, [new("RemoveRange.From", "2028-02-01"), new("RemoveRange.To", "2028-02-03")]);
        Assert.Equal(HttpStatusCode.Redirect, none.StatusCode);
        var noneAfter = await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri(none.Headers.Location!.OriginalString, UriKind.Relative)));
        Assert.Contains("There were no exceptions from Tuesday 1 February 2028 to Thursday 3 February 2028, so nothing was removed.",
            noneAfter.QuerySelector("p.notice")?.TextContent, StringComparison.Ordinal);
        var missing = await PostFormAsync(biz.Owner, rangeForm, [new("RemoveRange.From", ""), new("RemoveRange.To", "2028-01-31")]);
        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        var missingForm = await new HtmlParser().ParseDocumentAsync(await missing.Content.ReadAsStringAsync());
        Assert.Equal("Choose the date.", missingForm.QuerySelector("#remove-range-from-error")?.TextContent.Trim());
        Assert.Equal(["2028-01-03", "2028-01-06"], await ExceptionDatesAsync(biz, diary));
    }

    [Fact]
    public async Task A_runs_Remove_removes_nothing_when_its_dates_changed_since_the_page_showed_them()
    {
        var (biz, diary, _, _) = await LondonAsync("range-stale");
        var exceptions = $"/api/v1/admin/diaries/{diary}/exceptions";
        var all = await (await biz.Owner.PostAsJsonAsync($"{exceptions}/range", new { from = "2027-12-22", to = "2028-01-02", closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created);
        var page = $"/staff/setup/roster/{diary}";
        var shown = await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri(page, UriKind.Relative)));
        var runRemove = shown.QuerySelectorAll("#exception-list > li")[0].QuerySelector(":scope > form")!;

        // Meanwhile someone else gives Christmas Day other hours: the page's row no longer says what the dates hold.
        var christmas = all.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("date").GetString() == "2027-12-25").GetProperty("id").GetGuid();
        await (await biz.Owner.PutAsJsonAsync($"{exceptions}/{christmas}", new
        {
            date = "2027-12-25", closed = false, blocks = new[] { new { start = "10:00", end = "12:00", bookableOnline = false } },
        })).JsonAsync(HttpStatusCode.OK);

        var stale = await PostFormAsync(biz.Owner, runRemove, []);
        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        Assert.Equal(12, (await ExceptionDatesAsync(biz, diary)).Count); // nothing removed, the changed date least of all
        var after = await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri(stale.Headers.Location!.OriginalString, UriKind.Relative)));
        Assert.Equal(
            "Nothing was removed: the exceptions from Wednesday 22 December 2027 to Sunday 2 January 2028 changed after this page showed them (someone added, changed or removed one). "
            + "Here they are as they are now; remove them again if you still mean to.",
            after.QuerySelector("p.notice[role=status]")?.TextContent.Trim());
        // Now listed as it is: three runs, each with what it holds.
        Assert.Equal(["2027-12-22/2027-12-24", "2027-12-25", "2027-12-26/2028-01-02"],
            after.QuerySelectorAll("#exception-list > li").Select(r => r.GetAttribute("data-exception-run")).ToList());
        var fresh = after.QuerySelectorAll("#exception-list > li")[2].QuerySelector(":scope > form")!;
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(biz.Owner, fresh, [])).StatusCode);
        Assert.Equal(["2027-12-22", "2027-12-23", "2027-12-24", "2027-12-25"], await ExceptionDatesAsync(biz, diary));
    }

    [Fact]
    public async Task A_dates_own_Remove_removes_nothing_when_the_exception_changed_since_the_page_showed_it_and_the_API_likewise_with_expect()
    {
        var (biz, diary, _, _) = await LondonAsync("one-stale");
        var exceptions = $"/api/v1/admin/diaries/{diary}/exceptions";
        var hours = new[] { new { start = "10:00", end = "12:00", bookableOnline = true } };
        var saturday = (await (await biz.Owner.PostAsJsonAsync(exceptions, new { date = "2027-12-18", closed = false, blocks = hours })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var page = $"/staff/setup/roster/{diary}";
        var shown = await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri(page, UriKind.Relative)));
        var remove = shown.QuerySelector("#exception-list > li[data-exception-run='2027-12-18'] form")!;

        // Meanwhile someone else gives the date other hours: the row no longer says what the exception holds.
        var other = new[] { new { start = "09:00", end = "17:00", bookableOnline = false } };
        await (await biz.Owner.PutAsJsonAsync($"{exceptions}/{saturday}", new { date = "2027-12-18", closed = false, blocks = other })).JsonAsync(HttpStatusCode.OK);

        var stale = await PostFormAsync(biz.Owner, remove, []);
        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        Assert.Equal(["2027-12-18"], await ExceptionDatesAsync(biz, diary)); // the unseen version stays
        var after = await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri(stale.Headers.Location!.OriginalString, UriKind.Relative)));
        Assert.Equal(
            "Nothing was removed: the exception on Saturday 18 December 2027 changed after this page showed it (someone changed its date or hours). "
            + "Here it is as it is now; remove it again if you still mean to.",
            after.QuerySelector("p.notice[role=status]")?.TextContent.Trim());
        Assert.Contains("09:00", after.QuerySelector("#exception-list > li[data-exception-run='2027-12-18']")?.TextContent, StringComparison.Ordinal);

        // The API: the date's fingerprint (the list of that date alone) as expect; a stale one is 409, nothing removed.
        var fingerprint = (await (await biz.Owner.GetAsync(new Uri($"{exceptions}?from=2027-12-18&to=2027-12-18", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("fingerprint").GetString()!;
        var staleExpect = PageFingerprint(remove);
        Assert.NotEqual(fingerprint, staleExpect);
        var refused = await biz.Owner.DeleteAsync(new Uri($"{exceptions}/{saturday}?expect={staleExpect}", UriKind.Relative));
        Assert.Equal("changed-meanwhile", await refused.KindAsync(HttpStatusCode.Conflict));
        var malformed = await (await biz.Owner.DeleteAsync(new Uri($"{exceptions}/{saturday}?expect=not-a-fingerprint", UriKind.Relative))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(malformed.GetProperty("errors").TryGetProperty("expect", out _));
        Assert.Equal(["2027-12-18"], await ExceptionDatesAsync(biz, diary));

        // The page as it is now removes it; the API with a fresh fingerprint, or with none (as before), removes by id.
        var fresh = after.QuerySelector("#exception-list > li[data-exception-run='2027-12-18'] form")!;
        Assert.Equal(fingerprint, PageFingerprint(fresh));
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(biz.Owner, fresh, [])).StatusCode);
        Assert.Empty(await ExceptionDatesAsync(biz, diary));
        var again = (await (await biz.Owner.PostAsJsonAsync(exceptions, new { date = "2027-12-19", closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var sunday = (await (await biz.Owner.GetAsync(new Uri($"{exceptions}?from=2027-12-19&to=2027-12-19", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("fingerprint").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await biz.Owner.DeleteAsync(new Uri($"{exceptions}/{again}?expect={sunday.ToUpperInvariant()}", UriKind.Relative))).StatusCode);
        var last = (await (await biz.Owner.PostAsJsonAsync(exceptions, new { date = "2027-12-20", closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await biz.Owner.DeleteAsync(new Uri($"{exceptions}/{last}", UriKind.Relative))).StatusCode);
        Assert.Empty(await ExceptionDatesAsync(biz, diary));
    }

    private static string PageFingerprint(AngleSharp.Dom.IElement form) => form.QuerySelector("input[name=expect]")!.GetAttribute("value")!;

    [Fact]
    public async Task The_API_removes_a_range_only_if_it_holds_what_its_fingerprint_says_and_without_one_as_before()
    {
        var (biz, diary, _, _) = await LondonAsync("range-expect");
        var exceptions = $"/api/v1/admin/diaries/{diary}/exceptions";
        await (await biz.Owner.PostAsJsonAsync($"{exceptions}/range", new { from = "2027-12-22", to = "2027-12-27", closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created);
        await (await biz.Owner.PostAsJsonAsync(exceptions, new { date = "2027-12-30", closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.Created);

        // The list with from and to: those dates' exceptions and their fingerprint; without them, no fingerprint.
        var read = await (await biz.Owner.GetAsync(new Uri($"{exceptions}?from=2027-12-24&to=2027-12-28", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["2027-12-24", "2027-12-25", "2027-12-26", "2027-12-27"], read.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("date").GetString()).ToList());
        var fingerprint = read.GetProperty("fingerprint").GetString()!;
        Assert.Equal(32, fingerprint.Length);
        Assert.False((await (await biz.Owner.GetAsync(new Uri(exceptions, UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).TryGetProperty("fingerprint", out _));
        var onlyFrom = await (await biz.Owner.GetAsync(new Uri($"{exceptions}?from=2027-12-24", UriKind.Relative))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(onlyFrom.GetProperty("errors").TryGetProperty("to", out _));

        // Another date added to the range since: 409 changed-meanwhile, nothing removed.
        await (await biz.Owner.PostAsJsonAsync(exceptions, new { date = "2027-12-28", closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.Created);
        var refused = await biz.Owner.DeleteAsync(new Uri($"{exceptions}/range?from=2027-12-24&to=2027-12-28&expect={fingerprint}", UriKind.Relative));
        Assert.Equal("changed-meanwhile", await refused.KindAsync(HttpStatusCode.Conflict));
        Assert.Equal(["2027-12-22", "2027-12-23", "2027-12-24", "2027-12-25", "2027-12-26", "2027-12-27", "2027-12-28", "2027-12-30"], await ExceptionDatesAsync(biz, diary));

        // The fingerprint is of those dates: the same one with other dates is refused too.
        var reread = (await (await biz.Owner.GetAsync(new Uri($"{exceptions}?from=2027-12-24&to=2027-12-28", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("fingerprint").GetString()!;
        Assert.NotEqual(fingerprint, reread);
        await (await biz.Owner.DeleteAsync(new Uri($"{exceptions}/range?from=2027-12-24&to=2027-12-29&expect={reread}", UriKind.Relative))).JsonAsync(HttpStatusCode.Conflict);
        var malformed = await (await biz.Owner.DeleteAsync(new Uri($"{exceptions}/range?from=2027-12-24&to=2027-12-28&expect=not-a-fingerprint", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(malformed.GetProperty("errors").TryGetProperty("expect", out _));
        Assert.Equal(8, (await ExceptionDatesAsync(biz, diary)).Count);

        // Read again, it removes exactly those; without expect a range goes whatever it holds, as before.
        var removed = await (await biz.Owner.DeleteAsync(new Uri($"{exceptions}/range?from=2027-12-24&to=2027-12-28&expect={reread.ToUpperInvariant()}", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(5, removed.GetProperty("removed").GetInt32());
        Assert.Equal(["2027-12-22", "2027-12-23", "2027-12-30"], await ExceptionDatesAsync(biz, diary));
        await (await biz.Owner.DeleteAsync(new Uri($"{exceptions}/range?from=2027-12-01&to=2027-12-31", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(await ExceptionDatesAsync(biz, diary));
    }

    /// <summary>Posts a form of the page as a browser without script would: its hidden inputs, then <paramref name="values"/>.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient staff, AngleSharp.Dom.IElement form, IEnumerable<KeyValuePair<string, string>> values)
    {
        var fields = form.QuerySelectorAll("input[type=hidden][name]").Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
            .Concat(values).ToList();
        return await staff.PostAsync(new Uri(form.GetAttribute("action")!, UriKind.Relative), new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task Busy_time_from_one_date_and_time_to_another_spans_the_clock_change_in_the_business_zone()
    {
        var (biz, diary, service, client) = await LondonAsync("busy-days");
        var sunday = await StaffBookAsync(biz, client, service, diary, LondonAt("2027-03-28", 10));
        var mondayAfter = await StaffBookAsync(biz, client, service, diary, LondonAt("2027-03-29", 12));

        var added = await Booking.IntegrationTests.Appointments.StaffDiaryTests.PostPageAsync(biz.Owner, "/staff/diary/busy", new Dictionary<string, string>
        {
            ["Input.DiaryId"] = diary.ToString(), ["Input.Date"] = "2027-03-27", ["Input.Start"] = "13:00",
            ["Input.EndDate"] = "2027-03-29", ["Input.End"] = "12:00", ["Input.Note"] = "Leave",
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);

        var days = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/diary?from=2027-03-27&to=2027-03-29", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var block = Assert.Single(days.GetProperty("busyBlocks").EnumerateArray());
        Assert.Equal(DateTimeOffset.Parse("2027-03-27T13:00:00Z", null), block.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse("2027-03-29T11:00:00Z", null), block.GetProperty("end").GetDateTimeOffset()); // 12:00 BST: 46 hours
        Assert.Equal("+01:00", block.GetProperty("end").GetString()![^6..]);
        var busy = days.GetProperty("appointments").EnumerateArray()
            .Where(a => a.GetProperty("clashes").EnumerateArray().Any(c => c.GetString() == "busy-time")).Select(a => a.GetProperty("id").GetGuid()).ToList();
        Assert.Equal([sunday], busy); // Monday's 12:00 starts as the busy time ends

        // An end date before the start, or too far, is said on the end date; nothing is saved.
        foreach (var (endDate, words) in new[] { ("2027-03-26", "The end date is before the start date"), ("2027-05-01", "at most 31 days") })
        {
            var refused = await Booking.IntegrationTests.Appointments.StaffDiaryTests.PostPageAsync(biz.Owner, "/staff/diary/busy", new Dictionary<string, string>
            {
                ["Input.DiaryId"] = diary.ToString(), ["Input.Date"] = "2027-03-27", ["Input.Start"] = "13:00", ["Input.EndDate"] = endDate, ["Input.End"] = "12:00",
            });
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var form = await new HtmlParser().ParseDocumentAsync(await refused.Content.ReadAsStringAsync());
            Assert.Contains(words, form.QuerySelector("#end-date-error")?.TextContent, StringComparison.Ordinal);
        }

        // 31 calendar days apart but longer than 31 days (the API caps the length): said on the end date, in the page's words.
        var tooLong = await Booking.IntegrationTests.Appointments.StaffDiaryTests.PostPageAsync(biz.Owner, "/staff/diary/busy", new Dictionary<string, string>
        {
            ["Input.DiaryId"] = diary.ToString(), ["Input.Date"] = "2027-03-27", ["Input.Start"] = "13:00", ["Input.EndDate"] = "2027-04-27", ["Input.End"] = "15:00",
        });
        Assert.Equal(HttpStatusCode.OK, tooLong.StatusCode);
        var tooLongForm = await new HtmlParser().ParseDocumentAsync(await tooLong.Content.ReadAsStringAsync());
        Assert.Equal("Busy time lasts at most 31 days; add longer leave as two or more busy times.", tooLongForm.QuerySelector("#end-date-error")?.TextContent.Trim());

        var still = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/diary?from=2027-03-20&to=2027-04-19", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Single(still.GetProperty("busyBlocks").EnumerateArray());
        Assert.DoesNotContain(mondayAfter, busy);
    }
}
