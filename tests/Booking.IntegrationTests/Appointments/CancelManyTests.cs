using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Booking.IntegrationTests.Setup;
using MimeKit;
using NodaTime;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// A stylist calls in sick (decision 279): the day is closed over twelve appointments, more than the clash notice's ten
/// lines, among them a waiting booking request and one whose client asked to cancel. One step cancels (or declines) all
/// of them, in one transaction, and each client gets exactly one email with the reason, through the usual outbox path;
/// the API (<c>POST /api/v1/admin/appointments/cancel-many</c>) and the notice's form with its confirm step alike.
/// Real PostgreSQL, real SMTP.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class CancelManyTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Zone = "America/Chicago";
    private static readonly DateTimeZone Chicago = DateTimeZoneProviders.Tzdb[Zone];
    private const string Reason = "Your stylist is unwell today; we are sorry.";

    private sealed record Scene(TestBusiness Biz, Guid DiaryId, Guid ServiceId, LocalDate Day, List<(Guid Id, string Email)> Appointments, Guid Requested, Guid CancellationAsked)
    {
        public List<Guid> Ids => Appointments.Select(a => a.Id).ToList();
    }

    private static LocalDate InDays(int days) => SystemClock.Instance.GetCurrentInstant().InZone(Chicago).Date.PlusDays(days);

    private static string At(LocalDate date, int hour) =>
        date.At(new LocalTime(hour, 0)).InZoneStrictly(Chicago).ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string Iso(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<(HttpClient Http, Guid Id, string Email)> RegisterAsync(TestBusiness biz, string first, string last)
    {
        var http = fixture.App.NewClient();
        var email = $"{first.ToLowerInvariant()}-{Guid.NewGuid():N}@client.example";
        var json = await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName = first, lastName = last, email, password = "a long client password 2026!", mobile = (string?)null })).JsonAsync(HttpStatusCode.Created);
        return (http, json.GetProperty("id").GetGuid(), email);
    }

    /// <summary>
    /// Twelve live appointments on one day, 07:00 to 18:00 hourly: ten booked by staff, one a waiting booking request (a
    /// new client awaiting approval), one booked in the portal whose client then asked to cancel inside the window.
    /// </summary>
    private async Task<Scene> SceneAsync()
    {
        var biz = await fixture.App.SignUpBusinessAsync("sick", Zone);
        await biz.RulesAsync(interval: 60, notice: 0, horizon: 60);
        await biz.ConfirmAddressAsync("diary-sick@example.com");
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Sam Stylist", contactEmail = "diary-sick@example.com", active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "07:00", "19:00");
        var service = await biz.ServiceAsync("Cut and colour", 45, 15, [diary]);
        var day = InDays(5);
        var appointments = new List<(Guid, string)>();
        for (var hour = 7; hour <= 16; hour++)
        {
            var client = await RegisterAsync(biz, $"Client{hour}", "Booked");
            appointments.Add((await ClashScene.StaffBookAsync(biz, client.Id, service, diary, At(day, hour)), client.Email));
        }

        await biz.SettingsAsync(s =>
        {
            s["newClientsNeedApproval"] = true;
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 24 * 30, ["text"] = "A month's notice, please.", ["insideWindow"] = "request" };
        });
        var asking = await RegisterAsync(biz, "Rita", "Request");
        var requested = (await (await asking.Http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}",
                new { serviceId = service, diaryId = diary, start = At(day, 17), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created));
        Assert.Equal("requested", requested.GetProperty("status").GetString());
        await biz.SettingsAsync(s => s["newClientsNeedApproval"] = false);
        var leaving = await RegisterAsync(biz, "Carl", "Cancel");
        var booked = await (await leaving.Http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}",
                new { serviceId = service, diaryId = diary, start = At(day, 18), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        var asked = await (await leaving.Http.PostAsJsonAsync($"/api/v1/portal/appointments/{booked.GetProperty("id").GetGuid()}/cancel?name={biz.Slug}",
            new { reason = "Away that week" })).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("cancellation-requested", asked.GetProperty("status").GetString());
        appointments.Add((requested.GetProperty("id").GetGuid(), asking.Email));
        appointments.Add((booked.GetProperty("id").GetGuid(), leaving.Email));
        return new Scene(biz, diary, service, day, appointments, requested.GetProperty("id").GetGuid(), booked.GetProperty("id").GetGuid());
    }

    /// <summary>Closes the scene's day through the API: all twelve clash.</summary>
    private static async Task CloseDayAsync(Scene s)
    {
        var closed = await (await s.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{s.DiaryId}/exceptions",
            new { date = Iso(s.Day), closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(s.Ids.Order(), ClashScene.Ids(closed).Order());
    }

    /// <summary>Each client's emails so far, once the outbox has gone quiet (the booking's own emails all arrived).</summary>
    private async Task<Dictionary<string, int>> SettledMailCountsAsync(Scene s)
    {
        // The portal clients got their request's, booking's and cancellation request's emails; staff-booked ones a confirmation.
        await Eventually.ReturnsAsync(() => Task.FromResult(s.Appointments.All(a => fixture.Smtp.MessagesTo(a.Email).Count >= 1)), ok => ok,
            TimeSpan.FromSeconds(60), "the bookings' emails");
        await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(s.Appointments[^1].Email).Count), n => n >= 2, TimeSpan.FromSeconds(60),
            "the cancellation request's acknowledgement");
        await Task.Delay(1500);
        return s.Appointments.ToDictionary(a => a.Email, a => fixture.Smtp.MessagesTo(a.Email).Count);
    }

    /// <summary>Every client got exactly one more email, and it carries the reason; nothing more comes after a pause.</summary>
    private async Task AssertOneEmailEachWithTheReasonAsync(Scene s, Dictionary<string, int> before)
    {
        foreach (var (_, email) in s.Appointments)
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email).Count), n => n > before[email], TimeSpan.FromSeconds(60), $"an email to {email}");
        }

        await Task.Delay(2000);
        foreach (var (id, email) in s.Appointments)
        {
            var mails = fixture.Smtp.MessagesTo(email);
            Assert.True(mails.Count == before[email] + 1, $"{email}: {mails.Count - before[email]} new emails");
            var last = mails.OrderBy(m => m.Date).Last();
            Assert.Contains(Reason, last.TextBody, StringComparison.Ordinal);
            // The very emails a single staff cancel or decline sends (a cancellation request cancelled by staff is its acceptance).
            Assert.Equal(id == s.Requested ? $"Business {s.Biz.Slug} declined your booking request"
                : id == s.CancellationAsked ? $"Business {s.Biz.Slug} accepted your cancellation request"
                : $"Your appointment with Business {s.Biz.Slug} is cancelled", last.Subject);
        }
    }

    private static async Task<Dictionary<Guid, string>> StatusesAsync(Scene s)
    {
        var diary = await (await s.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(s.Day)}&to={Iso(s.Day)}&diaryId={s.DiaryId}", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.OK);
        return diary.GetProperty("appointments").EnumerateArray().ToDictionary(a => a.GetProperty("id").GetGuid(), a => a.GetProperty("status").GetString()!);
    }

    private static Task<HttpResponseMessage> CancelManyAsync(HttpClient staff, IEnumerable<object?> ids, string? reason = Reason) =>
        staff.PostAsJsonAsync("/api/v1/admin/appointments/cancel-many", new { ids, reason });

    private static void AssertAllStillLive(Scene s, Dictionary<Guid, string> statuses)
    {
        Assert.All(s.Ids.Where(id => id != s.Requested && id != s.CancellationAsked), id => Assert.Equal("confirmed", statuses[id]));
        Assert.Equal("requested", statuses[s.Requested]);
        Assert.Equal("cancellation-requested", statuses[s.CancellationAsked]);
    }

    [Fact]
    public async Task One_post_cancels_all_twelve_declines_the_request_and_each_client_gets_one_email_with_the_reason_and_a_repeat_sends_nothing()
    {
        var s = await SceneAsync();
        await CloseDayAsync(s);
        var before = await SettledMailCountsAsync(s);

        var answer = await (await CancelManyAsync(s.Biz.Owner, s.Ids.Cast<object?>())).JsonAsync(HttpStatusCode.OK);
        var items = answer.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(s.Ids, items.Select(i => i.GetProperty("id").GetGuid()).ToList());
        Assert.All(items, i => Assert.Equal(i.GetProperty("id").GetGuid() == s.Requested ? "declined" : "cancelled", i.GetProperty("status").GetString()));
        var statuses = await StatusesAsync(s);
        Assert.Equal("declined", statuses[s.Requested]);
        Assert.All(s.Ids.Where(id => id != s.Requested), id => Assert.Equal("cancelled", statuses[id]));
        var one = await (await s.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{s.Ids[0]}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(Reason, one.GetProperty("cancelReason").GetString());
        Assert.Equal("staff", one.GetProperty("cancelledBy").GetString());
        await AssertOneEmailEachWithTheReasonAsync(s, before);

        // The same post again: all already done, the same answer, and no second emails.
        var counts = s.Appointments.ToDictionary(a => a.Email, a => fixture.Smtp.MessagesTo(a.Email).Count);
        var again = await (await CancelManyAsync(s.Biz.Owner, s.Ids.Cast<object?>())).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(answer.GetRawText(), again.GetRawText());
        await Task.Delay(2500);
        Assert.All(s.Appointments, a => Assert.Equal(counts[a.Email], fixture.Smtp.MessagesTo(a.Email).Count));
    }

    [Fact]
    public async Task A_practitioner_may_not_cancel_many_nor_open_the_confirm_step_and_nothing_is_cancelled()
    {
        var s = await SceneAsync();
        await CloseDayAsync(s);
        var practitioner = await fixture.App.SignInPractitionerAsync(s.Biz);

        Assert.Equal("forbidden", await (await CancelManyAsync(practitioner, s.Ids.Cast<object?>())).KindAsync(HttpStatusCode.Forbidden));
        // With a good antiforgery token of their own (from the diary page they may open): refused for the role.
        var token = (await PageAsync(practitioner, "/staff/diary")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var page = await practitioner.PostAsync(new Uri("/staff/diary/cancel-clashes?handler=Confirm", UriKind.Relative), new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["Scope.DiaryId"] = s.DiaryId.ToString(), ["Scope.From"] = Iso(s.Day), ["Scope.To"] = Iso(s.Day), ["Scope.Concern"] = "outside-hours", ["Reason"] = Reason,
                ["Ids"] = s.Ids[0].ToString(), ["__RequestVerificationToken"] = token,
            }));
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        AssertAllStillLive(s, await StatusesAsync(s));
    }

    [Fact]
    public async Task Another_businesss_id_among_them_is_not_found_and_nothing_is_cancelled()
    {
        var s = await SceneAsync();
        var other = await fixture.App.SignUpBusinessAsync("other", Zone);
        await other.RulesAsync(interval: 60, notice: 0, horizon: 60);
        var otherDiary = await other.DiaryAsync("Elsewhere");
        var otherService = await other.ServiceAsync("Trim", 30, 0, [otherDiary]);
        var stranger = await RegisterAsync(other, "Sue", "Stranger");
        var theirs = await ClashScene.StaffBookAsync(other, stranger.Id, otherService, otherDiary, At(InDays(5), 9));

        var answer = await (await CancelManyAsync(s.Biz.Owner, s.Ids.Take(3).Append(theirs).Cast<object?>())).JsonAsync(HttpStatusCode.NotFound);
        Assert.EndsWith("/not-found", answer.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal("ids[3]", answer.GetProperty("field").GetString());
        AssertAllStillLive(s, await StatusesAsync(s));
        var theirsNow = await (await other.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{theirs}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", theirsNow.GetProperty("status").GetString());
    }

    [Fact]
    public async Task One_completed_meanwhile_refuses_them_all_with_409_and_nothing_is_cancelled_or_sent()
    {
        var s = await SceneAsync();
        var client = await RegisterAsync(s.Biz, "Paula", "Past");
        var past = await ClashScene.StaffBookAsync(s.Biz, client.Id, s.ServiceId, s.DiaryId, At(InDays(-1), 10));
        await (await s.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{past}/outcome", new { status = "completed" })).JsonAsync(HttpStatusCode.OK);
        var before = await SettledMailCountsAsync(s);

        var refused = await (await CancelManyAsync(s.Biz.Owner, s.Ids.Prepend(past).Cast<object?>())).JsonAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/status-conflict", refused.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal("ids[0]", refused.GetProperty("field").GetString());
        Assert.Equal(past, refused.GetProperty("appointment").GetGuid());
        AssertAllStillLive(s, await StatusesAsync(s));
        await Task.Delay(2500);
        Assert.All(s.Appointments, a => Assert.Equal(before[a.Email], fixture.Smtp.MessagesTo(a.Email).Count));
    }

    [Fact]
    public async Task Bad_ids_and_a_missing_or_bad_reason_are_validation_errors_naming_the_field()
    {
        var s = await SceneAsync();
        var errors = (await (await CancelManyAsync(s.Biz.Owner, [s.Ids[0], s.Ids[1], s.Ids[2], "", s.Ids[1]], reason: "  ")).JsonAsync(HttpStatusCode.BadRequest))
            .GetProperty("errors");
        Assert.True(errors.TryGetProperty("ids[3]", out _), errors.GetRawText());
        Assert.True(errors.TryGetProperty("ids[4]", out _), errors.GetRawText());
        Assert.True(errors.TryGetProperty("reason", out _), errors.GetRawText());

        // The single cancel's rules for the reason: length and control characters.
        var tooLong = (await (await CancelManyAsync(s.Biz.Owner, [s.Ids[0]], reason: new string('x', 2001))).JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal("Use at most 2000 characters.", tooLong.GetProperty("reason")[0].GetString());
        var control = (await (await CancelManyAsync(s.Biz.Owner, [s.Ids[0]], reason: "Sick\u0007")).JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(control.TryGetProperty("reason", out _));
        var many = (await (await CancelManyAsync(s.Biz.Owner, Enumerable.Range(0, 201).Select(_ => (object?)Guid.NewGuid()))).JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(many.TryGetProperty("ids", out _));
        AssertAllStillLive(s, await StatusesAsync(s));
    }

    [Fact]
    public async Task A_list_over_the_limit_is_refused_for_its_length_alone_and_one_id_written_two_ways_is_a_duplicate()
    {
        var s = await SceneAsync();

        // Over the limit, each id is not looked at (the security review's 30 MB body of one id repeated held a core for
        // hours while every id was compared with every other): the answer names the list, never an item.
        var same = s.Ids[0];
        var over = (await (await CancelManyAsync(s.Biz.Owner, Enumerable.Repeat((object?)same, 5_000))).JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(["ids"], over.EnumerateObject().Select(p => p.Name).Where(n => n.StartsWith("ids", StringComparison.Ordinal)));
        Assert.Equal("Give at most 200 ids at once.", over.GetProperty("ids")[0].GetString());

        // One appointment's id in its plain, braced and unhyphenated forms is one id listed three times.
        var forms = new object?[] { same.ToString("D"), same.ToString("B"), same.ToString("N").ToUpperInvariant() };
        var dup = (await (await CancelManyAsync(s.Biz.Owner, forms)).JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal("This id is listed more than once.", dup.GetProperty("ids[1]")[0].GetString());
        Assert.Equal("This id is listed more than once.", dup.GetProperty("ids[2]")[0].GetString());

        // The staff page's own find over every diary of a closed business (decision 293) is not capped at 200: the ids are
        // the server's, not a caller's; all of them are still looked at, one pass.
        var validator = new Booking.Appointments.Features.CancelMany.CancelManyAppointmentsValidator();
        var found = Enumerable.Range(0, 250).Select(_ => (string?)Guid.NewGuid().ToString()).ToList();
        Assert.True(validator.Validate(new Booking.Appointments.Features.CancelMany.CancelManyAppointments(found, Reason) { ServerFound = true }).IsValid);
        Assert.False(validator.Validate(new Booking.Appointments.Features.CancelMany.CancelManyAppointments(found, Reason)).IsValid);
        var twice = validator.Validate(new Booking.Appointments.Features.CancelMany.CancelManyAppointments([.. found, found[3]], Reason) { ServerFound = true });
        Assert.Equal(["ids[250]", "ids[3]"], twice.Errors.Select(e => e.PropertyName).Order(StringComparer.Ordinal));

        // One appointment: its one client is told.
        var noReason = (await (await CancelManyAsync(s.Biz.Owner, [same], reason: "")).JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal("Give the reason the client is told.", noReason.GetProperty("reason")[0].GetString());
        AssertAllStillLive(s, await StatusesAsync(s));
    }

    private static async Task<IHtmlDocument> PageAsync(HttpClient staff, string url) =>
        await new HtmlParser().ParseDocumentAsync(await staff.GetStringAsync(new Uri(url, UriKind.Relative)));

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient staff, IHtmlFormElement form, IDictionary<string, string>? values = null, string? fallback = null)
    {
        values ??= new Dictionary<string, string>();
        var fields = form.QuerySelectorAll("input[type=hidden][name]").Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
            .Where(f => !values.ContainsKey(f.Key)).Concat(values).ToList();
        return await staff.PostAsync(new Uri(form.GetAttribute("action") is { Length: > 0 } a ? a : fallback!, UriKind.Relative), new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task The_roster_pages_notice_offers_the_form_whose_confirm_step_lists_all_twelve_and_cancels_them_once()
    {
        var s = await SceneAsync();
        var before = await SettledMailCountsAsync(s);
        var roster = $"/staff/setup/roster/{s.DiaryId}";
        using (var saved = await ClashScene.PostRosterFormAsync(s.Biz.Owner, roster, "Exception",
                   new Dictionary<string, string> { ["NewException.Date"] = Iso(s.Day), ["NewException.Closed"] = "true" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        // The notice: ten lines, "… and 2 more", the footer, and the form for all twelve.
        var notice = (await PageAsync(s.Biz.Owner, roster)).QuerySelector("#clashes")!;
        Assert.Contains("12 appointments are on this closed day:", notice.TextContent, StringComparison.Ordinal);
        Assert.Equal(10, notice.QuerySelectorAll("ul.clash-list a").Length);
        Assert.All(notice.QuerySelectorAll("ul.clash-list a"), a => Assert.StartsWith("/staff/diary/appointments/", a.GetAttribute("href"), StringComparison.Ordinal));
        Assert.Contains("… and 2 more", notice.TextContent, StringComparison.Ordinal);
        // A waiting booking request among them is declined, not moved (decision 293).
        Assert.Contains("Nothing was cancelled yet. Open an appointment to move it, or a booking request to decline it, or cancel them all below.", notice.TextContent, StringComparison.Ordinal);
        var form = notice.QuerySelector("form.cancel-clashes") as IHtmlFormElement;
        Assert.NotNull(form);
        Assert.Equal("Cancel these 12 appointments and tell the clients", form.QuerySelector("button")!.TextContent.Trim());
        Assert.NotNull(form.QuerySelector("label[for=cancel-clashes-reason]"));

        // No reason: asked for, nothing cancelled.
        using (var empty = await SubmitAsync(s.Biz.Owner, form, new Dictionary<string, string> { ["Reason"] = "" }))
        {
            var page = await new HtmlParser().ParseDocumentAsync(await empty.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
            Assert.Equal("Give the reason the clients are told.", page.QuerySelector("#reason-error")!.TextContent.Trim());
            Assert.Equal(12, page.QuerySelectorAll("#cancel-list li").Length);
        }

        // With the reason: the confirm step lists exactly the twelve (client, time, service), not only the notice's ten.
        using var review = await SubmitAsync(s.Biz.Owner, form, new Dictionary<string, string> { ["Reason"] = Reason });
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        var confirm = await new HtmlParser().ParseDocumentAsync(await review.Content.ReadAsStringAsync());
        var listed = confirm.QuerySelectorAll("#cancel-list a").ToList();
        Assert.Equal(s.Ids.Order(), listed.Select(a => Guid.Parse(a.GetAttribute("href")!.Split('/')[^1])).Order());
        Assert.Contains(listed, a => a.TextContent.StartsWith("Rita Request, ", StringComparison.Ordinal) && a.TextContent.EndsWith("Cut and colour (booking request)", StringComparison.Ordinal));
        Assert.Contains(listed, a => a.TextContent.EndsWith("Cut and colour (cancellation requested)", StringComparison.Ordinal));
        Assert.Contains("the booking request among them is declined", confirm.QuerySelector("#cancel-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(Reason, confirm.QuerySelector("#cancel-reason")!.TextContent);
        AssertAllStillLive(s, await StatusesAsync(s)); // nothing yet

        var yes = confirm.QuerySelectorAll("form").OfType<IHtmlFormElement>().Single(f => f.QuerySelector("button")?.TextContent.StartsWith("Yes, cancel", StringComparison.Ordinal) == true);
        Assert.Equal("Yes, cancel these 12 appointments and tell the clients", yes.QuerySelector("button")!.TextContent.Trim());
        using (var done = await SubmitAsync(s.Biz.Owner, yes))
        {
            Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
            var diary = await PageAsync(s.Biz.Owner, done.Headers.Location!.OriginalString);
            Assert.Equal("12 appointments cancelled (1 booking request declined); each client is told, with your reason.",
                diary.QuerySelector("[role=status].notice")!.TextContent.Trim());
        }

        var statuses = await StatusesAsync(s);
        Assert.Equal("declined", statuses[s.Requested]);
        Assert.All(s.Ids.Where(id => id != s.Requested), id => Assert.Equal("cancelled", statuses[id]));
        await AssertOneEmailEachWithTheReasonAsync(s, before);

        // Pressed again (a second tab, a resubmit): nothing left, nothing sent.
        var counts = s.Appointments.ToDictionary(a => a.Email, a => fixture.Smtp.MessagesTo(a.Email).Count);
        using (var twice = await SubmitAsync(s.Biz.Owner, yes))
        {
            Assert.Equal(HttpStatusCode.OK, twice.StatusCode);
            var page = await new HtmlParser().ParseDocumentAsync(await twice.Content.ReadAsStringAsync());
            Assert.NotNull(page.QuerySelector("#nothing-left"));
        }

        await Task.Delay(2500);
        Assert.All(s.Appointments, a => Assert.Equal(counts[a.Email], fixture.Smtp.MessagesTo(a.Email).Count));
    }

    [Fact]
    public async Task The_confirm_step_cancels_nothing_when_the_list_changed_since_it_was_shown()
    {
        var s = await SceneAsync();
        await CloseDayAsync(s);
        var scope = new Dictionary<string, string>
        {
            ["Scope.DiaryId"] = s.DiaryId.ToString(), ["Scope.From"] = Iso(s.Day), ["Scope.To"] = Iso(s.Day), ["Scope.Concern"] = "outside-hours", ["Reason"] = Reason,
        };
        var roster = await PageAsync(s.Biz.Owner, $"/staff/setup/roster/{s.DiaryId}");
        var token = roster.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var review = await s.Biz.Owner.PostAsync(new Uri("/staff/diary/cancel-clashes?handler=Review", UriKind.Relative),
            new FormUrlEncodedContent(scope.Append(new("__RequestVerificationToken", token))));
        var confirm = await new HtmlParser().ParseDocumentAsync(await review.Content.ReadAsStringAsync());
        var yes = confirm.QuerySelectorAll("form").OfType<IHtmlFormElement>().Single(f => f.QuerySelector("button")?.TextContent.StartsWith("Yes, cancel", StringComparison.Ordinal) == true);

        // Staff book one more into the closed day meanwhile: it was not on the list confirmed.
        var late = await RegisterAsync(s.Biz, "Lena", "Late");
        var added = await ClashScene.StaffBookAsync(s.Biz, late.Id, s.ServiceId, s.DiaryId, At(s.Day, 6));
        using var pressed = await SubmitAsync(s.Biz.Owner, yes);
        Assert.Equal(HttpStatusCode.OK, pressed.StatusCode);
        var again = await new HtmlParser().ParseDocumentAsync(await pressed.Content.ReadAsStringAsync());
        Assert.Contains("nothing was cancelled", again.QuerySelector("[role=alert].notice")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(13, again.QuerySelectorAll("#cancel-list li").Length);
        var statuses = await StatusesAsync(s);
        AssertAllStillLive(s, statuses);
        Assert.Equal("confirmed", statuses[added]);
    }
}
