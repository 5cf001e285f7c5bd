// Platform load scenario: the booking page's tenant resolution over loopback HTTP, and Hangfire's pickup latency
// for tenant jobs. Bounded in count and time; prints its numbers and writes artifacts/bench/platform.json.
using Booking.Bench;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.BuildingBlocks.Jobs;
using Booking.BuildingBlocks.Postgres;
using Booking.Notifications.Features.DefaultTemplates;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.Platform.Bench;

internal static class PlatformBench
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> Main(string[] args)
    {
        var requests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3000;
        var jobs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;

        // The Host's content root (its pages and static files), found the way WebApplicationFactory looks for it.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_BOOKING_HOST", Path.Combine(FindRoot(), "src", "Host"));
        await using var server = await LocalPostgres.StartAsync(Path.Combine(Path.GetTempPath(), "booking-bench", Guid.NewGuid().ToString("N")[..8]), deleteOnDispose: true, CancellationToken.None);
        var database = await DatabaseProvisioner.ProvisionAsync(server.AdminConnectionString, "booking_bench", "bench_owner", "bench_app", "bench", CancellationToken.None);
        await using var app = new BenchApp(database);
        app.UseKestrel(0);
        app.StartServer();
        var http = app.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(30);

        var slug = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var signUp = await http.PostAsJsonAsync("/api/v1/tenants", new
        {
            slug, name = "Bench Clinic", timeZone = "Australia/Sydney", countryCode = "AU",
            owner = new { name = "Bench Owner", email = $"owner@{slug}.example", password = "a bench owner password that is long" },
        });
        signUp.EnsureSuccessStatusCode();
        var tenantId = (await signUp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // 1. GET /ol/book?name= (tenant resolution, cached directory, Razor page) with 8 concurrent clients.
        for (var i = 0; i < 100; i++)
        {
            (await http.GetAsync(new Uri($"/ol/book?name={slug}", UriKind.Relative))).EnsureSuccessStatusCode(); // warm-up
        }

        var latencies = new double[requests];
        var next = -1;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var sw = Stopwatch.StartNew();
                using var response = await http.GetAsync(new Uri($"/ol/book?name={slug}", UriKind.Relative));
                response.EnsureSuccessStatusCode();
                latencies[i] = sw.Elapsed.TotalMilliseconds;
            }
        }));
        wall.Stop();
        Array.Sort(latencies);
        var page = new
        {
            requests,
            concurrency = 8,
            throughputPerSecond = Math.Round(requests / wall.Elapsed.TotalSeconds, 1),
            p50Ms = Math.Round(Percentiles.Of(latencies, 0.50), 2),
            p95Ms = Math.Round(Percentiles.Of(latencies, 0.95), 2),
            p99Ms = Math.Round(Percentiles.Of(latencies, 0.99), 2),
        };

        // 2. Tenant jobs: enqueued from a background thread every 25 ms; Hangfire records each job's latency (created → processing).
        var ids = new List<string>();
        await Task.Run(async () =>
        {
            using var scope = app.Services.CreateScope();
            var tenantJobs = scope.ServiceProvider.GetRequiredService<ITenantJobs>();
            for (var i = 0; i < jobs; i++)
            {
                ids.Add(tenantJobs.Enqueue(tenantId, new EnsureDefaultTemplates()));
                await Task.Delay(25);
            }
        });
        var storage = app.Services.GetRequiredService<JobStorage>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var pickup = new List<double>();
        while (DateTime.UtcNow < deadline)
        {
            using var connection = storage.GetConnection();
            var states = ids.Select(id => connection.GetStateData(id)).ToList();
            if (states.All(s => s?.Name is "Succeeded" or "Failed"))
            {
                pickup = states.Where(s => s!.Name == "Succeeded").Select(s => double.Parse(s!.Data["Latency"], CultureInfo.InvariantCulture)).ToList();
                break;
            }

            await Task.Delay(200);
        }

        pickup.Sort();
        var queue = new
        {
            jobs,
            succeeded = pickup.Count,
            p50Ms = Percentiles.Of(pickup, 0.50),
            p95Ms = Percentiles.Of(pickup, 0.95),
            maxMs = pickup.Count > 0 ? pickup[^1] : double.NaN,
            targetMs = 1000,
        };

        var result = new
        {
            machine = new { cores = Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription, dotnet = Environment.Version.ToString() },
            at = DateTimeOffset.UtcNow,
            bookingPage = page,
            tenantJobPickup = queue,
        };
        var json = JsonSerializer.Serialize(result, Indented);
        Console.WriteLine(json);
        var output = Path.Combine(FindRoot(), "artifacts", "bench");
        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Combine(output, "platform.json"), json);
        return queue.succeeded == jobs && queue.p95Ms <= queue.targetMs ? 0 : 1;
    }


    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Booking.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}

internal sealed class BenchApp(ProvisionedDatabase database) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseBenchDatabase(database, "Production");
        // The key ring's certificate, required outside Development: one per bench run.
        var certificate = Path.Combine(Path.GetTempPath(), "booking-bench-keys", $"{Environment.ProcessId}.pfx");
        Booking.Host.Infrastructure.KeyRingProtection.CreateCertificateFile(certificate);
        builder.UseSetting(Booking.Host.Infrastructure.KeyRingProtection.PathKey, certificate);
        builder.UseSetting("PublicBaseUrl", "https://bench.example"); // required outside Development
    }
}
