using Booking.BuildingBlocks.Postgres;
using Microsoft.AspNetCore.Hosting;

namespace Booking.Bench;

/// <summary>What every benchmark's figures are computed with, so a p99 means the same in every report.</summary>
internal static class Percentiles
{
    /// <summary>Nearest rank: the smallest value with at least <paramref name="p"/> of all values at or below it; NaN for none.</summary>
    public static double Of(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>How the benchmarks host the whole app in their own process.</summary>
internal static class BenchHost
{
    /// <summary>
    /// The app against the benchmark's throwaway database (migrated by the app on start), logging only warnings. Development
    /// (the default) allows plain-HTTP cookies on loopback; the demo seed stays off.
    /// </summary>
    public static IWebHostBuilder UseBenchDatabase(this IWebHostBuilder builder, ProvisionedDatabase database, string environment = "Development")
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("ConnectionStrings:Booking", database.AppConnectionString);
        builder.UseSetting("ConnectionStrings:BookingOwner", database.OwnerConnectionString);
        builder.UseSetting("Database:AppRole", database.AppRole);
        builder.UseSetting("Database:MigrateOnStart", "true");
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        // Every bench client comes from this one loopback address: the per-address caps on business sign-up and
        // client registration (decision 182) would stop a bench's setup, not an attacker.
        builder.UseSetting("Tenancy:SignUpsPerAddressPerHour", "1000000");
        builder.UseSetting("PortalAuth:RegistrationsPerIpPerHour", "1000000");
        builder.UseSetting("PortalAuth:PlatformRegistrationsPerIpPerHour", "1000000");
        return builder;
    }
}
