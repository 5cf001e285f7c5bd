using System.Text.Json;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Tenancy;
using Booking.Roster.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Booking.Roster.Data;

public sealed class RosterDbContext(DbContextOptions<RosterDbContext> options) : TenantDbContext(options)
{
    public const string SchemaName = "roster";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public override string Schema => SchemaName;

    /// <summary>Cached per tenant as reference data; a saved change drops the entry on every instance.</summary>
    protected override string? ReferenceDataArea => SchemaName;

    public DbSet<Diary> Diaries => Set<Diary>();

    public DbSet<RosterBlock> Blocks => Set<RosterBlock>();

    public DbSet<RosterException> Exceptions => Set<RosterException>();

    public DbSet<BookingRules> BookingRules => Set<BookingRules>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Diary>(b =>
        {
            b.ToTable("diaries");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.Property(x => x.Name).HasMaxLength(120);
            b.Property(x => x.ContactEmail).HasMaxLength(320);
        });
        modelBuilder.Entity<RosterBlock>(b =>
        {
            b.ToTable("roster_blocks");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.HasIndex(x => new { x.TenantId, x.DiaryId, x.Weekday });
            b.HasOne<Diary>().WithMany().HasForeignKey(x => new { x.TenantId, x.DiaryId }).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<RosterException>(b =>
        {
            b.ToTable("roster_exceptions");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.HasIndex(x => new { x.TenantId, x.DiaryId, x.Date }).IsUnique();
            b.HasOne<Diary>().WithMany().HasForeignKey(x => new { x.TenantId, x.DiaryId }).OnDelete(DeleteBehavior.Cascade);
            b.Property(x => x.Blocks)
                .HasColumnType("jsonb")
                .HasConversion(
                    v => JsonSerializer.Serialize(v, Json),
                    v => JsonSerializer.Deserialize<List<ExceptionBlock>>(v, Json) ?? new List<ExceptionBlock>(),
                    new ValueComparer<List<ExceptionBlock>>(
                        (a, c) => a!.SequenceEqual(c!),
                        v => v.Aggregate(0, (h, x) => HashCode.Combine(h, x.GetHashCode())),
                        v => v.ToList()));
        });
        modelBuilder.Entity<BookingRules>(b =>
        {
            b.ToTable("booking_rules");
            b.HasKey(x => x.TenantId);
            // The key is the tenant, stamped on save; EF must not invent one.
            b.Property(x => x.TenantId).ValueGeneratedNever();
        });
    }
}

internal sealed class RosterDesignTimeFactory : ModuleDesignTimeFactory<RosterDbContext>;
