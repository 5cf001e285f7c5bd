namespace Booking.BuildingBlocks.Data;

/// <summary>An entity that belongs to one tenant. Filtered, stamped and guarded by <see cref="TenantDbContext"/>.</summary>
public interface ITenantOwned
{
    Guid TenantId { get; set; }
}

/// <summary>
/// The explicit opt-out from the tenant query filter. The reason is mandatory so every exception is argued
/// where it is declared. Without tenant_id the table is platform-wide; with it (an outbox) rows are still
/// stamped and insert-checked, but may be read across tenants by platform machinery.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CrossTenantAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}

public static class TenantFilters
{
    /// <summary>The name of the EF Core named query filter that scopes every tenant-owned entity.</summary>
    public const string Tenant = "Tenant";

    /// <summary>Model annotation for a cross-tenant type we cannot put an attribute on (a framework's entity).</summary>
    public const string CrossTenantAnnotation = "Booking:CrossTenant";

    public static bool IsCrossTenant(Type clrType) =>
        clrType.GetCustomAttributes(typeof(CrossTenantAttribute), inherit: false).Length > 0;

    public static bool IsDeclaredCrossTenant(Microsoft.EntityFrameworkCore.Metadata.IReadOnlyEntityType entityType) =>
        IsCrossTenant(entityType.ClrType) || entityType.FindAnnotation(CrossTenantAnnotation) is not null;

    public static bool IsTenantScoped(Type clrType) =>
        typeof(ITenantOwned).IsAssignableFrom(clrType) && !IsCrossTenant(clrType);
}

public sealed class CrossTenantWriteException(string message) : InvalidOperationException(message);
