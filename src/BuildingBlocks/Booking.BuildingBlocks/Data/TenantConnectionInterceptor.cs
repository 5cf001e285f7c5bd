using System.Data.Common;
using Booking.BuildingBlocks.Tenancy;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Booking.BuildingBlocks.Data;

/// <summary>
/// The second wall: every connection a DbContext opens tells PostgreSQL whose rows it may see, and the
/// row-level-security policies compare tenant_id with it. No tenant means an empty setting, which matches no row.
/// </summary>
public sealed class TenantConnectionInterceptor(ITenantContext tenant) : DbConnectionInterceptor
{
    public const string Setting = "app.tenant_id";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = SetTenantCommand(connection, tenant.TenantId);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = SetTenantCommand(connection, tenant.TenantId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static DbCommand SetTenantCommand(DbConnection connection, Guid? tenantId)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT set_config('{Setting}', @tenant, false)";
        command.Parameters.Add(new NpgsqlParameter("tenant", tenantId?.ToString() ?? ""));
        return command;
    }
}
