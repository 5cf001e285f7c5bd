using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Booking.BuildingBlocks.Data;

/// <summary>
/// The second wall: every connection a tenant-aware DbContext opens tells PostgreSQL whose rows it may see, and the
/// row-level-security policies compare tenant_id with it. No tenant means an empty setting, which matches no row.
/// One instance serves every (pooled) context: the tenant is the opening context's own.
/// </summary>
public sealed class TenantConnectionInterceptor : DbConnectionInterceptor
{
    public const string Setting = "app.tenant_id";

    public static readonly TenantConnectionInterceptor Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = SetTenantCommand(connection, TenantOf(eventData));
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = SetTenantCommand(connection, TenantOf(eventData));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Guid? TenantOf(ConnectionEndEventData eventData) => (eventData.Context as TenantDbContext)?.ActingTenantId;

    public static DbCommand SetTenantCommand(DbConnection connection, Guid? tenantId)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT set_config('{Setting}', @tenant, false)";
        command.Parameters.Add(new NpgsqlParameter("tenant", tenantId?.ToString() ?? ""));
        return command;
    }
}
