using Booking.Bench;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

// Scheduling benchmark (docs/benchmarks-scheduling.md). A throwaway PostgreSQL (BOOKING_BENCH_DB = a superuser
// connection string, else a local cluster from the machine's binaries); the whole app on a loopback Kestrel port
// (all modules migrated by it); the large tenant set up through the API, its appointments and 999 more tenants'
// (≥ 2 million rows) loaded with COPY; then the raw floor, the slot maths, and the same questions over HTTP.
// Arguments: [filler tenants, default 999] [seconds per throughput window, default 10].
var started = Stopwatch.StartNew();
var zone = DateTimeZoneProviders.Tzdb["Australia/Sydney"];
const int BigDiaries = 20, Days = 90, Clients = 16;
const int RawWarmUp = 200, RawRuns = 1000, HttpRuns = 1000;
var fillerTenants = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 999;
var window = TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10);
var tenants = fillerTenants + 1;
// Hangfire__Server=false (read by the app too) runs the bookings without their background work: nothing is waited for.
var backgroundOn = !string.Equals(Environment.GetEnvironmentVariable("Hangfire__Server"), "false", StringComparison.OrdinalIgnoreCase);
var admin = Environment.GetEnvironmentVariable("BOOKING_BENCH_DB");
LocalPostgres? local = null;
if (string.IsNullOrWhiteSpace(admin))
{
    local = await LocalPostgres.StartAsync(Path.Combine(Path.GetTempPath(), "booking-bench", Guid.NewGuid().ToString("N")[..8]), deleteOnDispose: true, CancellationToken.None);
    admin = local.AdminConnectionString;
    CpuUse.CountCluster(local.DataDir);
}

