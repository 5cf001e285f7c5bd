using System.Diagnostics;
using System.Text.Json;
using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

// Scheduling benchmark, database and slot-maths part (see docs/benchmarks-scheduling.md for what is not covered yet).
// A throwaway PostgreSQL (BOOKING_BENCH_DB = a superuser connection string, else a local cluster from the machine's
// binaries), the Appointments schema from its migrations, ≥ 2 million appointments loaded with COPY.
var started = Stopwatch.StartNew();
var zone = DateTimeZoneProviders.Tzdb["Australia/Sydney"];
const int Tenants = 1000, BigDiaries = 20, Days = 90;
var admin = Environment.GetEnvironmentVariable("BOOKING_BENCH_DB");
LocalPostgres? local = null;
if (string.IsNullOrWhiteSpace(admin))
{
    local = await LocalPostgres.StartAsync(Path.Combine(Path.GetTempPath(), "booking-bench", Guid.NewGuid().ToString("N")[..8]), deleteOnDispose: true, CancellationToken.None);
    admin = local.AdminConnectionString;
}

try
{
    var db = await DatabaseProvisioner.ProvisionAsync(admin, $"booking_bench_{Environment.ProcessId}", "bench_owner", "bench_app", "bench-password", CancellationToken.None);
    var superuser = new NpgsqlConnectionStringBuilder(admin) { Database = db.Database, Pooling = true, MaxPoolSize = 40 }.ConnectionString;
    await using (var ctx = ModuleDb.Create<AppointmentsDbContext>(new ServiceCollection().BuildServiceProvider(), db.OwnerConnectionString))
    {
        await ctx.Database.MigrateAsync();
    }

    // Data set: tenant 0 is the large one (20 diaries, 9–17 weekdays, 60-min appointments on ~50% of the hours,
    // 90 days); 999 more tenants with 6 diaries each fill the table to ≥ 2 million rows.
    var today = SystemClock.Instance.GetCurrentInstant().InZone(zone).Date;
    var big = Guid.CreateVersion7();
    var bigDiaries = Enumerable.Range(0, BigDiaries).Select(_ => Guid.CreateVersion7()).ToArray();
    var rng = new Random(42);
    long rows = 0;
    var load = Stopwatch.StartNew();
    await using (var connection = new NpgsqlConnection(superuser))
    {
        await connection.OpenAsync();
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY appointments.appointments (tenant_id, id, client_id, diary_id, service_id, start_at, end_at, blocked_until, status, source, created_at, updated_at) FROM STDIN (FORMAT BINARY)");
        var now = DateTime.UtcNow;
        void Row(Guid tenant, Guid diary, Instant start)
        {
            copy.StartRow();
            copy.Write(tenant, NpgsqlDbType.Uuid);
            copy.Write(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
            copy.Write(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
            copy.Write(diary, NpgsqlDbType.Uuid);
            copy.Write(Guid.Empty, NpgsqlDbType.Uuid);
            copy.Write(start.ToDateTimeUtc(), NpgsqlDbType.TimestampTz);
            copy.Write((start + Duration.FromHours(1)).ToDateTimeUtc(), NpgsqlDbType.TimestampTz);
            copy.Write((start + Duration.FromHours(1)).ToDateTimeUtc(), NpgsqlDbType.TimestampTz);
            copy.Write("confirmed", NpgsqlDbType.Varchar);
            copy.Write("portal", NpgsqlDbType.Varchar);
            copy.Write(now, NpgsqlDbType.TimestampTz);
            copy.Write(now, NpgsqlDbType.TimestampTz);
            rows++;
        }

        for (var t = 0; t < Tenants; t++)
        {
            var tenant = t == 0 ? big : Guid.CreateVersion7();
            var diaries = t == 0 ? bigDiaries : Enumerable.Range(0, 6).Select(_ => Guid.CreateVersion7()).ToArray();
            foreach (var diary in diaries)
            {
                for (var d = 0; d < Days; d++)
                {
                    var date = today.PlusDays(d);
                    if (date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday && t == 0)
                    {
                        continue;
                    }

                    for (var hour = 9; hour < 17; hour++)
                    {
                        if (rng.Next(2) == 0)
                        {
                            Row(tenant, diary, date.At(new LocalTime(hour, 0)).InZoneLeniently(zone).ToInstant());
                        }
                    }
                }
            }
        }

        await copy.CompleteAsync();
    }

    load.Stop();
    await ExecAsync(superuser, "ANALYZE appointments.appointments");
    Console.WriteLine($"loaded {rows:N0} appointments with COPY in {load.Elapsed.TotalSeconds:F1} s");

    // (a) availability core for the large tenant: one 60-min service, any of 20 diaries, 14 days.
    var from = today.PlusDays(1);
    var to = from.PlusDays(13);
    var rangeStart = from.AtStartOfDayInZone(zone).ToInstant();
    var rangeEnd = to.PlusDays(1).AtStartOfDayInZone(zone).ToInstant();
    var days = new List<DiaryDay>();
    foreach (var diary in bigDiaries)
    {
        for (var d = from; d <= to; d = d.PlusDays(1))
        {
            if (d.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday))
            {
                days.Add(new DiaryDay(diary, d, [new OnlineBlock(new LocalTime(9, 0), new LocalTime(17, 0))]));
            }
        }
    }

    var rules = new SlotRules(zone, SystemClock.Instance.GetCurrentInstant(), 30, 0, 60, Duration.FromHours(1), Duration.Zero);
    const string RangeSql = """
        SELECT diary_id, start_at, blocked_until FROM appointments.appointments
        WHERE tenant_id = @t AND diary_id = ANY(@d) AND start_at >= @lo AND start_at < @end AND blocked_until > @start
          AND status NOT IN ('cancelled', 'declined')
        """;
    await using var conn = new NpgsqlConnection(superuser);
    await conn.OpenAsync();
    async Task<List<BusyTime>> QueryAsync()
    {
        await using var cmd = new NpgsqlCommand(RangeSql, conn);
        cmd.Parameters.AddWithValue("t", big);
        cmd.Parameters.AddWithValue("d", bigDiaries);
        cmd.Parameters.AddWithValue("lo", (rangeStart - Duration.FromDays(2)).ToDateTimeUtc());
        cmd.Parameters.AddWithValue("end", rangeEnd.ToDateTimeUtc());
        cmd.Parameters.AddWithValue("start", rangeStart.ToDateTimeUtc());
        var busy = new List<BusyTime>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            busy.Add(new BusyTime(reader.GetGuid(0), Instant.FromDateTimeUtc(reader.GetDateTime(1)), Instant.FromDateTimeUtc(reader.GetDateTime(2))));
        }

        return busy;
    }

    var raw = new List<double>();
    var full = new List<double>();
    var slotCount = 0;
    for (var i = 0; i < 220; i++)
    {
        var sw = Stopwatch.StartNew();
        var busy = await QueryAsync();
        var rawMs = sw.Elapsed.TotalMilliseconds;
        var slots = SlotMaths.Free(rules, days, busy);
        var fullMs = sw.Elapsed.TotalMilliseconds;
        slotCount = slots.Count;
        if (i >= 20)
        {
            raw.Add(rawMs);
            full.Add(fullMs);
        }
    }

    double P(List<double> xs, double q) => xs.Order().ElementAt((int)Math.Min(xs.Count - 1, Math.Floor(q * xs.Count)));
    Console.WriteLine($"(a) availability core, 14 days × 20 diaries: raw range query p50 {P(raw, .5):F2} ms p99 {P(raw, .99):F2} ms; query + slot maths p50 {P(full, .5):F2} ms p99 {P(full, .99):F2} ms; ratio p50 {P(full, .5) / P(raw, .5):F2}; {slotCount} slots");

    // (b) raw INSERT throughput, 16 concurrent connections, against the exclusion constraint (fresh diaries: no conflicts).
    var insertDiaries = Enumerable.Range(0, 16).Select(_ => Guid.CreateVersion7()).ToArray();
    var inserted = 0;
    var window = TimeSpan.FromSeconds(10);
    var sw2 = Stopwatch.StartNew();
    await Task.WhenAll(insertDiaries.Select(async diary =>
    {
        await using var c = new NpgsqlConnection(superuser);
        await c.OpenAsync();
        var start = today.PlusDays(200).AtStartOfDayInZone(zone).ToInstant();
        while (sw2.Elapsed < window)
        {
            await InsertAsync(c, big, diary, start);
            start += Duration.FromHours(1);
            Interlocked.Increment(ref inserted);
        }
    }));
    var rawPerSecond = inserted / sw2.Elapsed.TotalSeconds;
    Console.WriteLine($"(b) raw INSERTs, 16 connections: {rawPerSecond:F0}/s ({inserted} in {sw2.Elapsed.TotalSeconds:F1} s)");

    // (c) 50 concurrent inserts of one slot: exactly one succeeds, the rest are 23P01.
    var raceDiary = Guid.CreateVersion7();
    var raceStart = today.PlusDays(300).At(new LocalTime(10, 0)).InZoneLeniently(zone).ToInstant();
    var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
    {
        await using var c = new NpgsqlConnection(superuser);
        await c.OpenAsync();
        try
        {
            await InsertAsync(c, big, raceDiary, raceStart);
            return "ok";
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
    }));
    var winners = outcomes.Count(o => o == "ok");
    var conflicts = outcomes.Count(o => o == PostgresErrorCodes.ExclusionViolation);
    Console.WriteLine($"(c) 50 concurrent inserts of one slot: {winners} succeeded, {conflicts} refused by the constraint");

    var result = new
    {
        machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString() },
        appointments = rows,
        loadSeconds = load.Elapsed.TotalSeconds,
        availability = new { rawP50Ms = P(raw, .5), rawP99Ms = P(raw, .99), coreP50Ms = P(full, .5), coreP99Ms = P(full, .99), ratioP50 = P(full, .5) / P(raw, .5), slots = slotCount },
        rawInsertsPerSecond = rawPerSecond,
        race = new { winners, conflicts },
        totalSeconds = started.Elapsed.TotalSeconds,
    };
    var dir = Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "bench");
    Directory.CreateDirectory(dir);
    await File.WriteAllTextAsync(Path.Combine(dir, "scheduling.json"), JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"total {started.Elapsed.TotalSeconds:F0} s; wrote artifacts/bench/scheduling.json");
    return winners == 1 ? 0 : 1;
}
finally
{
    if (local is not null)
    {
        await local.DisposeAsync();
    }
}

static async Task ExecAsync(string cs, string sql)
{
    await using var c = new NpgsqlConnection(cs);
    await c.OpenAsync();
    await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 600 };
    await cmd.ExecuteNonQueryAsync();
}

static async Task InsertAsync(NpgsqlConnection c, Guid tenant, Guid diary, Instant start)
{
    await using var cmd = new NpgsqlCommand("""
        INSERT INTO appointments.appointments (tenant_id, id, client_id, diary_id, service_id, start_at, end_at, blocked_until, status, source, created_at, updated_at)
        VALUES (@t, @id, @c, @d, @s, @start, @end, @end, 'confirmed', 'portal', now(), now())
        """, c);
    cmd.Parameters.AddWithValue("t", tenant);
    cmd.Parameters.AddWithValue("id", Guid.CreateVersion7());
    cmd.Parameters.AddWithValue("c", Guid.CreateVersion7());
    cmd.Parameters.AddWithValue("d", diary);
    cmd.Parameters.AddWithValue("s", Guid.Empty);
    cmd.Parameters.AddWithValue("start", start.ToDateTimeUtc());
    cmd.Parameters.AddWithValue("end", (start + Duration.FromHours(1)).ToDateTimeUtc());
    await cmd.ExecuteNonQueryAsync();
}
