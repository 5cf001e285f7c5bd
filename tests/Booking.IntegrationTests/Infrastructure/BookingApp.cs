using System.Net.Http.Json;
using Booking.BuildingBlocks.Postgres;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Booking.IntegrationTests.Infrastructure;

/// <summary>
/// The whole app (Hangfire server, relays and all) against its own fresh database. Tests make their own
/// businesses, so they share an app without seeing each other's data.
/// </summary>
public class BookingApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings = new();

    public BookingApp(ProvisionedDatabase database, FakeTimeProvider? clock = null)
    {
        Database = database;
        Clock = clock;
        settings["ConnectionStrings:Booking"] = database.AppConnectionString;
        settings["ConnectionStrings:BookingOwner"] = database.OwnerConnectionString;
        settings["Database:AppRole"] = database.AppRole;
        settings["Database:MigrateOnStart"] = "true";
        settings["Demo:Seed"] = "false";
    }

    public ProvisionedDatabase Database { get; }

    public FakeTimeProvider? Clock { get; }

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
            if (Clock is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(Clock);
            }
        });
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
        return new TestBusiness(body.Id, slug, email, client);
    }

    private sealed record SignUpAnswer(Guid Id, string Slug, string PortalUrl, string StaffSignInUrl);
}

public sealed record TestBusiness(Guid Id, string Slug, string OwnerEmail, HttpClient Owner)
{
    public const string OwnerPassword = "correct horse battery staple 2026";
}

/// <summary>The app most tests share: one database, one Hangfire server, for the whole run.</summary>
public sealed class SharedApp : IAsyncLifetime
{
    private static readonly Lazy<Task<BookingApp>> Instance = new(async () =>
    {
        var app = new BookingApp(await TestDatabaseServer.CreateDatabaseAsync("shared"));
        _ = app.Server; // start it: migrations run once, here
        return app;
    });

    public BookingApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await Instance.Value;

    public Task DisposeAsync() => Task.CompletedTask;
}