try
{
    var db = await DatabaseProvisioner.ProvisionAsync(admin, $"booking_bench_{Environment.ProcessId}", "bench_owner", "bench_app", "bench-password", CancellationToken.None);
    var superuser = new NpgsqlConnectionStringBuilder(admin) { Database = db.Database, Pooling = true, MaxPoolSize = 40 }.ConnectionString;
    // The app's content root: this folder (WebApplicationFactory would otherwise guess a solution-relative path).
    Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_BOOKING_HOST", AppContext.BaseDirectory);
    await using var app = new BenchApp(db);
    app.UseKestrel(0);
    app.StartServer();
    var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
        .Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
    HttpClient NewHttp() => new(new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer(), MaxConnectionsPerServer = 64 })
    {
        BaseAddress = new Uri(baseUrl),
        Timeout = TimeSpan.FromSeconds(120),
    };

    // The large tenant through the API: 20 diaries on a 9–17 weekday roster and one 60-min service on all of them
    // (availability); 16 diaries online every day with a service of their own (booking throughput); one race diary.
    var owner = NewHttp();
    var slug = $"bench-{Guid.NewGuid().ToString("N")[..8]}";
    var big = (await ApiAsync(owner.PostAsJsonAsync("/api/v1/tenants", new
    {
        slug, name = "Bench Clinic", timeZone = zone.Id, countryCode = "AU",
        owner = new { name = "Bench Owner", email = $"owner@{slug}.example", password = "correct horse battery staple 2026" },
    }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
    await ApiAsync(owner.PutAsJsonAsync("/api/v1/admin/booking-rules", new { slotIntervalMinutes = 30, minimumNoticeMinutes = 0, horizonDays = 730 }), HttpStatusCode.OK);
    string[] weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"];
    string[] everyDay = [.. weekdays, "saturday", "sunday"];
    async Task<Guid> DiaryAsync(string name, string[] days, string from, string until)
    {
        var id = (await ApiAsync(owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name, contactEmail = "diary@bench.example", active = true }), HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        await ApiAsync(owner.PutAsJsonAsync($"/api/v1/admin/diaries/{id}/roster",
            new { blocks = days.Select(weekday => new { weekday, start = from, end = until, bookableOnline = true }) }), HttpStatusCode.OK);
        return id;
    }

    async Task<Guid> ServiceAsync(string name, Guid[] diaryIds) =>
        (await ApiAsync(owner.PostAsJsonAsync("/api/v1/admin/services", new
        {
            name, description = "", durationMinutes = 60, bufferAfterMinutes = 0, price = new { amount = "50.00", currency = "AUD" }, bookableOnline = true, diaryIds,
        }), HttpStatusCode.Created)).GetProperty("id").GetGuid();

    var bigDiaries = new Guid[BigDiaries];
    for (var i = 0; i < BigDiaries; i++)
    {
        bigDiaries[i] = await DiaryAsync($"Practitioner {i + 1}", weekdays, "09:00", "17:00");
    }

    var availabilityService = await ServiceAsync("Consultation", bigDiaries);
    var bookingDiaries = new Guid[Clients];
    for (var i = 0; i < Clients; i++)
    {
        bookingDiaries[i] = await DiaryAsync($"Booking {i + 1}", everyDay, "00:00", "23:30");
    }

    var bookingService = await ServiceAsync("Bench booking", bookingDiaries);
    var raceDiaryApi = await DiaryAsync("Race", everyDay, "00:00", "23:30");
    var raceService = await ServiceAsync("Race", [raceDiaryApi]);
    Console.WriteLine($"app on {baseUrl}; tenant {slug} set up through the API ({started.Elapsed.TotalSeconds:F0} s)");

    // Data set: tenant 0 is the large one (20 diaries, 9–17 weekdays, 60-min appointments on ~50% of the hours,
    // 90 days); 999 more tenants with 6 diaries each fill the table to ≥ 2 million rows.
    var today = SystemClock.Instance.GetCurrentInstant().InZone(zone).Date;
    var rng = new Random(42);
    long rows = 0;
    var load = Stopwatch.StartNew();
    // The data set names no merged-away client: decision 299's per-row check (a shared merge lock and a lookup, one
    // lock per tenant held to the end of this one transaction) is switched off for the load and on again after it.
    await ExecAsync(superuser, "ALTER TABLE appointments.appointments DISABLE TRIGGER appointments_client_not_merged");
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

        for (var t = 0; t < tenants; t++)
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

    await ExecAsync(superuser, "ALTER TABLE appointments.appointments ENABLE TRIGGER appointments_client_not_merged");
    load.Stop();
    // VACUUM as well as ANALYZE: a table this size just loaded would otherwise get autovacuum's insert-triggered pass
    // about a minute later, in the middle of a measured window (seen in one run: 17 s of reads during the raw INSERTs).
    await ExecAsync(superuser, "VACUUM (ANALYZE) appointments.appointments");
    Console.WriteLine($"loaded {rows:N0} appointments with COPY in {load.Elapsed.TotalSeconds:F1} s");

    // (a) availability core for the large tenant: one 60-min service, any of 20 diaries, 14 days.
    var from = today.PlusDays(1);
    var to = from.PlusDays(13);
    var rangeStart = from.AtStartOfDayInZone(zone).ToInstant();
    var rangeEnd = to.PlusDays(1).AtStartOfDayInZone(zone).ToInstant();
    var to31 = from.PlusDays(30);
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
    for (var i = 0; i < RawWarmUp + RawRuns; i++)
    {
        var sw = Stopwatch.StartNew();
        var busy = await QueryAsync();
        var rawMs = sw.Elapsed.TotalMilliseconds;
        var slots = SlotMaths.Free(rules, days, busy);
        var fullMs = sw.Elapsed.TotalMilliseconds;
        slotCount = slots.Count;
        if (i >= RawWarmUp)
        {
            raw.Add(rawMs);
            full.Add(fullMs);
        }
    }

    double P(List<double> xs, double q) => Percentiles.Of(xs, q);
    Console.WriteLine($"(a) availability core, 14 days × 20 diaries: raw range query p50 {P(raw, .5):F2} ms p99 {P(raw, .99):F2} ms; query + slot maths p50 {P(full, .5):F2} ms p99 {P(full, .99):F2} ms; ratio p50 {P(full, .5) / P(raw, .5):F2}; {slotCount} slots");

    // The raw floor for 31 days (the longest range the API allows).
    rangeEnd = to31.PlusDays(1).AtStartOfDayInZone(zone).ToInstant();
    var raw31 = new List<double>();
    for (var i = 0; i < RawWarmUp + RawRuns; i++)
    {
        var sw = Stopwatch.StartNew();
        await QueryAsync();
        if (i >= RawWarmUp)
        {
            raw31.Add(sw.Elapsed.TotalMilliseconds);
        }
    }

    Console.WriteLine($"(a) raw range query, 31 days × 20 diaries: p50 {P(raw31, .5):F2} ms p99 {P(raw31, .99):F2} ms");

    // (a) over HTTP: GET /api/v1/portal/availability, one client after another (latency, not load).
    var browser = NewHttp();
    async Task<(List<double> Ms, int Slots)> AvailabilityAsync(LocalDate until, int runs)
    {
        var url = $"/api/v1/portal/availability?name={slug}&service={availabilityService}&diary=any&from={from:yyyy-MM-dd}&to={until:yyyy-MM-dd}";
        var times = new List<double>();
        var slots = 0;
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            using var response = await browser.GetAsync(new Uri(url, UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            var ms = sw.Elapsed.TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"availability answered {(int)response.StatusCode}: {body}");
            }

            slots = JsonDocument.Parse(body).RootElement.GetProperty("slots").GetArrayLength();
            times.Add(ms);
        }

        return (times, slots);
    }

    // Warm-up as a running server is (tiered JIT, prepared statements on every pooled connection), then measure.
    var warmUp = Stopwatch.StartNew();
    while (warmUp.Elapsed < TimeSpan.FromSeconds(15))
    {
        await AvailabilityAsync(to, 10);
        await AvailabilityAsync(to31, 10);
    }

    var (http14, slots14) = await AvailabilityAsync(to, HttpRuns);
    var (http31, slots31) = await AvailabilityAsync(to31, HttpRuns);
    Console.WriteLine($"(a) over HTTP, 14 days: p50 {P(http14, .5):F2} ms p99 {P(http14, .99):F2} ms ({slots14} slots); ratio p99 to the raw floor {P(http14, .99) / P(raw, .99):F2}");
    Console.WriteLine($"(a) over HTTP, 31 days: p50 {P(http31, .5):F2} ms p99 {P(http31, .99):F2} ms ({slots31} slots); ratio p99 to the raw floor {P(http31, .99) / P(raw31, .99):F2}, p50 {P(http31, .5) / P(raw31, .5):F2}");

    // (b) raw INSERT throughput, 16 concurrent connections, against the exclusion constraint (fresh diaries: no conflicts).
    // Measured twice, here and again right after the bookings (and their background work): on this machine the same
    // raw window gave 4,171/s and 6,865/s in back-to-back runs, so the bookings' ratio is taken against the mean of
    // the two windows around it rather than one taken minutes earlier.
    // Each window's CPU (this process and PostgreSQL) per insert is kept too: a cost that does not drift with the
    // machine's speed the way inserts per second do.
    var rawCpu = CpuUse.None;
    long rawInserted = 0;
    async Task<double> RawInsertsAsync(int daysAhead)
    {
        var insertDiaries = Enumerable.Range(0, 16).Select(_ => Guid.CreateVersion7()).ToArray();
        var inserted = 0;
        var cpuBefore = CpuUse.Now();
        var sw2 = Stopwatch.StartNew();
        await Task.WhenAll(insertDiaries.Select(async diary =>
        {
            await using var c = new NpgsqlConnection(superuser);
            await c.OpenAsync();
            var start = today.PlusDays(daysAhead).AtStartOfDayInZone(zone).ToInstant();
            while (sw2.Elapsed < window)
            {
                await InsertAsync(c, big, diary, start);
                start += Duration.FromHours(1);
                Interlocked.Increment(ref inserted);
            }
        }));
        var perSecond = inserted / sw2.Elapsed.TotalSeconds;
        rawCpu += CpuUse.Now() - cpuBefore;
        rawInserted += inserted;
        Console.WriteLine($"(b) raw INSERTs, 16 connections: {perSecond:F0}/s ({inserted} in {sw2.Elapsed.TotalSeconds:F1} s)");
        return perSecond;
    }

    var rawPerSecond = await RawInsertsAsync(200);

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
    var deadlocked = outcomes.Count(o => o == PostgresErrorCodes.DeadlockDetected);
    Console.WriteLine($"(c) 50 concurrent inserts of one slot: {winners} succeeded, {conflicts} refused by the constraint"
        + (deadlocked > 0 ? $", {deadlocked} ended by PostgreSQL's deadlock check (nothing written)" : ""));

    // (b) what HTTP alone costs: a bare endpoint of its own (no app, no sign-in, no EF; a pooled connection per
    // request) that makes the same INSERT, first with nothing else, then after four primary-key reads, which makes
    // the five round trips a portal booking makes (its session, the client, busy blocks, the insert with its outbox
    // row, the commit). 16 clients for the same window. This is the ceiling any booking over HTTP stays under.
    async Task<double> BareHttpAsync(int reads)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var bare = builder.Build();
        await using var pool = NpgsqlDataSource.Create(superuser);
        bare.MapPost("/insert", async (BareInsert body) =>
        {
            await using var c = await pool.OpenConnectionAsync();
            for (var r = 0; r < reads; r++)
            {
                await using var read = new NpgsqlCommand("SELECT id FROM appointments.appointments WHERE tenant_id = @t AND id = @id", c);
                read.Parameters.AddWithValue("t", big);
                read.Parameters.AddWithValue("id", body.DiaryId);
                await read.ExecuteScalarAsync();
            }

            await InsertAsync(c, big, body.DiaryId, Instant.FromDateTimeOffset(body.Start));
            return Results.Created("/insert", new { id = body.DiaryId, body.Start });
        });
        await bare.StartAsync();
        var address = bare.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var callers = Enumerable.Range(0, Clients).Select(_ => new HttpClient { BaseAddress = new Uri(address) }).ToList();
        var done = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(callers.Select(async caller =>
        {
            var diary = Guid.CreateVersion7();
            var start = today.PlusDays(200).AtStartOfDayInZone(zone).ToDateTimeOffset();
            while (clock.Elapsed < window)
            {
                using var response = await caller.PostAsJsonAsync("/insert", new BareInsert(diary, start));
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"the bare endpoint answered {(int)response.StatusCode}");
                }

                start = start.AddHours(1);
                Interlocked.Increment(ref done);
            }
        }));
        var perSecond = done / clock.Elapsed.TotalSeconds;
        callers.ForEach(c => c.Dispose());
        await bare.StopAsync();
        return perSecond;
    }

    var bareOne = await BareHttpAsync(0);
    Console.WriteLine($"(b) bare HTTP endpoint, the INSERT alone: {bareOne:F0}/s = {bareOne / rawPerSecond:P1} of raw INSERTs");
    var bareFive = await BareHttpAsync(4);
    Console.WriteLine($"(b) bare HTTP endpoint, a booking's five round trips (four reads, the INSERT): {bareFive:F0}/s = {bareFive / rawPerSecond:P1} of raw INSERTs");

    // (b) over HTTP: 16 signed-in portal clients, each booking the next free hour of its own diary, for the same window.
    // A client may hold at most 100 upcoming appointments through the portal (decision 181: the business's
    // maxUpcomingBookingsPerClient, 1–100), so each of the 16 booking workers books through a pool of registered
    // clients, the next one once the one in hand holds 100. The pools are filled before each run of bookings, from the
    // rate of the run before, with half as much again to spare; a worker that still runs out stops the bench.
    const int PerClient = 100;
    var portalSettings = System.Text.Json.Nodes.JsonNode.Parse(await owner.GetStringAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative)))!.AsObject();
    portalSettings["maxUpcomingBookingsPerClient"] = PerClient;
    await ApiAsync(owner.PutAsJsonAsync("/api/v1/admin/portal-settings", portalSettings), HttpStatusCode.OK);
    var registered = 0;
    async Task<HttpClient> RegisterAsync()
    {
        var n = Interlocked.Increment(ref registered) - 1;
        var client = NewHttp();
        await ApiAsync(client.PostAsJsonAsync($"/api/v1/portal/auth/register?name={slug}", new
        {
            firstName = "Bench", lastName = $"Client {n}", email = $"client{n}@{slug}.example", password = "a long bench client password 2026",
            mobile = "+61412" + (100000 + n).ToString(CultureInfo.InvariantCulture),
        }), HttpStatusCode.Created);
        return client;
    }

    var clients = new List<HttpClient>();
    for (var i = 0; i < Clients; i++)
    {
        clients.Add(await RegisterAsync());
    }

    var pools = clients.Select(c => new List<HttpClient> { c }).ToArray();
    var held = new System.Collections.Concurrent.ConcurrentDictionary<HttpClient, int>();
    HttpClient? InHand(int worker) => pools[worker].FirstOrDefault(c => held.GetValueOrDefault(c) < PerClient);
    async Task FillPoolsAsync(int workers, double bookingsPerSecond, TimeSpan length)
    {
        var perWorker = (int)Math.Ceiling(bookingsPerSecond * length.TotalSeconds * 1.5 / workers);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async i =>
        {
            while (pools[i].Sum(c => PerClient - held.GetValueOrDefault(c)) < perWorker)
            {
                pools[i].Add(await RegisterAsync());
            }
        }));
    }

    async Task<(int Booked, System.Collections.Concurrent.ConcurrentDictionary<int, int> Errors, List<double> Ms, double Seconds)> BookAsync(TimeSpan length, LocalDate firstDay, int clientCount = Clients)
    {
        var booked = 0;
        var bookingErrors = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var bookingMs = new System.Collections.Concurrent.ConcurrentBag<double>();
        var sw3 = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clientCount).Select(async i =>
        {
            var day = firstDay;
            var hour = 0;
            while (sw3.Elapsed < length)
            {
                var start = day.At(new LocalTime(hour, 0)).InZoneLeniently(zone).ToDateTimeOffset();
                var client = InHand(i) ?? throw new InvalidOperationException($"Booking worker {i} ran out of clients under their limit of {PerClient}.");
                var one = Stopwatch.StartNew();
                using var response = await client.PostAsJsonAsync($"/api/v1/portal/appointments?name={slug}", new
                {
                    serviceId = bookingService, diaryId = bookingDiaries[i], start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null,
                });
                bookingMs.Add(one.Elapsed.TotalMilliseconds);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref booked);
                    held.AddOrUpdate(client, 1, (_, n) => n + 1);
                }
                else
                {
                    bookingErrors.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                }

                hour++;
                if (hour > 22)
                {
                    (day, hour) = (day.PlusDays(1), 0);
                }
            }
        }));
        return (booked, bookingErrors, bookingMs.ToList(), sw3.Elapsed.TotalSeconds);
    }

    // A booking's work is not over at its 201: the relay hands its event to Hangfire, the consumer writes the
    // client's confirmation, a delivery job sends it (here into the dev mailbox). Waits until every booking of the
    // large tenant has been through all of that; returns the seconds it took.
    async Task<double> BackgroundDoneAsync()
    {
        if (!backgroundOn)
        {
            return 0;
        }

        var waited = Stopwatch.StartNew();
        while (true)
        {
            var left = await ScalarAsync(superuser, $"""
                SELECT (SELECT count(*) FROM appointments.outbox_messages WHERE tenant_id = '{big}')
                     - (SELECT count(*) FROM notifications.processed_events WHERE tenant_id = '{big}' AND consumer = 'AppointmentBookedEmails')
                     + (SELECT count(*) FROM notifications.outbound_messages WHERE tenant_id = '{big}' AND status IN ('queued', 'retrying', 'sending'))
                """);
            if (left <= 0)
            {
                return waited.Elapsed.TotalSeconds;
            }

            if (waited.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"{left} bookings still had background work after 10 minutes.");
            }

            // Not more often: each look counts rows of three growing tables (~10 ms of PostgreSQL's CPU on the full
            // data set), CPU the background work being waited for needs.
            await Task.Delay(250);
        }
    }

    // Warm-up far ahead in the diaries (the measured run starts tomorrow) and its background work, then the
    // measured window and then its background work.
    await FillPoolsAsync(Clients, 2000, TimeSpan.FromSeconds(10));
    var (warmBooked, _, _, warmSeconds) = await BookAsync(TimeSpan.FromSeconds(10), today.PlusDays(400));
    var warmRate = warmBooked / warmSeconds;
    await BackgroundDoneAsync();
    // What a request costs before any booking work: 16 clients for the same window on an anonymous health check, an
    // anonymous portal read answered from the tenant's cached reference data, and a signed-in read (cookie, session
    // row, client row: two round trips). The booking's own work is what it costs beyond the last of these.
    var requestCpu = new Dictionary<string, (double App, double Postgres, double Total)>();
    async Task<double> RequestsAsync(string path)
    {
        var answered = 0;
        var cpuBefore = CpuUse.Now();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async client =>
        {
            while (clock.Elapsed < window)
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
                }

                Interlocked.Increment(ref answered);
            }
        }));
        var perSecond = answered / clock.Elapsed.TotalSeconds;
        requestCpu[path] = (CpuUse.Now() - cpuBefore).PerUnit(answered);
        return perSecond;
    }

    await RequestsAsync($"/api/v1/portal/me?name={slug}"); // warm-up
    var ladder = new Dictionary<string, double>
    {
        ["healthLive"] = await RequestsAsync("/health/live"),
        ["portalServices"] = await RequestsAsync($"/api/v1/portal/services?name={slug}"),
        ["portalMe"] = await RequestsAsync($"/api/v1/portal/me?name={slug}"),
    };
    Console.WriteLine($"(b) requests, 16 clients: GET /health/live {ladder["healthLive"]:F0}/s = {ladder["healthLive"] / rawPerSecond:P0}; "
        + $"GET /api/v1/portal/services (anonymous, cached) {ladder["portalServices"]:F0}/s = {ladder["portalServices"] / rawPerSecond:P0}; "
        + $"GET /api/v1/portal/me (signed in: session and client read) {ladder["portalMe"]:F0}/s = {ladder["portalMe"] / rawPerSecond:P1} of raw INSERTs");

    // One client booking one after another: what a single booking costs when nothing waits for the CPU.
    await FillPoolsAsync(1, warmRate, TimeSpan.FromSeconds(5));
    var (soloBooked, _, soloList, soloSeconds) = await BookAsync(TimeSpan.FromSeconds(5), today.PlusDays(500), clientCount: 1);
    var soloDrain = await BackgroundDoneAsync();
    Console.WriteLine($"(b) over HTTP, one client, one booking after another: {soloBooked / soloSeconds:F0} bookings/s, p50 {P(soloList, .5):F1} ms p99 {P(soloList, .99):F1} ms; "
        + $"background work done {soloDrain:F1} s after");
    Console.WriteLine($"(b) over HTTP: measuring {window.TotalSeconds:F0} s of bookings ({registered} portal clients registered so far, at most {PerClient} upcoming appointments each)");
    // Diagnostics: BENCH_STATEMENTS=<file> writes the statements of the window and its background work by calls
    // (needs BOOKING_BENCH_DB on a cluster started with shared_preload_libraries=pg_stat_statements).
    var census = Environment.GetEnvironmentVariable("BENCH_STATEMENTS") is { Length: > 0 } censusFile ? censusFile : null;
    if (census is not null)
    {
        await ExecAsync(superuser, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        await ExecAsync(superuser, "SELECT pg_stat_statements_reset()");
    }

    await FillPoolsAsync(Clients, warmRate, window);
    Console.WriteLine("(b) over HTTP: the bookings' window starts");
    var cpuBeforeBookings = CpuUse.Now();
    var (booked, bookingErrors, bookingList, bookingSeconds) = await BookAsync(window, today.PlusDays(1));
    var cpuWindow = CpuUse.Now() - cpuBeforeBookings;
    Console.WriteLine("(b) over HTTP: window over; waiting for the bookings' background work");
    var drainSeconds = await BackgroundDoneAsync();
    var cpuAllTold = CpuUse.Now() - cpuBeforeBookings;
    if (census is not null)
    {
        await WriteCensusAsync(superuser, census);
        Console.WriteLine($"(b) statements of the window and its background work by calls ({booked} bookings): {census}");
    }

    var rawAfter = await RawInsertsAsync(260);
    var rawAround = (rawPerSecond + rawAfter) / 2;
    var httpPerSecond = booked / bookingSeconds;
    var sustainedPerSecond = booked / (bookingSeconds + drainSeconds);
    Console.WriteLine($"(b) over HTTP, 16 clients: {httpPerSecond:F0} bookings/s ({booked} in {bookingSeconds:F1} s, p50 {P(bookingList, .5):F1} ms p99 {P(bookingList, .99):F1} ms); "
        + $"ratio to raw INSERTs {httpPerSecond / rawAround:P1} (mean of {rawPerSecond:F0}/s and {rawAfter:F0}/s); other answers: {string.Join(", ", bookingErrors.Select(e => $"{e.Key}×{e.Value}"))}");
    Console.WriteLine($"(b) with their background work (event relay, consumer, confirmation email sent): done {drainSeconds:F1} s after the window; "
        + $"{sustainedPerSecond:F0} bookings/s all told = {sustainedPerSecond / rawAround:P1} of raw INSERTs");

    // The same comparison in CPU time (this process, load generator included, and PostgreSQL) per unit of work.
    var rawInsertCpu = rawCpu.PerUnit(rawInserted);
    var meCpu = requestCpu[$"/api/v1/portal/me?name={slug}"];
    var bookingWindowCpu = cpuWindow.PerUnit(booked);
    var bookingAllToldCpu = cpuAllTold.PerUnit(booked);
    static object CpuJson((double App, double Postgres, double Total) c) => new { app = c.App, postgres = c.Postgres, total = c.Total };
    static string Us((double App, double Postgres, double Total) c) => $"{c.Total:F0} µs ({c.App:F0} app + {c.Postgres:F0} PostgreSQL)";
    Console.WriteLine($"(b) CPU per unit of work (this process with its load generator, and PostgreSQL): raw INSERT {Us(rawInsertCpu)}; "
        + $"signed-in GET /me {Us(meCpu)}; booking, its window {Us(bookingWindowCpu)}; booking all told {Us(bookingAllToldCpu)} = "
        + $"{bookingAllToldCpu.Total / rawInsertCpu.Total:F1} raw INSERTs ({rawInsertCpu.Total / bookingAllToldCpu.Total:P1}); the GET = {meCpu.Total / rawInsertCpu.Total:F1} raw INSERTs");
    Console.WriteLine($"    PostgreSQL's CPU counts {CpuUse.PostgresCounted}.");

    // (c) over HTTP: 50 concurrent bookings of one slot by the 16 clients: one 201, the rest 409, no 5xx.
    var raceAt = today.PlusDays(3).At(new LocalTime(10, 0)).InZoneLeniently(zone).ToDateTimeOffset();
    var raceAnswers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
    {
        using var response = await (InHand(i % Clients) ?? clients[i % Clients]).PostAsJsonAsync($"/api/v1/portal/appointments?name={slug}", new
        {
            serviceId = raceService, diaryId = raceDiaryApi, start = raceAt, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null,
        });
        return (int)response.StatusCode;
    }));
    var httpWinners = raceAnswers.Count(a => a == 201);
    var httpConflicts = raceAnswers.Count(a => a == 409);
    var http5xx = raceAnswers.Count(a => a >= 500);
    var raceRows = await ScalarAsync(superuser, $"SELECT count(*) FROM appointments.appointments WHERE tenant_id = '{big}' AND diary_id = '{raceDiaryApi}' AND status NOT IN ('cancelled', 'declined')");
    Console.WriteLine($"(c) over HTTP, 50 concurrent bookings of one slot: {httpWinners}×201, {httpConflicts}×409, {http5xx}×5xx, others {raceAnswers.Length - httpWinners - httpConflicts - http5xx}; {raceRows} row(s) in the table");
    // The race's booking has background work too (its event relayed, its email gathered for 200 ms, then sent): waited
    // for here, so the app is not stopped under it. Stopped with its email still gathered, the email queue's last
    // hand-over to Hangfire (MessageQueue.Flush at disposal) can meet storage already shut down and log
    // "Could not enqueue 1 email(s) …; the sweeper will" (the carried "bench enqueue warning").
    await BackgroundDoneAsync();

    var result = new
    {
        machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString() },
        appointments = rows,
        loadSeconds = load.Elapsed.TotalSeconds,
        availability = new { rawP50Ms = P(raw, .5), rawP99Ms = P(raw, .99), coreP50Ms = P(full, .5), coreP99Ms = P(full, .99), ratioP50 = P(full, .5) / P(raw, .5), slots = slotCount },
        availability31Raw = new { p50Ms = P(raw31, .5), p99Ms = P(raw31, .99) },
        availabilityHttp14 = new { p50Ms = P(http14, .5), p99Ms = P(http14, .99), slots = slots14, p99RatioToRaw = P(http14, .99) / P(raw, .99) },
        availabilityHttp31 = new { p50Ms = P(http31, .5), p99Ms = P(http31, .99), slots = slots31, p99RatioToRaw = P(http31, .99) / P(raw31, .99), p50RatioToRaw = P(http31, .5) / P(raw31, .5) },
        rawInsertsPerSecond = rawPerSecond,
        rawInsertsAfterBookingsPerSecond = rawAfter,
        bareHttp = new { insertOnlyPerSecond = bareOne, insertOnlyRatioToRaw = bareOne / rawPerSecond, fiveRoundTripsPerSecond = bareFive, fiveRoundTripsRatioToRaw = bareFive / rawPerSecond },
        requests = ladder.ToDictionary(r => r.Key, r => new { perSecond = r.Value, ratioToRaw = r.Value / rawPerSecond }),
        backgroundWork = backgroundOn,
        httpSoloBookings = new { perSecond = soloBooked / soloSeconds, p50Ms = P(soloList, .5), p99Ms = P(soloList, .99), backgroundDrainSeconds = soloDrain },
        httpBookings = new { perSecond = httpPerSecond, booked, ratioToRaw = httpPerSecond / rawAround, backgroundDrainSeconds = drainSeconds, sustainedPerSecond, sustainedRatioToRaw = sustainedPerSecond / rawAround, p50Ms = P(bookingList, .5), p99Ms = P(bookingList, .99), others = bookingErrors.ToDictionary(e => e.Key.ToString(CultureInfo.InvariantCulture), e => e.Value) },
        cpuMicroseconds = new
        {
            rawInsert = CpuJson(rawInsertCpu),
            portalMe = CpuJson(meCpu),
            bookingWindow = CpuJson(bookingWindowCpu),
            bookingAllTold = CpuJson(bookingAllToldCpu),
            rawInsertToBookingAllTold = rawInsertCpu.Total / bookingAllToldCpu.Total,
        },
        race = new { winners, conflicts, deadlocked },
        httpRace = new { winners = httpWinners, conflicts = httpConflicts, serverErrors = http5xx, rows = raceRows },
        windowSeconds = window.TotalSeconds,
        fillerTenants,
        totalSeconds = started.Elapsed.TotalSeconds,
    };
    var dir = Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "bench");
    Directory.CreateDirectory(dir);
    await File.WriteAllTextAsync(Path.Combine(dir, "scheduling.json"), JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"total {started.Elapsed.TotalSeconds:F0} s; wrote artifacts/bench/scheduling.json");
    return winners == 1 && httpWinners == 1 && http5xx == 0 && raceRows == 1 ? 0 : 1;
}
finally
{
    if (local is not null)
    {
        await local.DisposeAsync();
    }
}

