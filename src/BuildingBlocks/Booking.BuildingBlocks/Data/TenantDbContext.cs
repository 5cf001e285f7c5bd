using System.Collections.Concurrent;
using System.Linq.Expressions;
using Booking.BuildingBlocks.Caching;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Outbox;
using Booking.BuildingBlocks.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Booking.BuildingBlocks.Data;

/// <summary>
/// The base of every module's DbContext: its own schema, the tenant filter on by default for every
/// tenant-owned entity, tenant stamping and guarding on save, and the module's outbox and processed-event log.
/// Instances are pooled (see <see cref="ModuleDb.AddPlainDatabase{TContext}"/>): a rented context is handed the
/// request's tenant with <see cref="UseTenant"/> and forgets it when it goes back to the pool.
/// </summary>
public abstract class TenantDbContext : DbContext
{
    private ITenantContext tenant;

    /// <summary>For the pool: no tenant until <see cref="UseTenant"/> (no tenant sees no rows and may write none).</summary>
    protected TenantDbContext(DbContextOptions options)
        : base(options) => tenant = NoTenant.Instance;

    /// <summary>Read by the named query filter on every query; EF parameterises it per context instance.</summary>
    protected Guid CurrentTenantId => tenant.TenantId ?? Guid.Empty;

    /// <summary>The tenant this unit of work acts for, if any: the RLS setting of every connection it opens.</summary>
    public Guid? ActingTenantId => tenant.TenantId;

    /// <summary>Binds a rented context to the unit of work's tenant (the scope's mutable tenant context).</summary>
    public void UseTenant(ITenantContext current) => tenant = current;

    /// <summary>
    /// What this context's open connection is known to carry as app.tenant_id (a tenant, or none), or null when
    /// unknown; kept by <see cref="TenantConnectionInterceptor"/>.
    /// </summary>
    internal TenantSetting? ConnectionTenant { get; set; }

    public override void Dispose()
    {
        tenant = NoTenant.Instance;
        ConnectionTenant = null;
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        tenant = NoTenant.Instance;
        ConnectionTenant = null;
        return base.DisposeAsync();
    }

    public abstract string Schema { get; }

    /// <summary>
    /// Keeps this context's connection open until the result is disposed, for a unit of work that runs several
    /// statements: one connection from the pool instead of one per statement, and
    /// the tenant setting rides along with the first statement only.
    /// </summary>
    public async Task<IAsyncDisposable> HoldConnectionAsync(CancellationToken cancellationToken)
    {
        await Database.OpenConnectionAsync(cancellationToken);
        return new HeldConnection(this);
    }

