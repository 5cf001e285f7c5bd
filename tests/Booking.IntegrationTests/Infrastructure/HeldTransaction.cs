using Npgsql;

namespace Booking.IntegrationTests.Infrastructure;

/// <summary>
/// A transaction of the test's own (as the superuser: it sees every tenant's rows) left open while the app works,
/// to make a race certain: a row it locks or inserts makes the app's conflicting statements wait until it commits.
/// </summary>
public sealed class HeldTransaction : IAsyncDisposable
{
    private readonly string admin;
    private readonly NpgsqlConnection connection;
    private NpgsqlTransaction transaction = null!;

    private HeldTransaction(string admin)
    {
        this.admin = admin;
        connection = new NpgsqlConnection(admin);
    }

    public static async Task<HeldTransaction> BeginAsync(string database)
    {
        var held = new HeldTransaction(new NpgsqlConnectionStringBuilder(await TestDatabaseServer.AdminConnectionStringAsync()) { Database = database }.ConnectionString);
        await held.connection.OpenAsync();
        held.transaction = await held.connection.BeginTransactionAsync();
        return held;
    }

    /// <summary>Runs a statement inside the transaction; returns the rows it affected (or, for a SELECT, found).</summary>
    public async Task<int> ExecAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        if (sql.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
        {
            var rows = 0;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows++;
            }

            return rows;
        }

        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Until exactly <paramref name="count"/> of the database's sessions wait on a lock in a statement that contains <paramref name="statement"/>.</summary>
    public Task WaitForWaitingAsync(int count, string statement) => Eventually.ReturnsAsync(
        () => Sql.ScalarAsync<long>(admin, """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND strpos(query, @statement) > 0
            """, ("statement", statement)),
        n => n == count,
        what: $"{count} statement(s) with \"{statement}\" to wait on the held transaction");

    /// <summary>
    /// Until exactly <paramref name="count"/> sessions wait on this transaction itself (<c>pg_blocking_pids</c>): unlike
    /// <see cref="WaitForWaitingAsync"/>, blind to other tests' sessions waiting elsewhere in the same database.
    /// </summary>
    public Task WaitForBlockedAsync(int count) => Eventually.ReturnsAsync(
        () => Sql.ScalarAsync<long>(admin, "SELECT count(*) FROM pg_stat_activity WHERE pg_blocking_pids(pid) @> ARRAY[@held]",
            ("held", connection.ProcessID)),
        n => n == count,
        what: $"{count} session(s) to wait on the held transaction");

    /// <summary>
    /// Sends the requests one after another, each once those before it wait on this transaction in a statement that
    /// contains <paramref name="statement"/> (so they queue in this order), then commits and answers their responses
    /// in the same order.
    /// </summary>
    public async Task<HttpResponseMessage[]> QueueThenCommitAsync(string statement, params Func<Task<HttpResponseMessage>>[] requests)
    {
        var sent = new List<Task<HttpResponseMessage>>();
        foreach (var request in requests)
        {
            sent.Add(request());
            await WaitForWaitingAsync(sent.Count, statement);
        }

        await CommitAsync();
        return await Task.WhenAll(sent);
    }

    public Task CommitAsync() => transaction.CommitAsync();

    /// <summary>Undoes what the transaction held: statements waiting on its rows go on as if they had never been there.</summary>
    public Task RollbackAsync() => transaction.RollbackAsync();

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
