using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Booking.BuildingBlocks.Data;

/// <summary>
/// Applies every module's migrations as the owner role, then the isolation rules derived from the model:
/// row-level security forced on every table with tenant_id, and table rights for the app role.
/// Deriving the policies from the model means a new tenant-owned table cannot be forgotten.
/// </summary>
public sealed class DatabaseMigrator(
    IServiceProvider services,
    IEnumerable<IModuleDatabase> modules,
    IEnumerable<IExtraSchemaInstaller> extraSchemas,
    DatabaseOptions options,
    ILogger<DatabaseMigrator> logger)
{
    private const long AdvisoryLock = 0x626f6f6b696e67; // "booking": one migrator at a time across instances

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var owner = options.OwnerConnectionString
            ?? throw new InvalidOperationException("ConnectionStrings:BookingOwner is not configured; migrations need the owner role.");
        await using var connection = new NpgsqlConnection(owner);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLock})", cancellationToken);
        try
        {
            foreach (var module in modules)
            {
                await using var db = module.Create(services, owner);
                logger.LogInformation("Migrating {Context}", module.ContextType.Name);
                await db.Database.MigrateAsync(cancellationToken);
                await ApplyIsolationAsync(connection, db.Model, cancellationToken);
            }

            foreach (var installer in extraSchemas)
            {
                await installer.InstallAsync(connection, options.AppRole, cancellationToken);
            }
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLock})", cancellationToken);
        }
    }

    private async Task ApplyIsolationAsync(NpgsqlConnection connection, IModel model, CancellationToken cancellationToken)
    {
        var app = Quote(options.AppRole);
        var current = $"NULLIF(current_setting('{TenantConnectionInterceptor.Setting}', true), '')::uuid";
        foreach (var schema in model.GetEntityTypes().Select(e => e.GetSchema()).Distinct())
        {
            await ExecuteAsync(connection, $"""
                GRANT USAGE ON SCHEMA {Quote(schema!)} TO {app};
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {Quote(schema!)} TO {app};
                GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {Quote(schema!)} TO {app};
                REVOKE ALL ON {Quote(schema!)}.{Quote(ModuleDb.HistoryTable)} FROM {app};
                """, cancellationToken);
        }

        foreach (var entity in model.GetEntityTypes().Where(e => !e.IsOwned() && e.GetTableName() is not null))
        {
            var table = $"{Quote(entity.GetSchema()!)}.{Quote(entity.GetTableName()!)}";
            var tenantColumn = entity.FindProperty(nameof(ITenantOwned.TenantId))?.GetColumnName();
            if (tenantColumn is null)
            {
                continue; // a platform table (no tenant_id): CrossTenant by declaration, checked by the architecture tests
            }

            var isolated = TenantFilters.IsTenantScoped(entity.ClrType);
            var policies = isolated
                ? $"""
                  CREATE POLICY tenant_isolation ON {table}
                      USING ({Quote(tenantColumn)} = {current}) WITH CHECK ({Quote(tenantColumn)} = {current});
                  """
                : $"""
                  CREATE POLICY tenant_insert ON {table} FOR INSERT WITH CHECK ({Quote(tenantColumn)} = {current});
                  CREATE POLICY platform_read ON {table} FOR SELECT USING (true);
                  CREATE POLICY platform_update ON {table} FOR UPDATE USING (true) WITH CHECK (true);
                  CREATE POLICY platform_delete ON {table} FOR DELETE USING (true);
                  """;
            await ExecuteAsync(connection, $"""
                ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
                ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS tenant_isolation ON {table};
                DROP POLICY IF EXISTS tenant_insert ON {table};
                DROP POLICY IF EXISTS platform_read ON {table};
                DROP POLICY IF EXISTS platform_update ON {table};
                DROP POLICY IF EXISTS platform_delete ON {table};
                {policies}
                """, cancellationToken);
        }
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>A schema that is not an EF model (Hangfire's), installed by the migrator as the owner.</summary>
public interface IExtraSchemaInstaller
{
    Task InstallAsync(NpgsqlConnection ownerConnection, string appRole, CancellationToken cancellationToken);
}
