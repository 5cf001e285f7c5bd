// Client portal speed: server time of every portal page under light load (4 signed-in clients sending together about
// 40 requests a second, ~20 s), the same at saturation (no pause) for information, CPU per request, and the
// bytes of a first load of the booking page (HTML + CSS + JS + logo). The app runs in-process on Kestrel against a
// throwaway PostgreSQL cluster and is driven over loopback HTTP. Server time is the page's own Server-Timing
// header (from the portal page filter to the response headers: tenant, session, mediator requests, rendering);
// the loopback time to the last byte is printed beside it as an upper bound that includes the middleware.
using Booking.Bench;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Booking.BuildingBlocks.Postgres;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.Portal.Bench;

internal static partial class PortalBench
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> Main(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
        var lightRate = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 40;
        const double targetP95Ms = 50;
        const int targetBytes = 150 * 1024;

        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_BOOKING_HOST", Path.Combine(FindRoot(), "src", "Host"));
        await using var server = await LocalPostgres.StartAsync(Path.Combine(Path.GetTempPath(), "booking-bench-portal", Guid.NewGuid().ToString("N")[..8]), deleteOnDispose: true, CancellationToken.None);
        var database = await DatabaseProvisioner.ProvisionAsync(server.AdminConnectionString, "booking_bench", "bench_owner", "bench_app", "bench", CancellationToken.None);
        await using var app = new BenchApp(database);
        app.UseKestrel(0);
        app.StartServer();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');

        // A business ready to book, and a client with one appointment (for the appointment pages).
        var owner = Http(baseUrl);
        var slug = "bench-" + Guid.NewGuid().ToString("N")[..8];
        await Ok(await owner.PostAsJsonAsync("/api/v1/tenants", new
        {
            slug, name = "Bench Clinic", timeZone = "Australia/Sydney", countryCode = "AU",
            owner = new { name = "Bench Owner", email = $"owner@{slug}.example", password = "a bench owner password that is long" },
        }));
        await Ok(await owner.PutAsJsonAsync("/api/v1/admin/booking-rules", new { slotIntervalMinutes = 15, minimumNoticeMinutes = 0, horizonDays = 60 }));
        var diaries = new List<Guid>();
        foreach (var name in new[] { "Dr One", "Dr Two" })
        {
            var diary = (await Ok(await owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name, contactEmail = "d@bench.example", active = true }))).GetProperty("id").GetGuid();
            await Ok(await owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}/roster", new
            {
                blocks = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }
                    .Select(weekday => new { weekday, start = "08:00", end = "18:00", bookableOnline = true }),
            }));
            diaries.Add(diary);
        }

        var service = (await Ok(await owner.PostAsJsonAsync("/api/v1/admin/services", new
        {
            name = "Consultation", description = "A visit", durationMinutes = 30, bufferAfterMinutes = 0,
            price = new { amount = "80.00", currency = "AUD" }, bookableOnline = true, diaryIds = diaries,
        }))).GetProperty("id").GetGuid();
        var settings = JsonSerializer.Deserialize<Dictionary<string, object>>(await owner.GetStringAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative)))!;
        settings["bookingInstructions"] = "Please arrive ten minutes early.";
        settings["terms"] = new { version = 0, text = "Standard terms." };
        await Ok(await owner.PutAsJsonAsync("/api/v1/admin/portal-settings", settings));

        var client = Http(baseUrl);
        await Ok(await client.PostAsJsonAsync($"/api/v1/portal/auth/register?name={slug}",
            new { firstName = "Bench", lastName = "Client", email = $"client@{slug}.example", password = "a bench client password that is long", mobile = (string?)null }));
        var from = DateTimeOffset.UtcNow.AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var slots = (await Ok(await client.GetAsync(new Uri($"/api/v1/portal/availability?name={slug}&service={service}&diary=any&from={from}&to={from}", UriKind.Relative))))
            .GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("start").GetString()!).ToList();
        var appointment = (await Ok(await client.PostAsJsonAsync($"/api/v1/portal/appointments?name={slug}",
            new { serviceId = service, diaryId = "any", start = slots[0], petId = (Guid?)null, acceptedTermsVersion = 1, note = (string?)null })))
            .GetProperty("id").GetGuid();
        var start = Uri.EscapeDataString(slots[1]);

        // The portal pages: (label, path, signed in?). The code page needs an attempt; one is started once.
        var anonymous = Http(baseUrl);
        var attempt = (await Ok(await anonymous.PostAsJsonAsync($"/api/v1/portal/auth/phone/start?name={slug}", new { mobile = "0491570110" }))).GetProperty("attemptId").GetString();
        var pages = new (string Label, string Path, bool SignedIn)[]
        {
            ("landing", $"/ol/book?name={slug}", false),
            ("sign-in", $"/ol/sign-in?name={slug}", false),
            ("register", $"/ol/register?name={slug}", false),
            ("forgot-password", $"/ol/forgot-password?name={slug}", false),
            ("reset-password", $"/ol/reset-password?name={slug}&token=abc", false),
            ("phone", $"/ol/phone?name={slug}", false),
            ("phone-code", $"/ol/phone/code?name={slug}&attempt={attempt}", false),
            ("new-client", $"/ol/new-client?name={slug}", false),
            ("unknown-business", "/ol/book?name=no-such-business", false),
            ("landing-signed-in", $"/ol/book?name={slug}", true),
            ("appointments", $"/ol/appointments?name={slug}", true),
            ("book-service", $"/ol/new-booking?name={slug}", true),
            ("book-slots", $"/ol/new-booking?name={slug}&service={service}&diary=any&date={from}", true),
            ("book-confirm", $"/ol/new-booking/confirm?name={slug}&service={service}&diary=any&start={start}", true),
            ("booked", $"/ol/booked?name={slug}&id={appointment}", true),
            ("cancel", $"/ol/cancel?name={slug}&id={appointment}", true),
            ("calendar-ics", $"/ol/calendar?name={slug}&id={appointment}", true),
            ("sign-out", $"/ol/sign-out?name={slug}", true),
        };

        // Every page a few times, failing on any error (the warm-up proper follows).
        for (var i = 0; i < 5; i++)
        {
            foreach (var page in pages)
            {
                using var response = await (page.SignedIn ? client : anonymous).GetAsync(new Uri(page.Path, UriKind.Relative));
                if (!response.IsSuccessStatusCode && page.Label != "unknown-business")
                {
                    throw new InvalidOperationException($"{page.Label}: {(int)response.StatusCode}");
                }
            }
        }

        // Two runs over the same pages, each client its own signed-in session, round-robin over the pages:
        // - light load (the target): the clients pause between requests so that together they send about
        //   `lightRate` requests a second, well under what the machine can serve; the p95 then measures a page's own
        //   server time, not the queue in front of it;
        // - saturation (for information): the same clients with no pause, as fast as the machine answers.
        var clients = new List<HttpClient>();
        for (var i = 0; i < concurrency; i++)
        {
            var c = Http(baseUrl);
            await Ok(await c.PostAsJsonAsync($"/api/v1/portal/auth/sign-in?name={slug}", new { email = $"client@{slug}.example", password = "a bench client password that is long" }));
            clients.Add(c);
        }

        async Task<object> RunAsync(string name, double? ratePerSecond, int seconds)
        {
            var samples = pages.ToDictionary(p => p.Label, _ => new List<(double Server, double Total)>());
            var cpuBefore = MachineCpu();
            var appCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var deadline = Stopwatch.StartNew();
            var pause = ratePerSecond is { } rate ? TimeSpan.FromSeconds(concurrency / rate) : TimeSpan.Zero;
            await Task.WhenAll(clients.Select(async (signedIn, worker) =>
            {
                var guest = Http(baseUrl);
                var i = worker;
                var next = TimeSpan.FromSeconds(pause.TotalSeconds * worker / concurrency); // spread the clients' starts
                while (deadline.Elapsed < TimeSpan.FromSeconds(seconds))
                {
                    if (pause > TimeSpan.Zero && next > deadline.Elapsed)
                    {
                        await Task.Delay(next - deadline.Elapsed);
                    }

                    next += pause;
                    var page = pages[i++ % pages.Length];
                    var sw = Stopwatch.StartNew();
                    using var response = await (page.SignedIn ? signedIn : guest).GetAsync(new Uri(page.Path, UriKind.Relative));
                    await response.Content.ReadAsByteArrayAsync();
                    var total = sw.Elapsed.TotalMilliseconds;
                    var server = response.Headers.TryGetValues("Server-Timing", out var values) && Duration().Match(values.First()) is { Success: true } m
                        ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
                        : double.NaN;
                    lock (samples)
                    {
                        samples[page.Label].Add((server, total));
                    }
                }
            }));
            var elapsed = deadline.Elapsed.TotalSeconds;
            var cpu = MachineCpu() - cpuBefore;
            var appCpu = (Process.GetCurrentProcess().TotalProcessorTime - appCpuBefore).TotalMilliseconds;
            var perPage = pages.Select(p =>
            {
                var s = samples[p.Label];
                var server = s.Select(x => x.Server).Where(double.IsFinite).Order().ToArray();
                var total = s.Select(x => x.Total).Order().ToArray();
                return new
                {
                    page = p.Label,
                    requests = s.Count,
                    serverP50Ms = Round(Percentiles.Of(server, 0.50)),
                    serverP95Ms = Round(Percentiles.Of(server, 0.95)),
                    loopbackP95Ms = Round(Percentiles.Of(total, 0.95)),
                };
            }).ToList();
            var requests = perPage.Sum(p => p.requests);
            return new
            {
                name,
                concurrency,
                offeredRatePerSecond = ratePerSecond,
                seconds = Math.Round(elapsed, 1),
                requests,
                throughputPerSecond = Math.Round(requests / elapsed, 1),
                machineCpuMsPerRequest = Round(cpu / requests),
                appProcessCpuMsPerRequest = Round(appCpu / requests),
                machineCpuBusyShare = Round(cpu / (elapsed * 1000 * Environment.ProcessorCount)),
                worstServerP95Ms = perPage.Max(p => p.serverP95Ms),
                pages = perPage,
            };
        }

        // Warm-up first, as a running server is: tiered JIT recompiles hot methods after some thousands of calls,
        // and Npgsql prepares each statement on its second use on each pooled connection.
        await RunAsync("warm-up", null, 15);
        var light = await RunAsync("light load", lightRate, seconds);
        var saturation = await RunAsync("saturation", null, seconds);
        var worst = (double)light.GetType().GetProperty("worstServerP95Ms")!.GetValue(light)!;

        // First load of the booking page (service chosen, the day's slots shown): HTML + CSS + JS + logo.
        var fresh = Http(baseUrl);
        await Ok(await fresh.PostAsJsonAsync($"/api/v1/portal/auth/sign-in?name={slug}", new { email = $"client@{slug}.example", password = "a bench client password that is long" }));
        var bookingUrl = pages.First(p => p.Label == "book-slots").Path;
        var html = await fresh.GetByteArrayAsync(new Uri(bookingUrl, UriKind.Relative));
        var text = System.Text.Encoding.UTF8.GetString(html);
        var assets = Asset().Matches(text).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Distinct().ToList();
        var parts = new List<(string Url, byte[] Body)> { (bookingUrl, html) };
        foreach (var asset in assets)
        {
            parts.Add((asset, await fresh.GetByteArrayAsync(new Uri(asset, UriKind.Relative))));
        }

        var raw = parts.Sum(p => p.Body.Length);
        var gzip = parts.Sum(p => Gzip(p.Body));
        var result = new
        {
            machine = new
            {
                cores = Environment.ProcessorCount,
                os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                dotnet = Environment.Version.ToString(),
                loadAverage = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "",
            },
            at = DateTimeOffset.UtcNow,
            serverTime = "Server-Timing 'page' of the portal page filter (tenant, session, settings, mediator requests, Razor rendering), ms",
            target = $"every portal page's server time p95 <= {targetP95Ms} ms under light load",
            runs = new[] { light, saturation },
            worstServerP95MsUnderLightLoad = worst,
            targetP95Ms,
            bookingPageFirstLoad = new
            {
                files = parts.Select(p => new { url = p.Url, bytes = p.Body.Length, gzipBytes = Gzip(p.Body) }),
                bytes = raw,
                gzipBytes = gzip,
                targetBytes,
                note = "The app does not enable response compression: the bytes transferred are the uncompressed ones; gzipBytes is what gzip would send.",
            },
        };
        var json = JsonSerializer.Serialize(result, Indented);
        Console.WriteLine(json);
        var output = Path.Combine(FindRoot(), "artifacts", "bench");
        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Combine(output, "portal.json"), json);
        return worst <= targetP95Ms && raw <= targetBytes ? 0 : 1;
    }

    private static HttpClient Http(string baseUrl) =>
        new(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static int Gzip(byte[] body)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return (int)buffer.Length;
    }

    private static double Round(double value) => Math.Round(value, 2);

    /// <summary>Busy CPU time of the whole machine so far (all cores, /proc/stat), ms; 0 where there is none.</summary>
    private static double MachineCpu()
    {
        if (!File.Exists("/proc/stat"))
        {
            return 0;
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = fields.Sum() - fields[3] - fields[4]; // all but idle and iowait
        return busy * 1000.0 / 100; // USER_HZ = 100
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

    [GeneratedRegex(@"dur=([0-9.]+)")]
    private static partial Regex Duration();

    /// <summary>Same-origin stylesheets, scripts and images the page loads.</summary>
    [GeneratedRegex(@"(?:href|src)=""(/(?:css|js|branding)/[^""]+)""")]
    private static partial Regex Asset();
}

/// <summary>The app in Development (plain-HTTP cookies on loopback) without the demo seed, logging only warnings.</summary>
internal sealed class BenchApp(ProvisionedDatabase database) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseBenchDatabase(database);
    }
}
