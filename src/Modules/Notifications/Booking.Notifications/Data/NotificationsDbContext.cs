using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Tenancy;
using Booking.Notifications.Domain;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Data;

public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options, ITenantContext tenant) : TenantDbContext(options, tenant)
{
    public const string SchemaName = "notifications";

    public override string Schema => SchemaName;

    public DbSet<EmailTemplate> Templates => Set<EmailTemplate>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<EmailTemplate>(b =>
        {
            b.ToTable("email_templates");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.HasIndex(x => new { x.TenantId, x.Name }).IsUnique();
            b.Property(x => x.Name).HasMaxLength(120);
            b.Property(x => x.Subject).HasMaxLength(200);
            b.Property(x => x.Body).HasMaxLength(20_000);
        });
    }
}

internal sealed class NotificationsDesignTimeFactory : ModuleDesignTimeFactory<NotificationsDbContext>;
