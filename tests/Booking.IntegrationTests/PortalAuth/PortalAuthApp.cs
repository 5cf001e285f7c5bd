using System.Collections.Concurrent;
using System.Net;
using Booking.BuildingBlocks.Tenancy;
using Booking.IntegrationTests.Infrastructure;
using Booking.PortalAuth.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// An app of its own for the sign-in limits: a fake clock (so 30 s cooldowns and 10 min expiries pass at once),
/// a test IP per client (header X-Test-Ip, so the per-IP cap of one test does not spill into another), and
/// portal rules a test can set per business (until Tenancy's settings are wired in).
/// </summary>
public class PortalAuthApp : IAsyncLifetime
{
    private readonly (string Key, string Value)[] settings;

    public PortalAuthApp()
        : this([])
    {
    }

    /// <param name="settings">Configuration of this app's own (<see cref="BookingApp.With"/>).</param>
    protected PortalAuthApp(params (string Key, string Value)[] settings) => this.settings = settings;

    public BookingApp App { get; private set; } = null!;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public static ConcurrentDictionary<Guid, PortalRules> Rules { get; } = new();

    public async Task InitializeAsync()
    {
        // The shared app provisions the test roles; creating them from two fixtures at once races (23505).
        await new SharedApp().InitializeAsync();
        App = new LimitsApp(await TestDatabaseServer.CreateDatabaseAsync("portalauth"), Clock);
        foreach (var (key, value) in settings)
        {
            App.With(key, value);
        }

        _ = App.Server;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    public HttpClient NewClient(string? ip = null)
    {
        var client = App.NewClient();
        client.DefaultRequestHeaders.Add("X-Test-Ip", ip ?? $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}");
        return client;
    }

    private sealed class LimitsApp(Booking.BuildingBlocks.Postgres.ProvisionedDatabase database, FakeTimeProvider clock) : BookingApp(database, clock)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.AddTransient<IStartupFilter, TestIpFilter>();
                services.RemoveAll<IPortalRules>();
                services.AddScoped<IPortalRules, SettableRules>();
            });
        }
    }

    private sealed class SettableRules(ITenantContext tenant) : IPortalRules
    {
        public ValueTask<PortalRules> GetAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(Rules.GetValueOrDefault(tenant.TenantId ?? Guid.Empty, PortalRules.Default));
    }
}

/// <summary>
/// <see cref="PortalAuthApp"/> with no Hangfire server: the outbox relays still hand events over, but no job runs, so no
/// consumer sees them. For what must hold before an event arrives (a state the request made, not its event).
/// </summary>
public sealed class PortalAuthAppWithoutJobs() : PortalAuthApp(("Hangfire:Server", "false"));

/// <summary>Sets the connection's remote address from the X-Test-Ip header (the address the app sees the request come from).</summary>
internal sealed class TestIpFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (IPAddress.TryParse(context.Request.Headers["X-Test-Ip"], out var ip))
            {
                context.Connection.RemoteIpAddress = ip;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
