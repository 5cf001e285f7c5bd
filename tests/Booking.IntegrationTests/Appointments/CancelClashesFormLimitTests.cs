using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Infrastructure;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// "Cancel these and tell the clients" over more appointments than ASP.NET Core reads form values (1,024): the confirm
/// step posts the scope and a fingerprint of the list it showed, never one input per appointment, so a day closed over
/// 1,101 appointments is cancelled in one press (decision 302). The appointments are copied in directly with SQL (fast),
/// not booked one by one over HTTP.
/// </summary>
public sealed class CancelClashesFormLimitTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const int Copies = 1_100;
    private const string Reason = "The practice is closed for repairs; we are sorry.";

    private BookingApp App => shared.App;

    [Fact]
    public async Task A_closed_day_over_more_appointments_than_the_forms_value_limit_is_cancelled_in_one_press()
    {
        var b = await App.BookableAsync();
        var client = await App.RegisterClientAsync(b.Biz, "Many", "Visits");
        var day = Day(5);
        var first = await ClashScene.StaffBookAsync(b.Biz, client.Id, b.ServiceId, b.DiaryId, At(day, 21));
        // 1,100 more of the same, a minute each from 00:05 that day (no two overlap), straight into the table.
        var db = App.Database.Database;
        var columns = await Sql.AdminScalarAsync<string>(db, """
            select string_agg(column_name, ', ' order by ordinal_position) from information_schema.columns
            where table_schema = 'appointments' and table_name = 'appointments' and is_generated = 'NEVER'
              and column_name not in ('id', 'start_at', 'end_at', 'blocked_until')
            """);
        var from = day.At(new LocalTime(0, 5)).InZoneStrictly(Sydney).ToInstant().ToDateTimeOffset();
        await Sql.AdminExecAsync(db, $"""
            insert into appointments.appointments (id, start_at, end_at, blocked_until, {columns})
            select gen_random_uuid(), @from + make_interval(mins => g), @from + make_interval(mins => g + 1), @from + make_interval(mins => g + 1), {columns}
            from appointments.appointments, generate_series(0, {Copies - 1}) g where id = @first
            """, ("from", from), ("first", first));
        var total = Copies + 1;

        var closed = await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{b.DiaryId}/exceptions",
            new { date = Iso(day), closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(total, ClashScene.Ids(closed).Count);

        var token = new HtmlParser().ParseDocument(await b.Biz.Owner.GetStringAsync(new Uri($"/staff/setup/roster/{b.DiaryId}", UriKind.Relative)))
            .QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var scope = new Dictionary<string, string>
        {
            ["Scope.DiaryId"] = b.DiaryId.ToString(), ["Scope.From"] = Iso(day), ["Scope.To"] = Iso(day), ["Scope.Concern"] = "outside-hours",
            ["Reason"] = Reason, ["__RequestVerificationToken"] = token,
        };
        using var review = await b.Biz.Owner.PostAsync(new Uri("/staff/diary/cancel-clashes?handler=Review", UriKind.Relative), new FormUrlEncodedContent(scope));
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        var confirm = await new HtmlParser().ParseDocumentAsync(await review.Content.ReadAsStringAsync());
        Assert.Equal(total, confirm.QuerySelectorAll("#cancel-list li").Length);
        var yes = confirm.QuerySelectorAll("form").OfType<IHtmlFormElement>()
            .Single(f => f.QuerySelector("button")?.TextContent.StartsWith("Yes, cancel", StringComparison.Ordinal) == true);
        var fields = yes.QuerySelectorAll("input[type=hidden][name]")
            .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? "")).ToList();
        using var done = await b.Biz.Owner.PostAsync(new Uri(yes.GetAttribute("action")!, UriKind.Relative), new FormUrlEncodedContent(fields));
        // One input per appointment (1,109 values) was more than the form reader takes: "The form could not be read".
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        // The scope, the reason, the token and the list's fingerprint: a handful of values, however long the list.
        Assert.True(fields.Count < 20, $"{fields.Count} form values");
        Assert.Matches("^[0-9a-f]{64}\\z", Assert.Single(fields, f => f.Key == "Shown").Value);
        var diary = new HtmlParser().ParseDocument(await b.Biz.Owner.GetStringAsync(new Uri(done.Headers.Location!.OriginalString, UriKind.Relative)));
        Assert.Equal($"{total} appointments cancelled; each client is told, with your reason.",
            diary.QuerySelector("[role=status].notice")!.TextContent.Trim());
        Assert.Equal(total, await Sql.AdminScalarAsync<long>(db,
            "select count(*) from appointments.appointments where diary_id = @d and status = 'cancelled' and cancel_reason = @r", ("d", b.DiaryId), ("r", Reason)));
    }
}
