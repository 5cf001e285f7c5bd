using System.Diagnostics;
using System.Globalization;

/// <summary>
/// CPU time spent so far by this process (the app and its load generator) and by PostgreSQL's processes (Linux /proc):
/// the difference of two readings says what a window of work cost the machine, a measure that does not drift with
/// the machine's speed the way requests per second do. PostgreSQL's share counts the bench's own cluster: its
/// postmaster (<see cref="CountCluster"/>) and the processes it started, plus what the postmaster has reaped (its
/// children's time): a backend that ended inside the window still counts. Another cluster on the machine (a test run's,
/// a developer's) is not counted. Against a server the bench did not start (BOOKING_BENCH_DB) every process named
/// postgres on this machine counts, as the output says.
/// </summary>
internal sealed record CpuUse(TimeSpan App, TimeSpan Postgres)
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on Linux

    public TimeSpan Total => App + Postgres;

    public static CpuUse Now()
    {
        using var self = Process.GetCurrentProcess();
        return new CpuUse(self.TotalProcessorTime, TimeSpan.FromSeconds(PostgresTicks() / TicksPerSecond));
    }

    private static int? postmaster;

    /// <summary>Counts only the cluster whose data directory this is (its <c>postmaster.pid</c>'s first line).</summary>
    public static void CountCluster(string dataDir) =>
        postmaster = int.Parse(File.ReadLines(Path.Combine(dataDir, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    /// <summary>What PostgreSQL's share counts, for the output.</summary>
    public static string PostgresCounted => postmaster is null
        ? "every postgres process on this machine (BOOKING_BENCH_DB: a server the bench did not start)"
        : "the bench's own cluster (its postmaster and children)";

    public static readonly CpuUse None = new(TimeSpan.Zero, TimeSpan.Zero);

    public static CpuUse operator -(CpuUse after, CpuUse before) => new(after.App - before.App, after.Postgres - before.Postgres);

    public static CpuUse operator +(CpuUse a, CpuUse b) => new(a.App + b.App, a.Postgres + b.Postgres);

    /// <summary>Microseconds per unit of work: app, PostgreSQL, both.</summary>
    public (double App, double Postgres, double Total) PerUnit(long units) =>
        units <= 0 ? (0, 0, 0) : (App.TotalMicroseconds / units, Postgres.TotalMicroseconds / units, Total.TotalMicroseconds / units);

    private static long PostgresTicks()
    {
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!char.IsAsciiDigit(Path.GetFileName(dir)[0]))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // ended while looked at
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // pid (comm) state ppid … : the name may hold spaces, so fields are counted after its closing parenthesis.
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open || stat[(open + 1)..close] != "postgres")
            {
                continue;
            }

            var fields = stat[(close + 2)..].Split(' ');
            // state(0) ppid(1): the postmaster itself or one of its children (backends, walwriter, autovacuum …).
            if (postmaster is { } root && int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture) != root
                && int.Parse(fields[1], CultureInfo.InvariantCulture) != root)
            {
                continue;
            }

            // After the name: state(0) … utime(11) stime(12) cutime(13) cstime(14).
            for (var i = 11; i <= 14; i++)
            {
                ticks += long.Parse(fields[i], CultureInfo.InvariantCulture);
            }
        }

        return ticks;
    }
}
