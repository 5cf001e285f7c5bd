using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Booking.BuildingBlocks.Data;

/// <summary>
/// The second wall: every command a tenant-aware DbContext runs does so on a connection that has told PostgreSQL
/// whose rows it may see, and the row-level-security policies compare tenant_id with it. No tenant means an empty
/// setting, which matches no row. One instance serves every (pooled) context: the tenant is the running context's.
/// <para>
/// The setting costs no round trip of its own where it can ride along: a query or a non-query statement that finds
/// the connection not yet set for the context's tenant is sent as <c>SELECT set_config(…); &lt;statement&gt;</c> in
/// one message, and the reader is moved past the set_config row before EF sees it. SaveChanges batches (EF reads
/// their per-statement row counts) and scalar commands get a separate set_config first, as every open used to.
/// What the connection was set to is remembered on the context and forgotten whenever it may have been undone:
/// the connection opens (the tenant contexts' pool does not reset a returned connection, see <see cref="PoolFor"/>,
/// so an opened connection may carry whatever its last user set), a command fails, or a transaction or savepoint
/// rolls back (a setting made inside it is rolled back with it). Forgetting only costs a set_config.
/// </para>
/// <para>
/// A setting made inside a transaction is remembered with that transaction and trusted only inside it until it is
/// seen to commit: a transaction disposed without Commit or Rollback is rolled back by Npgsql without a word to
/// <see cref="IDbTransactionInterceptor"/>, and on a connection that stays open (held, or opened by the caller) the
/// next statement would otherwise run with whatever the rollback restored, possibly the connection's previous
/// user's tenant (decision 245). A ride-along reader whose statement fails is disposed here before the error goes
/// on, so it does not stay open on a connection that stays open.
/// </para>
/// </summary>
public sealed class TenantConnectionInterceptor : DbConnectionInterceptor, IDbCommandInterceptor, IDbTransactionInterceptor
{
    public const string Setting = "app.tenant_id";

    /// <summary>The parameter the riding-along set_config binds; not a name EF generates.</summary>
    private const string Parameter = "__rls_tenant";

    private const string Prefix = $"SELECT set_config('{Setting}', @{Parameter}, false);\n";

    public static readonly TenantConnectionInterceptor Instance = new();

