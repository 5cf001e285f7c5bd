using System.Net;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Setup;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// The owner's month (decision 275): <c>GET /api/v1/admin/reports/month</c>, its CSV and <c>/staff/reports</c>. The scene is
/// October 2026 in Sydney, whose clocks go forward on the 4th (+10:00 → +11:00): the month runs from local midnight on
/// the 1st (14:00 UTC on 30 September) to local midnight on 1 November (13:00 UTC on 31 October).
/// </summary>
public sealed class MonthReportTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0, int year = 2026) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneStrictly(Sydney).ToDateTimeOffset().ToUniversalTime();

    private sealed record Scene(Bookable B, Guid DiaryA, Guid DiaryB, PortalClient Alice, Bookable Other);

    private async Task<Guid> InsertAsync(Guid tenant, Guid diary, Guid service, Guid client, DateTimeOffset start, string status, string? ended = null,
        string? cancelledBy = null, DateTimeOffset? cancelledAt = null, int? hours = 24, decimal? price = 45.00m, DateTimeOffset? requestedAt = null,
        string? note = null, string? reason = null, string source = "portal", int minutes = 10)
    {
        var id = Guid.NewGuid();
        await Sql.AdminExecAsync(App.Database.Database, """
            INSERT INTO appointments.appointments (tenant_id, id, client_id, diary_id, service_id, start_at, end_at, blocked_until, status, source,
                created_at, updated_at, requested_at, cancelled_at, cancelled_by, ended, cancellation_hours, cancellation_inside_window,
                price_amount, price_currency, note, cancel_reason)
            VALUES (@t, @id, @c, @d, @s, @start, @end, @end, @status, @source, @created, @created, @requested, @cancelledAt, @cancelledBy, @ended,
                @hours, @inside, @price, @currency, @note, @reason)
            """,
            ("t", tenant), ("id", id), ("c", client), ("d", diary), ("s", service), ("start", start), ("end", start.AddMinutes(minutes)),
            ("status", status), ("source", source), ("created", requestedAt ?? start.AddDays(-20)), ("requested", (object?)requestedAt ?? DBNull.Value),
            ("cancelledAt", (object?)cancelledAt ?? DBNull.Value), ("cancelledBy", (object?)cancelledBy ?? DBNull.Value), ("ended", (object?)ended ?? DBNull.Value),
            ("hours", (object?)hours ?? DBNull.Value), ("inside", hours is null ? DBNull.Value : "refuse"),
            ("price", (object?)price ?? DBNull.Value), ("currency", price is null ? DBNull.Value : "AUD"),
            ("note", (object?)note ?? DBNull.Value), ("reason", (object?)reason ?? DBNull.Value));
        return id;
    }

    /// <summary>Sets columns of one row the insert leaves alone (moves, request decisions): <paramref name="set"/> names them with @parameters.</summary>
    private async Task SetAsync(Guid id, string set, params (string Name, object Value)[] values) =>
        await Sql.AdminExecAsync(App.Database.Database, $"UPDATE appointments.appointments SET {set} WHERE id = @id", [("id", id), .. values]);

    private async Task<Guid> OwnerStaffIdAsync(Guid tenant) =>
        await Sql.AdminScalarAsync<Guid>(App.Database.Database, "SELECT id FROM tenancy.staff_members WHERE tenant_id = @t", ("t", tenant));

    private static async Task<List<Dictionary<string, string>>> CsvRowsAsync(HttpClient staff, string month)
    {
        var text = (await staff.GetStringAsync(new Uri($"/api/v1/admin/reports/month.csv?month={month}", UriKind.Relative))).TrimStart('\uFEFF');
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries); // these scenes have no quoted cells
        var header = lines[0].Split(',');
        return lines[1..].Select(l => header.Zip(l.Split(','), (h, v) => (h, v)).ToDictionary(x => x.h, x => x.v)).ToList();
    }

    /// <summary>
    /// Diary A (Dr Alpha) and B (Dr Beta) with appointments in every state, around both edges of October; and another
    /// business with rows naming the same diary and client ids, which must never count.
    /// </summary>
    private async Task<Scene> SceneAsync()
    {
        var b = await App.BookableAsync();
        var diaryB = await b.Biz.DiaryAsync("Dr Beta");
        var (t, a, s) = (b.Biz.Id, b.DiaryId, b.ServiceId);
        var alice = await App.RegisterClientAsync(b.Biz, "Alice", "Archer");
        var (bob, carol, dave, erin) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        // Diary A.
        await InsertAsync(t, a, s, alice.Id, Local(10, 1, 0, 30), "completed", note: "Said \"hello\", then\nleft early"); // just after local midnight on the 1st
        await InsertAsync(t, a, s, bob, Local(9, 30, 23, 30), "completed");                 // just before it: September
        await InsertAsync(t, a, s, bob, Local(10, 31, 23, 40), "no-show", price: 60.00m);    // just before midnight on the 31st (+11:00)
        await InsertAsync(t, a, s, bob, Local(11, 1, 0, 15), "completed");                   // just after it: November
        await InsertAsync(t, a, s, carol, Local(10, 10, 10), "confirmed", price: 30.00m, note: "=HYPERLINK(\"http://evil.example\")");
        await InsertAsync(t, a, s, carol, Local(10, 11, 10), "cancelled", "cancelled", "client", Local(10, 11, 2), reason: "@SUM(1+1)"); // 8 h before: inside 24 h
        await InsertAsync(t, a, s, carol, Local(10, 12, 10), "cancelled", "cancelled", "staff", Local(10, 5, 9), source: "staff");     // a week before: outside
        await InsertAsync(t, a, s, bob, Local(10, 13, 10), "completed", price: null, hours: null);                                      // booked before prices were kept
        await InsertAsync(t, a, s, erin, Local(11, 10, 10), "requested", requestedAt: Local(10, 30, 9));                               // a request filed in October, waiting

        // Diary B.
        await InsertAsync(t, diaryB, s, alice.Id, Local(10, 15, 10), "completed", price: 50.00m);                                     // Alice's second: not new here
        await InsertAsync(t, diaryB, s, dave, Local(10, 16, 10), "no-show", price: 50.00m);
        await InsertAsync(t, diaryB, s, erin, Local(11, 5, 10), "declined", "declined", "staff", Local(10, 20, 12), requestedAt: Local(10, 20, 9));
        await InsertAsync(t, diaryB, s, erin, Local(10, 25, 10), "confirmed", price: 50.00m, requestedAt: Local(10, 21, 9));          // a request accepted
        await InsertAsync(t, diaryB, s, dave, Local(10, 28, 10), "cancelled", "withdrawn", "client", Local(10, 22, 12), requestedAt: Local(10, 22, 9));
        await InsertAsync(t, diaryB, s, dave, Local(10, 2, 10), "requested", requestedAt: Local(9, 29, 9));                            // filed in September

        // Another business: its rows name our diary and Alice, before and inside October; none may count for us.
        var other = await App.BookableAsync();
        await InsertAsync(other.Biz.Id, a, other.ServiceId, alice.Id, Local(9, 1, 10), "completed", price: 999.00m);
        await InsertAsync(other.Biz.Id, a, other.ServiceId, alice.Id, Local(10, 5, 10), "completed", price: 999.00m, requestedAt: Local(10, 1, 9));
        return new Scene(b, a, diaryB, alice, other);
    }

    private static async Task<JsonElement> ReportAsync(HttpClient staff, string month = "2026-10") =>
        await (await staff.GetAsync(new Uri($"/api/v1/admin/reports/month?month={month}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static Dictionary<string, string> Figures(JsonElement f) =>
        f.EnumerateObject().Where(p => p.Name is not ("id" or "name")).ToDictionary(p => p.Name, p => p.Value.ValueKind switch
        {
            JsonValueKind.Object => p.Value.GetProperty("amount").GetString() + " " + p.Value.GetProperty("currency").GetString(),
            JsonValueKind.Null => "null",
            _ => p.Value.GetRawText(),
        });

    private static Dictionary<string, string> Expected(int held, int completed, int noShows, int still, int byClient, int byStaff, int inside,
        int received, int accepted, int declined, int withdrawn, int staffCancelled, int waiting, int newClients, string rate,
        string takings, string takingsCompleted, string takingsStill, string noShowValue, int unpriced) => new()
    {
        ["appointments"] = $"{held}", ["completed"] = $"{completed}", ["noShows"] = $"{noShows}", ["stillConfirmed"] = $"{still}",
        ["cancelledByClient"] = $"{byClient}", ["cancelledByStaff"] = $"{byStaff}", ["cancelledInsideWindow"] = $"{inside}",
        ["requestsReceived"] = $"{received}", ["requestsAccepted"] = $"{accepted}", ["requestsDeclined"] = $"{declined}",
        ["requestsWithdrawn"] = $"{withdrawn}", ["requestsCancelledByStaff"] = $"{staffCancelled}", ["requestsWaiting"] = $"{waiting}",
        ["newClients"] = $"{newClients}", ["noShowRate"] = rate, ["takings"] = takings, ["takingsCompleted"] = takingsCompleted,
        ["takingsStillConfirmed"] = takingsStill, ["noShowValue"] = noShowValue, ["unpriced"] = $"{unpriced}",
        // This scene has no moves and no cancellation requests (decision 291's figures: their own test).
        ["moved"] = "0", ["movedByClient"] = "0", ["movedByStaff"] = "0", ["moves"] = "0", ["cancellationRequestsReceived"] = "0",
        ["cancellationRequestsAccepted"] = "0", ["cancellationRequestsDeclined"] = "0", ["cancellationRequestsWithdrawn"] = "0",
        ["cancellationRequestsCancelledByStaff"] = "0",
        ["cancellationRequestsWaiting"] = "0",
    };

    [Fact]
    public async Task A_month_counts_each_diary_and_the_total_exactly_within_local_midnights_and_never_another_business()
    {
        var scene = await SceneAsync();
        var report = await ReportAsync(scene.B.Biz.Owner);

        Assert.Equal("2026-10", report.GetProperty("month").GetString());
        Assert.Equal("Australia/Sydney", report.GetProperty("timeZone").GetString());
        var diaries = report.GetProperty("diaries").EnumerateArray().ToList();
        Assert.Equal(["Dr Alpha", "Dr Beta"], diaries.Select(d => d.GetProperty("name").GetString()!));
        Assert.Equal([scene.DiaryA, scene.DiaryB], diaries.Select(d => d.GetProperty("id").GetGuid()));

        // A: Alice's 00:30 on the 1st, Bob's no-show at 23:40 on the 31st, Carol's unmarked one, Bob's unpriced one; not
        // Bob's 23:30 on 30 September or 00:15 on 1 November. New: Alice and Carol (Bob came first in September).
        Assert.Equal(Expected(4, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 2, "0.3333", "75.00 AUD", "45.00 AUD", "30.00 AUD", "60.00 AUD", 1),
            Figures(diaries[0]));
        // B: requests filed 20–22 October (declined, accepted, withdrawn), not the one filed in September. New: Dave, Erin.
        Assert.Equal(Expected(3, 1, 1, 1, 0, 0, 0, 3, 1, 1, 1, 0, 0, 2, "0.5", "100.00 AUD", "50.00 AUD", "50.00 AUD", "50.00 AUD", 0),
            Figures(diaries[1]));
        Assert.Equal(Expected(7, 3, 2, 2, 1, 1, 1, 4, 1, 1, 1, 0, 1, 4, "0.4", "175.00 AUD", "95.00 AUD", "80.00 AUD", "110.00 AUD", 1),
            Figures(report.GetProperty("total")));

        // The other business sees only its own rows (its diary has none; ours shows as one no longer on file to it).
        var theirs = await ReportAsync(scene.Other.Biz.Owner);
        Assert.Equal("999.00", theirs.GetProperty("total").GetProperty("takings").GetProperty("amount").GetString());
        Assert.Equal(1, theirs.GetProperty("total").GetProperty("appointments").GetInt32());
        Assert.Equal(0, theirs.GetProperty("total").GetProperty("newClients").GetInt32()); // Alice came to them in September
        Assert.DoesNotContain("Dr Beta", theirs.GetRawText(), StringComparison.Ordinal);

        // September: Bob's 23:30 on the 30th; November: his 00:15 on the 1st (the next month's links lead there).
        Assert.Equal(1, (await ReportAsync(scene.B.Biz.Owner, "2026-09")).GetProperty("total").GetProperty("completed").GetInt32());
        var november = await ReportAsync(scene.B.Biz.Owner, "2026-11");
        Assert.Equal(1, november.GetProperty("total").GetProperty("completed").GetInt32());
        Assert.Equal(0, november.GetProperty("total").GetProperty("requestsReceived").GetInt32());
    }

    [Fact]
    public async Task Months_before_the_business_or_ahead_are_zeros_no_month_is_this_one_and_a_bad_month_is_400_on_month()
    {
        var b = await App.BookableAsync();
        var long_ago = await ReportAsync(b.Biz.Owner, "2019-03");
        Assert.Equal(0, long_ago.GetProperty("total").GetProperty("appointments").GetInt32());
        Assert.Equal("0.00", long_ago.GetProperty("total").GetProperty("takings").GetProperty("amount").GetString());
        Assert.Equal(JsonValueKind.Null, long_ago.GetProperty("total").GetProperty("noShowRate").ValueKind);
        Assert.Equal(0, (await ReportAsync(b.Biz.Owner, "2031-07")).GetProperty("diaries")[0].GetProperty("completed").GetInt32());

        var current = (await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/reports/month", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("month").GetString();
        Assert.Equal(SystemClock.Instance.GetCurrentInstant().InZone(Sydney).Date.ToString("yyyy-MM", null), current);

        foreach (var bad in new[] { "2026-13", "2026-00", "2026-1", "26-10", "2026-10-01", "october", "%D9%A2%D9%A0%D9%A2%D9%A6-%D9%A1%D9%A0", "1900-01", "9999-12" })
        {
            foreach (var path in new[] { "/api/v1/admin/reports/month", "/api/v1/admin/reports/month.csv" })
            {
                var problem = await (await b.Biz.Owner.GetAsync(new Uri($"{path}?month={bad}", UriKind.Relative))).JsonAsync(HttpStatusCode.BadRequest);
                Assert.Equal("validation", problem.Kind());
                Assert.Equal(["month"], problem.ErrorFields());
            }
        }
    }

    [Fact]
    public async Task The_csv_has_a_bom_the_headers_a_row_per_appointment_quoting_and_the_formula_guard()
    {
        var scene = await SceneAsync();
        var response = await scene.B.Biz.Owner.GetAsync(new Uri("/api/v1/admin/reports/month.csv?month=2026-10", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("appointments-2026-10.csv", response.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);

        Assert.StartsWith("Date,Start,End,UTC offset,Diary,Service,Client,Client email,Client phone,Pet,Status,How it ended,Source,Booked by,Booked at,"
            + "Cancelled by,Cancelled at,Cancel reason,Note,Price,Currency,Appointment id,"
            // Decision 291's columns come after the old ones, so a sheet built on the old layout keeps working.
            + "End UTC offset,Minutes,Moved (times),Last moved from,Last moved from diary,Last moved by,Last moved at,"
            + "Request decision,Request decided by,Decline reason,Cancellation requested at,Cancellation request decision,"
            + "Cancellation request decided by,"
            // Decision 293's, after those.
            + "Cancellation request decline reason,"
            // Decision 295's, after those.
            + "Cancellation requests filed,Cancellation requests withdrawn,Cancellation request last withdrawn at,"
            // Decision 310's, after those.
            + "Client other phone\r\n", text, StringComparison.Ordinal);
        // Every appointment starting in October (any status), none of the other business's: 11 rows.
        var records = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 11, records.Length); // the note's own line break (LF) is inside its quotes
        Assert.DoesNotContain("999.00", text, StringComparison.Ordinal);

        // Alice's, at 00:30 on the 1st: local time and offset, her name and email, the note quoted (quote doubled, comma and line break kept).
        var first = text.Split("\r\n")[1];
        Assert.StartsWith("2026-10-01,00:30,00:40,UTC+10:00,Dr Alpha,Consultation,Alice Archer,alice-", first, StringComparison.Ordinal);
        Assert.Contains(",completed,,portal,client,", first, StringComparison.Ordinal);
        Assert.Contains(",\"Said \"\"hello\"\", then\nleft early\",45.00,AUD,", text, StringComparison.Ordinal);
        // The 31st's no-show is after the clocks went forward.
        Assert.Contains("2026-10-31,23:40,23:50,UTC+11:00,Dr Alpha,", text, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-11-01,00:15", text, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-09-30", text.Split("\r\n")[1..].Select(l => l.Split(',')[0]));

        // Formula-like cells start with ' (and are quoted when they hold a quote or comma); a mobile "+61…" is written nationally.
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.example\"\")\",", text, StringComparison.Ordinal);
        Assert.Contains(",'@SUM(1+1),", text, StringComparison.Ordinal);
        Assert.Contains(",cancelled,cancelled,portal,client,", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",=", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",@", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",+", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_fields_are_quoted_by_rfc_4180_and_guarded_against_formulas()
    {
        Assert.Equal("plain", Booking.Appointments.Features.Reports.Csv.Field("plain"));
        Assert.Equal("\"a,b\"", Booking.Appointments.Features.Reports.Csv.Field("a,b"));
        Assert.Equal("\"say \"\"hi\"\"\"", Booking.Appointments.Features.Reports.Csv.Field("say \"hi\""));
        Assert.Equal("\"two\r\nlines\"", Booking.Appointments.Features.Reports.Csv.Field("two\r\nlines"));
        foreach (var risky in new[] { "=1+1", "+1", "-1", "@x", "\tx", "\rx" })
        {
            Assert.StartsWith("'", Booking.Appointments.Features.Reports.Csv.Field(risky).TrimStart('"'), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Only_owners_and_admins_read_reports_a_practitioner_is_refused_on_the_api_the_csv_and_the_page()
    {
        var b = await App.BookableAsync();
        var practitioner = await App.SignInPractitionerAsync(b.Biz);
        Assert.Equal(HttpStatusCode.Forbidden, (await practitioner.GetAsync(new Uri("/api/v1/admin/reports/month?month=2026-10", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await practitioner.GetAsync(new Uri("/api/v1/admin/reports/month.csv?month=2026-10", UriKind.Relative))).StatusCode);
        var page = await practitioner.GetAsync(new Uri("/staff/reports", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        var diary = await new HtmlParser().ParseDocumentAsync(await practitioner.GetStringAsync(new Uri("/staff/diary", UriKind.Relative)));
        Assert.Null(diary.QuerySelector("a[href='/staff/reports']"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.NewClient().GetAsync(new Uri("/api/v1/admin/reports/month", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/reports/month.csv?month=2026-10", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task The_reports_page_shows_the_months_table_its_links_and_the_unpriced_note()
    {
        var scene = await SceneAsync();
        var page = await new HtmlParser().ParseDocumentAsync(await scene.B.Biz.Owner.GetStringAsync(new Uri("/staff/reports?month=2026-10", UriKind.Relative)));

        Assert.Equal("October 2026", page.QuerySelector("#report-month")!.TextContent);
        Assert.Equal("page", page.QuerySelector("nav[aria-label='Main'] a[href='/staff/reports']")!.GetAttribute("aria-current"));
        Assert.Equal("/staff/reports?month=2026-09", page.QuerySelector("#previous-month")!.GetAttribute("href"));
        Assert.Equal("/staff/reports?month=2026-11", page.QuerySelector("#next-month")!.GetAttribute("href"));
        Assert.Equal("2026-10", page.QuerySelector("input#month[name='month']")!.GetAttribute("value"));
        Assert.NotNull(page.QuerySelector("label[for='month']"));
        Assert.Equal("/api/v1/admin/reports/month.csv?month=2026-10", page.QuerySelector("#download-csv")!.GetAttribute("href"));
        // Not "Held": a month's figures include appointments still to come (session 36's review).
        Assert.Equal("Booked", page.QuerySelector("#report-appointments thead th:nth-child(2)")!.TextContent);
        Assert.Contains("still to come", page.QuerySelector("#booked-note")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("button", page.QuerySelector(".report-months button[type='submit']")!.ClassList);

        string[][] Cells(string table) => page.QuerySelectorAll($"#{table} tbody tr")
            .Select(tr => tr.Children.Select(c => c.TextContent.Trim()).ToArray()).ToArray();
        Assert.Equal(
            [
                ["Dr Alpha", "4", "2", "1", "1", "33.3%", "1", "1", "1"],
                ["Dr Beta", "3", "1", "1", "1", "50%", "0", "0", "0"],
                ["Total", "7", "3", "2", "2", "40%", "1", "1", "1"],
            ],
            Cells("report-appointments"));
        Assert.Equal(["Total", "4", "1", "1", "1", "0", "1", "4"], Cells("report-requests")[2]);
        Assert.Equal(["Total", "$95.00", "$80.00", "$175.00", "$110.00"], Cells("report-takings")[2]);
        Assert.Equal("1 of 7 appointments has no recorded price (booked before prices were kept), so it is not in the takings.",
            page.QuerySelector("#unpriced")!.TextContent.Trim());

        // A month the report cannot show: this month instead, and the page says why.
        var bad = await new HtmlParser().ParseDocumentAsync(await scene.B.Biz.Owner.GetStringAsync(new Uri("/staff/reports?month=2026-13", UriKind.Relative)));
        Assert.Contains("Give a month as YYYY-MM", bad.QuerySelector("#month-notice")!.TextContent, StringComparison.Ordinal);
    }

    /// <summary>A month whose appointments all predate kept prices: takings "—", not $0.00.</summary>
    [Fact]
    public async Task Takings_are_unknown_when_no_appointment_of_the_month_has_a_kept_price()
    {
        var b = await App.BookableAsync();
        await InsertAsync(b.Biz.Id, b.DiaryId, b.ServiceId, Guid.NewGuid(), Local(8, 3, 10), "completed", price: null, hours: null);
        var report = await ReportAsync(b.Biz.Owner, "2026-08");
        Assert.Equal(JsonValueKind.Null, report.GetProperty("total").GetProperty("takings").ValueKind);
        Assert.Equal(1, report.GetProperty("total").GetProperty("unpriced").GetInt32());
        var page = await new HtmlParser().ParseDocumentAsync(await b.Biz.Owner.GetStringAsync(new Uri("/staff/reports?month=2026-08", UriKind.Relative)));
        Assert.Equal(["Total", "—", "—", "—", "—"], page.QuerySelectorAll("#report-takings tbody tr").Last().Children.Select(c => c.TextContent.Trim()));
        Assert.Equal("1 of 1 appointment has no recorded price (booked before prices were kept), so it is not in the takings.", page.QuerySelector("#unpriced")!.TextContent.Trim());
    }

    /// <summary>
    /// Moves (decision 282) and cancellation requests (decision 276) in October, counted per diary and in total, on the page
    /// and in the CSV (decision 291).
    /// </summary>
    [Fact]
    public async Task Moves_are_counted_by_who_moved_last_and_cancellation_requests_by_outcome_in_the_json_the_page_and_the_csv()
    {
        var b = await App.BookableAsync();
        var diaryB = await b.Biz.DiaryAsync("Dr Beta");
        var (t, a, s) = (b.Biz.Id, b.DiaryId, b.ServiceId);
        var owner = await OwnerStaffIdAsync(t);
        var client = Guid.NewGuid();

        // Moves: by the start the appointment has now.
        var m1 = await InsertAsync(t, a, s, client, Local(10, 14, 10), "confirmed");
        await SetAsync(m1, "move_count = 2, moved_by = 'client', moved_at = @at, moved_from_start_at = @from, moved_from_diary_id = @d",
            ("at", Local(10, 3, 9)), ("from", Local(10, 7, 9)), ("d", diaryB));
        var m2 = await InsertAsync(t, a, s, client, Local(10, 15, 10), "cancelled", "cancelled", "staff", Local(10, 14, 9));
        await SetAsync(m2, "move_count = 1, moved_by = 'staff', moved_by_staff_id = @who, moved_at = @at, moved_from_start_at = @from, moved_from_diary_id = @d",
            ("who", owner), ("at", Local(10, 2, 9)), ("from", Local(10, 16, 11)), ("d", a));
        var m3 = await InsertAsync(t, a, s, client, Local(11, 3, 10), "confirmed"); // moved out of October: November's
        await SetAsync(m3, "move_count = 1, moved_by = 'client', moved_at = @at, moved_from_start_at = @from, moved_from_diary_id = @d",
            ("at", Local(10, 2, 9)), ("from", Local(10, 20, 9)), ("d", a));
        var m4 = await InsertAsync(t, diaryB, s, client, Local(10, 20, 10), "completed");
        await SetAsync(m4, "move_count = 1, moved_by = 'staff', moved_at = @at, moved_from_start_at = @from, moved_from_diary_id = @d",
            ("at", Local(10, 1, 9)), ("from", Local(10, 21, 9)), ("d", diaryB)); // no staff member kept: "staff"

        // Cancellation requests: by when they were filed.
        async Task<Guid> Asked(Guid diary, int day, string status, string? ended = null, string? by = null, bool decided = false, int month = 10)
        {
            var id = await InsertAsync(t, diary, s, client, Local(11, day, 10), status, ended, by, ended is null ? null : Local(month, day, 15));
            await SetAsync(id, "cancellation_requested_at = @asked" + (decided ? ", cancellation_decided_at = @asked, cancellation_decided_by_staff_id = @who" : ""),
                ("asked", Local(month, day, 12)), ("who", owner));
            return id;
        }

        await Asked(a, 9, "cancellation-requested");                                     // waiting
        var accepted = await Asked(a, 10, "cancelled", "cancelled", "client", decided: true);
        var declined = await Asked(a, 11, "confirmed", decided: true);                    // declined: it stands
        await SetAsync(declined, "cancellation_decline_reason = @reason", ("reason", "Inside the 24 hours"));
        await Asked(a, 29, "confirmed", decided: true, month: 9);                         // filed in September
        var withdrawn = await InsertAsync(t, a, s, client, Local(11, 12, 10), "confirmed"); // withdrawn before withdrawals were kept
        await SetAsync(withdrawn, "cancellation_withdrawn_at = @at", ("at", Local(10, 14, 12)));
        await Asked(diaryB, 12, "completed");                                            // declined before decisions were kept
        await Asked(diaryB, 13, "cancelled", "cancelled", "staff");                      // staff cancelled it without deciding
        await Asked(diaryB, 14, "cancelled", "cancelled", "staff", decided: true);       // declined, then cancelled by staff

        var report = await ReportAsync(b.Biz.Owner);
        string[] moves = ["moved", "movedByClient", "movedByStaff", "moves"];
        int[] Of(JsonElement f, params string[] names) => names.Select(n => f.GetProperty(n).GetInt32()).ToArray();
        string[] asks = ["cancellationRequestsReceived", "cancellationRequestsAccepted", "cancellationRequestsDeclined",
            "cancellationRequestsCancelledByStaff", "cancellationRequestsWaiting"];
        var diaries = report.GetProperty("diaries").EnumerateArray().ToList();
        Assert.Equal([2, 1, 1, 3], Of(diaries[0], moves));
        Assert.Equal([1, 0, 1, 1], Of(diaries[1], moves));
        Assert.Equal([3, 1, 2, 4], Of(report.GetProperty("total"), moves));
        Assert.Equal([3, 1, 1, 0, 1], Of(diaries[0], asks));
        Assert.Equal([3, 0, 2, 1, 0], Of(diaries[1], asks));
        Assert.Equal([6, 1, 3, 1, 1], Of(report.GetProperty("total"), asks));

        var page = await new HtmlParser().ParseDocumentAsync(await b.Biz.Owner.GetStringAsync(new Uri("/staff/reports?month=2026-10", UriKind.Relative)));
        string[] Last(string table) => page.QuerySelectorAll($"#{table} tbody tr").Last().Children.Select(c => c.TextContent.Trim()).ToArray();
        Assert.Equal(["Total", "3", "1", "2", "4"], Last("report-moves"));
        // The withdrawn row here has no withdrawal kept (as before decision 295): it is in no figure.
        Assert.Equal(["Total", "6", "1", "3", "0", "1", "1"], Last("report-cancellation-requests"));
        Assert.NotNull(page.QuerySelector("#report-moves caption"));

        var rows = (await CsvRowsAsync(b.Biz.Owner, "2026-10")).ToDictionary(r => r["Appointment id"]);
        Assert.Equal(("2", "2026-10-07 09:00", "Dr Beta", "client", "2026-10-03 09:00"), Moved(rows[m1.ToString()]));
        Assert.Equal(("1", "2026-10-16 11:00", "Dr Alpha", "Olive Owner", "2026-10-02 09:00"), Moved(rows[m2.ToString()]));
        Assert.Equal(("1", "2026-10-21 09:00", "Dr Beta", "staff", "2026-10-01 09:00"), Moved(rows[m4.ToString()]));
        Assert.DoesNotContain(m3.ToString(), rows.Keys);
        var november = (await CsvRowsAsync(b.Biz.Owner, "2026-11")).ToDictionary(r => r["Appointment id"]);
        var acceptedRow = november[accepted.ToString()];
        Assert.Equal(("0", "", "", "", ""), Moved(acceptedRow));
        Assert.Equal(["2026-10-10 12:00", "accepted", "Olive Owner"],
            [acceptedRow["Cancellation requested at"], acceptedRow["Cancellation request decision"], acceptedRow["Cancellation request decided by"]]);
        Assert.Equal("", acceptedRow["Cancellation request decline reason"]);
        Assert.Equal(["declined", "Inside the 24 hours"],
            [november[declined.ToString()]["Cancellation request decision"], november[declined.ToString()]["Cancellation request decline reason"]]);
        Assert.Equal(["", "withdrawn by the client", ""], [november[withdrawn.ToString()]["Cancellation requested at"],
            november[withdrawn.ToString()]["Cancellation request decision"], november[withdrawn.ToString()]["Cancellation request decided by"]]);
        Assert.Equal(["waiting", "declined", "declined", "cancelled by staff", "declined"],
            november.Values.Where(r => r["Cancellation requested at"].StartsWith("2026-10-", StringComparison.Ordinal) && r != november[accepted.ToString()])
                .OrderBy(r => r["Cancellation requested at"], StringComparer.Ordinal).Select(r => r["Cancellation request decision"]));

        static (string, string, string, string, string) Moved(Dictionary<string, string> r) =>
            (r["Moved (times)"], r["Last moved from"], r["Last moved from diary"], r["Last moved by"], r["Last moved at"]);
    }

    /// <summary>A declined booking request is the request columns', not a cancel (decision 291).</summary>
    [Fact]
    public async Task A_declined_booking_request_has_its_decision_decider_and_reason_in_the_request_columns_and_no_cancel()
    {
        var b = await App.BookableAsync();
        var owner = await OwnerStaffIdAsync(b.Biz.Id);
        var declined = await InsertAsync(b.Biz.Id, b.DiaryId, b.ServiceId, Guid.NewGuid(), Local(10, 6, 10), "declined", "declined", "staff",
            Local(10, 2, 12), requestedAt: Local(10, 2, 9), reason: "Fully booked that week");
        await SetAsync(declined, "cancelled_by_staff_id = @who, request_decided_at = @at, request_decided_by_staff_id = @who", ("who", owner), ("at", Local(10, 2, 12)));
        var accepted = await InsertAsync(b.Biz.Id, b.DiaryId, b.ServiceId, Guid.NewGuid(), Local(10, 7, 10), "confirmed", requestedAt: Local(10, 2, 9));
        var withdrawn = await InsertAsync(b.Biz.Id, b.DiaryId, b.ServiceId, Guid.NewGuid(), Local(10, 8, 10), "cancelled", "withdrawn", "client",
            Local(10, 3, 9), requestedAt: Local(10, 2, 9), reason: "Found another day");

        var rows = (await CsvRowsAsync(b.Biz.Owner, "2026-10")).ToDictionary(r => r["Appointment id"]);
        string[] Cells(Guid id, params string[] columns) => columns.Select(c => rows[id.ToString()][c]).ToArray();
        string[] cancel = ["Cancelled by", "Cancelled at", "Cancel reason"], request = ["Request decision", "Request decided by", "Decline reason"];
        Assert.Equal(["", "", ""], Cells(declined, cancel));
        Assert.Equal(["declined", "Olive Owner", "Fully booked that week"], Cells(declined, request));
        Assert.Equal(["accepted", "staff", ""], Cells(accepted, request)); // accepted before deciders were kept
        Assert.Equal(["client", "2026-10-03 09:00", "Found another day"], Cells(withdrawn, cancel));
        Assert.Equal(["withdrawn by the client", "", ""], Cells(withdrawn, request));
    }

    /// <summary>
    /// Los Angeles on 14 March 2027: 01:30 PST to 03:30 PDT is 60 minutes; the end's own offset and the minutes say so
    /// (decision 291).
    /// </summary>
    [Fact]
    public async Task A_csv_row_across_the_clocks_going_forward_has_the_end_s_own_offset_and_its_minutes()
    {
        var biz = await App.SignUpBusinessAsync("report-dst", "America/Los_Angeles", "US");
        var la = DateTimeZoneProviders.Tzdb["America/Los_Angeles"];
        var start = new LocalDateTime(2027, 3, 14, 1, 30).InZoneStrictly(la).ToDateTimeOffset().ToUniversalTime();
        var id = await InsertAsync(biz.Id, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), start, "confirmed", price: null, minutes: 60);

        var row = Assert.Single(await CsvRowsAsync(biz.Owner, "2027-03"));
        Assert.Equal(id.ToString(), row["Appointment id"]);
        Assert.Equal(["2027-03-14", "01:30", "03:30", "UTC-08:00", "UTC-07:00", "60"],
            new[] { "Date", "Start", "End", "UTC offset", "End UTC offset", "Minutes" }.Select(c => row[c]));
    }
}
