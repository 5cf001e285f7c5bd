using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Tenancy;
using Booking.Notifications.Domain;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Data;

public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : TenantDbContext(options)
{
    public const string SchemaName = "notifications";

    public override string Schema => SchemaName;

    public DbSet<EmailTemplate> Templates => Set<EmailTemplate>();

    public DbSet<NotificationSettings> Settings => Set<NotificationSettings>();

    public DbSet<OutboundMessage> Messages => Set<OutboundMessage>();

    public DbSet<DevMailMessage> DevMail => Set<DevMailMessage>();

    public DbSet<AddressConfirmation> AddressConfirmations => Set<AddressConfirmation>();

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

        modelBuilder.Entity<NotificationSettings>(b =>
        {
            b.ToTable("notification_settings");
            b.HasKey(x => x.TenantId);
            // Each template id has a foreign key to the business's templates that clears that id alone when the template
            // is deleted (ON DELETE SET NULL (column), which EF Core cannot express): migration SettingsKeepOnlyLiveTemplates.
            b.Property(x => x.ExtraAddresses).HasColumnType("text[]");
        });

        modelBuilder.Entity<OutboundMessage>(b =>
        {
            b.ToTable("outbound_messages");
            b.HasKey(x => new { x.TenantId, x.Id });
            // The idempotency key: a re-delivered event cannot create a second message.
            b.HasIndex(x => new { x.TenantId, x.EventId, x.Recipient, x.Kind }).IsUnique().HasDatabaseName("ux_outbound_messages_event_recipient_kind");
            b.HasIndex(x => new { x.TenantId, x.Status, x.NextAttemptAt });
            b.HasIndex(x => new { x.TenantId, x.CreatedAt });
            b.Property(x => x.Recipient).HasMaxLength(254);
            b.Property(x => x.Kind).HasMaxLength(60);
            b.Property(x => x.Status).HasMaxLength(20);
            b.Property(x => x.LastError).HasMaxLength(2000);
            b.Property(x => x.Note).HasMaxLength(500);
            b.Property(x => x.Content).HasColumnType("jsonb");
        });

        modelBuilder.Entity<AddressConfirmation>(b =>
        {
            b.ToTable("address_confirmations");
            b.HasKey(x => new { x.TenantId, x.Address });
            b.HasIndex(x => new { x.TenantId, x.TokenHash }).IsUnique();
            b.Property(x => x.Address).HasMaxLength(254);
            b.Property(x => x.TokenHash).HasMaxLength(64);
            b.Ignore(x => x.Confirmed);
        });

        modelBuilder.Entity<DevMailMessage>(b =>
        {
            b.ToTable("dev_mail");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.HasIndex(x => new { x.To, x.SentAt });
            b.Property(x => x.Attachments).HasColumnType("jsonb");
        });
    }
}

internal sealed class NotificationsDesignTimeFactory : ModuleDesignTimeFactory<NotificationsDbContext>;