static async Task<JsonElement> ApiAsync(Task<HttpResponseMessage> call, HttpStatusCode expected)
{
    using var response = await call;
    var body = await response.Content.ReadAsStringAsync();
    if (response.StatusCode != expected)
    {
        throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
    }

    return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
}

static async Task<long> ScalarAsync(string cs, string sql)
{
    await using var c = new NpgsqlConnection(cs);
    await c.OpenAsync();
    await using var cmd = new NpgsqlCommand(sql, c);
    return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
}

static async Task ExecAsync(string cs, string sql)
{
    await using var c = new NpgsqlConnection(cs);
    await c.OpenAsync();
    await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 600 };
    await cmd.ExecuteNonQueryAsync();
}

static async Task WriteCensusAsync(string cs, string file)
{
    await using var c = new NpgsqlConnection(cs);
    await c.OpenAsync();
    await using var cmd = new NpgsqlCommand("""
        SELECT calls, round(total_exec_time::numeric, 1), rows, left(regexp_replace(query, '\s+', ' ', 'g'), 160)
        FROM pg_stat_statements ORDER BY calls DESC
        """, c);
    await using var reader = await cmd.ExecuteReaderAsync();
    var lines = new List<string> { "calls\tms\trows\tstatement" };
    while (await reader.ReadAsync())
    {
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.GetInt64(0)}\t{reader.GetDecimal(1)}\t{reader.GetInt64(2)}\t{reader.GetString(3)}"));
    }

    await File.WriteAllLinesAsync(file, lines);
}

