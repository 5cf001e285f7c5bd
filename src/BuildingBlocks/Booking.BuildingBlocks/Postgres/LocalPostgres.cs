using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Booking.BuildingBlocks.Postgres;

/// <summary>
/// A PostgreSQL server run from the machine's own binaries in a folder of ours, on a free loopback port, for
/// development (`.data/postgres`) and for tests (a throwaway folder). As root it runs the server as the
/// `postgres` OS user, since PostgreSQL refuses to run as root. Unix sockets are off: loopback TCP only.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    private readonly string binDir;
    private readonly bool asPostgresUser;
    private readonly bool deleteOnDispose;

    private LocalPostgres(string dataDir, string binDir, int port, bool asPostgresUser, bool deleteOnDispose)
    {
        DataDir = dataDir;
        this.binDir = binDir;
        Port = port;
        this.asPostgresUser = asPostgresUser;
        this.deleteOnDispose = deleteOnDispose;
    }

    public string DataDir { get; }

    public int Port { get; }

    /// <summary>The superuser connection (trust authentication on loopback only).</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    /// <summary>Starts (creating it first when missing) the cluster in <paramref name="dataDir"/>; reuses one already running there.</summary>
    public static async Task<LocalPostgres> StartAsync(string dataDir, bool deleteOnDispose, CancellationToken cancellationToken)
    {
        var bin = FindBinaries();
        var asPostgres = Environment.IsPrivilegedProcess;
        dataDir = Path.GetFullPath(dataDir);
        if (asPostgres && !await CanPostgresUserReachAsync(dataDir, cancellationToken))
        {
            // The folder's parents are closed to the postgres user (a checkout under /root): keep the data where it can go.
            dataDir = Path.Combine("/var/tmp/booking-postgres", Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(dataDir)))[..16]);
        }

        Directory.CreateDirectory(dataDir);
        if (asPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", dataDir], cancellationToken);
        }

        var instance = new LocalPostgres(dataDir, bin, RunningPort(dataDir) ?? FreePort(), asPostgres, deleteOnDispose);
        await instance.StartServerAsync(cancellationToken);
        if (deleteOnDispose)
        {
            // Whose throwaway cluster this is (written after initdb, which wants an empty folder): a later sweep stops
            // the server if this process ends without doing so.
            await File.WriteAllTextAsync(Path.Combine(dataDir, OwnerFile), Owner.Of(Process.GetCurrentProcess()), cancellationToken);
            if (Running(instance.DataDir) is { } server)
            {
                Watch(Environment.ProcessId, server.Pid, instance.DataDir);
            }
        }

        return instance;
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(DataDir, "PG_VERSION")))
        {
            await PgAsync("initdb", ["-D", DataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], cancellationToken);
        }

        if (RunningPort(DataDir) is null)
        {
            // max_connections: the integration tests run whole apps side by side on one cluster (each with its pools,
            // Hangfire workers and listener), and Npgsql keeps a finished app's idle connections for up to five minutes:
            // 275 at their peak in decision 64, and past 500 once more classes had an app of their own (decision 125).
            var options = $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c max_connections=1000 -c shared_buffers=256MB";
            await PgAsync("pg_ctl", ["-D", DataDir, "-o", options, "-l", Path.Combine(DataDir, "server.log"), "-w", "-t", "60", "start"], cancellationToken);
        }

        await WaitUntilReadyAsync(cancellationToken);
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!deleteOnDispose)
        {
            return; // the development server keeps running between app starts, like any local database
        }

        try
        {
            // Immediate shutdown by a signal straight to the server, not `pg_ctl stop` (two process starts and a
            // polling wait): the test host's exit handler runs this, and vstest gives a test host 100 ms to exit
            // before it kills it. A server signalled in time goes down even if the host is killed next; the folder
            // is then deleted by the next run's sweep.
            if (Running(DataDir) is { } server && !ShutDown(server.Pid))
            {
                await PgAsync("pg_ctl", ["-D", DataDir, "-m", "immediate", "-w", "stop"], CancellationToken.None);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// Deletes the throwaway clusters in <paramref name="parent"/> that nothing has written to for
    /// <paramref name="olderThan"/> (a younger one may be another process's, still being created) and that no server
    /// runs any more, or whose server outlived the process that started it (its owner file names a process that is
    /// gone): that server is shut down first (SIGQUIT, PostgreSQL's immediate shutdown, as the owner's own exit
    /// handler would have). A test host can be ended before its exit handler has stopped or deleted its cluster, so
    /// each run clears what earlier runs left. Answers how many it deleted.
    /// </summary>
    public static int DeleteAbandoned(string parent, TimeSpan olderThan)
    {
        if (!Directory.Exists(parent))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var dir in Directory.GetDirectories(parent))
        {
            try
            {
                if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(dir) < olderThan)
                {
                    continue;
                }

                if (Running(dir) is { } server)
                {
                    var owner = Path.Combine(dir, OwnerFile);
                    if (!File.Exists(owner) || Owner.IsAlive(File.ReadAllText(owner)) || !ShutDown(server.Pid))
                    {
                        continue;
                    }
                }

                Directory.Delete(dir, recursive: true);
                deleted++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // another run is deleting it too, or it is not ours to delete: leave it
            }
        }

        return deleted;
    }

    /// <summary>Stops the server (the development cluster on request).</summary>
    public Task StopAsync() => PgAsync("pg_ctl", ["-D", DataDir, "-m", "fast", "-w", "stop"], CancellationToken.None);

    private const string OwnerFile = "booking-owner";

    private static int? RunningPort(string dataDir) => Running(dataDir)?.Port;

    private static (int Pid, int Port)? Running(string dataDir)
    {
        var pidFile = Path.Combine(dataDir, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        var lines = File.ReadAllLines(pidFile);
        if (lines.Length < 4 || !int.TryParse(lines[0], out var pid) || !int.TryParse(lines[3], out var port))
        {
            return null;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : (pid, port);
        }
        catch (ArgumentException)
        {
            return null; // stale pid file: the server is not running; pg_ctl start will clean it up
        }
    }

    /// <summary>
    /// Starts a watchdog outside this process's tree (<c>setsid -f</c>, so a test runner that kills the test host's
    /// whole tree leaves it alone) that waits for <paramref name="ownerPid"/> to end, then shuts the server down
    /// (SIGQUIT, only if that pid is still a server of <paramref name="dataDir"/>: after a normal dispose the id may
    /// belong to someone else by then) and deletes the folder. The exit handler does the same at once when it gets
    /// to run; the watchdog covers a host killed before it does (decision 65), within about a second.
    /// </summary>
    internal static void Watch(int ownerPid, int serverPid, string dataDir)
    {
        var dir = dataDir.Replace("'", "'\\''", StringComparison.Ordinal);
        var script = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"""
            exec </dev/null >/dev/null 2>&1
            while kill -0 {ownerPid}; do sleep 1; done
            if grep -qaF -- '{dir}' /proc/{serverPid}/cmdline; then
              kill -QUIT {serverPid}
              while kill -0 {serverPid}; do sleep 0.2; done
            fi
            rm -rf -- '{dir}'
            """);
        try
        {
            using var starter = Process.Start(new ProcessStartInfo("setsid", ["-f", "sh", "-c", script])
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            starter?.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No setsid here: the exit handler and the next run's sweep are left to do it.
        }
    }

    /// <summary>Immediate shutdown (SIGQUIT to the postmaster); true once it has exited (within 30 s).</summary>
    private static bool ShutDown(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (Kill(pid, SigQuit) != 0)
            {
                return process.HasExited;
            }

            return process.WaitForExit(TimeSpan.FromSeconds(30));
        }
        catch (ArgumentException)
        {
            return true; // already gone
        }
    }

    private const int SigQuit = 3;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);

    /// <summary>A process named by id and start time, so a reused id is not taken for the owner.</summary>
    private static class Owner
    {
        public static string Of(Process process) =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{process.Id} {process.StartTime.ToUniversalTime().Ticks}");

        public static bool IsAlive(string text)
        {
            var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !int.TryParse(parts[0], out var pid) || !long.TryParse(parts[1], out var started))
            {
                return true; // not ours to judge: leave the cluster alone
            }

            try
            {
                using var process = Process.GetProcessById(pid);
                // Within a second, not to the tick: .NET works a process's start time out from the machine's boot time,
                // which each process measures afresh (now less time since boot), so two processes read the same
                // process's start a few milliseconds apart. Exact equality took every other test run's owner for dead
                // and shut its server down mid-run (seen in session 30). An id reused within the same second is not
                // a risk worth that.
                return !process.HasExited && Math.Abs(process.StartTime.ToUniversalTime().Ticks - started) < TimeSpan.TicksPerSecond;
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("BOOKING_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        const string root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .ToList()
            : [];
        return candidates.FirstOrDefault()
            ?? throw new InvalidOperationException("No PostgreSQL binaries found under /usr/lib/postgresql; install the postgresql package or set BOOKING_PG_BIN.");
    }

    private static async Task<bool> CanPostgresUserReachAsync(string dataDir, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(dataDir)!;
        Directory.CreateDirectory(parent);
        var (code, _) = await TryRunAsync("runuser", ["-u", "postgres", "--", "test", "-x", parent], cancellationToken);
        return code == 0;
    }

    private Task PgAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var exe = Path.Combine(binDir, tool);
        return asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", exe, .. args], cancellationToken)
            : RunAsync(exe, args, cancellationToken);
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (code, output) = await TryRunAsync(file, args, cancellationToken);
        if (code != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} failed ({code}): {output}");
        }
    }

    private static async Task<(int Code, string Output)> TryRunAsync(string file, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        // pg_ctl start leaves the server holding inherited pipes: read only until the process itself exits.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(2000, cancellationToken)) is Task<string[]> both
            ? string.Concat(both.Result)
            : "";
        return (process.ExitCode, output.Trim());
    }
}
