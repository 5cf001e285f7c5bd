using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Booking.BuildingBlocks.Postgres;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Booking.Bench;

/// <summary>
/// Event → message row while the mail server never answers (decision 312): businesses sign up at a steady rate and
/// each sign-up's confirmation email row (<c>notifications.outbound_messages</c>, kind staff-email-verification) is
/// timed from its outbox event's <c>occurred_at</c>, stage by stage: handed to Hangfire (the relay), its job started
/// (a worker free), the row written (the consumer). The mail server accepts connections and says nothing, as one
/// behind a firewall that drops packets does, so every email job holds its worker for the SMTP timeout (30 s by
/// default) and is retried later: the case where a shared worker pool kept new events waiting.
/// Run: <c>dotnet run -c Release --project bench/Booking.Notifications.Bench -- signups &lt;count&gt; &lt;per-second&gt;</c>.
/// </summary>
internal static class SignUpLatency
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var perSecond = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 4;

        var work = Path.Combine(Path.GetTempPath(), "booking-bench-signups", Guid.NewGuid().ToString("N")[..8]);
        await using var postgres = await LocalPostgres.StartAsync(Path.Combine(work, "pg"), deleteOnDispose: true, CancellationToken.None);
        var database = await DatabaseProvisioner.ProvisionAsync(postgres.AdminConnectionString, "bench_signups", "bench_owner", "bench_app", "bench-password", CancellationToken.None);

        // The silent mail server: takes connections, never greets.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(1000);
        var held = new System.Collections.Concurrent.ConcurrentBag<Socket>();
        using var stopSilent = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    held.Add(await silent.AcceptSocketAsync(stopSilent.Token));
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
            }
        });

        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_BOOKING_HOST", AppContext.BaseDirectory);
        var smtpPort = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var app = new SilentMailApp(database, smtpPort);
        var http = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        var tenants = new List<Guid>();
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var pace = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var slug = $"signup-{i}-{Guid.NewGuid().ToString("N")[..6]}";
            var response = await http.PostAsJsonAsync("/api/v1/tenants", new
            {
                slug, name = $"Bench {i}", timeZone = "Australia/Sydney", countryCode = "AU",
                owner = new { name = "Bench Owner", email = $"owner@{slug}.example", password = "correct horse battery staple 2026" },
            });
            response.EnsureSuccessStatusCode();
            tenants.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
            var next = interval * (i + 1) - pace.Elapsed;
            if (next > TimeSpan.Zero)
            {
                await Task.Delay(next);
            }
        }

        // Every row, or two minutes after the last sign-up.
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres.AdminConnectionString) { Database = database.Database }.ConnectionString);
        await admin.OpenAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            await using var countRows = new NpgsqlCommand("select count(*) from notifications.outbound_messages where kind = 'staff-email-verification'", admin);
            if ((long)(await countRows.ExecuteScalarAsync())! >= count)
            {
                break;
            }

            await Task.Delay(200);
        }

        // Milliseconds from the event's occurred_at to each stage; null where the stage was not reached.
        await using var stages = new NpgsqlCommand("""
            select extract(epoch from o.dispatched_at - o.occurred_at) * 1000,
                   (select extract(epoch from min(s.createdat) - o.occurred_at) * 1000 from hangfire.job j join hangfire.state s on s.jobid = j.id
                     where j.arguments::text like '%' || o.id::text || '%' and s.name = 'Processing'),
                   (select extract(epoch from min(m.created_at) - o.occurred_at) * 1000 from notifications.outbound_messages m where m.event_id = o.id)
            from tenancy.outbox_messages o where o.type like '%StaffEmailConfirmationRequested%'
            """, admin);
        var handed = new List<double>();
        var started = new List<double>();
        var written = new List<double>();
        await using (var reader = await stages.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                AddIf(handed, reader, 0);
                AddIf(started, reader, 1);
                AddIf(written, reader, 2);
            }
        }

        static void AddIf(List<double> into, NpgsqlDataReader reader, int column)
        {
            if (!reader.IsDBNull(column))
            {
                into.Add(Convert.ToDouble(reader.GetValue(column), CultureInfo.InvariantCulture));
            }
        }

        static object Stage(List<double> ms) => new
        {
            n = ms.Count,
            p50Ms = Math.Round(Percentiles.Of(ms, 0.50)),
            p95Ms = Math.Round(Percentiles.Of(ms, 0.95)),
            p99Ms = Math.Round(Percentiles.Of(ms, 0.99)),
            maxMs = ms.Count == 0 ? double.NaN : Math.Round(ms.Max()),
        };

        var result = new
        {
            benchmark = "signup-email-row-latency-silent-smtp",
            signUps = count,
            perSecond,
            mailServerConnectionsHeld = held.Count,
            handedToHangfire = Stage(handed),
            jobStarted = Stage(started),
            rowWritten = Stage(written),
            targetP95Ms = 5000,
            processors = Environment.ProcessorCount,
            loadAverage = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "",
            at = DateTimeOffset.UtcNow,
        };
        var json = JsonSerializer.Serialize(result, Indented);
        Console.WriteLine(json);
        var outDir = Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "bench");
        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, "notifications-signups.json"), json);

        await app.DisposeAsync();
        await stopSilent.CancelAsync();
        silent.Stop();
        await accepting;
        foreach (var socket in held)
        {
            socket.Dispose();
        }
        return written.Count == count && Percentiles.Of(written, 0.95) <= 5000 ? 0 : 1;
    }

    /// <summary>The whole app sending to the silent mail server, with its default timeout and worker counts.</summary>
    private sealed class SilentMailApp(ProvisionedDatabase database, int smtpPort) : WebApplicationFactory<Booking.Host.Demo.DemoSeeder>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseBenchDatabase(database);
            builder.UseSetting("Smtp:Host", "127.0.0.1");
            builder.UseSetting("Smtp:Port", smtpPort.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Smtp:Security", "None");
        }
    }
}
