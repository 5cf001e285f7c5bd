using Booking.BuildingBlocks.Outbox;
using Booking.BuildingBlocks.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Booking.BuildingBlocks.Data;

/// <summary>A module's DbContext as the migrator sees it: a way to build one against any connection string.</summary>
public interface IModuleDatabase
{
    Type ContextType { get; }

    DbContext Create(IServiceProvider services, string connectionString);
}

public sealed class ModuleDatabase<TContext> : IModuleDatabase
    where TContext : DbContext
{
    public Type ContextType => typeof(TContext);

    public DbContext Create(IServiceProvider services, string connectionString) => ModuleDb.Create<TContext>(services, connectionString);
}

public static class ModuleDb
{
    public const string HistoryTable = "__ef_migrations_history";

    public static DbContextOptions<TContext> Options<TContext>(string connectionString)
        where TContext : DbContext
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        Configure(builder, connectionString, SchemaOf<TContext>());
        return builder.Options;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, string connectionString, string schema)
    {
        builder.UseNpgsql(connectionString, npgsql =>
            {
                npgsql.MigrationsHistoryTable(HistoryTable, schema);
                npgsql.UseNodaTime();
            })
            .UseSnakeCaseNamingConvention();
        return builder;
    }

    /// <summary>A context outside a request: tenant-aware ones get an empty tenant (they see no tenant's rows).</summary>
    public static TContext Create<TContext>(IServiceProvider services, string connectionString)
        where TContext : DbContext
    {
        var context = ActivatorUtilities.CreateInstance<TContext>(services, Options<TContext>(connectionString));
        (context as TenantDbContext)?.UseTenant(new TenantContext());
        return context;
    }

    /// <summary>A module context declares its schema as a public const SchemaName.</summary>
    public static string SchemaOf<TContext>() =>
        typeof(TContext).GetField("SchemaName")?.GetRawConstantValue() as string
        ?? throw new InvalidOperationException($"{typeof(TContext).Name} must declare public const string SchemaName.");

    /// <summary>Registers a module's DbContext (tenant-aware connections), its outbox relay and its migrations.</summary>
    public static IServiceCollection AddModuleDatabase<TContext>(this IServiceCollection services, Action<DbContextOptionsBuilder>? configure = null)
        where TContext : TenantDbContext
    {
        services.AddPlainDatabase<TContext>(configure);
        services.AddSingleton<OutboxRelay<TContext>>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay<TContext>>());
        return services;
    }

    /// <summary>
    /// Registers a context and its migrations; for TenantDbContexts use <see cref="AddModuleDatabase{TContext}"/>.
    /// Contexts are pooled: a request rents one per module and returns it when its scope ends, so EF's per-context
    /// set-up (options, internal services, translators) is paid once per pooled instance, not once per request. The
    /// scoped registration binds a rented tenant-aware context to the scope's tenant.
    /// </summary>
    public static IServiceCollection AddPlainDatabase<TContext>(this IServiceCollection services, Action<DbContextOptionsBuilder>? configure = null)
        where TContext : DbContext
    {
        var schema = SchemaOf<TContext>();
        var tenantAware = typeof(TenantDbContext).IsAssignableFrom(typeof(TContext));
        services.AddPooledDbContextFactory<TContext>((sp, options) =>
        {
            var db = sp.GetRequiredService<DatabaseOptions>();
            Configure(options, tenantAware ? TenantConnectionInterceptor.PoolFor(db.AppConnectionString) : db.AppConnectionString, schema);
            if (tenantAware)
            {
                options.AddInterceptors(TenantConnectionInterceptor.Instance);
            }

            configure?.Invoke(options);
        }, poolSize: PoolSize);
        services.AddScoped(sp =>
        {
            var context = sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext();
            if (context is TenantDbContext tenantContext)
            {
                tenantContext.UseTenant(sp.GetRequiredService<ITenantContext>());
            }

            return context;
        });
        services.AddSingleton<IModuleDatabase, ModuleDatabase<TContext>>();
        return services;
    }

    /// <summary>Contexts kept per module; more than the connection pool's size buys nothing.</summary>
    public const int PoolSize = 128;
}

/// <summary>For `dotnet ef migrations add`: builds the context without a running app or a tenant.</summary>
public abstract class ModuleDesignTimeFactory<TContext> : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args) =>
        ModuleDb.Create<TContext>(new ServiceCollection().BuildServiceProvider(), "Host=localhost;Database=design");
}

public static class PostgresErrors
{
    /// <summary>
    /// The PostgreSQL error under an exception, however it is wrapped: a failed SaveChanges is a DbUpdateException
    /// over it, and Npgsql's execution strategy wraps a transient one (deadlock, serialization failure) once more in
    /// an InvalidOperationException ("likely due to a transient failure").
    /// </summary>
    public static PostgresException? PostgresError(this Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is PostgresException pg)
            {
                return pg;
            }
        }

        return null;
    }

    public static bool IsForeignKeyViolation(this DbUpdateException ex) =>
        ex.PostgresError() is { SqlState: PostgresErrorCodes.ForeignKeyViolation };

    public static bool IsUniqueViolation(this DbUpdateException ex, string? constraint = null) =>
        ex.PostgresError() is { SqlState: PostgresErrorCodes.UniqueViolation } pg
        && (constraint is null || pg.ConstraintName == constraint);
}
