using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Postgres;

namespace Booking.Host.Infrastructure;

/// <summary>
/// Where the database comes from: ConnectionStrings:Booking (app role) and :BookingOwner (migrations) when
/// configured; otherwise, in Development only, an embedded PostgreSQL in .data/postgres started from the
/// machine's binaries, so `dotnet run` needs no setup.
/// </summary>
public static class DatabaseSetup
{
    public const string DevPassword = "booking-dev";

    public static async Task<DatabaseOptions> ResolveAsync(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var app = configuration.GetConnectionString("Booking");
        var appRole = configuration["Database:AppRole"] ?? "booking_app";
        if (!string.IsNullOrWhiteSpace(app))
        {
            return new DatabaseOptions
            {
                AppConnectionString = WithAutoPrepare(app),
                OwnerConnectionString = configuration.GetConnectionString("BookingOwner"),
                AppRole = appRole,
            };
        }

        if (!builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException("ConnectionStrings:Booking is not configured. Outside Development the database must be configured.");
        }

        var dataDir = Path.Combine(RepositoryRoot(builder.Environment.ContentRootPath), ".data", "postgres");
        var server = await LocalPostgres.StartAsync(dataDir, deleteOnDispose: false, CancellationToken.None);
        var provisioned = await DatabaseProvisioner.ProvisionAsync(
            server.AdminConnectionString, "booking", "booking_owner", appRole, DevPassword, CancellationToken.None);
        Console.WriteLine($"Embedded PostgreSQL: 127.0.0.1:{server.Port}, data in {server.DataDir}");
        return new DatabaseOptions
        {
            AppConnectionString = WithAutoPrepare(provisioned.AppConnectionString),
            OwnerConnectionString = provisioned.OwnerConnectionString,
            AppRole = appRole,
        };
    }

    /// <summary>
    /// The app sends the same few dozen statements all day (EF's queries are stable SQL with parameters), so Npgsql
    /// prepares a statement on its second use on a connection and PostgreSQL skips parsing and planning it after
    /// that. Left as configured when the connection string sets Max Auto Prepare itself (0 turns it off).
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        // The keys as written (NpgsqlConnectionStringBuilder answers "known keyword", not "set"), spaces ignored.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (written.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            return connectionString;
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        builder.MaxAutoPrepare = 64;
        builder.AutoPrepareMinUsages = 2;
        return builder.ConnectionString;
    }

    /// <summary>The folder holding Booking.sln (so .data/ sits at the repository root), else the content root.</summary>
    internal static string RepositoryRoot(string contentRoot)
    {
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Booking.sln")))
            {
                return dir.FullName;
            }
        }

        return contentRoot;
    }
}
