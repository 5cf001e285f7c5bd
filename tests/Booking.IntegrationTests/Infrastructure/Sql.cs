using Npgsql;

namespace Booking.IntegrationTests.Infrastructure;

/// <summary>Direct SQL for assertions: as the owner (sees through nothing: FORCE RLS applies) or as the app role.</summary>
public static class Sql
{
    public static async Task<T?> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>As the superuser: for facts the app role and the owner may not see (every tenant's rows).</summary>
    public static async Task<T?> AdminScalarAsync<T>(string database, string sql, params (string Name, object Value)[] parameters)
    {
        var admin = new NpgsqlConnectionStringBuilder(await TestDatabaseServer.AdminConnectionStringAsync()) { Database = database };
        return await ScalarAsync<T>(admin.ConnectionString, sql, parameters);
    }

    public static async Task ExecAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    public static async Task AdminExecAsync(string database, string sql, params (string Name, object Value)[] parameters)
    {
        var admin = new NpgsqlConnectionStringBuilder(await TestDatabaseServer.AdminConnectionStringAsync()) { Database = database };
        await ExecAsync(admin.ConnectionString, sql, parameters);
    }
}
