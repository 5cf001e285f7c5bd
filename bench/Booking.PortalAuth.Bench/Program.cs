using Booking.Bench;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Booking.BuildingBlocks.Postgres;

// Portal sign-in benchmark: the Host as its own process on loopback HTTP against a throwaway PostgreSQL cluster.
// Measures email+password sign-in throughput and the latency from a phone/start request to the SMS adapter.
// Usage: dotnet run -c Release --project bench/Booking.PortalAuth.Bench [seconds] [workers] [codes]
var seconds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20;
var workers = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 4;
var codeCount = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 100;

var root = FindRoot();
var configuration = typeof(Program).Assembly.Location.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
var hostDll = Path.Combine(root, "src", "Host", "bin", configuration, "net10.0", "Booking.Host.dll");
if (!File.Exists(hostDll))
{
    Console.Error.WriteLine($"Build the Host first: {hostDll} is missing.");
    return 1;
}

var dataDir = Path.Combine(Path.GetTempPath(), "booking-bench", Guid.NewGuid().ToString("N")[..12]);
await using var postgres = await LocalPostgres.StartAsync(dataDir, deleteOnDispose: true, CancellationToken.None);
var db = await DatabaseProvisioner.ProvisionAsync(postgres.AdminConnectionString, "booking_bench", "bench_owner", "bench_app", "bench-password", CancellationToken.None);

var port = FreePort();
var origin = $"http://127.0.0.1:{port}";
var start = new ProcessStartInfo("dotnet", [hostDll, "--urls", origin])
{
    RedirectStandardOutput = true,
    RedirectStandardError = true,
    WorkingDirectory = Path.GetDirectoryName(hostDll)!,
};
start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development"; // the development SMS outbox is the adapter measured
start.Environment["ConnectionStrings__Booking"] = db.AppConnectionString;
start.Environment["ConnectionStrings__BookingOwner"] = db.OwnerConnectionString;
start.Environment["Database__AppRole"] = db.AppRole;
start.Environment["Database__MigrateOnStart"] = "true";
start.Environment["Demo__Seed"] = "false";
start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
// Every request comes from 127.0.0.1: the per-IP and per-tenant caps would stop the run after 20 codes.
start.Environment["PortalAuth__CodesPerIpPerHour"] = "1000000";
start.Environment["PortalAuth__CodesPerTenantPerHour"] = "1000000";
using var host = Process.Start(start)!;
host.OutputDataReceived += (_, _) => { };
host.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("host: " + e.Data); };
host.BeginOutputReadLine();
host.BeginErrorReadLine();

try
{
    using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(origin) };
    await WaitReadyAsync(http);

    // A business and one client per worker.
    var slug = "bench-" + Guid.NewGuid().ToString("N")[..8];
    var signUp = await http.PostAsJsonAsync("/api/v1/tenants", new
    {
        slug, name = "Bench Clinic", timeZone = "Australia/Sydney", countryCode = "AU",
        owner = new { name = "Bench Owner", email = $"owner@{slug}.example", password = "bench owner long enough password" },
    });
    signUp.EnsureSuccessStatusCode();
    const string password = "bench client long enough password";
    var emails = Enumerable.Range(0, workers).Select(i => $"client{i}@{slug}.example").ToList();
    foreach (var email in emails)
    {
        (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={slug}", new { firstName = "Bench", lastName = "Client", email, password })).EnsureSuccessStatusCode();
    }

    // 1. Sign-in throughput: each worker signs in in a loop for the given time.
    var signInLatencies = new List<double>();
    var failures = 0;
    var deadline = DateTime.UtcNow.AddSeconds(seconds);
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(emails.Select(async email =>
    {
        while (DateTime.UtcNow < deadline)
        {
            var t = Stopwatch.StartNew();
            var response = await http.PostAsJsonAsync($"/api/v1/portal/auth/sign-in?name={slug}", new { email, password });
            t.Stop();
            lock (signInLatencies)
            {
                if (response.StatusCode == HttpStatusCode.OK) signInLatencies.Add(t.Elapsed.TotalMilliseconds);
                else failures++;
            }
        }
    }));
    watch.Stop();
    var throughput = signInLatencies.Count / watch.Elapsed.TotalSeconds;

    // 2. Code-send latency: request start → the outbox adapter's sentAt, two senders at a time.
    var codeLatencies = new List<double>();
    var requestLatencies = new List<double>();
    var phones = Enumerable.Range(0, codeCount).Select(i => "+6140" + (1_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
    var sent = new List<(string Phone, DateTimeOffset At)>();
    await Parallel.ForEachAsync(phones, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (phone, ct) =>
    {
        var at = DateTimeOffset.UtcNow;
        var t = Stopwatch.StartNew();
        var response = await http.PostAsJsonAsync($"/api/v1/portal/auth/phone/start?name={slug}", new { mobile = phone }, ct);
        t.Stop();
        response.EnsureSuccessStatusCode();
        lock (sent)
        {
            sent.Add((phone, at));
            requestLatencies.Add(t.Elapsed.TotalMilliseconds);
        }
    });
    foreach (var (phone, at) in sent)
    {
        JsonElement texts = default;
        for (var tries = 0; tries < 100; tries++)
        {
            texts = await http.GetFromJsonAsync<JsonElement>($"/dev/api/sms?to={Uri.EscapeDataString(phone)}");
            if (texts.GetArrayLength() > 0) break;
            await Task.Delay(50);
        }

        var sentAt = texts[0].GetProperty("sentAt").GetDateTimeOffset();
        codeLatencies.Add((sentAt - at).TotalMilliseconds);
    }

    var result = new
    {
        measuredAt = DateTimeOffset.UtcNow,
        machine = new { Environment.ProcessorCount, os = Environment.OSVersion.ToString(), runtime = Environment.Version.ToString(), configuration },
        signIn = new { seconds, workers, count = signInLatencies.Count, failures, perSecond = Math.Round(throughput, 2), p50Ms = P(signInLatencies, 50), p95Ms = P(signInLatencies, 95) },
        codeSend = new { count = codeLatencies.Count, toAdapterP50Ms = P(codeLatencies, 50), toAdapterP95Ms = P(codeLatencies, 95), toAdapterMaxMs = Math.Round(codeLatencies.Max(), 1), requestP50Ms = P(requestLatencies, 50), requestP95Ms = P(requestLatencies, 95) },
    };
    var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
    Console.WriteLine(json);
    var outDir = Path.Combine(root, "artifacts", "bench");
    Directory.CreateDirectory(outDir);
    await File.WriteAllTextAsync(Path.Combine(outDir, "portal-auth.json"), json);
    return 0;
}
finally
{
    if (!host.HasExited)
    {
        host.Kill(entireProcessTree: true);
        await host.WaitForExitAsync();
    }
}

static double P(List<double> values, int percentile) => Math.Round(Percentiles.Of(values, percentile / 100.0), 1);

static async Task WaitReadyAsync(HttpClient http)
{
    var until = DateTime.UtcNow.AddMinutes(3);
    while (DateTime.UtcNow < until)
    {
        try
        {
            if ((await http.GetAsync(new Uri("/health/live", UriKind.Relative))).IsSuccessStatusCode) return;
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(250);
    }

    throw new TimeoutException("The host did not start.");
}

static int FreePort()
{
    var probe = new TcpListener(IPAddress.Loopback, 0);
    probe.Start();
    var port = ((IPEndPoint)probe.LocalEndpoint).Port;
    probe.Stop();
    return port;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Booking.sln"))) return dir.FullName;
    }

    throw new InvalidOperationException("Run from inside the repository.");
}
