using System.Diagnostics;
using Booking.BuildingBlocks.Postgres;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// Each test run clears the throwaway clusters that earlier runs left behind (a test host can be ended before its
/// exit handler stops or deletes its own), but never one whose server's owner still runs, nor one that may be being
/// created.
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

    [Fact]
    public void A_server_that_outlived_the_process_that_started_it_is_shut_down_and_its_cluster_deleted()
    {
        // A test host killed before its exit handler ran left its server running (seen after a CI run). A sleeping
        // process stands in for that server; the owner file names a process that is gone.
        using var orphan = StandIn();
        using var owned = StandIn();
        try
        {
            var me = Process.GetCurrentProcess();
            var orphaned = Cluster("orphaned", age: TimeSpan.FromHours(2), pid: orphan.Id, owner: $"{int.MaxValue} 1");
            var reused = Cluster("reused-pid", age: TimeSpan.FromHours(2), pid: orphan.Id, owner: $"{me.Id} 1"); // the id lives on, started at another time
            var mine = Cluster("mine", age: TimeSpan.FromHours(2), pid: owned.Id, owner: $"{me.Id} {me.StartTime.ToUniversalTime().Ticks}");
            var unowned = Cluster("unowned", age: TimeSpan.FromHours(2), pid: owned.Id);
            // Another test run's cluster: its owner (alive) wrote its own start time, which that process measured a few
            // milliseconds off this one's reading (each works it out from the boot time it measures itself).
            using var otherRun = StandIn();
            var otherStart = otherRun.StartTime.ToUniversalTime().Ticks + (3 * TimeSpan.TicksPerMillisecond);
            var others = Cluster("other-run", age: TimeSpan.FromHours(2), pid: owned.Id, owner: $"{otherRun.Id} {otherStart}");

            var deleted = LocalPostgres.DeleteAbandoned(parent, TimeSpan.FromMinutes(10));
            otherRun.Kill();

            Assert.Equal(2, deleted);
            Assert.True(Directory.Exists(others), "another live run's cluster was taken for abandoned");

            Assert.True(orphan.HasExited, "the orphaned server was not shut down");
            Assert.False(Directory.Exists(orphaned));
            Assert.False(Directory.Exists(reused));
            Assert.False(owned.HasExited);
            Assert.True(Directory.Exists(mine));
            Assert.True(Directory.Exists(unowned));
        }
        finally
        {
            foreach (var process in new[] { orphan, owned }.Where(p => !p.HasExited))
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task When_the_process_that_started_a_server_is_killed_a_watchdog_shuts_the_server_down_and_deletes_its_folder()
    {
        // vstest gives a test host 100 ms to exit before it kills it, so its exit handler does not always get to stop
        // its server (seen again after decision 59). A stand-in owner is killed outright; the watchdog acts for it.
        var dir = Path.Combine(parent, "watched");
        Directory.CreateDirectory(dir);
        using var owner = StandIn();
        using var server = StandIn(dir);
        LocalPostgres.Watch(owner.Id, server.Id, dir);

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(server.HasExited, "the watchdog stopped a server whose owner still runs");
        Assert.True(Directory.Exists(dir));

        owner.Kill();
        await Eventually.ReturnsAsync(() => Task.FromResult(server.HasExited && !Directory.Exists(dir)), done => done,
            TimeSpan.FromSeconds(20), "the server shut down and its folder deleted");
    }

    [Fact]
    public async Task The_watchdog_does_not_signal_a_process_that_is_not_the_clusters_server()
    {
        // After a normal exit (the server stopped by the exit handler) the server's id may belong to another process.
        var dir = Path.Combine(parent, "elsewhere");
        Directory.CreateDirectory(dir);
        using var owner = StandIn();
        using var stranger = StandIn();
        LocalPostgres.Watch(owner.Id, stranger.Id, dir);

        owner.Kill();
        await Eventually.ReturnsAsync(() => Task.FromResult(!Directory.Exists(dir)), gone => gone, TimeSpan.FromSeconds(20), "the folder deleted");
        Assert.False(stranger.HasExited, "the watchdog signalled a process that was not the cluster's server");
        stranger.Kill();
    }

    /// <summary>
    /// A process that ends on SIGQUIT as PostgreSQL does, whatever it inherited: a job started in the background of a
    /// non-interactive shell (as CI may run the tests) inherits SIGQUIT ignored, which `sleep` would keep. Started
    /// with <paramref name="dataDir"/>, its command line names the folder, as a server's does.
    /// </summary>
    private static Process StandIn(string? dataDir = null)
    {
        var process = Process.Start(new ProcessStartInfo("python3", ["-c", "import signal, sys, time; signal.signal(signal.SIGQUIT, lambda *_: sys.exit(0)); print('ready', flush=True); time.sleep(600)", .. (dataDir is null ? Array.Empty<string>() : ["-D", dataDir])])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        })!;
        Assert.Equal("ready", process.StandardOutput.ReadLine()); // its handler is in place
        return process;
    }

    private string Cluster(string name, TimeSpan age, int? pid, string? owner = null)
    {
        var dir = Path.Combine(parent, name);
        Directory.CreateDirectory(Path.Combine(dir, "base"));
        File.WriteAllText(Path.Combine(dir, "PG_VERSION"), "15\n");
        if (pid is { } p)
        {
            File.WriteAllLines(Path.Combine(dir, "postmaster.pid"), [p.ToString(System.Globalization.CultureInfo.InvariantCulture), dir, "1796180000", "54321"]);
        }

        if (owner is not null)
        {
            File.WriteAllText(Path.Combine(dir, "booking-owner"), owner);
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
