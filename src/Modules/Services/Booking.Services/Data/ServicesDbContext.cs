using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Tenancy;
using Booking.Services.Domain;
using Microsoft.EntityFrameworkCore;

namespace Booking.Services.Data;

public sealed class ServicesDbContext(DbContextOptions<ServicesDbContext> options) : TenantDbContext(options)
{
    public const string SchemaName = "services";

    /// <summary>
    /// The unique index on (tenant_id, lower(name)) of live services (migration <c>UniqueLiveServiceNames</c>; SQL only,
    /// since EF cannot describe an index on an expression): one live service per name in a business, in any case.
    /// </summary>
    public const string LiveNameIndex = "ux_services_live_name";

    public override string Schema => SchemaName;

    /// <summary>Cached per tenant as reference data; a saved change drops the entry on every instance.</summary>
    protected override string? ReferenceDataArea => SchemaName;

    public DbSet<Service> Services => Set<Service>();

    public DbSet<ServiceDiary> ServiceDiaries => Set<ServiceDiary>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Service>(b =>
        {
            b.ToTable("services");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.Property(x => x.Name).HasMaxLength(120);
            b.Property(x => x.Description).HasMaxLength(2000);
            b.Property(x => x.PriceAmount).HasPrecision(13, 3);
            b.Property(x => x.ForSpecies).HasColumnType("text[]");
            b.HasMany(x => x.Diaries).WithOne().HasForeignKey(x => new { x.TenantId, x.ServiceId }).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<ServiceDiary>(b =>
        {
            b.ToTable("service_diaries");
            b.HasKey(x => new { x.TenantId, x.ServiceId, x.DiaryId });
            b.HasIndex(x => new { x.TenantId, x.DiaryId });
        });
    }
}

internal sealed class ServicesDesignTimeFactory : ModuleDesignTimeFactory<ServicesDbContext>;
