using Booking.BuildingBlocks.Data;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Booking.BuildingBlocks.Platform;

/// <summary>
/// Platform-wide tables that belong to no tenant: Data Protection keys, server-side sign-in sessions and the counts
/// per client address of <see cref="AddressLimits"/>.
/// </summary>
public sealed class PlatformDbContext(DbContextOptions<PlatformDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public const string SchemaName = "platform";

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<AuthSession> AuthSessions => Set<AuthSession>();

    public DbSet<AddressCount> AddressCounts => Set<AddressCount>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(SchemaName);
        modelBuilder.Entity<DataProtectionKey>(b =>
        {
            b.ToTable("data_protection_keys");
            b.HasAnnotation(TenantFilters.CrossTenantAnnotation, "Keys protect every tenant's cookies alike.");
        });
        modelBuilder.Entity<AuthSession>(b =>
        {
            b.ToTable("auth_sessions");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).HasMaxLength(64);
            b.Property(x => x.Scheme).HasMaxLength(40);
            b.HasIndex(x => x.ExpiresAt);
            b.HasIndex(x => new { x.BoundTenantId, x.Scheme, x.SubjectId });
        });
        modelBuilder.Entity<AddressCount>(b =>
        {
            b.ToTable("address_counts");
            b.HasKey(x => new { x.Key, x.Hour });
            b.Property(x => x.Key).HasMaxLength(160);
            b.HasIndex(x => x.Hour); // clearing hours gone by
        });
    }
}

/// <summary>
/// A signed-in session kept on the server; the cookie carries only its id. Looked up before the tenant is
/// known, so it is platform-wide; the tenant it is bound to is a column the session checks, not a filter.
/// </summary>
[CrossTenant("Sessions are found by their random id before any tenant is known.")]
public sealed class AuthSession
{
    public string Id { get; set; } = "";

    public string Scheme { get; set; } = "";

    public Guid BoundTenantId { get; set; }

    public Guid SubjectId { get; set; }

    public byte[] Ticket { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }
}

internal sealed class PlatformDesignTimeFactory : ModuleDesignTimeFactory<PlatformDbContext>;
