using System.Net;
using Booking.Appointments.Data;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Decision 343: a portal booking's limit statement reads the client's recent cancellations (decision 322's churn limit,
/// a column of the statement since decision 329) through the partial index of rows the client cancelled
/// (<c>tenant_id, client_id, cancelled_at</c> where <c>cancelled_by = 'client'</c>), not by filtering every row the
/// client ever had. A client with three years of appointments books; the statement the booking ran is EXPLAINed again
/// as the app role (row security on).
/// </summary>
public sealed class BookingLimitPlanTests(SharedApp shared, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task The_limit_statement_reads_the_clients_cancellations_through_their_partial_index()
    {
        var b = await App.BookableAsync();
        var cara = await App.RegisterClientAsync(b.Biz);
        // Cara's history: one appointment every 80 minutes from January 2024 to April 2026, every tenth cancelled by her a day before.
        await Sql.AdminExecAsync(App.Database.Database, """
            INSERT INTO appointments.appointments (tenant_id, id, client_id, diary_id, service_id, start_at, end_at, blocked_until, status, ended, source,
                created_at, updated_at, cancelled_at, cancelled_by, cancellation_hours, cancellation_inside_window, price_amount, price_currency)
            SELECT @t, gen_random_uuid(), @c, @d, @s, at, at + interval '10 minutes', at + interval '10 minutes',
                   CASE WHEN g % 10 = 0 THEN 'cancelled' ELSE 'completed' END, CASE WHEN g % 10 = 0 THEN 'cancelled' END, 'portal',
                   at - interval '20 days', at - interval '20 days', CASE WHEN g % 10 = 0 THEN at - interval '1 day' END,
                   CASE WHEN g % 10 = 0 THEN 'client' END, 24, 'refuse', 45.00, 'AUD'
              FROM generate_series(1, 15000) AS g, LATERAL (SELECT timestamptz '2024-01-01 00:00Z' + g * interval '80 minutes' AS at) AS x
            """, ("t", b.Biz.Id), ("c", cara.Id), ("d", b.DiaryId), ("s", b.ServiceId));
        await Sql.AdminExecAsync(App.Database.Database, "ANALYZE appointments.appointments");

        // The index is there as the migration made it: tenant and client first, rows the client cancelled only.
        var definition = await Sql.AdminScalarAsync<string>(App.Database.Database,
            "select indexdef from pg_indexes where schemaname = 'appointments' and indexname = @n", ("n", AppointmentsDbContext.ClientCancellationsIndex));
        Assert.Equal($"CREATE INDEX {AppointmentsDbContext.ClientCancellationsIndex} ON appointments.appointments USING btree (tenant_id, client_id, cancelled_at) "
            + "WHERE ((cancelled_by)::text = 'client'::text)", definition);

        using var recorder = new SqlRecorder(App.Services.GetRequiredService<IHttpContextAccessor>());
        await recorder.RecordAsync(cara.Http, "limit-plan", _ => cara.BookAsync(b, At(Day(3), 10)), HttpStatusCode.Created);
        var limit = Assert.Single(recorder.Commands("limit-plan"), c => c.Text.Contains("pg_advisory_xact_lock(hashtextextended(", StringComparison.Ordinal));

        // The command is the lock, then the verdict: the verdict's statement is the one EXPLAINed.
        var verdict = limit.Text[(limit.Text.IndexOf("SELECT CASE", StringComparison.Ordinal))..];
        var plan = await App.ExplainAsAppAsync(b.Biz.Id, new RecordedCommand(verdict, limit.Parameters));
        output.WriteLine($"{verdict}\n{plan}");
        // The churn column's subplan (on alias c) probes the index; the verdict's own scan of the client's rows is not what
        // this pins (here the client holds nearly the whole table, so the planner may rightly read it in sequence).
        Assert.Matches($"(Index Scan|Index Scan Backward|Index Only Scan|Index Only Scan Backward) using {AppointmentsDbContext.ClientCancellationsIndex} on appointments c ", plan);
        Assert.DoesNotMatch("Seq Scan on appointments c ", plan);
    }
}
