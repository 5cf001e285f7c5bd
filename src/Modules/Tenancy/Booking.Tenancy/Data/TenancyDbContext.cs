using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.Tenancy.Domain;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Data;

public sealed class TenancyDbContext(DbContextOptions<TenancyDbContext> options) : TenantDbContext(options)
{
    public const string SchemaName = "tenancy";

    public override string Schema => SchemaName;

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<StaffMember> Staff => Set<StaffMember>();

    public DbSet<PortalSettings> PortalSettings => Set<PortalSettings>();

    public DbSet<TermsVersion> TermsVersions => Set<TermsVersion>();

    public DbSet<BrandingLogo> Logos => Set<BrandingLogo>();

    public DbSet<StaffPasswordResetToken> StaffResetTokens => Set<StaffPasswordResetToken>();

    public DbSet<StaffPasswordResetRequest> StaffResetRequests => Set<StaffPasswordResetRequest>();

    public DbSet<StaffEmailConfirmationToken> StaffEmailConfirmations => Set<StaffEmailConfirmationToken>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Tenant>(b =>
        {
            b.ToTable("tenants");
            b.HasKey(x => x.Id);
            b.Property(x => x.Slug).HasMaxLength(63);
            b.HasIndex(x => x.Slug).IsUnique();
            b.Property(x => x.Name).HasMaxLength(120);
            b.Property(x => x.TimeZone).HasMaxLength(64);
            b.Property(x => x.CountryCode).HasMaxLength(2);
            b.Property(x => x.Currency).HasMaxLength(3);
            b.Property(x => x.Address).HasMaxLength(300);
            b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        });
        modelBuilder.Entity<StaffMember>(b =>
        {
            b.ToTable("staff_members");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.HasIndex(x => new { x.TenantId, x.Email }).IsUnique();
            b.Property(x => x.Name).HasMaxLength(120);
            b.Property(x => x.Email).HasMaxLength(320);
            b.Property(x => x.Role).HasMaxLength(20);
            b.Property(x => x.InvitedBy).HasMaxLength(120);
            b.Property(x => x.DiaryIds).HasDefaultValueSql("'{}'::uuid[]"); // existing staff: no diaries
            b.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId);
        });
        modelBuilder.Entity<PortalSettings>(b =>
        {
            b.ToTable("portal_settings", t =>
            {
                t.HasCheckConstraint("ck_portal_settings_time_format", "time_format IN ('12h', '24h')");
                t.HasCheckConstraint("ck_portal_settings_max_upcoming", "max_upcoming_bookings_per_client BETWEEN 1 AND 100");
                t.HasCheckConstraint("ck_portal_settings_sms_countries", "cardinality(sms_countries) BETWEEN 1 AND 20");
            });
            b.HasKey(x => x.TenantId);
            b.Property(x => x.CancellationText).HasMaxLength(2000);
            b.Property(x => x.InsideWindow).HasMaxLength(20);
            b.Property(x => x.BookingInstructions).HasMaxLength(4000);
            b.Property(x => x.TermsText).HasMaxLength(50_000);
            b.Property(x => x.BrandingColour).HasMaxLength(7);
            b.Property(x => x.ContactPhone).HasMaxLength(20);
            b.Property(x => x.ContactEmail).HasMaxLength(254);
            b.Property(x => x.TimeFormat).HasMaxLength(3);
            b.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId);
        });
        modelBuilder.Entity<TermsVersion>(b =>
        {
            b.ToTable("terms_versions");
            b.HasKey(x => new { x.TenantId, x.Version });
            b.Property(x => x.Text).HasMaxLength(50_000);
            b.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId);
        });
        modelBuilder.Entity<BrandingLogo>(b =>
        {
            b.ToTable("branding_logos");
            b.HasKey(x => x.TenantId);
            b.Property(x => x.ContentType).HasMaxLength(20);
            b.Property(x => x.ETag).HasMaxLength(64);
            b.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId);
        });
        modelBuilder.Entity<StaffPasswordResetToken>(b =>
        {
            b.ToTable("staff_password_reset_tokens");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.Property(x => x.SentTo).HasMaxLength(320);
            b.HasIndex(x => new { x.TenantId, x.TokenHash }).IsUnique();
            // A link is used once: its use is saved only while it is still unused (UPDATE … WHERE used_at IS NULL).
            b.Property(x => x.UsedAt).IsConcurrencyToken();
            // A removed staff member's links go with them.
            b.HasOne<StaffMember>().WithMany().HasForeignKey(x => new { x.TenantId, x.StaffId }).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<StaffEmailConfirmationToken>(b =>
        {
            b.ToTable("staff_email_confirmations");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.Property(x => x.SentTo).HasMaxLength(320);
            b.HasIndex(x => new { x.TenantId, x.TokenHash }).IsUnique();
            b.HasIndex(x => new { x.TenantId, x.StaffId, x.CreatedAt });
            // Every staff email link, proving the sign-in email or changing it (decision 236).
            // Used once, as a reset link: its use is saved only while it is still unused.
            b.Property(x => x.UsedAt).IsConcurrencyToken();
            b.HasOne<StaffMember>().WithMany().HasForeignKey(x => new { x.TenantId, x.StaffId }).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<StaffPasswordResetRequest>(b =>
        {
            b.ToTable("staff_password_reset_requests");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.Property(x => x.Email).HasMaxLength(320);
            b.Property(x => x.Ip).HasMaxLength(64);
            b.HasIndex(x => new { x.TenantId, x.Email, x.At });
            b.HasIndex(x => new { x.TenantId, x.Ip, x.At });
        });
        PasswordFailure.Configure(modelBuilder.Entity<PasswordFailure>());
    }
}

internal sealed class TenancyDesignTimeFactory : ModuleDesignTimeFactory<TenancyDbContext>;
