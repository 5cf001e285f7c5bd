using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.IntegrationTests.Setup;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Staff's free times (decision 278): <c>GET /api/v1/admin/availability</c> and the list on Staff → New appointment. The
/// portal's slot maths in staff mode: the diary's working hours minus appointments, requests, busy time and buffers, on
/// the slot grid, without minimum notice or horizon, never a time that has passed; each time says whether clients could
/// book it online.
/// </summary>
public sealed class StaffFreeTimesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static async Task<JsonElement> FreeAsync(HttpClient staff, Guid service, object diary, LocalDate day, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await staff.GetAsync(new Uri($"/api/v1/admin/availability?service={service}&diary={diary}&from={Iso(day)}&to={Iso(day)}", UriKind.Relative)))
            .JsonAsync(expected);

    private static List<JsonElement> Slots(JsonElement view) => [.. view.GetProperty("slots").EnumerateArray()];

    /// <summary>Starts as "HH:mm" on the Sydney clock (the default business's zone).</summary>
    private static List<string> Clock(IEnumerable<JsonElement> slots) =>
        slots.Select(s => Instant.FromDateTimeOffset(s.GetProperty("start").GetDateTimeOffset()).InZone(Sydney).ToString("HH:mm", null)).ToList();

    private static async Task<Guid> StaffBookAsync(TestBusiness biz, Guid client, Guid service, Guid diary, string start) =>
        (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = client, serviceId = service, diaryId = diary, start, petId = (Guid?)null, note = "" })).JsonAsync(HttpStatusCode.Created))
        .GetProperty("id").GetGuid();

    [Fact]
    public async Task Free_times_leave_out_an_appointment_a_waiting_request_busy_time_and_the_buffers()
    {
        var biz = await App.SignUpBusinessAsync("free");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var diary = await biz.DiaryAsync("Dr Alpha");
        await biz.RosterEveryDayAsync(diary, "09:00", "17:00");
        var service = await biz.ServiceAsync("Consultation", 60, 15, [diary]);
        var b = new Bookable(biz, diary, service);
        var day = Day(3);
        var alice = await App.RegisterClientAsync(biz);
        await StaffBookAsync(biz, alice.Id, service, diary, At(day, 10)); // 10:00–11:00, busy to 11:15
        await biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var newcomer = await App.RegisterClientAsync(biz, "Nora", "New");
        var request = await (await newcomer.BookAsync(b, At(day, 13))).JsonAsync(HttpStatusCode.Created); // 13:00–14:00, busy to 14:15
        Assert.Equal("requested", request.GetProperty("status").GetString());
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/busy-blocks", new { diaryId = diary, start = At(day, 15, 30), end = At(day, 16), note = "Call" }))
            .JsonAsync(HttpStatusCode.Created);

        var free = Slots(await FreeAsync(biz.Owner, service, diary, day));

        // 09:00 would run its buffer into 10:00; 11:00 starts in the appointment's buffer; 12:00 runs into the request;
        // 14:00 starts in the request's buffer; 14:30 runs only its buffer into the busy time, which staff may (the check
        // and "any" call it free, decision 347); 15:00 meets the busy time; 16:00 ends at 17:00 with its buffer after.
        Assert.Equal(["11:30", "14:30", "16:00"], Clock(free));
        Assert.All(free, s => Assert.Equal([diary], s.GetProperty("diaryIds").EnumerateArray().Select(d => d.GetGuid())));
        Assert.All(free, s => Assert.True(s.GetProperty("offeredOnline").GetBoolean()));
        Assert.Equal(60, (int)(free[0].GetProperty("end").GetDateTimeOffset() - free[0].GetProperty("start").GetDateTimeOffset()).TotalMinutes);
    }

    [Fact]
    public async Task Times_inside_the_notice_beyond_the_horizon_and_outside_online_hours_are_listed_and_flagged()
    {
        var biz = await App.SignUpBusinessAsync("free");
        await biz.RulesAsync(interval: 60, notice: 3 * 24 * 60, horizon: 4);
        var diary = await biz.DiaryAsync("Dr Alpha");
        string[] weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}/roster", new
        {
            blocks = weekdays.SelectMany(weekday => new object[]
            {
                new { weekday, start = "09:00", end = "12:00", bookableOnline = true },
                new { weekday, start = "12:00", end = "14:00", bookableOnline = false },
            }),
        })).JsonAsync(HttpStatusCode.OK);
        var service = await biz.ServiceAsync("Consultation", 60, 0, [diary]);
        var phoneOnly = await biz.ServiceAsync("Phone-only", 60, 0, [diary], bookableOnline: false);

        var insideNotice = Slots(await FreeAsync(biz.Owner, service, diary, Day(1)));
        var online = Slots(await FreeAsync(biz.Owner, service, "any", Day(4)));
        var beyondHorizon = Slots(await FreeAsync(biz.Owner, service, diary, Day(6)));
        var notOnline = Slots(await FreeAsync(biz.Owner, phoneOnly, diary, Day(4)));

        string[] all = ["09:00", "10:00", "11:00", "12:00", "13:00"];
        Assert.Equal(all, Clock(insideNotice));
        Assert.All(insideNotice, s => Assert.False(s.GetProperty("offeredOnline").GetBoolean()));
        Assert.Equal(all, Clock(beyondHorizon));
        Assert.All(beyondHorizon, s => Assert.False(s.GetProperty("offeredOnline").GetBoolean()));
        Assert.Equal(all, Clock(online));
        Assert.Equal([true, true, true, false, false], online.Select(s => s.GetProperty("offeredOnline").GetBoolean()));
        Assert.Equal([[diary], [diary], [diary], [], []], online.Select(s => s.GetProperty("onlineDiaryIds").EnumerateArray().Select(d => d.GetGuid()).ToArray()));
        Assert.Equal(all, Clock(notOnline));
        Assert.All(notOnline, s => Assert.False(s.GetProperty("offeredOnline").GetBoolean()));
        // The portal agrees about the online ones.
        var portal = await App.NewClient().SlotsAsync(new Bookable(biz, diary, service), Day(4), Day(4));
        Assert.Equal(["09:00", "10:00", "11:00"], Clock(portal));
    }

    [Fact]
    public async Task Today_lists_no_time_that_has_passed()
    {
        var biz = await App.SignUpBusinessAsync("free");
        await biz.RulesAsync(interval: 15, notice: 600, horizon: 60);
        var diary = await biz.DiaryAsync("Dr Alpha"); // no roster: works the whole of every day
        var service = await biz.ServiceAsync("Quick", 15, 0, [diary]);
        var today = Day(0);

        var before = DateTimeOffset.UtcNow;
        var free = Slots(await FreeAsync(biz.Owner, service, diary, today));
        var after = DateTimeOffset.UtcNow;

        var starts = free.Select(s => s.GetProperty("start").GetDateTimeOffset()).ToList();
        Assert.All(starts, s => Assert.True(s >= before.AddSeconds(-1), $"{s} has passed (now {before})."));
        // Every grid time still to come today is there, the next one included (the ten hours' notice does not hide them).
        var dayStart = today.AtStartOfDayInZone(Sydney).ToInstant().ToDateTimeOffset();
        var dayEnd = today.PlusDays(1).AtStartOfDayInZone(Sydney).ToInstant().ToDateTimeOffset();
        int Remaining(DateTimeOffset now) =>
            Enumerable.Range(0, 24 * 4).Select(i => dayStart.AddMinutes(15 * i)).Count(t => t >= now && t.AddMinutes(15) <= dayEnd);
        Assert.InRange(starts.Count, Remaining(after), Remaining(before));
        Assert.Equal(starts.Count, starts.Distinct().Count());
    }

    [Fact]
    public async Task A_day_the_diary_is_closed_lists_none_on_the_api_and_the_page()
    {
        var biz = await App.SignUpBusinessAsync("free");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var diary = await biz.DiaryAsync("Dr Alpha");
        await biz.RosterEveryDayAsync(diary, "09:00", "17:00");
        var service = await biz.ServiceAsync("Consultation", 60, 0, [diary]);
        await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{diary}/exceptions", new { date = Iso(Day(4)), closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created);

        Assert.Empty(Slots(await FreeAsync(biz.Owner, service, diary, Day(4))));
        Assert.Equal(15, Slots(await FreeAsync(biz.Owner, service, diary, Day(5))).Count); // 09:00 … 16:00

        var page = await biz.Owner.PageAsync($"/staff/diary/book?service={service}&diary={diary}&date={Iso(Day(4))}");
        Assert.Contains("No free times on this day", page.One("#free-times-none")?.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.All("button[name=pick]"));
    }

    [Fact]
    public async Task A_Dublin_day_the_clocks_change_lists_each_local_time_once_and_at_its_right_instant()
    {
        var biz = await App.SignUpBusinessAsync("dublin", "Europe/Dublin");
        await biz.RulesAsync(interval: 60, notice: 0, horizon: 60);
        var diary = await biz.DiaryAsync("Dr Alpha"); // no roster: works the whole of every day
        var service = await biz.ServiceAsync("Consultation", 60, 0, [diary]);
        var dublin = DateTimeZoneProviders.Tzdb["Europe/Dublin"];

        var spring = Slots(await FreeAsync(biz.Owner, service, diary, new LocalDate(2027, 3, 28)));
        var autumn = Slots(await FreeAsync(biz.Owner, service, diary, new LocalDate(2027, 10, 31)));

        static List<Instant> Instants(List<JsonElement> slots) => slots.Select(s => Instant.FromDateTimeOffset(s.GetProperty("start").GetDateTimeOffset())).ToList();
        List<string> Local(List<JsonElement> slots) => Instants(slots).Select(i => i.InZone(dublin).ToString("HH:mm o<g>", null)).ToList();
        // 01:00 does not happen in spring: 00:00 GMT, then 02:00 IST an hour later.
        Assert.Equal(["00:00 +00", "02:00 +01", "03:00 +01"], Local(spring).Take(3));
        Assert.Equal(23, spring.Count);
        // In autumn 01:00 happens twice, an hour apart, each once.
        Assert.Equal(["00:00 +01", "01:00 +01", "01:00 +00", "02:00 +00"], Local(autumn).Take(4));
        Assert.Equal(25, autumn.Count);
        foreach (var day in new[] { spring, autumn })
        {
            var instants = Instants(day);
            Assert.All(instants.Zip(instants.Skip(1)), p => Assert.Equal(Duration.FromHours(1), p.Second - p.First));
            Assert.All(day, s => Assert.Equal(s.GetProperty("start").GetDateTimeOffset().Offset, dublin.GetUtcOffset(Instant.FromDateTimeOffset(s.GetProperty("start").GetDateTimeOffset())).ToTimeSpan()));
        }

        // The page labels the two 01:00s apart, each once, and a click on the second carries that pass to the form.
        var page = await biz.Owner.PageAsync($"/staff/diary/book?service={service}&diary={diary}&date=2027-10-31");
        var labels = page.All("button[name=pick]").Select(b => b.GetAttribute("aria-label")!.Split(',')[0]).ToList();
        Assert.Equal(25, labels.Count);
        Assert.Equal(labels.Count, labels.Distinct().Count());
        Assert.Contains("1:00 AM IST", labels);
        Assert.Contains("1:00 AM GMT", labels);
        var second = page.All("button[name=pick]").Single(b => b.GetAttribute("aria-label")!.StartsWith("1:00 AM GMT,", StringComparison.Ordinal));
        var picked = await PickAsync(biz.Owner, page, second);
        Assert.Equal("01:00", picked.One("#Input_Time")?.GetAttribute("value"));
        Assert.NotNull(picked.One("input[name='Input.TimeChoice'][value='0'][checked]"));
    }

    [Fact]
    public async Task The_api_is_for_staff_a_practitioner_reads_their_own_diaries_and_another_business_is_not_found()
    {
        var biz = await App.SignUpBusinessAsync("free");
        await biz.RulesAsync(interval: 60, notice: 0, horizon: 60);
        var alpha = await biz.DiaryAsync("Dr Alpha");
        var beta = await biz.DiaryAsync("Dr Beta");
        await biz.RosterEveryDayAsync(alpha, "09:00", "12:00");
        await biz.RosterEveryDayAsync(beta, "09:00", "12:00");
        var service = await biz.ServiceAsync("Consultation", 60, 0, [alpha, beta]);
        var day = Day(3);
        var email = $"pat-{Guid.NewGuid():N}@{biz.Slug}.example";
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Pat Practitioner", email, password = Booking.IntegrationTests.Setup.Staff.Password, role = "practitioner", diaryIds = new[] { alpha } })).JsonAsync(HttpStatusCode.Created);
        var pat = App.NewClient();
        await (await pat.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email, password = Booking.IntegrationTests.Setup.Staff.Password })).JsonAsync(HttpStatusCode.OK);

        var ownerAny = Slots(await FreeAsync(biz.Owner, service, "any", day));
        Assert.All(ownerAny, s => Assert.Equal(new[] { alpha, beta }.Order(), s.GetProperty("diaryIds").EnumerateArray().Select(d => d.GetGuid()).Order()));
        Assert.Equal(3, ownerAny.Count);
        Assert.Equal(3, Slots(await FreeAsync(pat, service, alpha, day)).Count);
        var patAny = Slots(await FreeAsync(pat, service, "any", day));
        Assert.Equal(3, patAny.Count);
        Assert.All(patAny, s => Assert.Equal([alpha], s.GetProperty("diaryIds").EnumerateArray().Select(d => d.GetGuid())));
        Assert.Equal("not-found", await (await pat.GetAsync(new Uri($"/api/v1/admin/availability?service={service}&diary={beta}&from={Iso(day)}&to={Iso(day)}", UriKind.Relative))).KindAsync(HttpStatusCode.NotFound));

        var other = await App.SignUpBusinessAsync("free");
        var theirDiary = await other.DiaryAsync("Their diary");
        var theirs = await other.ServiceAsync("Theirs", 60, 0, [theirDiary]);
        Assert.Equal("not-found", await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/availability?service={theirs}&diary=any&from={Iso(day)}&to={Iso(day)}", UriKind.Relative))).KindAsync(HttpStatusCode.NotFound));
        Assert.Equal("not-found", await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/availability?service={service}&diary={theirDiary}&from={Iso(day)}&to={Iso(day)}", UriKind.Relative))).KindAsync(HttpStatusCode.NotFound));

        var missing = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/availability?diary=any&from={Iso(day)}&to=nope", UriKind.Relative))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["service", "to"], missing.ErrorFields().Order());
        var anonymous = await App.NewClient().GetAsync(new Uri($"/api/v1/admin/availability?service={service}&from={Iso(day)}&to={Iso(day)}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task The_book_page_lists_free_times_and_a_click_carries_the_time_to_the_booking()
    {
        var biz = await App.SignUpBusinessAsync("free");
        await biz.RulesAsync(interval: 60, notice: 0, horizon: 60);
        var alpha = await biz.DiaryAsync("Dr Alpha");
        var beta = await biz.DiaryAsync("Dr Beta");
        await biz.RosterEveryDayAsync(alpha, "09:00", "12:00");
        await biz.RosterEveryDayAsync(beta, "13:00", "15:00");
        var service = await biz.ServiceAsync("Consultation", 60, 0, [alpha, beta]);
        var alice = await App.RegisterClientAsync(biz);
        var day = Day(3);
        await StaffBookAsync(biz, alice.Id, service, alpha, At(day, 10));

        var any = await biz.Owner.PageAsync($"/staff/diary/book?service={service}&diary=any&date={Iso(day)}");

        Assert.Equal(HttpStatusCode.OK, any.Status);
        Assert.Equal(["Dr Alpha", "Dr Beta"], any.All("#free-times h3").Select(h => h.TextContent.Trim()));
        Assert.Equal(["9:00 AM", "11:00 AM"], any.All($"#free-times-{alpha} button[name=pick]").Select(b => b.TextContent.Trim()));
        Assert.Equal(["1:00 PM", "2:00 PM"], any.All($"#free-times-{beta} button[name=pick]").Select(b => b.TextContent.Trim()));
        Assert.Equal(["Morning"], any.All($"#free-times-{alpha} h4").Select(h => h.TextContent.Trim()));
        Assert.Equal("1:00 PM with Dr Beta", any.All($"#free-times-{beta} button[name=pick]")[0].GetAttribute("aria-label"));
        Assert.NotNull(any.One("#free-times-next"));

        // Choose the client, then click Dr Beta's 2:00 PM: the form holds it, nothing is booked yet.
        var picked = await PickAsync(biz.Owner, any, any.All($"#free-times-{beta} button[name=pick]")[1], ("Input.ClientId", alice.Id.ToString()));
        Assert.Equal(HttpStatusCode.OK, picked.Status);
        Assert.Equal("14:00", picked.One("#Input_Time")?.GetAttribute("value"));
        Assert.Equal(Iso(day), picked.One("#Input_Date")?.GetAttribute("value"));
        Assert.Equal(beta.ToString(), picked.One("#Input_DiaryId option[selected]")?.GetAttribute("value"));
        Assert.NotNull(picked.One($"input[name='Input.ClientId'][value='{alice.Id}'][checked]"));
        Assert.Contains("Chosen: 2:00 PM on", picked.One("#picked-time")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("Press Book to book Alice Client.", picked.One("#picked-time")!.TextContent, StringComparison.Ordinal);
        Assert.Single(await AppointmentsAsync(biz, day));

        var booked = await biz.Owner.SubmitAsync(picked, new Dictionary<string, string>(), "#book-form");
        Assert.True(booked.Status == HttpStatusCode.Redirect, booked.Text);
        var appointments = await AppointmentsAsync(biz, day);
        var made = Assert.Single(appointments, a => a.GetProperty("diaryId").GetGuid() == beta);
        Assert.Equal(At(day, 14), made.GetProperty("start").GetDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));

        // The next day's button lists that day; the booked time is gone from this one.
        var next = await PostButtonAsync(biz.Owner, picked, picked.One("#free-times-next")!);
        Assert.Contains($"Free times on {day.PlusDays(1).DayOfWeek}", next.One("#free-times-title")?.TextContent, StringComparison.Ordinal);
        var again = await biz.Owner.PageAsync($"/staff/diary/book?service={service}&diary={beta}&date={Iso(day)}");
        Assert.Equal(["1:00 PM"], again.All("button[name=pick]").Select(b => b.TextContent.Trim()));
    }

    /// <summary>
    /// Decision 292: a room's or equipment's free times are named as the portal names them ("2:00 PM — Grooming table 2",
    /// not "with Grooming table 2"), in the time's name and in the line that says what was picked, which the page's
    /// script focuses (not a live region besides, which would read it twice).
    /// </summary>
    [Fact]
    public async Task A_resource_s_free_time_is_named_after_a_dash_and_the_picked_line_is_focusable()
    {
        var biz = await App.SignUpBusinessAsync("free-room");
        await biz.RulesAsync(interval: 60, notice: 0, horizon: 60);
        var alpha = await biz.DiaryAsync("Dr Alpha");
        var table = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Grooming table 2", kind = "resource", active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(alpha, "09:00", "10:00");
        await biz.RosterEveryDayAsync(table, "13:00", "14:00");
        var service = await biz.ServiceAsync("Full groom", 60, 0, [alpha, table]);
        var day = Day(3);

        var any = await biz.Owner.PageAsync($"/staff/diary/book?service={service}&diary=any&date={Iso(day)}");
        Assert.Equal("9:00 AM with Dr Alpha", any.One($"#free-times-{alpha} button[name=pick]")?.GetAttribute("aria-label"));
        var button = any.One($"#free-times-{table} button[name=pick]")!;
        Assert.Equal("1:00 PM — Grooming table 2", button.GetAttribute("aria-label"));

        var picked = await PickAsync(biz.Owner, any, button);
        var line = picked.One("#picked-time")!;
        Assert.StartsWith("Chosen: 1:00 PM on", line.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains(" — Grooming table 2. Choose the client above", line.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("with Grooming", line.TextContent, StringComparison.Ordinal);
        Assert.Equal("-1", line.GetAttribute("tabindex"));
        Assert.Null(line.GetAttribute("role"));
    }

    private static async Task<List<JsonElement>> AppointmentsAsync(TestBusiness biz, LocalDate day) =>
        [.. (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(day)}&to={Iso(day)}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("appointments").EnumerateArray()];

    private static Task<HtmlPage> PickAsync(HttpClient http, HtmlPage page, AngleSharp.Dom.IElement button, params (string Name, string Value)[] fields) =>
        PostButtonAsync(http, page, button, fields);

    /// <summary>What a browser sends for a submit button of the booking form: the form's fields, the button's name and value, to its formaction.</summary>
    private static async Task<HtmlPage> PostButtonAsync(HttpClient http, HtmlPage page, AngleSharp.Dom.IElement button, params (string Name, string Value)[] fields)
    {
        var form = (IHtmlFormElement)page.One("#" + button.GetAttribute("form"))!;
        var given = fields.ToDictionary(f => f.Name, f => f.Value);
        var values = PortalHtml.FormValues(form, given.Keys.ToHashSet(StringComparer.Ordinal));
        values.AddRange(given);
        values.Add(new(button.GetAttribute("name")!, button.GetAttribute("value")!));
        var action = WebUtility.HtmlDecode(button.GetAttribute("formaction")!).Split('#')[0];
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(action, UriKind.Relative)) { Content = new FormUrlEncodedContent(values) };
        return await PortalHtml.ReadAsync(await http.SendAsync(request));
    }
}
