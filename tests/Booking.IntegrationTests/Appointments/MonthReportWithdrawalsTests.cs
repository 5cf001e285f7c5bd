using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using Booking.Appointments.Data;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// The month report counts every cancellation request filed (decision 295): one the client withdrew keeps when it was
/// filed, and a request filed, withdrawn and filed again is two. On the app's own clock, over a month's last evening
/// and the next one's first hour in Sydney (all of it the same UTC day): requests filed, withdrawn, filed again,
/// accepted and declined either side of local midnight, in the JSON, on the page and in the CSV; and the migration's
/// backfill from the outbox.
/// </summary>
public sealed class MonthReportWithdrawalsTests : IAsyncLifetime
{
    /// <summary>Three quarters of an hour before the next local midnight in Sydney: the last evening of this month.</summary>
    private static readonly LocalDateTime MonthEnd =
        SystemClock.Instance.GetCurrentInstant().InZone(Sydney).Date.With(DateAdjusters.StartOfMonth).PlusMonths(1).AtMidnight();

    private readonly FakeTimeProvider clock = new(Utc(MonthEnd.PlusMinutes(-45)));
    private BookingApp app = null!;

    public async Task InitializeAsync()
    {
        await new SharedApp().InitializeAsync(); // the shared app provisions the test roles (two fixtures at once race)
        app = new BookingApp(await TestDatabaseServer.CreateDatabaseAsync("withdrawals"), clock);
        _ = app.Server; // migrations run here
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static DateTimeOffset Utc(LocalDateTime local) => local.InZoneStrictly(Sydney).ToDateTimeOffset().ToUniversalTime();

    /// <summary>Sets the app's clock to minutes after (or before) the month's end, local time.</summary>
    private void At(int minutes) => clock.SetUtcNow(Utc(MonthEnd.PlusMinutes(minutes)));

    private static string Month(LocalDateTime t) => t.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string Shown(int minutes) => MonthEnd.PlusMinutes(minutes).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Every_request_filed_counts_in_its_own_month_by_what_became_of_it_in_the_json_the_page_and_the_csv()
    {
        var b = await app.BookableAsync(durationMinutes: 60, bufferMinutes: 0);
        await b.Biz.SettingsAsync(s =>
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Two days' notice, please.", ["insideWindow"] = "request" });
        var cara = await app.RegisterClientAsync(b.Biz, "Cara", "Asks");
        var ids = new List<Guid>();
        foreach (var hour in new[] { 10, 11, 12, 13 })
        {
            var start = MonthEnd.PlusHours(hour).InZoneStrictly(Sydney).ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
            ids.Add((await (await cara.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid());
        }

        var (a1, a2, a3, a4) = (ids[0], ids[1], ids[2], ids[3]);
        async Task Ask(Guid id) => await (await cara.Http.CancelAsync(b.Biz.Slug, id, "Clash")).JsonAsync(HttpStatusCode.Accepted);
        async Task Withdraw(Guid id) =>
            await (await cara.Http.PostAsync(new Uri($"/api/v1/portal/appointments/{id}/keep?name={b.Biz.Slug}", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        async Task Decide(Guid id, string verb) =>
            await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{id}/{verb}?request=cancellation", new { reason = (string?)null })).JsonAsync(HttpStatusCode.OK);

        // The month's last hour.
        At(-60 + 15); await Ask(a1);      // 23:15 filed …
        At(-60 + 20); await Withdraw(a1); // … withdrawn
        At(-60 + 30); await Ask(a1);      // 23:30 filed again (accepted after midnight)
        At(-60 + 40); await Ask(a2);      // 23:40 filed (withdrawn after midnight)
        // The next month's first hour.
        At(5); await Ask(a3);             // 00:05 filed, still waiting
        At(10); await Withdraw(a2);       // 00:10 the one filed last month withdrawn: last month's
        At(20); await Ask(a2);            // 00:20 filed again …
        At(30); await Decide(a1, "accept");
        At(40); await Decide(a2, "decline");
        At(50); await Ask(a4);            // 00:50 filed …
        At(55); await Withdraw(a4);       // … and withdrawn

        string[] figures = ["cancellationRequestsReceived", "cancellationRequestsAccepted", "cancellationRequestsDeclined",
            "cancellationRequestsWithdrawn", "cancellationRequestsCancelledByStaff", "cancellationRequestsWaiting"];
        async Task<int[]> TotalAsync(string month)
        {
            var report = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/reports/month?month={month}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
            var total = report.GetProperty("total");
            var diary = report.GetProperty("diaries").EnumerateArray().Single();
            Assert.Equal(figures.Select(f => total.GetProperty(f).GetInt32()), figures.Select(f => diary.GetProperty(f).GetInt32()));
            return figures.Select(f => total.GetProperty(f).GetInt32()).ToArray();
        }

        var (ending, next) = (Month(MonthEnd.PlusMinutes(-1)), Month(MonthEnd));
        // The ending month: a1 twice (withdrawn, accepted) and a2's first (withdrawn after midnight, but filed before).
        Assert.Equal(new[] { 3, 1, 0, 2, 0, 0 }, await TotalAsync(ending));
        // The next: a3 waiting, a2's second declined, a4 withdrawn.
        Assert.Equal(new[] { 3, 0, 1, 1, 0, 1 }, await TotalAsync(next));

        var page = await new HtmlParser().ParseDocumentAsync(await b.Biz.Owner.GetStringAsync(new Uri($"/staff/reports?month={ending}", UriKind.Relative)));
        Assert.Equal(["Diary", "Requests received", "Accepted (cancelled)", "Declined (kept)", "Withdrawn by the client", "Cancelled by staff", "Still waiting"],
            page.QuerySelectorAll("#report-cancellation-requests thead th").Select(c => c.TextContent.Trim()));
        Assert.Equal(["Total", "3", "1", "0", "2", "0", "0"],
            page.QuerySelectorAll("#report-cancellation-requests tbody tr").Last().Children.Select(c => c.TextContent.Trim()));

        // The CSV of the appointments' month (they all start on its first day): each row's requests.
        var text = (await b.Biz.Owner.GetStringAsync(new Uri($"/api/v1/admin/reports/month.csv?month={next}", UriKind.Relative))).TrimStart('\uFEFF');
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal(["Cancellation request decline reason", "Cancellation requests filed", "Cancellation requests withdrawn",
            "Cancellation request last withdrawn at"], header[^5..^1]);
        var rows = lines[1..].Select(l => header.Zip(l.Split(','), (h, v) => (h, v)).ToDictionary(x => x.h, x => x.v)).ToDictionary(r => r["Appointment id"]);
        string[] Row(Guid id) =>
        [
            rows[id.ToString()]["Cancellation requested at"], rows[id.ToString()]["Cancellation request decision"],
            rows[id.ToString()]["Cancellation requests filed"], rows[id.ToString()]["Cancellation requests withdrawn"],
            rows[id.ToString()]["Cancellation request last withdrawn at"],
        ];
        Assert.Equal([Shown(-30), "accepted", "2", "1", Shown(-40)], Row(a1));
        Assert.Equal([Shown(20), "declined", "2", "1", Shown(10)], Row(a2));
        Assert.Equal([Shown(5), "waiting", "1", "0", ""], Row(a3));
        Assert.Equal([Shown(50), "withdrawn by the client", "1", "1", Shown(55)], Row(a4));

        // The migration's backfill: down to the one before it (the table goes) and up again, the withdrawals come back
        // from the outbox, each with when its request was filed (the outbox's own time: the real clock here, not the app's).
        var db = app.Database.Database;
        var kept = await WithdrawalsAsync(db);
        Assert.Equal(3, kept.Count);
        var module = app.Services.GetServices<Booking.BuildingBlocks.Data.IModuleDatabase>().Single(m => m.ContextType == typeof(AppointmentsDbContext));
        await using (var appointments = module.Create(app.Services, app.Database.OwnerConnectionString))
        {
            var migrator = appointments.GetInfrastructure().GetRequiredService<IMigrator>();
            await migrator.MigrateAsync(BeforeWithdrawals);
            await Sql.AdminExecAsync(db, "alter table appointments.appointments force row level security");
            await migrator.MigrateAsync();
        }

        Assert.True(await Sql.AdminScalarAsync<bool>(db, "select relforcerowsecurity from pg_class where oid = 'appointments.appointments'::regclass"));
        var backfilled = await WithdrawalsAsync(db);
        Assert.Equal(kept.Select(w => (w.Appointment, w.WithdrawnAt)), backfilled.Select(w => (w.Appointment, w.WithdrawnAt)));
        Assert.All(backfilled, w => Assert.True(w.RequestedAt <= w.OutboxWithdrawnAt, $"{w}"));
    }

    private const string BeforeWithdrawals = "20261206150025_CancellationRequestsIndex";

    private sealed record Withdrawal(Guid Appointment, DateTimeOffset WithdrawnAt, DateTimeOffset RequestedAt, DateTimeOffset OutboxWithdrawnAt);

    /// <summary>Every business's withdrawals (as the superuser), in the order they were made, with the outbox's time of each.</summary>
    private static async Task<List<Withdrawal>> WithdrawalsAsync(string database)
    {
        var json = await Sql.AdminScalarAsync<string>(database, """
            SELECT coalesce(json_agg(json_build_object('a', w.appointment_id, 'w', w.withdrawn_at, 'r', w.requested_at,
                       'o', (SELECT max(o.occurred_at) FROM appointments.outbox_messages AS o
                              WHERE o.type LIKE 'Booking.Appointments.Contracts.CancellationRequestWithdrawn,%'
                                AND o.payload ->> 'appointmentId' = w.appointment_id::text))
                   ORDER BY w.withdrawn_at), '[]')::text
              FROM appointments.cancellation_request_withdrawals AS w
            """);
        return JsonDocument.Parse(json!).RootElement.EnumerateArray()
            .Select(e => new Withdrawal(e.GetProperty("a").GetGuid(), e.GetProperty("w").GetDateTimeOffset(), e.GetProperty("r").GetDateTimeOffset(),
                e.GetProperty("o").GetDateTimeOffset()))
            .ToList();
    }
}
