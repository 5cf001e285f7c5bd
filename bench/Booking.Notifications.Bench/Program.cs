// Booking email latency: from the commit that carries an AppointmentBooked event to the message arriving at a real
// SMTP server (python3-aiosmtpd on loopback). Target: p95 under 5 s. The whole app runs in-process against a
// throwaway PostgreSQL cluster; the event is committed through a module outbox exactly as the Appointments module
// commits it (outbox relay → Hangfire → consumer → message row → delivery job → SMTP).
using Booking.Bench;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Jobs;
using Booking.BuildingBlocks.Postgres;
using Booking.BuildingBlocks.Tenancy;
using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Rendering;
using Booking.PortalAuth.Contracts;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

if (args.Length > 0 && args[0] == "signups")
{
    return await SignUpLatency.RunAsync(args[1..]); // event → message row with a mail server that never answers (decision 312)
}

var bookings = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var perSecond = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5;

var work = Path.Combine(Path.GetTempPath(), "booking-bench-notify", Guid.NewGuid().ToString("N")[..8]);
await using var postgres = await LocalPostgres.StartAsync(Path.Combine(work, "pg"), deleteOnDispose: true, CancellationToken.None);
var database = await DatabaseProvisioner.ProvisionAsync(postgres.AdminConnectionString, "bench_notify", "bench_owner", "bench_app", "bench-password", CancellationToken.None);

var mailDir = Path.Combine(work, "mail");
Directory.CreateDirectory(mailDir);
var listener = new TcpListener(IPAddress.Loopback, 0);
listener.Start();
var smtpPort = ((IPEndPoint)listener.LocalEndpoint).Port;
listener.Stop();
var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
var sinkStart = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
sinkStart.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "smtp_sink.py"));
sinkStart.ArgumentList.Add(smtpPort.ToString(CultureInfo.InvariantCulture));
sinkStart.ArgumentList.Add(mailDir);
using var sink = Process.Start(sinkStart)!;
if (await sink.StandardOutput.ReadLineAsync() != "READY")
{
    throw new InvalidOperationException("python3-aiosmtpd did not start");
}

// The app's content root: this folder (WebApplicationFactory would otherwise guess a solution-relative path).
Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_BOOKING_HOST", AppContext.BaseDirectory);
await using var app = new BenchApp(database, smtpPort);
var http = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
var slug = $"bench-{Guid.NewGuid().ToString("N")[..8]}";
var signUp = await http.PostAsJsonAsync("/api/v1/tenants", new
{
    slug, name = "Bench Clinic", timeZone = "Australia/Sydney", countryCode = "AU",
    owner = new { name = "Bench Owner", email = $"owner@{slug}.example", password = "correct horse battery staple 2026" },
});
var tenantId = (await signUp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

var service = new ServiceView(Guid.NewGuid(), "Consultation", "", 30, 0, new Money(50, "AUD"), true, false, [], []);
var diary = new DiaryView(Guid.NewGuid(), "Dr Bench", "diary@bench.example", true);
BenchFacts.Services[service.Id] = service;
BenchFacts.Diaries[diary.Id] = diary;

var committed = new Dictionary<string, long>();
var arrived = new Dictionary<string, long>();
var clock = Stopwatch.StartNew();
var watcher = Task.Run(async () =>
{
    var seen = new HashSet<string>();
    while (arrived.Count < bookings && clock.Elapsed < TimeSpan.FromMinutes(10))
    {
        foreach (var file in Directory.GetFiles(mailDir, "*.eml"))
        {
            if (seen.Add(file))
            {
                var first = File.ReadLines(file).First(); // "X-Envelope-To: addr"
                lock (arrived)
                {
                    arrived[first["X-Envelope-To: ".Length..].Trim().ToLowerInvariant()] = clock.ElapsedTicks;
                }
            }
        }

        await Task.Delay(10);
    }
});

var start = new DateTimeOffset(2027, 1, 12, 23, 0, 0, TimeSpan.Zero);
var interval = TimeSpan.FromSeconds(1 / perSecond);
for (var i = 0; i < bookings; i++)
{
    var email = $"client{i}@bench.example";
    var client = new ClientView(Guid.NewGuid(), "Client", i.ToString(CultureInfo.InvariantCulture), email, "+61400000000", "active", []);
    BenchFacts.Clients[client.Id] = client;
    await using (var scope = await TenantScope.OpenAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), tenantId, CancellationToken.None))
    {
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        db.Publish(new AppointmentBooked(Guid.NewGuid(), tenantId, Guid.NewGuid(), client.Id, null, diary.Id, service.Id, start.AddHours(i), start.AddHours(i).AddMinutes(30), ChangeSources.Portal));
        await db.SaveChangesAsync();
    }

    lock (arrived)
    {
        committed[email] = clock.ElapsedTicks;
    }

    await Task.Delay(interval);
}

await watcher;
var latencies = committed
    .Where(c => arrived.ContainsKey(c.Key))
    .Select(c => (arrived[c.Key] - c.Value) * 1000.0 / Stopwatch.Frequency)
    .Order()
    .ToArray();
double Percentile(double p) => Percentiles.Of(latencies, p);
var result = new
{
    benchmark = "booking-email-latency",
    bookings,
    perSecond,
    delivered = latencies.Length,
    p50Ms = Percentile(0.50),
    p95Ms = Percentile(0.95),
    p99Ms = Percentile(0.99),
    maxMs = latencies.Length == 0 ? double.NaN : latencies[^1],
    targetP95Ms = 5000,
    processors = Environment.ProcessorCount,
    loadAverage = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "",
    at = DateTimeOffset.UtcNow,
};
var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
Console.WriteLine(json);
var outDir = Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "bench");
Directory.CreateDirectory(outDir);
await File.WriteAllTextAsync(Path.Combine(outDir, "notifications.json"), json);
sink.Kill(entireProcessTree: true);
return result.p95Ms <= 5000 && latencies.Length == bookings ? 0 : 1;

/// <summary>The app with SMTP on loopback; other modules' contract queries answered by <see cref="BenchFacts"/>.</summary>
internal sealed class BenchApp(ProvisionedDatabase database, int smtpPort) : WebApplicationFactory<Booking.Host.Demo.DemoSeeder> // any Host type: Program would clash with this file's own
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseBenchDatabase(database);
        builder.UseSetting("Smtp:Host", "127.0.0.1");
        builder.UseSetting("Smtp:Port", smtpPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Smtp:Security", "None");
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<INotificationFacts>();
            services.AddScoped<INotificationFacts, BenchFacts>();
        });
    }
}

internal sealed class BenchFacts(ITenantContext tenant, Booking.BuildingBlocks.Web.PublicOrigin origin) : INotificationFacts
{
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, ClientView> Clients = new();
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, ServiceView> Services = new();
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, DiaryView> Diaries = new();

    public Task<ClientView?> ClientAsync(Guid clientId, CancellationToken cancellationToken) => Task.FromResult(Clients.GetValueOrDefault(clientId));

    public Task<ServiceView?> ServiceAsync(Guid serviceId, CancellationToken cancellationToken) => Task.FromResult(Services.GetValueOrDefault(serviceId));

    public Task<DiaryView?> DiaryAsync(Guid diaryId, CancellationToken cancellationToken) => Task.FromResult(Diaries.GetValueOrDefault(diaryId));

    public Task<BusinessLook> LookAsync(CancellationToken cancellationToken) =>
        Task.FromResult(BusinessLooks.For(tenant.Current!, origin.Value, settings: null));
}
