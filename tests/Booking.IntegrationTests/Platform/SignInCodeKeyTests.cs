using Booking.Host.Infrastructure;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// The one-time codes' key (<see cref="SignInCodeKey"/>): a developer's run makes one under .data/keys/ once and keeps
/// it, so it has nothing to warn of; outside Development nothing is made, and a missing key is warned of at start.
/// </summary>
public sealed class SignInCodeKeyTests
{
    [Fact]
    public async Task Development_makes_one_key_under_data_however_many_apps_start_at_once_and_reads_it_on_every_run_after()
    {
        var root = Path.Combine(Path.GetTempPath(), "booking-test-code-key", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "Booking.sln"), ""); // the repository root, as .data/ is found
        var contentRoot = Directory.CreateDirectory(Path.Combine(root, "src", "Host")).FullName;
        try
        {
            var path = SignInCodeKey.DevelopmentPath(contentRoot);
            Assert.Equal(Path.Combine(root, ".data", "keys", "code-hash.key"), path);
            var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => SignInCodeKey.ReadOrCreate(path))));
            Assert.Single(keys.Distinct());
            Assert.Equal(32, Convert.FromBase64String(keys[0]).Length);
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary file left behind
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            // A run after: the configuration gets the kept key.
            var development = new ConfigurationManager();
            SignInCodeKey.UseDevelopmentKey(development, Environment("Development", contentRoot));
            Assert.Equal(keys[0], development[SignInCodeKey.Key]);

            // A key configured wins, and nothing else is read or made for it.
            var configured = new ConfigurationManager();
            configured.AddInMemoryCollection([new(SignInCodeKey.Key, "set-by-the-developer")]);
            File.Delete(path);
            SignInCodeKey.UseDevelopmentKey(configured, Environment("Development", contentRoot));
            Assert.Equal("set-by-the-developer", configured[SignInCodeKey.Key]);
            Assert.False(File.Exists(path));

            // Outside Development nothing is made: the operator sets the key (docs/operations.md).
            var production = new ConfigurationManager();
            SignInCodeKey.UseDevelopmentKey(production, Environment("Production", contentRoot));
            Assert.Null(production[SignInCodeKey.Key]);
            Assert.False(File.Exists(path));

            // A damaged file stops the start, naming it, instead of hashing codes with a key nobody chose.
            File.WriteAllText(path, "not a key");
            var damaged = Assert.Throws<InvalidOperationException>(() => SignInCodeKey.UseDevelopmentKey(new ConfigurationManager(), Environment("Development", contentRoot)));
            Assert.Contains(path, damaged.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Outside_development_a_missing_key_is_warned_of_at_start_before_any_code_is_sent()
    {
        // Its own database: a Production instance has no SMTP server, so its workers must not take the shared app's mail.
        await using var app = new ProductionApp(await TestDatabaseServer.CreateDatabaseAsync("codekey"));
        app.With(Booking.BuildingBlocks.Web.PublicOrigin.Key, "https://book.example").With(SignInCodeKey.Key, null);
        await AppStarts.StartAsync(app);

        var warning = Assert.Single(app.Logs.All(), line => line.Contains(SignInCodeKey.Key, StringComparison.Ordinal));
        Assert.StartsWith("[Warning]", warning, StringComparison.Ordinal);
        Assert.Contains("docs/operations.md", warning, StringComparison.Ordinal);
    }

    private static HostingEnvironment Environment(string name, string contentRoot) => new() { EnvironmentName = name, ContentRootPath = contentRoot };

    private sealed class ProductionApp(Booking.BuildingBlocks.Postgres.ProvisionedDatabase database) : BookingApp(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }
}
