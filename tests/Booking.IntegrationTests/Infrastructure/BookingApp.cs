using System.Collections.Concurrent;
using System.Net.Http.Json;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Storage.Internal;

namespace Booking.IntegrationTests.Infrastructure;

/// <summary>
/// The whole app (Hangfire server, relays and all) against its own fresh database. Tests make their own
/// businesses, so they share an app without seeing each other's data. Disposed, it closes its idle pooled connections
/// (see <see cref="DisposeAsync"/>).
/// </summary>
public class BookingApp : WebApplicationFactory<Program>
{
    /// <summary>Undisposed apps per database: a second instance on a database (ReferenceDataCacheTests) leaves the first's pools alone.</summary>
    private static readonly ConcurrentDictionary<string, int> AppsOnDatabase = new();

    private readonly Dictionary<string, string?> settings = new();
    private bool started;
    private int released;

    public BookingApp(ProvisionedDatabase database, FakeTimeProvider? clock = null)
    {
        Database = database;
        Clock = clock;
        AppsOnDatabase.AddOrUpdate(database.Database, 1, (_, n) => n + 1);
        settings["ConnectionStrings:Booking"] = database.AppConnectionString;
        settings["ConnectionStrings:BookingOwner"] = database.OwnerConnectionString;
        settings["Database:AppRole"] = database.AppRole;
        settings["Database:MigrateOnStart"] = "true";
        settings["Demo:Seed"] = "false";
        settings[Booking.Host.Infrastructure.KeyRingProtection.PathKey] = KeyCertificates.Shared; // required outside Development
        // As before Development made a key file: one key per app, and nothing written under the repository's .data/.
        settings[Booking.Host.Infrastructure.SignInCodeKey.Key] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        // Every test signs up businesses and registers clients from loopback: the per-address caps of production would
        // refuse them. A test of those caps lowers them for an app of its own (SignUpLimitTests).
        settings["Tenancy:SignUpsPerAddressPerHour"] = "1000000";
        settings["PortalAuth:RegistrationsPerIpPerHour"] = "1000000";
        settings["PortalAuth:PlatformRegistrationsPerIpPerHour"] = "1000000";
        // Likewise every test's wrong passwords come from loopback; PasswordSprayTests lowers the cap for an app of its own.
        settings["PasswordSpray:MaxFailures"] = "1000000";
    }

    public ProvisionedDatabase Database { get; }

    public FakeTimeProvider? Clock { get; }

    /// <summary>What the app logged at warning and above.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>Extra configuration, set before the first client is created.</summary>
    public BookingApp With(string key, string? value)
    {
        settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddTransient<IStartupFilter, InProcessRequestsFromLoopback>();
            services.AddSingleton<Serilog.Core.ILogEventSink>(Logs);
            if (Clock is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(Clock);
            }
        });
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        started = true;
        return host;
    }

    /// <summary>
    /// Stops the app, then closes the idle connections its pools keep to this database. Npgsql keeps an idle pooled
    /// connection for 5 minutes and the pools outlive the app (Npgsql's pools are per process, EF's data sources live
    /// in EF's process-wide service provider cache), so every finished fixture used to leave its connections open on
    /// the throwaway cluster until the run ended or they timed out. Only this app's own pools are cleared, never all
    /// (NpgsqlConnection.ClearAllPools): test classes run in parallel, each with its own database and pools.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref released, 1) == 1)
        {
            await base.DisposeAsync();
            return;
        }

        var last = AppsOnDatabase.AddOrUpdate(Database.Database, 0, (_, n) => n - 1) == 0;
        (List<NpgsqlDataSource> DataSources, List<string> ConnectionStrings)? own;
        try
        {
            own = started && last ? OwnPools() : null; // while the app's services are still there
        }
        finally
        {
            await base.DisposeAsync();
        }

        foreach (var dataSource in own?.DataSources ?? [])
        {
            dataSource.Clear();
        }

        foreach (var connectionString in own?.ConnectionStrings ?? [])
        {
            using var connection = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(connection);
        }
    }

    private static string PasswordLast(string connectionString)
    {
        var withPassword = new NpgsqlConnectionStringBuilder(connectionString);
        var withoutPassword = new NpgsqlConnectionStringBuilder(connectionString) { Password = null };
        return new NpgsqlConnectionStringBuilder(withoutPassword.ConnectionString) { Password = withPassword.Password }.ConnectionString;
    }

    /// <summary>The pools this app used, read while its services are still there.</summary>
    private (List<NpgsqlDataSource> DataSources, List<string> ConnectionStrings) OwnPools()
    {
        var options = Services.GetRequiredService<DatabaseOptions>();

        // Npgsql's own pools (one per connection string): Hangfire, the cache's LISTEN, the migrator's lock, tests' SQL.
        List<string> connectionStrings =
        [
            Database.AppConnectionString, Database.OwnerConnectionString, options.AppConnectionString,
            TenantConnectionInterceptor.PoolFor(options.AppConnectionString),
            .. options.OwnerConnectionString is null ? [] : new[] { options.OwnerConnectionString },
        ];

        // Npgsql finds a pool by the string as written. Hangfire's LISTEN connections (long polling) come from the app's
        // string written again with the password last: a key of its own, a pool of its own. Cleared in that form too.
        connectionStrings.AddRange(connectionStrings.Select(PasswordLast).ToList());

        // EF's contexts use a data source EF builds per connection string (UseNodaTime needs one), which
        // NpgsqlConnection.ClearPool does not reach: the app's pooled contexts and the migrator's owner contexts.
        var dataSources = new HashSet<NpgsqlDataSource>();
        foreach (var module in Services.GetServices<IModuleDatabase>())
        {
            var factoryType = typeof(IDbContextFactory<>).MakeGenericType(module.ContextType);
            var factory = Services.GetRequiredService(factoryType);
            using (var context = (DbContext)factoryType.GetMethod(nameof(IDbContextFactory<DbContext>.CreateDbContext), Type.EmptyTypes)!.Invoke(factory, null)!)
            {
                AddDataSourceOf(context);
            }

            if (options.OwnerConnectionString is not null)
            {
                using var context = module.Create(Services, options.OwnerConnectionString);
                AddDataSourceOf(context);
            }
        }

        return ([.. dataSources], connectionStrings.Distinct().ToList());

        void AddDataSourceOf(DbContext context)
        {
#pragma warning disable EF1001 // EF offers no public way to the data source it built for a context; tests only.
            if ((context.GetService<IRelationalConnection>() as INpgsqlRelationalConnection)?.DataSource is NpgsqlDataSource dataSource)
#pragma warning restore EF1001
            {
                dataSources.Add(dataSource);
            }
        }
    }

    public HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ClientOptions.BaseAddress, AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs up a fresh business (unique slug) and returns a client signed in as its owner.</summary>
    public async Task<TestBusiness> SignUpBusinessAsync(string? slugPrefix = null, string timeZone = "Australia/Sydney", string countryCode = "AU", string? currency = null)
    {
        var slug = $"{slugPrefix ?? "biz"}-{Guid.NewGuid().ToString("N")[..10]}";
        var client = NewClient();
        var email = $"owner@{slug}.example";
        var response = await client.PostAsJsonAsync("/api/v1/tenants", new
        {
            slug,
            name = $"Business {slug}",
            timeZone,
            countryCode, // its currency is the country's (AU → AUD, JP → JPY, KW → KWD) unless given
            currency,
            owner = new { name = "Olive Owner", email, password = TestBusiness.OwnerPassword },
        });
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Sign-up failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var body = (await response.Content.ReadFromJsonAsync<SignUpAnswer>())!;
        return new TestBusiness(body.Id, slug, email, client) { Database = Database.Database, CountryCode = countryCode };
    }

    private sealed record SignUpAnswer(Guid Id, string Slug, string PortalUrl, string StaffSignInUrl);
}

