using Booking.BuildingBlocks.Data;
using Booking.IntegrationTests.PortalAuth;
using Npgsql;

namespace Booking.IntegrationTests.Infrastructure;

/// <summary>The plans of statements the app ran (recorded by <see cref="SqlRecorder"/>), for tests that pin an index.</summary>
internal static class QueryPlans
{
    /// <summary>
    /// EXPLAIN (ANALYZE, BUFFERS) of a statement the app ran, run again as the app role for the business (row security
    /// on), with its own parameters (NodaTime instants too, as the app writes them). The tenant's <c>set_config</c> line
    /// the app puts before a statement is left out: it is set on the connection first.
    /// </summary>
    public static async Task<string> ExplainAsAppAsync(this BookingApp app, Guid tenant, RecordedCommand command)
    {
        var text = command.Text;
        if (text.StartsWith("SELECT set_config(", StringComparison.Ordinal))
        {
            text = text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..];
        }

        var builder = new NpgsqlDataSourceBuilder(app.Database.AppConnectionString);
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
