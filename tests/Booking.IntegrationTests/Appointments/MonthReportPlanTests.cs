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
    }

    [Fact]
    public async Task The_months_requests_are_read_through_the_requested_at_index_and_no_statement_scans_the_table()
    {
        var b = await App.BookableAsync();
        var other = await App.BookableAsync();
        await SeedAsync(b, 20_000);
        await SeedAsync(other, 20_000);
        await Sql.AdminExecAsync(App.Database.Database, "ANALYZE appointments.appointments");

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
        Assert.Single(statements, st => st.Text.Contains("cancellation_requested_at >=", StringComparison.Ordinal));
        foreach (var statement in statements)
        {
            var plan = await ExplainAsAppAsync(b.Biz.Id, statement);
            output.WriteLine($"{statement.Text}\n{plan}\n");
            if (statement.Text.Contains("cancellation_requested_at >=", StringComparison.Ordinal))
            {
                // The cancellation requests filed in the month (decision 291's statement): their own index (decision 293).
                Assert.Contains($"Index Scan using {AppointmentsDbContext.CancellationRequestedAtIndex}", plan, StringComparison.Ordinal);
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

    /// <summary>EXPLAIN ANALYZE of a statement the app ran, run again as the app role for the business (row security on).</summary>
    private async Task<string> ExplainAsAppAsync(Guid tenant, RecordedCommand command)
    {
        var text = command.Text;
        if (text.StartsWith("SELECT set_config(", StringComparison.Ordinal))
        {
            text = text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..];
        }

        // The report's parameters are NodaTime instants, as the app writes them.
        var builder = new NpgsqlDataSourceBuilder(App.Database.AppConnectionString);
        builder.UseNodaTime();
        await using var source = builder.Build();
        await using var connection = await source.OpenConnectionAsync();
        await using (var set = new NpgsqlCommand($"SELECT set_config('{TenantConnectionInterceptor.Setting}', @t, false)", connection))
        {
            set.Parameters.AddWithValue("t", tenant.ToString());
            await set.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + text, connection);
        foreach (var parameter in command.Parameters)
        {
            explain.Parameters.Add(parameter.Clone());
        }

        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
