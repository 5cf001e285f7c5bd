using System.Net;
using Booking.Appointments.Data;
using Booking.BuildingBlocks.Data;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// The month report's statements (decision 275) read one business's month through an index, never the table nor the
/// business's whole history (decision 286): the booking requests filed in the month through the migration's
/// (<c>tenant_id</c>, <c>requested_at</c>) index of rows filed as requests. Three years of appointments here and as many
/// at another business; each statement the report ran is EXPLAINed again as the app role (row security on).
/// </summary>
public sealed class MonthReportPlanTests(SharedApp shared, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private async Task SeedAsync(Bookable b, int count)
    {
        // One appointment every 80 minutes from January 2024 (about three years), every tenth filed as a booking request,
        // every seventh asked by its client to cancel (a day before it).
        await Sql.AdminExecAsync(App.Database.Database, $"""
            INSERT INTO appointments.appointments (tenant_id, id, client_id, diary_id, service_id, start_at, end_at, blocked_until, status, source,
                created_at, updated_at, requested_at, cancellation_requested_at, cancellation_hours, cancellation_inside_window, price_amount, price_currency)
            SELECT @t, gen_random_uuid(), gen_random_uuid(), @d, @s, at, at + interval '10 minutes', at + interval '10 minutes', 'completed', 'portal',
                   at - interval '20 days', at - interval '20 days', CASE WHEN g % 10 = 0 THEN at - interval '2 days' END,
                   CASE WHEN g % 7 = 0 THEN at - interval '1 day' END, 24, 'refuse', 45.00, 'AUD'
              FROM generate_series(1, {count}) AS g, LATERAL (SELECT timestamptz '2024-01-01 00:00Z' + g * interval '80 minutes' AS at) AS x
            """, ("t", b.Biz.Id), ("d", b.DiaryId), ("s", b.ServiceId));
        // Every eleventh asked to cancel three days before and withdrew it an hour later (decision 295: kept apart).
        await Sql.AdminExecAsync(App.Database.Database, """
            INSERT INTO appointments.cancellation_request_withdrawals (tenant_id, id, appointment_id, requested_at, withdrawn_at)
            SELECT tenant_id, gen_random_uuid(), id, start_at - interval '3 days', start_at - interval '71 hours'
              FROM (SELECT tenant_id, id, start_at, row_number() OVER (ORDER BY start_at) AS n FROM appointments.appointments WHERE tenant_id = @t) AS a
             WHERE n % 11 = 0
            """, ("t", b.Biz.Id));
    }

    [Fact]
    public async Task The_months_requests_are_read_through_the_requested_at_index_and_no_statement_scans_the_table()
    {
        var b = await App.BookableAsync();
        var other = await App.BookableAsync();
        await SeedAsync(b, 20_000);
        await SeedAsync(other, 20_000);
        await Sql.AdminExecAsync(App.Database.Database, "ANALYZE appointments.appointments; ANALYZE appointments.cancellation_request_withdrawals");

        // The index is there as the migration made it: tenant first, rows filed as requests only.
        var definition = await Sql.AdminScalarAsync<string>(App.Database.Database,
            "select indexdef from pg_indexes where schemaname = 'appointments' and indexname = @n", ("n", AppointmentsDbContext.RequestedAtIndex));
        Assert.Equal($"CREATE INDEX {AppointmentsDbContext.RequestedAtIndex} ON appointments.appointments USING btree (tenant_id, requested_at) WHERE (requested_at IS NOT NULL)",
            definition);

        using var recorder = new SqlRecorder(App.Services.GetRequiredService<IHttpContextAccessor>());
        await recorder.RecordAsync(b.Biz.Owner, "month-plan",
            http => http.GetAsync(new Uri("/api/v1/admin/reports/month?month=2025-06", UriKind.Relative)), HttpStatusCode.OK);
        b.Biz.Owner.DefaultRequestHeaders.Remove("X-Record-Sql");
        var statements = recorder.Commands("month-plan").Where(c => c.Text.Contains("FROM appointments.appointments", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, statements.Count);
        Assert.Single(statements, st => st.Text.Contains("cancellation_requested_at >=", StringComparison.Ordinal)
            && st.Text.Contains("FROM appointments.cancellation_request_withdrawals", StringComparison.Ordinal));
        definition = await Sql.AdminScalarAsync<string>(App.Database.Database,
            "select indexdef from pg_indexes where schemaname = 'appointments' and indexname = @n", ("n", AppointmentsDbContext.WithdrawnRequestsIndex));
        Assert.Equal($"CREATE INDEX {AppointmentsDbContext.WithdrawnRequestsIndex} ON appointments.cancellation_request_withdrawals USING btree (tenant_id, requested_at)",
            definition);
        foreach (var statement in statements)
        {
            var plan = await App.ExplainAsAppAsync(b.Biz.Id, statement);
            output.WriteLine($"{statement.Text}\n{plan}\n");
            if (statement.Text.Contains("cancellation_requested_at >=", StringComparison.Ordinal))
            {
                // The cancellation requests filed in the month (decision 291's statement): their own index (decision 293), and
                // the withdrawn ones' (decision 295), each appointment of those by its key.
                Assert.Contains($"Index Scan using {AppointmentsDbContext.CancellationRequestedAtIndex}", plan, StringComparison.Ordinal);
                Assert.Matches($"(Index Scan using|Bitmap Index Scan on) {AppointmentsDbContext.WithdrawnRequestsIndex} ", plan);
                Assert.False(plan.Contains("Seq Scan", StringComparison.Ordinal), plan);
            }
            else if (statement.Text.Contains("requested_at >=", StringComparison.Ordinal))
            {
                // The requests filed in the month: the month's rows of the new index, not the business's history.
                Assert.Contains($"Index Scan using {AppointmentsDbContext.RequestedAtIndex}", plan, StringComparison.Ordinal);
                Assert.Contains("Index Cond: ((tenant_id = ", plan, StringComparison.Ordinal);
                Assert.False(plan.Contains("Seq Scan", StringComparison.Ordinal), plan);
            }
            else if (!statement.Text.Contains("NOT EXISTS", StringComparison.Ordinal))
            {
                // The appointments starting in the month: the (tenant, diary, start) index, start as an index condition.
                Assert.Contains("Index Cond: ((tenant_id = ", plan, StringComparison.Ordinal);
                Assert.False(plan.Contains("Seq Scan", StringComparison.Ordinal), plan);
            }

            // The new clients' look-back is left to the planner (decision 286): on this small table it hashes the table
            // once rather than probe the (tenant, client, start) index per appointment of the month.
        }
    }
}