    private sealed class HeldConnection(TenantDbContext context) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await context.Database.CloseConnectionAsync();
    }

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<ProcessedEvent> ProcessedEvents => Set<ProcessedEvent>();

    /// <summary>Writes an integration event to this module's outbox; it commits or rolls back with the change.</summary>
    public void Publish(IIntegrationEvent integrationEvent) => Outbox.Add(OutboxMessage.From(integrationEvent));

    /// <summary>
    /// Every consumed event asks whether it was seen: compiled once per module's context (one model each), so EF does
    /// not rebuild the expression's cache key per event.
    /// </summary>
    private static readonly ConcurrentDictionary<Type, Func<TenantDbContext, Guid, string, CancellationToken, Task<bool>>> SeenQueries = new();

    /// <summary>
    /// Records that <paramref name="consumer"/> handled <paramref name="eventId"/>; saved with the consumer's own
    /// change, its unique key makes a second delivery fail instead of acting twice. Returns false when already done.
    /// </summary>
    public async Task<bool> TryMarkProcessedAsync(Guid eventId, string consumer, CancellationToken cancellationToken)
    {
        var seen = await SeenQueries.GetOrAdd(GetType(), _ => EF.CompileAsyncQuery((TenantDbContext db, Guid id, string name, CancellationToken ct) =>
            db.ProcessedEvents.Any(p => p.EventId == id && p.Consumer == name)))(this, eventId, consumer, cancellationToken);
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

    /// <summary>
    /// Set by a module whose rows are cached as reference data (<see cref="ReferenceDataCache"/>): any saved change of
    /// its rows drops the tenant's entry here at once and, through a NOTIFY delivered at commit, on every instance.
    /// </summary>
    protected virtual string? ReferenceDataArea => null;

    /// <summary>
    /// Which saved rows count as the context's reference data (<see cref="ReferenceDataArea"/>): all of them by default;
    /// a module whose cached rows sit beside busy ones (Notifications: its settings beside the messages) names them.
    /// </summary>
    protected virtual bool IsReferenceData(object entity) => true;

    /// <summary>
    /// The current tenant's reference data of this context (<see cref="ReferenceDataArea"/>), kept in
    /// <see cref="ReferenceDataCache"/> until a save changes it (<see cref="IsReferenceData"/>), here and on every instance,
    /// or <see cref="DropReferenceDataAsync"/> says it changed; loaded each time where there is no cache or no tenant.
    /// </summary>
    protected ValueTask<T> KeptReferenceDataAsync<T>(Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
        where T : class =>
        ReferenceDataArea is { } area && tenant.TenantId is { } tenantId && Cache is { } cache
            ? cache.GetOrLoadAsync(area, tenantId, load, cancellationToken)
            : new ValueTask<T>(load(cancellationToken));

    /// <summary>
    /// The current tenant's reference data changed other than by a save (a statement, or the database's own foreign keys
    /// clearing a column): dropped as a save drops it, here at once and, through the NOTIFY (delivered when the change
    /// commits: now, unless the caller holds a transaction), on every instance.
    /// </summary>
    public async Task DropReferenceDataAsync()
    {
        if (ReferenceDataArea is not { } area || tenant.TenantId is not { } tenantId)
        {
            return;
        }

        Cache?.Invalidate(area, tenantId);
        await Database.AnnounceChangeAsync(area, tenantId); // as in SaveChangesAsync
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var published = GuardTenantRows();
        var changesReferenceData = ChangesReferenceData();
        var written = base.SaveChanges(acceptAllChangesOnSuccess);
        NudgeRelay(published);
        if (changesReferenceData is { } area)
        {
            Cache?.Invalidate(area, tenant.TenantId!.Value);
            Database.AnnounceChange(area, tenant.TenantId!.Value);
        }

        return written;
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var published = GuardTenantRows();
        var changesReferenceData = ChangesReferenceData();
        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        NudgeRelay(published);
        if (changesReferenceData is { } area)
        {
            // Here for this instance's next read; the notification (delivered when the change commits, which is now
            // unless the caller holds a transaction) for every instance, this one included.
            Cache?.Invalidate(area, tenant.TenantId!.Value);
            // Not the request's token: without a caller's transaction the change has committed, and a client gone now
            // must not turn it into an error (or leave other instances unnotified).
            await Database.AnnounceChangeAsync(area, tenant.TenantId!.Value);
        }

        return written;
    }

    /// <summary>
    /// Something the tenant's worked-out values (<see cref="ReferenceDataCache.GetOrWorkOutAsync{T}"/>: whether it has a
    /// free time to book) are worked out from changed, but not its reference data (time freed in a diary): drops them
    /// here at once and, through a NOTIFY delivered when the change commits (now, unless the caller holds a
    /// transaction), on every instance. Its services and roster stay cached.
    /// </summary>
    public async Task DropWorkedOutValuesAsync()
    {
        if (tenant.TenantId is not { } tenantId)
        {
            return;
        }

        Cache?.InvalidateWorkedOut(tenantId);
        await Database.AnnounceChangeAsync(ReferenceDataCache.WorkedOutArea, tenantId);
    }

    /// <summary>
    /// The same, for a synchronous save.
    /// </summary>
    protected void DropWorkedOutValues()
    {
        if (tenant.TenantId is not { } tenantId)
        {
            return;
        }

        Cache?.InvalidateWorkedOut(tenantId);
        Database.AnnounceChange(ReferenceDataCache.WorkedOutArea, tenantId);
    }

    /// <summary>
    /// A diary's time was just taken (saved): a kept worked-out value that rests on a free time there is dropped on this
    /// instance (<see cref="ReferenceDataCache.TimeTaken"/>; memory only, no statement).
    /// </summary>
    protected void TimeTaken(Guid diaryId, DateTimeOffset from, DateTimeOffset until)
    {
        if (tenant.TenantId is { } tenantId)
        {
            Cache?.TimeTaken(tenantId, diaryId, from, until);
        }
    }

    private ReferenceDataCache? Cache =>
        this.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService(typeof(ReferenceDataCache)) as ReferenceDataCache;

    private string? ChangesReferenceData() =>
        ReferenceDataArea is { } area && tenant.TenantId is not null && ChangeTracker.Entries().Any(e =>
            e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && e.Entity is not OutboxMessage and not ProcessedEvent
            && IsReferenceData(e.Entity))
            ? area
            : null;

    /// <summary>Wakes this instance's relay so a committed event leaves at once instead of at the next poll.</summary>
    private void NudgeRelay(bool published)
    {
        if (!published)
        {
            return;
        }

        var services = this.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider;
        (services?.GetService(typeof(OutboxSignal)) as OutboxSignal)?.Nudge(GetType());
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

/// <summary>The tenant of a context nobody has bound: none.</summary>
internal sealed class NoTenant : ITenantContext
{
    public static readonly NoTenant Instance = new();

    public TenantInfo? Current => null;

    public void Set(TenantInfo tenant) => throw new InvalidOperationException("This context has no unit of work's tenant to set.");
}

/// <summary>
/// A connection's app.tenant_id as last set: a tenant, or none (the empty setting). <paramref name="Transaction"/>: the
/// EF transaction (its <c>TransactionId</c>) the setting was made in while that transaction has not been seen to
/// commit; a rollback, also one EF does not report, undoes it, so it holds only inside that same transaction.
/// </summary>
internal readonly record struct TenantSetting(Guid? TenantId, Guid? Transaction = null);
