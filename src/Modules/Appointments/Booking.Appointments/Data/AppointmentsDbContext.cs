using Booking.Appointments.Domain;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Booking.Appointments.Data;

public sealed class AppointmentsDbContext(DbContextOptions<AppointmentsDbContext> options) : TenantDbContext(options)
{
    public const string SchemaName = "appointments";

    /// <summary>The exclusion constraint that makes double booking impossible (see the migration).</summary>
    public const string NoOverlapConstraint = "ex_appointments_no_overlap";

    public override string Schema => SchemaName;

    /// <summary>The tenant of this unit of work (for events of rows not yet stamped).</summary>
    public Guid TenantId => CurrentTenantId;

    public DbSet<Appointment> Appointments => Set<Appointment>();

    public DbSet<BusyBlock> BusyBlocks => Set<BusyBlock>();

    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("btree_gist");
        modelBuilder.Entity<Appointment>(b =>
        {
            b.ToTable("appointments");
            b.HasKey(x => new { x.TenantId, x.Id });
            // Every change of an appointment is a change of its status, saved only if the status is still the one the
            // change was decided on (UPDATE … WHERE status = the one read); see ConcurrentChanges.
            b.Property(x => x.Status).HasMaxLength(30).IsConcurrencyToken();
            b.Property(x => x.Source).HasMaxLength(10);
            b.Property(x => x.Note).HasMaxLength(2000);
            b.Property(x => x.CancelledBy).HasMaxLength(10);
            b.Property(x => x.CancelReason).HasMaxLength(2000);
            b.Ignore(x => x.HoldsTime);
            // Diary view and availability: a diary's appointments by start.
            b.HasIndex(x => new { x.TenantId, x.DiaryId, x.StartAt });
            b.HasIndex(x => new { x.TenantId, x.ClientId, x.StartAt });
            b.HasIndex(x => new { x.TenantId, x.Status }).HasFilter("status IN ('requested', 'cancellation-requested')");
        });
        modelBuilder.Entity<BusyBlock>(b =>
        {
            b.ToTable("busy_blocks");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.Property(x => x.Note).HasMaxLength(2000);
            b.HasIndex(x => new { x.TenantId, x.DiaryId, x.StartAt });
        });
        modelBuilder.Entity<IdempotencyRecord>(b =>
        {
            b.ToTable("idempotency_keys");
            b.HasKey(x => new { x.TenantId, x.CallerId, x.Key });
            b.Property(x => x.Key).HasMaxLength(200);
            b.Property(x => x.RequestHash).HasMaxLength(64);
            b.Property(x => x.Location).HasMaxLength(500);
            b.Property(x => x.Claim).IsConcurrencyToken();
            b.HasIndex(x => x.CreatedAt);
        });
    }
}

internal sealed class AppointmentsDesignTimeFactory : ModuleDesignTimeFactory<AppointmentsDbContext>;
