using Npgsql;

namespace Booking.BuildingBlocks.Postgres;

/// <summary>Connection strings for the two roles of one provisioned database.</summary>
public sealed record ProvisionedDatabase(string Database, string OwnerConnectionString, string AppConnectionString, string AppRole);

/// <summary>
/// Creates a database and its two roles from a superuser connection: an owner (runs migrations, owns the
/// tables) and an app role (NOSUPERUSER, NOBYPASSRLS, owns nothing). Used by the embedded development
/// database and by every test fixture, so both run on exactly the same setup.
/// </summary>
public static class DatabaseProvisioner
{
    public static async Task<ProvisionedDatabase> ProvisionAsync(
        string adminConnectionString,
        string database,
        string ownerRole,
        string appRole,
        string password,
        CancellationToken cancellationToken)
    {
        await using (var admin = new NpgsqlConnection(adminConnectionString))
        {
            await admin.OpenAsync(cancellationToken);
            foreach (var (role, extra) in new[] { (ownerRole, "CREATEROLE"), (appRole, "") })
            {
                if (!await ExistsAsync(admin, "SELECT 1 FROM pg_roles WHERE rolname = @n", role, cancellationToken))
                {
                    try
                    {
                        await ExecAsync(admin, $"CREATE ROLE {Q(role)} LOGIN NOSUPERUSER NOBYPASSRLS {extra} PASSWORD '{password.Replace("'", "''", StringComparison.Ordinal)}'", cancellationToken);
                    }
                    catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation)
                    {
                        // Another process (a parallel test fixture) created the role between our check and our create.
                    }
                }
            }

            if (!await ExistsAsync(admin, "SELECT 1 FROM pg_database WHERE datname = @n", database, cancellationToken))
            {
                await ExecAsync(admin, $"CREATE DATABASE {Q(database)} OWNER {Q(ownerRole)} ENCODING 'UTF8' TEMPLATE template0", cancellationToken);
            }
        }

        var adminBuilder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database };
        await using (var inDb = new NpgsqlConnection(adminBuilder.ConnectionString))
        {
            await inDb.OpenAsync(cancellationToken);
            // Extensions need a superuser once; the app role may connect but create nothing in public.
            await ExecAsync(inDb, $"""
                CREATE EXTENSION IF NOT EXISTS btree_gist;
                REVOKE CREATE ON SCHEMA public FROM PUBLIC;
                GRANT CONNECT ON DATABASE {Q(database)} TO {Q(appRole)};
                """, cancellationToken);
        }

        string For(string role) => new NpgsqlConnectionStringBuilder(adminConnectionString)
        {
            Database = database,
            Username = role,
            Password = password,
            Pooling = true,
        }.ConnectionString;

        return new ProvisionedDatabase(database, For(ownerRole), For(appRole), appRole);
    }

    private static string Q(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string sql, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("n", name);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static async Task ExecAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