    public static DbCommand SetTenantCommand(DbConnection connection, Guid? tenantId)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT set_config('{Setting}', @tenant, false)";
        command.Parameters.Add(new NpgsqlParameter("tenant", Value(tenantId)));
        return command;
    }

    private static string Value(Guid? tenantId) => tenantId?.ToString() ?? "";

    /// <summary>
    /// The connection string of the pool only tenant-aware contexts (through this interceptor) use: the app's, with
    /// Npgsql's reset on return turned off and a name of its own (so it is a pool of its own, and visible as such in
    /// pg_stat_activity). The reset is seven statements prepended to the next use of every returned connection;
    /// this pool needs none of them, because the only session state its users leave is the tenant setting, and every
    /// open is forgotten here and set again with the first statement, to the context's tenant or to none. Anything
    /// else (Hangfire, raw ADO.NET, plain contexts) keeps the app's own string and its resetting pool.
    /// </summary>
    public static string PoolFor(string appConnectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(appConnectionString) { NoResetOnClose = true };
        builder.ApplicationName = (string.IsNullOrEmpty(builder.ApplicationName) ? "booking" : builder.ApplicationName) + " (tenant contexts)";
        return builder.ConnectionString;
    }

    // ---- what the connection was set to

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Forget(eventData.Context);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) => ForgetAsync(eventData.Context);

    public override void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Forget(eventData.Context);

    public override Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData) => ForgetAsync(eventData.Context);

    void IDbCommandInterceptor.CommandFailed(DbCommand command, CommandErrorEventData eventData) => Forget(eventData.Context);

    Task IDbCommandInterceptor.CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken) => ForgetAsync(eventData.Context);

    void IDbCommandInterceptor.CommandCanceled(DbCommand command, CommandEndEventData eventData) => Forget(eventData.Context);

    Task IDbCommandInterceptor.CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken) => ForgetAsync(eventData.Context);

    void IDbTransactionInterceptor.TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Settle(eventData);

    Task IDbTransactionInterceptor.TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        Settle(eventData);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    Task IDbTransactionInterceptor.TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken) => ForgetAsync(eventData.Context);

    void IDbTransactionInterceptor.TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Forget(eventData.Context);

    Task IDbTransactionInterceptor.TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken) => ForgetAsync(eventData.Context);

    void IDbTransactionInterceptor.RolledBackToSavepoint(DbTransaction transaction, TransactionEventData eventData) => Forget(eventData.Context);

    Task IDbTransactionInterceptor.RolledBackToSavepointAsync(DbTransaction transaction, TransactionEventData eventData, CancellationToken cancellationToken) => ForgetAsync(eventData.Context);

    private static Task ForgetAsync(Microsoft.EntityFrameworkCore.DbContext? context)
    {
        Forget(context);
        return Task.CompletedTask;
    }

    private static void Forget(Microsoft.EntityFrameworkCore.DbContext? context)
    {
        if (context is TenantDbContext tenantContext)
        {
            tenantContext.ConnectionTenant = null;
        }
    }

    /// <summary>A setting made in the transaction that committed now outlives it (it is the session's).</summary>
    private static void Settle(TransactionEndEventData eventData)
    {
        if (eventData.Context is TenantDbContext { ConnectionTenant: { Transaction: { } madeIn } known } context && madeIn == eventData.TransactionId)
        {
            context.ConnectionTenant = known with { Transaction = null };
        }
    }

    /// <summary>
    /// The context, when its connection is not (known to be) set for its tenant: set for another, or unknown, or set
    /// inside a transaction that is no longer the context's current one and was not seen to commit (a rollback EF does
    /// not report, by disposing it, has undone it).
    /// </summary>
    private static TenantDbContext? Unset(CommandEventData eventData) =>
        eventData.Context is TenantDbContext context && !Holds(context) ? context : null;

    private static bool Holds(TenantDbContext context) =>
        context.ConnectionTenant is { } known && known.TenantId == context.ActingTenantId
        && (known.Transaction is not { } madeIn || madeIn == context.Database.CurrentTransaction?.TransactionId);

    /// <summary>What the connection now carries: the context's tenant, made in its current transaction if any.</summary>
    private static TenantSetting Made(TenantDbContext context) =>
        new(context.ActingTenantId, context.Database.CurrentTransaction?.TransactionId);

    private static bool CanRideAlong(CommandEventData eventData) => eventData.CommandSource != CommandSource.SaveChanges;

    private static void RideAlong(DbCommand command, TenantDbContext context)
    {
        command.CommandText = Prefix + command.CommandText;
        command.Parameters.Add(new NpgsqlParameter(Parameter, Value(context.ActingTenantId)));
    }

    private static bool RodeAlong(DbCommand command) => command.CommandText.StartsWith(Prefix, StringComparison.Ordinal);

    private static void Remember(CommandEventData eventData)
    {
        if (eventData.Context is TenantDbContext context)
        {
            context.ConnectionTenant = Made(context);
        }
    }

    private static void SetNow(DbCommand command, TenantDbContext context)
    {
        using var set = SetTenantCommand(command.Connection!, context.ActingTenantId);
        set.Transaction = command.Transaction;
        set.ExecuteNonQuery();
        context.ConnectionTenant = Made(context);
    }

    private static async Task SetNowAsync(DbCommand command, TenantDbContext context, CancellationToken cancellationToken)
    {
        await using var set = SetTenantCommand(command.Connection!, context.ActingTenantId);
        set.Transaction = command.Transaction;
        await set.ExecuteNonQueryAsync(cancellationToken);
        context.ConnectionTenant = Made(context);
    }

    // ---- readers

    InterceptionResult<DbDataReader> IDbCommandInterceptor.ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        if (Unset(eventData) is { } context)
        {
            if (CanRideAlong(eventData))
            {
                RideAlong(command, context);
            }
            else
            {
                SetNow(command, context);
            }
        }

        return result;
    }

    async ValueTask<InterceptionResult<DbDataReader>> IDbCommandInterceptor.ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken)
    {
        if (Unset(eventData) is { } context)
        {
            if (CanRideAlong(eventData))
            {
                RideAlong(command, context);
            }
            else
            {
                await SetNowAsync(command, context, cancellationToken);
            }
        }

        return result;
    }

    DbDataReader IDbCommandInterceptor.ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        if (RodeAlong(command))
        {
            try
            {
                result.NextResult();
            }
            catch
            {
                // The statement behind the setting failed: EF never gets this reader to dispose, and an open reader
                // would keep a connection that stays open busy. The failed message undid the setting too.
                Forget(eventData.Context);
                result.Dispose();
                throw;
            }

            Remember(eventData);
        }

        return result;
    }

    async ValueTask<DbDataReader> IDbCommandInterceptor.ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken)
    {
        if (RodeAlong(command))
        {
            try
            {
                await result.NextResultAsync(cancellationToken);
            }
            catch
            {
                Forget(eventData.Context);
                await result.DisposeAsync();
                throw;
            }

            Remember(eventData);
        }

        return result;
    }

    // ---- non-queries (a SELECT's rows are not counted as affected, so the count stays the statement's own)

    InterceptionResult<int> IDbCommandInterceptor.NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        if (Unset(eventData) is { } context)
        {
            RideAlong(command, context);
        }

        return result;
    }

    ValueTask<InterceptionResult<int>> IDbCommandInterceptor.NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken)
    {
        if (Unset(eventData) is { } context)
        {
            RideAlong(command, context);
        }

        return ValueTask.FromResult(result);
    }

    int IDbCommandInterceptor.NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        if (RodeAlong(command))
        {
            Remember(eventData);
        }

        return result;
    }

    ValueTask<int> IDbCommandInterceptor.NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken)
    {
        if (RodeAlong(command))
        {
            Remember(eventData);
        }

        return ValueTask.FromResult(result);
    }

    // ---- scalars (the first value would be set_config's): a set_config of their own

    InterceptionResult<object> IDbCommandInterceptor.ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        if (Unset(eventData) is { } context)
        {
            SetNow(command, context);
        }

        return result;
    }

    async ValueTask<InterceptionResult<object>> IDbCommandInterceptor.ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken)
    {
        if (Unset(eventData) is { } context)
        {
            await SetNowAsync(command, context, cancellationToken);
        }

        return result;
    }
}
