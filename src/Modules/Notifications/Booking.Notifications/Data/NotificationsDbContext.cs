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

    /// <summary>
    /// The business's notification settings are its reference data here (every appointment email reads them): a saved
    /// change of its settings row drops the kept copy on every instance; its messages, confirmations and templates are
    /// not kept and drop nothing. A template's delete clears the settings' ids through the foreign keys, not a save, and
    /// says so itself (<see cref="TenantDbContext.DropReferenceDataAsync"/>).
    /// </summary>
    protected override string? ReferenceDataArea => SchemaName;

    protected override bool IsReferenceData(object entity) => entity is NotificationSettings;

    /// <summary>
    /// The settings as the emails read them (the new-business defaults when the business has saved none, decision 350), kept until they
    /// change (<see cref="ReferenceDataArea"/>). A copy each time: the kept one is shared, and nothing here is saved.
    /// Pages and the settings' own reads and saves read the row itself.
    /// </summary>
    public async ValueTask<NotificationSettings> KeptSettingsAsync(CancellationToken cancellationToken) =>
        (await KeptReferenceDataAsync(async ct => new KeptRow(await Settings.AsNoTracking().FirstOrDefaultAsync(ct)), cancellationToken)).Copy();

    private sealed record KeptRow(NotificationSettings? Row)
    {
        // No row: the business never saved its choices, and has the new-business defaults (decision 350).
        public NotificationSettings Copy() => Row is not { } row ? NotificationSettings.NewBusinessDefaults() : new NotificationSettings
        {
            TenantId = row.TenantId,
            NotifyOnNewEnabled = row.NotifyOnNewEnabled,
            NotifyOnNewTemplateId = row.NotifyOnNewTemplateId,
            NotifyOnCancelledEnabled = row.NotifyOnCancelledEnabled,
            NotifyOnCancelledTemplateId = row.NotifyOnCancelledTemplateId,
            ExtraAddresses = [.. row.ExtraAddresses],
            ExtraAddressesTemplateId = row.ExtraAddressesTemplateId,
            IncludeStaffChanges = row.IncludeStaffChanges,
            UpdatedAt = row.UpdatedAt,
        };
    }

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<EmailTemplate>(b =>
        {
            b.ToTable("email_templates");
            b.HasKey(x => new { x.TenantId, x.Id });
            // Unique in any case too: ux_email_templates_tenant_lower_name on (tenant_id, lower(name)), SQL only (migration
            // UniqueTemplateNamesInAnyCase), the backstop of TemplateSaves.EnsureNameFreeAsync's comparison.
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
            b.HasIndex(x => new { x.TenantId, x.AppointmentId }).HasFilter("appointment_id IS NOT NULL").HasDatabaseName("ix_outbound_messages_appointment");
            b.Property(x => x.Recipient).HasMaxLength(254);
            b.Property(x => x.Kind).HasMaxLength(60);
            b.Property(x => x.Status).HasMaxLength(20);
            b.Property(x => x.LastError).HasMaxLength(2000);
            b.Property(x => x.Note).HasMaxLength(500);
            b.Property(x => x.LastFailure).HasMaxLength(2000);
            b.Property(x => x.ResentBy).HasMaxLength(200);
            b.Property(x => x.Content).HasColumnType("jsonb");
            // The unsubscribe link finds its message (and through it the address) by its token's hash, in its business.
            b.Property(x => x.UnsubscribeTokenHash).HasMaxLength(64);
            b.HasIndex(x => new { x.TenantId, x.UnsubscribeTokenHash }).IsUnique()
                .HasFilter("unsubscribe_token_hash IS NOT NULL").HasDatabaseName("ux_outbound_messages_unsubscribe_token");
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
