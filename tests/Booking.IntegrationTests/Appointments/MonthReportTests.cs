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

    private async Task InsertAsync(Guid tenant, Guid diary, Guid service, Guid client, DateTimeOffset start, string status, string? ended = null,
        string? cancelledBy = null, DateTimeOffset? cancelledAt = null, int? hours = 24, decimal? price = 45.00m, DateTimeOffset? requestedAt = null,
        string? note = null, string? reason = null, string source = "portal")
    {
        await Sql.AdminExecAsync(App.Database.Database, """
            INSERT INTO appointments.appointments (tenant_id, id, client_id, diary_id, service_id, start_at, end_at, blocked_until, status, source,
                created_at, updated_at, requested_at, cancelled_at, cancelled_by, ended, cancellation_hours, cancellation_inside_window,
                price_amount, price_currency, note, cancel_reason)
            VALUES (@t, @id, @c, @d, @s, @start, @end, @end, @status, @source, @created, @created, @requested, @cancelledAt, @cancelledBy, @ended,
                @hours, @inside, @price, @currency, @note, @reason)
            """,
            ("t", tenant), ("id", Guid.NewGuid()), ("c", client), ("d", diary), ("s", service), ("start", start), ("end", start.AddMinutes(10)),
            ("status", status), ("source", source), ("created", requestedAt ?? start.AddDays(-20)), ("requested", (object?)requestedAt ?? DBNull.Value),
            ("cancelledAt", (object?)cancelledAt ?? DBNull.Value), ("cancelledBy", (object?)cancelledBy ?? DBNull.Value), ("ended", (object?)ended ?? DBNull.Value),
            ("hours", (object?)hours ?? DBNull.Value), ("inside", hours is null ? DBNull.Value : "refuse"),
            ("price", (object?)price ?? DBNull.Value), ("currency", price is null ? DBNull.Value : "AUD"),
            ("note", (object?)note ?? DBNull.Value), ("reason", (object?)reason ?? DBNull.Value));
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
            + "Cancelled by,Cancelled at,Cancel reason,Note,Price,Currency,Appointment id\r\n", text, StringComparison.Ordinal);
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
}