static async Task InsertAsync(NpgsqlConnection c, Guid tenant, Guid diary, Instant start)
{
    await using var cmd = new NpgsqlCommand("""
        INSERT INTO appointments.appointments (tenant_id, id, client_id, diary_id, service_id, start_at, end_at, blocked_until, status, source, created_at, updated_at)
        VALUES (@t, @id, @c, @d, @s, @start, @end, @end, 'confirmed', 'portal', now(), now())
        """, c)
    {
        // 50 inserts of one slot can wait on each other in a chain that PostgreSQL breaks one deadlock_timeout (1 s)
        // at a time; one run timed out at the default 30 s.
        CommandTimeout = 300,
    };
    cmd.Parameters.AddWithValue("t", tenant);
    cmd.Parameters.AddWithValue("id", Guid.CreateVersion7());
    cmd.Parameters.AddWithValue("c", Guid.CreateVersion7());
    cmd.Parameters.AddWithValue("d", diary);
    cmd.Parameters.AddWithValue("s", Guid.Empty);
    cmd.Parameters.AddWithValue("start", start.ToDateTimeUtc());
    cmd.Parameters.AddWithValue("end", (start + Duration.FromHours(1)).ToDateTimeUtc());
    await cmd.ExecuteNonQueryAsync();
}

/// <summary>What the bare endpoint is sent: the diary (one per caller) and the start.</summary>
internal sealed record BareInsert(Guid DiaryId, DateTimeOffset Start);

/// <summary>The whole app against the bench database, quiet logs, the demo seed off.</summary>
internal sealed class BenchApp(ProvisionedDatabase database) : WebApplicationFactory<Booking.Host.Demo.DemoSeeder> // any Host type: Program would clash with this file's own
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseBenchDatabase(database);
    }
}
