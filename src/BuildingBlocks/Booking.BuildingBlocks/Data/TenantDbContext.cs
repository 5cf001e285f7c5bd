using System.Linq.Expressions;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Outbox;
using Booking.BuildingBlocks.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Booking.BuildingBlocks.Data;

/// <summary>
/// The base of every module's DbContext: its own schema, the tenant filter on by default for every
/// tenant-owned entity, tenant stamping and guarding on save, and the module's outbox and processed-event log.
/// </summary>
public abstract class TenantDbContext(DbContextOptions options, ITenantContext tenant) : DbContext(options)
{
    private readonly ITenantContext tenant = tenant;

    /// <summary>Read by the named query filter on every query; EF parameterises it per context instance.</summary>
    protected Guid CurrentTenantId => tenant.TenantId ?? Guid.Empty;

    public abstract string Schema { get; }

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<ProcessedEvent> ProcessedEvents => Set<ProcessedEvent>();

    /// <summary>Writes an integration event to this module's outbox; it commits or rolls back with the change.</summary>
    public void Publish(IIntegrationEvent integrationEvent) => Outbox.Add(OutboxMessage.From(integrationEvent));

    /// <summary>
    /// Records that <paramref name="consumer"/> handled <paramref name="eventId"/>; saved with the consumer's own
    /// change, its unique key makes a second delivery fail instead of acting twice. Returns false when already done.
    /// </summary>
    public async Task<bool> TryMarkProcessedAsync(Guid eventId, string consumer, CancellationToken cancellationToken)
    {
        var seen = await ProcessedEvents.AnyAsync(p => p.EventId == eventId && p.Consumer == consumer, cancellationToken);
        if (seen)
        {
            return false;
        }

        ProcessedEvents.Add(new ProcessedEvent { EventId = eventId, Consumer = consumer, ProcessedAt = DateTimeOffset.UtcNow });
        return true;
    }

    protected sealed override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        OutboxMessage.Configure(modelBuilder.Entity<OutboxMessage>());
        ProcessedEvent.Configure(modelBuilder.Entity<ProcessedEvent>());
        ConfigureModel(modelBuilder);
        ApplyTenantFilter(modelBuilder);
    }

    protected abstract void ConfigureModel(ModelBuilder modelBuilder);

    private void ApplyTenantFilter(ModelBuilder modelBuilder)
    {
        foreach (var entityType in modelBuilder.Model.GetEntityTypes().ToList())
        {
            var clr = entityType.ClrType;
            if (entityType.IsOwned() || !TenantFilters.IsTenantScoped(clr))
            {
                continue;
            }

            // e => e.TenantId == this.CurrentTenantId
            var e = Expression.Parameter(clr, "e");
            var body = Expression.Equal(
                Expression.Property(e, nameof(ITenantOwned.TenantId)),
                Expression.Property(Expression.Constant(this), nameof(CurrentTenantId)));
            modelBuilder.Entity(clr).HasQueryFilter(TenantFilters.Tenant, Expression.Lambda(body, e));
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var published = GuardTenantRows();
        var written = base.SaveChanges(acceptAllChangesOnSuccess);
        NudgeRelay(published);
        return written;
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var published = GuardTenantRows();
        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        NudgeRelay(published);
        return written;
    }

    /// <summary>Wakes this instance's relay so a committed event leaves at once instead of at the next poll.</summary>
    private void NudgeRelay(bool published)
    {
        if (!published)
        {
            return;
        }

        var services = this.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider;
        (services?.GetService(typeof(OutboxSignal)) as OutboxSignal)?.Nudge();
    }

    /// <summary>Stamps new rows with the current tenant and refuses any write to another tenant's row.</summary>
    private bool GuardTenantRows()
    {
        var published = false;
        foreach (var entry in ChangeTracker.Entries<ITenantOwned>())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            // Platform machinery (the outbox relay) updates cross-tenant rows; only their insert is stamped and checked.
            if (entry.State != EntityState.Added && TenantFilters.IsCrossTenant(entry.Metadata.ClrType))
            {
                continue;
            }

            var current = tenant.TenantId
                ?? throw new CrossTenantWriteException($"No tenant is set; refusing to save {entry.Metadata.ClrType.Name}.");
            published |= entry.State == EntityState.Added && entry.Entity is OutboxMessage;
            if (entry.State == EntityState.Added && entry.Entity.TenantId == Guid.Empty)
            {
                entry.Entity.TenantId = current;
            }
            else if (entry.Entity.TenantId != current)
            {
                throw new CrossTenantWriteException(
                    $"Refusing to save a {entry.Metadata.ClrType.Name} of another tenant.");
            }
        }

        return published;
    }
}
