using Booking.BuildingBlocks.Postgres;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// Each test run clears the throwaway clusters that earlier runs left behind (a test host can be ended before its
/// exit handler deletes its own), but never one a server still runs in, nor one that may be being created.
/// </summary>
public sealed class LocalPostgresSweepTests : IDisposable
{
    private readonly string parent = Path.Combine(Path.GetTempPath(), "booking-sweep-test-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void Old_clusters_with_no_server_are_deleted_and_running_or_young_ones_are_kept()
    {
        var abandoned = Cluster("abandoned", age: TimeSpan.FromHours(2), pid: null);
        var stalePid = Cluster("stale-pid", age: TimeSpan.FromHours(2), pid: int.MaxValue); // no such process
        var running = Cluster("running", age: TimeSpan.FromHours(2), pid: Environment.ProcessId);
        var young = Cluster("young", age: TimeSpan.FromMinutes(1), pid: null);

        Assert.Equal(2, LocalPostgres.DeleteAbandoned(parent, TimeSpan.FromMinutes(10)));

        Assert.False(Directory.Exists(abandoned));
        Assert.False(Directory.Exists(stalePid));
        Assert.True(Directory.Exists(running));
        Assert.True(Directory.Exists(young));
        Assert.Equal(0, LocalPostgres.DeleteAbandoned(Path.Combine(parent, "missing"), TimeSpan.Zero));
    }

    private string Cluster(string name, TimeSpan age, int? pid)
    {
        var dir = Path.Combine(parent, name);
        Directory.CreateDirectory(Path.Combine(dir, "base"));
        File.WriteAllText(Path.Combine(dir, "PG_VERSION"), "15\n");
        if (pid is { } p)
        {
            File.WriteAllLines(Path.Combine(dir, "postmaster.pid"), [p.ToString(System.Globalization.CultureInfo.InvariantCulture), dir, "1796180000", "54321"]);
        }

        Directory.SetLastWriteTimeUtc(dir, DateTime.UtcNow - age);
        return dir;
    }

    public void Dispose()
    {
        if (Directory.Exists(parent))
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
