using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Setup;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

public sealed class StaffDiaryTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task A_staff_booking_names_the_clients_pet_and_refuses_another_clients_pet()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var bob = await App.RegisterClientAsync(b.Biz, "Bob", "Other");
        var rex = Guid.NewGuid();
        var tom = Guid.NewGuid();
        foreach (var (id, client, name) in new[] { (rex, alice.Id, "Rex"), (tom, bob.Id, "Tom") })
        {
            await Sql.AdminExecAsync(App.Database.Database, """
                INSERT INTO portalauth.pets (tenant_id, id, client_id, name, species) VALUES (@t, @id, @c, @n, 'dog')
                """, ("t", b.Biz.Id), ("id", id), ("c", client), ("n", name));
        }

        var day = Day(5);
        var foreign = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(day, 9), petId = tom, note = "" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["petId"], foreign.ErrorFields());
        Assert.DoesNotContain("Tom", foreign.GetRawText(), StringComparison.Ordinal);

        var booked = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(day, 9), petId = rex, note = "" })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("Rex", booked.GetProperty("pet").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Staff_book_outside_online_hours_never_over_another_appointment_and_cancel()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var day = Day(4);

        var late = await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(day, 23, 40), petId = (Guid?)null, note = "After hours" });
        var booked = await late.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("staff", booked.GetProperty("source").GetString());
        Assert.Equal("Alice Client", booked.GetProperty("client").GetProperty("name").GetString());

        var over = await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(day, 23, 0), petId = (Guid?)null, note = "" });
        Assert.Equal("slot-conflict", await over.KindAsync(HttpStatusCode.Conflict));

        var staffEvent = JsonDocument.Parse(Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentBooked"))).RootElement;
        Assert.Equal("staff", staffEvent.GetProperty("source").GetString());

        var id = booked.GetProperty("id").GetGuid();
        var cancelled = await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{id}/cancel", new { reason = "Diary change" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        var cancelEvent = JsonDocument.Parse(Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentCancelled"))).RootElement;
        Assert.Equal("staff", cancelEvent.GetProperty("source").GetString());
        Assert.Equal("Diary change", cancelEvent.GetProperty("reason").GetString());

        var diary = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(day)}&to={Iso(day.PlusDays(6))}&diaryId={b.DiaryId}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", Assert.Single(diary.GetProperty("appointments").EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal("validation", await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(day)}&to={Iso(day.PlusDays(31))}", UriKind.Relative))).KindAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A_busy_block_removes_slots_refuses_portal_bookings_and_its_deletion_frees_them()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var day = Day(4);

        var block = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/busy-blocks",
            new { diaryId = b.DiaryId, start = At(day, 10), end = At(day, 12), note = "Staff meeting" })).JsonAsync(HttpStatusCode.Created);
        var starts = (await alice.Http.SlotsAsync(b, day, day)).Starts();
        Assert.DoesNotContain(DateTimeOffset.Parse(At(day, 9, 30), null), starts); // would run into the block
        Assert.DoesNotContain(DateTimeOffset.Parse(At(day, 11), null), starts);
        Assert.Contains(DateTimeOffset.Parse(At(day, 12), null), starts);
        Assert.Equal("slot-conflict", await (await alice.BookAsync(b, At(day, 10))).KindAsync(HttpStatusCode.Conflict));
        Assert.Equal("slot-conflict", await (await alice.BookAsync(b, At(day, 11), diaryId: "any")).KindAsync(HttpStatusCode.Conflict));

        var diary = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(day)}&to={Iso(day)}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Staff meeting", Assert.Single(diary.GetProperty("busyBlocks").EnumerateArray()).GetProperty("note").GetString());

        var id = block.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await b.Biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/busy-blocks/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/busy-blocks/{id}", UriKind.Relative))).StatusCode);
        Assert.Contains(DateTimeOffset.Parse(At(day, 10), null), (await alice.Http.SlotsAsync(b, day, day)).Starts());
        await (await alice.BookAsync(b, At(day, 10))).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Fifty_parallel_bookings_of_a_slot_and_fifty_of_an_overlapping_pair_leave_exactly_one_per_conflict_group()
    {
        var b = await App.BookableAsync(durationMinutes: 60, bufferMinutes: 0);
        var second = await b.Biz.DiaryAsync("Dr Beta");
        await b.Biz.RosterEveryDayAsync(second, "00:00", "23:30");
        var service = await b.Biz.ServiceAsync("Shared", 60, 0, [b.DiaryId, second]);
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => App.RegisterClientAsync(b.Biz, $"Racer{i}")));
        var day = Day(5);
        var groupA = b with { ServiceId = service };
        var groupB = b with { ServiceId = service, DiaryId = second };

        // Group A: 50 × 10:00 on the first diary. Group B: 50 × 10:00 and 50 × 10:30 on the second (they overlap).
        var attempts = Enumerable.Range(0, 50).Select(i => ("A", clients[i % 4].BookAsync(groupA, At(day, 10))))
            .Concat(Enumerable.Range(0, 50).Select(i => ("B", clients[i % 4].BookAsync(groupB, At(day, 10)))))
            .Concat(Enumerable.Range(0, 50).Select(i => ("B", clients[i % 4].BookAsync(groupB, At(day, 10, 30)))))
            .ToList();
        var responses = await Task.WhenAll(attempts.Select(a => a.Item2));
        var results = attempts.Select((a, i) => (Group: a.Item1, Status: responses[i].StatusCode)).ToList();

        var failures = await Task.WhenAll(responses.Where(r => (int)r.StatusCode >= 500).Select(r => r.Content.ReadAsStringAsync()));
        Assert.True(failures.Length == 0, $"{failures.Length} answered 5xx: {string.Join(" | ", failures.Distinct())}");
        Assert.All(results, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, r.Status.ToString()));
        Assert.Equal(1, results.Count(r => r.Group == "A" && r.Status == HttpStatusCode.Created));
        Assert.Equal(1, results.Count(r => r.Group == "B" && r.Status == HttpStatusCode.Created));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict).Take(5))
        {
            // The time taken, or (decision 198) a racer who already holds the other group's time or its overlapping pair.
            Assert.Contains(await conflict.KindAsync(HttpStatusCode.Conflict), new[] { "slot-conflict", "own-appointment-overlap" });
        }

        var live = await Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM appointments.appointments WHERE tenant_id = @t AND status NOT IN ('cancelled', 'declined')", ("t", b.Biz.Id));
        Assert.Equal(2L, live);
    }

    /// <summary>Shows a staff page, fills its post form (antiforgery token and all) and posts it.</summary>
    internal static async Task<HttpResponseMessage> PostPageAsync(HttpClient staff, string page, IDictionary<string, string> values)
    {
        var document = await new HtmlParser().ParseDocumentAsync(await staff.GetStringAsync(new Uri(page, UriKind.Relative)));
        var form = document.QuerySelectorAll("form").OfType<IHtmlFormElement>()
            .Last(f => string.Equals(f.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase));
        var fields = form.QuerySelectorAll("input[type=hidden][name]").Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
            .Where(f => !values.ContainsKey(f.Key)).Concat(values).ToList();
        return await staff.PostAsync(new Uri(form.GetAttribute("action") is { Length: > 0 } a ? a : page, UriKind.Relative), new FormUrlEncodedContent(fields));
    }

    private static async Task<JsonElement> DiaryAsync(TestBusiness biz, string from, string to) =>
        await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={from}&to={to}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task An_appointment_that_runs_past_midnight_shows_on_both_days_in_the_day_and_week_views()
    {
        var b = await App.BookableAsync(durationMinutes: 90);
        var alice = await App.RegisterClientAsync(b.Biz);
        // A day whose next day is in the same week (not a Sunday), so the week view holds both.
        var day = Enumerable.Range(3, 7).Select(Day).First(d => d.DayOfWeek != IsoDayOfWeek.Sunday);
        var late = (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(day, 23, 0), petId = (Guid?)null, note = "" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var link = $"/staff/diary/appointments/{late}";

        var first = await b.Biz.Owner.GetStringAsync(new Uri($"/staff/diary?date={Iso(day)}&view=day", UriKind.Relative));
        var second = await b.Biz.Owner.GetStringAsync(new Uri($"/staff/diary?date={Iso(day.PlusDays(1))}&view=day", UriKind.Relative));
        var third = await b.Biz.Owner.GetStringAsync(new Uri($"/staff/diary?date={Iso(day.PlusDays(2))}&view=day", UriKind.Relative));
        Assert.Contains(link, first, StringComparison.Ordinal);
        Assert.Contains(link, second, StringComparison.Ordinal);
        Assert.DoesNotContain(link, third, StringComparison.Ordinal);
        var shown = WebUtility.HtmlDecode(second);
        Assert.Contains("11:00 PM – ", shown, StringComparison.Ordinal); // the span says which days (AU: a 12-hour clock)
        Assert.Contains(" 12:30 AM", shown, StringComparison.Ordinal);

        var week = await b.Biz.Owner.GetStringAsync(new Uri($"/staff/diary?date={Iso(day)}&view=week", UriKind.Relative));
        Assert.Equal(2, week.Split(link).Length - 1);
    }

    [Fact]
    public async Task On_DST_days_the_book_and_busy_forms_refuse_a_skipped_time_ask_which_repeated_time_and_the_diary_names_the_zone()
    {
        var biz = await App.SignUpBusinessAsync("dst", "America/New_York", "US");
        var diary = await biz.DiaryAsync("Dr Gap");
        var service = await biz.ServiceAsync("Check", 30, 0, [diary], currency: "USD");
        var alice = await App.RegisterClientAsync(biz);
        string springForward = "2027-03-14", fallBack = "2027-11-07";

        // Spring forward: 02:30 does not exist. A field error, nothing booked.
        var skipped = await PostPageAsync(biz.Owner, "/staff/diary/book", new Dictionary<string, string>
        {
            ["Input.ClientId"] = alice.Id.ToString(), ["Input.ServiceId"] = service.ToString(), ["Input.DiaryId"] = diary.ToString(),
            ["Input.Date"] = springForward, ["Input.Time"] = "02:30",
        });
        var skippedPage = await skipped.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, skipped.StatusCode);
        Assert.Contains("There is no 2:30 AM", skippedPage, StringComparison.Ordinal);
        Assert.Empty((await DiaryAsync(biz, springForward, springForward)).GetProperty("appointments").EnumerateArray());

        // Fall back: 01:30 happens twice. Asked which, nothing booked until staff say.
        var book = new Dictionary<string, string>
        {
            ["Input.ClientId"] = alice.Id.ToString(), ["Input.ServiceId"] = service.ToString(), ["Input.DiaryId"] = diary.ToString(),
            ["Input.Date"] = fallBack, ["Input.Time"] = "01:30",
        };
        var repeated = await (await PostPageAsync(biz.Owner, "/staff/diary/book", book)).Content.ReadAsStringAsync();
        Assert.Contains("happens twice", repeated, StringComparison.Ordinal);
        Assert.Contains("1:30 AM EDT", repeated, StringComparison.Ordinal);
        Assert.Contains("1:30 AM EST", repeated, StringComparison.Ordinal);
        Assert.Empty((await DiaryAsync(biz, fallBack, fallBack)).GetProperty("appointments").EnumerateArray());

        var document = await new HtmlParser().ParseDocumentAsync(repeated);
        var est = document.QuerySelectorAll("input[name='Input.TimeChoice']").OfType<IHtmlInputElement>()
            .Single(i => document.QuerySelector($"label[for='{i.Id}']")!.TextContent.Contains("EST", StringComparison.Ordinal));
        book["Input.TimeChoice"] = est.Value;
        var booked = await PostPageAsync(biz.Owner, "/staff/diary/book", book);
        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        var appointment = Assert.Single((await DiaryAsync(biz, fallBack, fallBack)).GetProperty("appointments").EnumerateArray());
        Assert.Equal(DateTimeOffset.Parse("2027-11-07T01:30:00-05:00", null), appointment.GetProperty("start").GetDateTimeOffset());

        // Busy time: a skipped start is a field error; a repeated start and end each need a choice.
        var busySkipped = await (await PostPageAsync(biz.Owner, "/staff/diary/busy", new Dictionary<string, string>
        {
            ["Input.DiaryId"] = diary.ToString(), ["Input.Date"] = springForward, ["Input.Start"] = "02:15", ["Input.End"] = "04:00",
        })).Content.ReadAsStringAsync();
        Assert.Contains("There is no 2:15 AM", busySkipped, StringComparison.Ordinal);
        var busy = new Dictionary<string, string>
        {
            ["Input.DiaryId"] = diary.ToString(), ["Input.Date"] = fallBack, ["Input.Start"] = "01:10", ["Input.End"] = "01:20",
        };
        var busyRepeated = await new HtmlParser().ParseDocumentAsync(await (await PostPageAsync(biz.Owner, "/staff/diary/busy", busy)).Content.ReadAsStringAsync());
        Assert.Empty((await DiaryAsync(biz, fallBack, fallBack)).GetProperty("busyBlocks").EnumerateArray());
        string Choice(string name, string zone) => busyRepeated.QuerySelectorAll($"input[name='{name}']").OfType<IHtmlInputElement>()
            .Single(i => busyRepeated.QuerySelector($"label[for='{i.Id}']")!.TextContent.Contains(zone, StringComparison.Ordinal)).Value;
        busy["Input.StartChoice"] = Choice("Input.StartChoice", "EDT");
        busy["Input.EndChoice"] = Choice("Input.EndChoice", "EST");
        Assert.Equal(HttpStatusCode.Redirect, (await PostPageAsync(biz.Owner, "/staff/diary/busy", busy)).StatusCode);
        var block = Assert.Single((await DiaryAsync(biz, fallBack, fallBack)).GetProperty("busyBlocks").EnumerateArray());
        Assert.Equal(TimeSpan.FromMinutes(70), block.GetProperty("end").GetDateTimeOffset() - block.GetProperty("start").GetDateTimeOffset());

        // The diary of the change day names the zone with each time; an ordinary day does not.
        var page = WebUtility.HtmlDecode(await biz.Owner.GetStringAsync(new Uri($"/staff/diary?date={fallBack}&view=day", UriKind.Relative)));
        Assert.Matches(@"1:30–\d{1,2}:\d\d AM EST", page); // one zone for both ends: said once (decision 205)
        Assert.Contains("1:10 AM EDT–1:20 AM EST", page, StringComparison.Ordinal);
        var ordinary = await biz.Owner.GetStringAsync(new Uri("/staff/diary?date=2027-11-10&view=day", UriKind.Relative));
        Assert.DoesNotContain(" EST", ordinary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancellation_requests_requestedAt_is_when_it_was_filed_and_declining_it_clears_the_reason()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new System.Text.Json.Nodes.JsonObject
        {
            ["hours"] = 48, ["text"] = "Two days' notice.", ["insideWindow"] = "request",
        });
        var soon = (await (await alice.BookAsync(b, At(Day(1), 12))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var before = DateTimeOffset.UtcNow;
        await (await alice.Http.CancelAsync(b.Biz.Slug, soon, "Sick")).JsonAsync(HttpStatusCode.Accepted);
        var after = DateTimeOffset.UtcNow;
        // Another save moves the row's last change; the request was still filed when it was.
        await Sql.AdminExecAsync(App.Database.Database, "UPDATE appointments.appointments SET updated_at = now() + interval '3 hours' WHERE id = @id", ("id", soon));

        var request = Assert.Single((await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/requests", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray());
        var requestedAt = request.GetProperty("requestedAt").GetDateTimeOffset();
        Assert.InRange(requestedAt, before.AddSeconds(-1), after.AddSeconds(1));
        Assert.Equal("Sick", request.GetProperty("appointment").GetProperty("cancelReason").GetString());

        await Task.Delay(1100);
        var declined = await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{soon}/decline", new { reason = "Short notice" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(requestedAt, declined.GetProperty("requestedAt").GetDateTimeOffset());
        Assert.Equal("confirmed", declined.GetProperty("appointment").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, declined.GetProperty("appointment").GetProperty("cancelReason").ValueKind);
        var read = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{soon}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("cancelReason").ValueKind);
    }

    [Fact]
    public async Task An_inactive_diary_says_so_and_an_unknown_diary_id_is_not_found()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var other = await App.SignUpBusinessAsync();
        var theirs = await other.DiaryAsync("Theirs");
        await (await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{b.DiaryId}", new { name = "Dr Alpha", contactEmail = "diary@test.example", active = false }))
            .JsonAsync(HttpStatusCode.OK);

        var inactive = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(3), 9), petId = (Guid?)null, note = "" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("This diary is inactive", inactive.GetProperty("errors").GetProperty("diaryId").GetRawText(), StringComparison.Ordinal);
        var unknown = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = theirs, start = At(Day(3), 9), petId = (Guid?)null, note = "" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("No such diary", unknown.GetProperty("errors").GetProperty("diaryId").GetRawText(), StringComparison.Ordinal);

        var page = await b.Biz.Owner.GetStringAsync(new Uri($"/staff/diary?diary={b.DiaryId}", UriKind.Relative));
        Assert.Contains("This diary is inactive", page, StringComparison.Ordinal);
        Assert.DoesNotContain("No such diary", page, StringComparison.Ordinal);

        var day = Iso(Day(3));
        Assert.Equal("not-found", await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={day}&to={day}&diaryId={theirs}", UriKind.Relative))).KindAsync(HttpStatusCode.NotFound));
        Assert.Equal("not-found", await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={day}&to={day}&diaryId={Guid.NewGuid()}", UriKind.Relative))).KindAsync(HttpStatusCode.NotFound));
        await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={day}&to={day}&diaryId={b.DiaryId}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_book_form_asks_before_it_records_a_time_that_has_passed()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var yesterday = Day(-1);
        var book = new Dictionary<string, string>
        {
            ["Input.ClientId"] = alice.Id.ToString(), ["Input.ServiceId"] = b.ServiceId.ToString(), ["Input.DiaryId"] = b.DiaryId.ToString(),
            ["Input.Date"] = Iso(yesterday), ["Input.Time"] = "10:00",
        };
        var asked = await PostPageAsync(b.Biz.Owner, "/staff/diary/book", book);
        var page = await asked.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("has already passed", page, StringComparison.Ordinal);
        Assert.Contains("the client is not emailed about a time that has passed", page, StringComparison.Ordinal);
        Assert.Contains("Book this past time", page, StringComparison.Ordinal);
        Assert.Empty((await DiaryAsync(b.Biz, Iso(yesterday), Iso(yesterday))).GetProperty("appointments").EnumerateArray());

        book["Input.BookPast"] = "true";
        Assert.Equal(HttpStatusCode.Redirect, (await PostPageAsync(b.Biz.Owner, "/staff/diary/book", book)).StatusCode);
        Assert.Single((await DiaryAsync(b.Biz, Iso(yesterday), Iso(yesterday))).GetProperty("appointments").EnumerateArray());
    }
}
