using Booking.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// An app of its own, on its own database, with some settings of its own; each request may say where it comes from
/// (header X-Test-Ip, <see cref="TestIpFilter"/>).
/// </summary>
public abstract class AppWithTestIp(string database, params (string Key, string Value)[] settings) : IAsyncLifetime
{
    public BookingApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The shared app provisions the test roles; creating them from two fixtures at once races (23505).
        await new SharedApp().InitializeAsync();
        App = new WithTestIp(await TestDatabaseServer.CreateDatabaseAsync(database));
        foreach (var (key, value) in settings)
        {
            App.With(key, value);
        }

        _ = App.Server;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    private sealed class WithTestIp(Booking.BuildingBlocks.Postgres.ProvisionedDatabase database) : BookingApp(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddTransient<IStartupFilter, TestIpFilter>());
        }
    }
}

/// <summary>
/// An app behind one trusted proxy (10.9.9.9) and a trusted network (172.16.0.0/12), whose businesses may send 3
/// sign-in codes an hour. One app for both (each app holds its own connections to the test cluster), with no
/// background work: nothing its tests check runs in the background.
/// </summary>
public sealed class EdgeApp() : AppWithTestIp("edge",
    ("ForwardedHeaders:KnownProxies:0", "10.9.9.9"),
    ("ForwardedHeaders:KnownNetworks", "172.16.0.0/12"),
    ("PortalAuth:CodesPerTenantPerHour", "3"),
    ("Hangfire:Server", "false"));

/// <summary>The test classes that use <see cref="EdgeApp"/> share one.</summary>
[CollectionDefinition(nameof(EdgeApp))]
public sealed class EdgeCollection : ICollectionFixture<EdgeApp>;
