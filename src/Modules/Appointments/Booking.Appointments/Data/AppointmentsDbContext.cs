using Booking.Appointments.Domain;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Tenancy;
using Microsoft.EntityFrameworkCore;
using NodaTime;

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

    /// <summary>Cancellation requests the client withdrew, with when each was filed (decision 295).</summary>
    public DbSet<CancellationRequestWithdrawal> CancellationRequestWithdrawals => Set<CancellationRequestWithdrawal>();

    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();

    /// <summary>The moves clients made of their own appointments, one row each (decision 326, <c>RecentMovesLimit</c>).</summary>
    public DbSet<ClientMove> ClientMoves => Set<ClientMove>();

    /// <summary>Clients merged away (decision 299): an appointment is never saved for one again.</summary>
    public DbSet<MergedClient> MergedClients => Set<MergedClient>();

    /// <summary>
    /// The name the trigger <c>appointments_client_not_merged</c> raises its refusal under (SQLSTATE P0001, the
    /// error's constraint name; its message ends with the kept client's id): an appointment inserted for, or moved onto,
    /// a client merged away (<see cref="MergedClients"/>). The trigger first takes the business's merge lock
    /// (<see cref="MergeLockKey"/>) shared, which a merge's move holds exclusive while it records the client and moves its
    /// appointments, so the look is serialised with the merge (decision 299; migration <c>MergedClients</c>).
    /// </summary>
    public const string ClientMergedCheck = "appointments_client_merged";

    /// <summary>
    /// The business's merge lock's key (hashed by PostgreSQL's <c>hashtextextended</c>, seed 0): every save of an
    /// appointment's client takes it shared (the trigger), a merge's move exclusive (decision 299).
    /// </summary>
    public static string MergeLockKey(Guid tenantId) => $"client-merges:{tenantId:D}";

    /// <summary>
    /// A save that frees diary time (an appointment cancelled or declined, a busy block changed or removed; a moved
    /// appointment, were there such a change) drops the business's worked-out values, whether it has a free time to
    /// book (Services' <c>GetOnlineBookability</c>), here and on every instance once it commits; one that takes time (a
    /// booking, a busy block) drops on this instance the kept answer that rests on that very time, without a statement.
    /// </summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var (frees, takes) = TimeChanges();
        var written = base.SaveChanges(acceptAllChangesOnSuccess);
        if (frees)
        {
            DropWorkedOutValues();
        }

        Took(takes);
        return written;
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var (frees, takes) = TimeChanges();
        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (frees)
        {
            await DropWorkedOutValuesAsync();
        }

        Took(takes);
        return written;
    }

    private (bool Frees, List<(Guid Diary, Instant From, Instant Until)>? Takes) TimeChanges()
    {
        var frees = false;
        List<(Guid, Instant, Instant)>? takes = null;
        foreach (var entry in ChangeTracker.Entries())
        {
            switch (entry.Entity)
            {
                case Appointment a when entry.State == EntityState.Added && a.HoldsTime:
                    (takes ??= []).Add((a.DiaryId, a.StartAt, a.BlockedUntil));
                    break;
                case Appointment a when entry.State == EntityState.Modified:
                    var held = !AppointmentStatus.Released.Contains(entry.Property(nameof(Appointment.Status)).OriginalValue as string);
                    var moved = entry.Property(nameof(Appointment.DiaryId)).IsModified || entry.Property(nameof(Appointment.StartAt)).IsModified
                        || entry.Property(nameof(Appointment.BlockedUntil)).IsModified;
                    frees |= held && (!a.HoldsTime || moved);
                    if (a.HoldsTime && (!held || moved))
                    {
                        (takes ??= []).Add((a.DiaryId, a.StartAt, a.BlockedUntil));
                    }

                    break;
                case Appointment when entry.State == EntityState.Deleted:
                    frees = true;
                    break;
                case BusyBlock b when entry.State == EntityState.Added:
                    (takes ??= []).Add((b.DiaryId, b.StartAt, b.EndAt));
                    break;
                case BusyBlock b when entry.State == EntityState.Modified:
                    frees = true;
                    (takes ??= []).Add((b.DiaryId, b.StartAt, b.EndAt));
                    break;
                case BusyBlock when entry.State == EntityState.Deleted:
                    frees = true;
                    break;
            }
        }

        return (frees, takes);
    }

    private void Took(List<(Guid Diary, Instant From, Instant Until)>? takes)
    {
        foreach (var (diary, from, until) in takes ?? [])
        {
            TimeTaken(diary, from.ToDateTimeOffset(), until.ToDateTimeOffset());
        }
    }

    /// <summary>The check <c>ck_appointments_ended</c>: every release records its ending, nothing else has one.</summary>
    internal const string EndedCheck = """
        CASE status
            WHEN 'declined' THEN ended IS NOT DISTINCT FROM 'declined'
            WHEN 'cancelled' THEN ended IS NOT NULL AND ended IN ('withdrawn', 'request-cancelled', 'cancelled')
            ELSE ended IS NULL
        END
        """;

    /// <summary>The index the month report's requests figures read (<c>tenant_id, requested_at</c>, rows filed as requests only).</summary>
    public const string RequestedAtIndex = "ix_appointments_tenant_id_requested_at";

    /// <summary>
    /// The index the month report's cancellation-request figures read (<c>tenant_id, cancellation_requested_at</c>, rows
    /// a client asked to cancel only; decision 293).
    /// </summary>
    public const string CancellationRequestedAtIndex = "ix_appointments_tenant_id_cancellation_requested_at";

    /// <summary>
    /// The index a portal booking's churn check reads (<c>tenant_id, client_id, cancelled_at</c>, rows the client cancelled
    /// only): the portal booking's limit statement's <c>churned_at</c> (decision 343).
    /// </summary>
    public const string ClientCancellationsIndex = "ix_appointments_client_cancellations";

    /// <summary>
    /// The index the month report's cancellation-request figures read for the withdrawn ones (<c>tenant_id, requested_at</c>
    /// of <c>cancellation_request_withdrawals</c>; decision 295).
    /// </summary>
    public const string WithdrawnRequestsIndex = "ix_cancellation_request_withdrawals_tenant_id_requested_at";

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("btree_gist");
        modelBuilder.Entity<Appointment>(b =>
        {
            // A released appointment says how it ended, a live one does not (AppointmentEndings); a declined request is
            // the one ending with the status declined.
            b.ToTable("appointments", t => t.HasCheckConstraint("ck_appointments_ended", EndedCheck));
            b.HasKey(x => new { x.TenantId, x.Id });
            // Every change of an appointment is a change of its status, saved only if the status is still the one the
            // change was decided on (UPDATE … WHERE status = the one read); see ConcurrentChanges.
            b.Property(x => x.Status).HasMaxLength(30).IsConcurrencyToken();
            // And only while it is still the client's it was read as (decision 307): a client merge moves the appointment
            // to the kept client between an action's read and its save (the save waits for the merge's row lock), so the
            // save finds nothing to change and the action runs again on what is there now, and every event it writes
            // names the client the row names when it commits, never the merged-away (deleted) one.
            b.Property(x => x.ClientId).IsConcurrencyToken();
            // And only while it is still at the time it was read at (session 40's race audit): a move changes the start
            // and diary but not the status, so a cancel, an outcome or a pet change that read the appointment before a
            // move committed would save on the old time and tell the client (and the old diary's contact) about a time
            // the appointment no longer had. Every move raises the count (BookingDesk.MoveAsync), so such a save finds
            // nothing to change and runs again on the moved appointment (ConcurrentChanges).
            b.Property(x => x.MoveCount).IsConcurrencyToken();
            b.Property(x => x.Source).HasMaxLength(10);
            b.Property(x => x.Note).HasMaxLength(2000);
            b.Property(x => x.CancelledBy).HasMaxLength(10);
            b.Property(x => x.CancelReason).HasMaxLength(2000);
            b.Property(x => x.CancellationDeclineReason).HasMaxLength(2000);
            b.Property(x => x.Ended).HasMaxLength(20);
            b.Property(x => x.StaffNote).HasMaxLength(2000);
            b.Property(x => x.CancellationInsideWindow).HasMaxLength(10);
            b.Property(x => x.PriceAmount).HasPrecision(13, 3);
            b.Property(x => x.PriceCurrency).HasMaxLength(3);
            b.Property(x => x.MovedBy).HasMaxLength(10);
            b.Ignore(x => x.HoldsTime);
            // Diary view and availability: a diary's appointments by start.
            b.HasIndex(x => new { x.TenantId, x.DiaryId, x.StartAt });
            b.HasIndex(x => new { x.TenantId, x.ClientId, x.StartAt });
            b.HasIndex(x => new { x.TenantId, x.Status }).HasFilter("status IN ('requested', 'cancellation-requested')");
            // Reports: the booking requests filed in a month (decision 286). Only rows filed as requests have the time.
            b.HasIndex(x => new { x.TenantId, x.RequestedAt }).HasDatabaseName(RequestedAtIndex).HasFilter("requested_at IS NOT NULL");
            // And the cancellation requests filed in a month (decision 291's statement; decision 293).
            b.HasIndex(x => new { x.TenantId, x.CancellationRequestedAt }).HasDatabaseName(CancellationRequestedAtIndex)
                .HasFilter("cancellation_requested_at IS NOT NULL");
            // A portal booking's limit statement reads the client's own recent cancellations (decision 322's churn limit,
            // BookingDesk.LimitSql's churned_at): without this it filtered every row the client ever had. Partial, so a
            // booking's insert (cancelled_by null) adds no entry to it (decision 343).
            b.HasIndex(x => new { x.TenantId, x.ClientId, x.CancelledAt }).HasDatabaseName(ClientCancellationsIndex)
                .HasFilter("cancelled_by = 'client'");
        });
        modelBuilder.Entity<CancellationRequestWithdrawal>(b =>
        {
            b.ToTable("cancellation_request_withdrawals");
            b.HasKey(x => new { x.TenantId, x.Id });
            // Goes with its appointment; the foreign key's (tenant, appointment) index serves the CSV's per-row counts.
            b.HasOne<Appointment>().WithMany().HasForeignKey(x => new { x.TenantId, x.AppointmentId }).OnDelete(DeleteBehavior.Cascade);
            b.HasIndex(x => new { x.TenantId, x.RequestedAt }).HasDatabaseName(WithdrawnRequestsIndex);
        });
        modelBuilder.Entity<ClientMove>(b =>
        {
            b.ToTable("client_moves");
            b.HasKey(x => new { x.TenantId, x.Id });
            // Goes with its appointment; read by appointment and time (the client's appointments' moves in the last day).
            b.HasOne<Appointment>().WithMany().HasForeignKey(x => new { x.TenantId, x.AppointmentId }).OnDelete(DeleteBehavior.Cascade);
            b.HasIndex(x => new { x.TenantId, x.AppointmentId, x.MovedAt });
        });
        modelBuilder.Entity<BusyBlock>(b =>
        {
            b.ToTable("busy_blocks");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.Property(x => x.Note).HasMaxLength(2000);
            b.HasIndex(x => new { x.TenantId, x.DiaryId, x.StartAt });
        });
        modelBuilder.Entity<MergedClient>(b =>
        {
            b.ToTable("merged_clients");
            b.HasKey(x => new { x.TenantId, x.ClientId });
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
