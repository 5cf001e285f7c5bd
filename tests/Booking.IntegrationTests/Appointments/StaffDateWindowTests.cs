using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Setup;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Staff times lie within ten years of now: a far start was saved and emailed before a 500, and then broke every
/// read that met it. The diary refuses (API) or clamps (page) far dates; a far row already saved reads without a 500.
/// </summary>
public sealed class StaffDateWindowTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static string Utc(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_staff_appointment_or_busy_block_outside_ten_years_is_a_validation_error_on_its_field_and_nothing_is_saved()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var now = DateTimeOffset.UtcNow;
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMinute)); // staff times are whole minutes (decision 208)
        Task<HttpResponseMessage> Book(string start) => b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, note = "" });
        Task<HttpResponseMessage> Block(string start, string end) => b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/busy-blocks",
            new { diaryId = b.DiaryId, start, end, note = "" });

        foreach (var start in new[] { "0001-01-01T00:00:00+00:00", "9999-12-31T23:50:00+00:00", Utc(now.AddYears(10).AddDays(1)), Utc(now.AddYears(-10).AddDays(-1)) })
        {
            var refused = await (await Book(start)).JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal("validation", refused.Kind());
            Assert.Equal(["start"], refused.ErrorFields());
            Assert.Contains("within 10 years", refused.GetProperty("errors").GetProperty("start")[0].GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(["end", "start"], (await (await Block("0001-01-01T00:00:00+00:00", "0001-01-01T01:00:00+00:00")).JsonAsync(HttpStatusCode.BadRequest)).ErrorFields().Order());
        Assert.Equal(["start"], (await (await Block(Utc(now.AddYears(-10).AddHours(-1)), Utc(now.AddYears(-10).AddHours(1)))).JsonAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Equal(["end", "start"], (await (await Block("9999-12-31T23:00:00+00:00", "9999-12-31T23:30:00+00:00")).JsonAsync(HttpStatusCode.BadRequest)).ErrorFields().Order());
        var endOnly = await (await Block(Utc(now.AddYears(10).AddHours(-1)), Utc(now.AddYears(10).AddHours(1)))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["end"], endOnly.ErrorFields());
        Assert.Equal(["Give an end within 10 years of today."], endOnly.GetProperty("errors").GetProperty("end").EnumerateArray().Select(e => e.GetString()!));

        // Nothing written, no event for the emails; a start nine years ahead (and a past one) is still staff's to book.
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM appointments.appointments WHERE tenant_id = @t", ("t", b.Biz.Id)));
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM appointments.busy_blocks WHERE tenant_id = @t", ("t", b.Biz.Id)));
        Assert.Empty(await App.OutboxAsync(b.Biz.Id, "AppointmentBooked"));
        await (await Book(At(Day(365 * 9), 10))).JsonAsync(HttpStatusCode.Created);
        await (await Book(At(Day(-365 * 9), 10))).JsonAsync(HttpStatusCode.Created);
        await (await Block(At(Day(365 * 9), 12), At(Day(365 * 9), 13))).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_clients_booking_at_a_far_date_is_not_offered_rather_than_a_500()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        foreach (var start in new[] { "9999-12-31T23:50:00+00:00", "9999-12-31T13:00:00+00:00", "0001-01-01T00:00:00+00:00" })
        {
            Assert.Equal("slot-unavailable", await (await alice.BookAsync(b, start)).KindAsync(HttpStatusCode.Conflict));
        }

        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM appointments.appointments WHERE tenant_id = @t", ("t", b.Biz.Id)));
    }

    [Fact]
    public async Task The_diary_api_refuses_dates_outside_ten_years_by_field_and_the_page_shows_the_nearest_date_with_a_note()
    {
        var b = await App.BookableAsync();
        var today = Day(0);
        async Task<IReadOnlyList<string>> Refused(string from, string to) =>
            (await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={from}&to={to}", UriKind.Relative))).JsonAsync(HttpStatusCode.BadRequest)).ErrorFields();

        Assert.Equal(["from", "to"], await Refused("9999-12-31", "9999-12-31"));
        Assert.Equal(["from", "to"], await Refused("0001-01-01", "0001-01-02"));
        Assert.Equal(["to"], await Refused(Iso(today.PlusYears(10).PlusDays(-2)), Iso(today.PlusYears(10).PlusDays(2))));
        Assert.Equal(["from"], await Refused(Iso(today.PlusYears(-10).PlusDays(-2)), Iso(today.PlusYears(-10).PlusDays(2))));
        await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(today.PlusYears(9))}&to={Iso(today.PlusYears(9).PlusDays(30))}", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.OK);

        foreach (var (date, shown) in new[] { ("9999-12-31", today.PlusYears(10)), ("0001-01-01", today.PlusYears(-10)) })
        {
            foreach (var view in new[] { "day", "week" })
            {
                var response = await b.Biz.Owner.GetAsync(new Uri($"/staff/diary?date={date}&view={view}", UriKind.Relative));
                var html = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{date} {view}: {(int)response.StatusCode}");
                var page = await new HtmlParser().ParseDocumentAsync(html);
                Assert.Contains("The diary shows dates from", page.QuerySelector("p.notice")?.TextContent, StringComparison.Ordinal);
                var input = page.QuerySelector("#date")!;
                // The window's edge is today ± 10 years, give or take the day the zone puts it on.
                Assert.InRange(Period.Between(shown, LocalDate.FromDateOnly(DateOnly.Parse(input.GetAttribute("value")!, CultureInfo.InvariantCulture)), PeriodUnits.Days).Days, -1, 1);
                Assert.Equal(input.GetAttribute("value"), date[0] == '9' ? input.GetAttribute("max") : input.GetAttribute("min"));
            }
        }

        var ordinary = await b.Biz.Owner.GetStringAsync(new Uri($"/staff/diary?date={Iso(today)}", UriKind.Relative));
        Assert.DoesNotContain("The diary shows dates from", ordinary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_book_and_busy_pages_refuse_a_date_outside_ten_years_as_a_field_error_and_save_nothing()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        foreach (var date in new[] { "0001-01-01", "9999-12-31" })
        {
            var book = await StaffDiaryTests.PostPageAsync(b.Biz.Owner, "/staff/diary/book", new Dictionary<string, string>
            {
                ["Input.ClientId"] = alice.Id.ToString(), ["Input.ServiceId"] = b.ServiceId.ToString(), ["Input.DiaryId"] = b.DiaryId.ToString(),
                ["Input.Date"] = date, ["Input.Time"] = "23:50", ["Input.BookPast"] = "true",
            });
            var busy = await StaffDiaryTests.PostPageAsync(b.Biz.Owner, "/staff/diary/busy", new Dictionary<string, string>
            {
                ["Input.DiaryId"] = b.DiaryId.ToString(), ["Input.Date"] = date, ["Input.Start"] = "00:00", ["Input.End"] = "23:55",
            });
            foreach (var response in new[] { book, busy })
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
                Assert.StartsWith("Choose a date from", page.QuerySelector("#date-error")?.TextContent, StringComparison.Ordinal);
                Assert.Equal("true", page.QuerySelector("#Input_Date")?.GetAttribute("aria-invalid"));
            }
        }

        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT (SELECT count(*) FROM appointments.appointments WHERE tenant_id = @t) + (SELECT count(*) FROM appointments.busy_blocks WHERE tenant_id = @t)", ("t", b.Biz.Id)));
    }

    [Fact]
    public async Task An_appointment_saved_in_year_0001_before_the_rule_reads_without_a_500_for_staff_and_its_client()
    {
        // New York's offset then (LMT, -4:56) puts 0001-01-01T00:00Z in year 0, which no DateTimeOffset holds.
        var biz = await App.SignUpBusinessAsync("far", "America/New_York");
        var diary = await biz.DiaryAsync("Dr Far");
        var service = await biz.ServiceAsync("Check", 30, 0, [diary]);
        var alice = await App.RegisterClientAsync(biz);
        var ordinary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = service, diaryId = diary, start = "2026-01-05T10:00:00-05:00", petId = (Guid?)null, note = "" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var far = Guid.NewGuid();
        await Sql.AdminExecAsync(App.Database.Database, """
            INSERT INTO appointments.appointments (tenant_id, id, client_id, diary_id, service_id, start_at, end_at, blocked_until, status, source, created_at, updated_at)
            VALUES (@t, @id, @c, @d, @s, '0001-01-01T00:00:00Z', '0001-01-01T00:30:00Z', '0001-01-01T00:30:00Z', 'confirmed', 'staff', now(), now())
            """, ("t", biz.Id), ("id", far), ("c", alice.Id), ("d", diary), ("s", service));

        var read = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{far}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(DateTimeOffset.Parse("0001-01-01T00:00:00+00:00", CultureInfo.InvariantCulture), read.GetProperty("start").GetDateTimeOffset());
        var staffPage = await biz.Owner.GetAsync(new Uri($"/staff/diary/appointments/{far}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, staffPage.StatusCode);
        var staffHtml = System.Net.WebUtility.HtmlDecode(await staffPage.Content.ReadAsStringAsync());
        Assert.Contains("7:03–7:33 PM", staffHtml, StringComparison.Ordinal); // PM once for both ends (decision 205)

        // The client's lists leave out the row no calendar can show, and keep the rest.
        var past = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={biz.Slug}&when=past", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([ordinary], past.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        var list = await alice.Http.GetAsync(new Uri($"/ol/appointments?name={biz.Slug}&when=past", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }
}