public sealed record TestBusiness(Guid Id, string Slug, string OwnerEmail, HttpClient Owner)
{
    public const string OwnerPassword = "correct horse battery staple 2026";

    /// <summary>The business's database (its name on the test server), for helpers that set facts up directly.</summary>
    public string? Database { get; init; }

    /// <summary>The country it signed up with: by default it texts only mobiles there (decision 250).</summary>
    public string CountryCode { get; init; } = "AU";

    /// <summary>
    /// Every staff member's sign-in email proven, as a used reset link would do: owners and admins are then emailed the
    /// booking and cancellation requests. For tests of what those emails say, not of the proof (WithheldAndStandInTests).
    /// </summary>
    public async Task ProveStaffEmailsAsync()
    {
        if (Database is not null)
        {
            await Sql.AdminExecAsync(Database, "UPDATE tenancy.staff_members SET email_proven_at = now() WHERE tenant_id = @t", ("t", Id));
        }
    }

    /// <summary>
    /// An address (a diary contact the helpers create) confirmed by its person, as the emailed link would do: the
    /// business then sends it no confirmation email and mails it as before. For tests of what the emails and pages do
    /// with a diary, not of the confirmation (DiaryContactConfirmationTests).
    /// </summary>
    public async Task ConfirmAddressAsync(string address)
    {
        if (Database is null)
        {
            return;
        }

        await Sql.AdminExecAsync(Database, """
            INSERT INTO notifications.address_confirmations (tenant_id, address, added_at, confirmed_at)
            VALUES (@t, @a, now(), now())
            ON CONFLICT (tenant_id, address) DO UPDATE SET confirmed_at = now(), declined_at = NULL
            """, ("t", Id), ("a", address.Trim().ToLowerInvariant()));
    }

    /// <summary>
    /// The business saves its notification choices with every booking email off (standard texts, no extra addresses,
    /// staff changes not told), through the settings API as an owner would: what a business that never saved them had
    /// before decision 352. For tests about something else whose counts or waits on a diary contact's mailbox would meet
    /// the new-business defaults' "New booking" and "Cancellation" emails; a test about those emails saves its own.
    /// </summary>
    public async Task BookingEmailsOffAsync()
    {
        var response = await Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = false, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}

/// <summary>The app most tests share: one database, one Hangfire server, for the whole run.</summary>
public sealed class SharedApp : IAsyncLifetime
{
    private static readonly Lazy<Task<BookingApp>> Instance = new(async () =>
    {
        // Every class on the shared app asks for sign-in codes from loopback: production's 20 an hour per IP is spent
        // within one run as the suite grows, and a later class's code is refused (the per-IP cap's own tests run on
        // AppWithTestIp, with addresses of their own).
        var app = new BookingApp(await TestDatabaseServer.CreateDatabaseAsync("shared")).With("PortalAuth:CodesPerIpPerHour", "1000000");
        _ = app.Server; // start it: migrations run once, here
        return app;
    });

    public BookingApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await Instance.Value;

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// The test switch for local-only routes (<c>/dev/*</c>, the jobs dashboard): the in-process test server gives its
/// requests no remote address, which the app rightly counts as not local. A request here comes from the test run on
/// this machine, so one without an address is given loopback's, before anything else sees it. A test that says where
/// its request comes from (X-Test-Ip, <see cref="PortalAuth.TestIpFilter"/>) is counted from there.
/// </summary>
internal sealed class InProcessRequestsFromLoopback : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress ??= System.Net.IPAddress.Loopback;
            return nextMiddleware(context);
        });
        next(app);
    };
}
