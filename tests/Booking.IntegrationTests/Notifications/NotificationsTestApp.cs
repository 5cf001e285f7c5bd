using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Jobs;
using Booking.BuildingBlocks.Outbox;
using Booking.BuildingBlocks.Postgres;
using Booking.BuildingBlocks.Tenancy;
using Booking.IntegrationTests.Infrastructure;
using Booking.Notifications.Delivery;
using Booking.Notifications.Rendering;
using Booking.PortalAuth.Contracts;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// The whole app sending to a real SMTP server on loopback, with quick retries and sweeps. The other modules'
/// contract queries are answered by <see cref="TestFacts"/> (events can then be delivered without setting up a
/// business), unless <c>realFacts</c> asks for the real handlers (end-to-end tests).
/// </summary>
public sealed class NotificationsTestApp : BookingApp
{
    /// <summary>The logo version the stand-in facts give every business (emails link the logo with it).</summary>
    public const string LogoVersion = "0123456789abcdef0123456789abcdef";

    private readonly bool realFacts;

    public NotificationsTestApp(ProvisionedDatabase database, SmtpTestServer smtp, bool realFacts = false)
        : base(database)
    {
        this.realFacts = realFacts;
        With("Smtp:Host", "127.0.0.1");
        With("Smtp:Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        With("Smtp:Security", "None");
        With("Smtp:FromAddress", "bookings@booking.test");
        With("Smtp:TimeoutSeconds", "5");
        With("Notifications:RetryBaseDelaySeconds", "0.5");
        With("Notifications:MaxRetryDelaySeconds", "2");
        With("Notifications:MaxAttempts", "40");
        With("Notifications:SweepIntervalSeconds", "1");
        With("Notifications:PublicBaseUrl", "https://booking.test");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (realFacts)
        {
            return;
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<INotificationFacts>();
            services.AddScoped<INotificationFacts, TestFacts>();
        });
    }

    /// <summary>A reset link as PortalAuth and Tenancy put it in their events: encrypted with the app's Data Protection keys.</summary>
    public static string Protected(BookingApp app, string url) =>
        Booking.BuildingBlocks.Security.ProtectedResetLinks.Protect(app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(), url);

    /// <summary>Publishes an event the way the outbox relay does: an IntegrationEventJob in Hangfire.</summary>
    public static void Deliver(BookingApp app, IIntegrationEvent evt)
    {
        var jobs = app.Services.GetRequiredService<IBackgroundJobClient>();
        var type = evt.GetType();
        var json = JsonSerializer.Serialize(evt, type, OutboxMessage.Json);
        var typeName = OutboxMessage.TypeName(type);
        var tenantId = evt.TenantId;
        var eventId = evt.EventId;
        jobs.Enqueue<IntegrationEventJob>(j => j.DeliverAsync(tenantId, eventId, typeName, json, CancellationToken.None));
    }
}

/// <summary>Stand-in answers for GetClients, GetService, GetDiaries and GetPortalSettings.</summary>
public sealed class TestFacts(ITenantContext tenant, Booking.BuildingBlocks.Web.PublicOrigin origin) : INotificationFacts
{
    public static readonly ConcurrentDictionary<Guid, ClientView> Clients = new();
    public static readonly ConcurrentDictionary<Guid, ServiceView> Services = new();
    public static readonly ConcurrentDictionary<Guid, DiaryView> Diaries = new();

    /// <summary>Pets by id that no client lists (removed ones): GetPetNames still names them.</summary>
    public static readonly ConcurrentDictionary<Guid, string> RemovedPets = new();

    public Task<ClientView?> ClientAsync(Guid clientId, CancellationToken cancellationToken) =>
        Task.FromResult(Clients.TryGetValue(clientId, out var c) ? c : null);

    public Task<ServiceView?> ServiceAsync(Guid serviceId, CancellationToken cancellationToken) =>
        Task.FromResult(Services.TryGetValue(serviceId, out var s) ? s : null);

    public Task<DiaryView?> DiaryAsync(Guid diaryId, CancellationToken cancellationToken) =>
        Task.FromResult(Diaries.TryGetValue(diaryId, out var d) ? d : null);

    public Task<string?> PetNameAsync(Guid petId, CancellationToken cancellationToken) =>
        Task.FromResult(RemovedPets.TryGetValue(petId, out var name) ? name : null);

    public Task<BusinessLook> LookAsync(CancellationToken cancellationToken) =>
        Task.FromResult(BusinessLooks.For(tenant.Current!, origin.Value, new Booking.Tenancy.Contracts.BrandingView("#0a7d5a", true, NotificationsTestApp.LogoVersion)));
}

/// <summary>One SMTP server and one app for a test class.</summary>
public sealed class NotificationsFixture : IAsyncLifetime
{
    public SmtpTestServer Smtp { get; private set; } = null!;

    public NotificationsTestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Smtp = await SmtpTestServer.StartAsync();
        App = new NotificationsTestApp(await CreateDatabaseAsync("notify"), Smtp);
        await AppStarts.StartAsync(App);
    }

    /// <summary>Fixtures that start together race to create the run's shared roles; a second try finds them made.</summary>
    public static async Task<ProvisionedDatabase> CreateDatabaseAsync(string purpose)
    {
        await new SharedApp().InitializeAsync(); // the shared app makes the run's roles first
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TestDatabaseServer.CreateDatabaseAsync(purpose);
            }
            catch (Npgsql.PostgresException ex) when (ex.SqlState is Npgsql.PostgresErrorCodes.UniqueViolation or Npgsql.PostgresErrorCodes.DuplicateObject && attempt < 5)
            {
                await Task.Delay(200 * attempt);
            }
        }
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>A business with a client (with a pet, Rex: <see cref="PetId"/>), a service and a diary the facts know about.</summary>
public sealed record NotifyScene(TestBusiness Business, Guid ClientId, Guid ServiceId, Guid DiaryId, string ClientEmail, string DiaryContact)
{
    public Guid PetId { get; init; }

    public static NotifyScene Create(TestBusiness business, string clientFirstName = "Ana", string? clientEmail = null)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var pet = new PetView(Guid.NewGuid(), "Rex", "dog", null) { Notes = "Bites when nervous" };
        var client = new ClientView(Guid.NewGuid(), clientFirstName, "O'Neil", clientEmail ?? $"client-{tag}@example.com", "+61412000111", "active", [pet], MobileVerified: true);
        var service = new ServiceView(Guid.NewGuid(), "Deep tissue massage", "", 60, 0, new Money(90, "AUD"), true, false, [], []);
        var diary = new DiaryView(Guid.NewGuid(), "Dr Lee", $"diary-{tag}@example.com", true);
        TestFacts.Clients[client.Id] = client;
        TestFacts.Services[service.Id] = service;
        TestFacts.Diaries[diary.Id] = diary;
        return new NotifyScene(business, client.Id, service.Id, diary.Id, client.Email!, diary.ContactEmail) { PetId = pet.Id };
    }

    public async Task<Guid> CreateTemplateAsync(string name, string subject, string body)
    {
        var response = await Business.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name, subject, body });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task PutSettingsAsync(object settings)
    {
        var response = await Business.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", settings);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}

public static class NotificationSettingsApi
{
    /// <summary>
    /// Marks extra addresses as confirmed by their people, as the emailed link would (tests of what the booking emails
    /// say, not of the confirmation): marked before the settings are saved, the save sends them no confirmation.
    /// </summary>
    public static async Task ConfirmAddressesAsync(this BookingApp app, Guid tenantId, params string[] addresses)
    {
        foreach (var address in addresses)
        {
            await Sql.AdminExecAsync(app.Database.Database, """
                INSERT INTO notifications.address_confirmations (tenant_id, address, added_at, confirmed_at)
                VALUES (@t, @a, now(), now())
                ON CONFLICT (tenant_id, address) DO UPDATE SET confirmed_at = now(), declined_at = NULL
                """, ("t", tenantId), ("a", address.Trim().ToLowerInvariant()));
        }
    }

    /// <summary>
    /// The scene's diary contact, confirmed by its person as the emailed link would (a diary contact is mailed only once
    /// confirmed): for tests of what the emails say, not of the confirmation.
    /// </summary>
    public static async Task<NotifyScene> ContactConfirmedAsync(this NotifyScene scene, BookingApp app)
    {
        await app.ConfirmAddressesAsync(scene.Business.Id, scene.DiaryContact);
        return scene;
    }

    /// <summary>The diary contact's two switches with the default templates, no extra addresses; staff changes as asked.</summary>
    public static async Task NotifyDiaryContactAsync(this TestBusiness business, bool onNew, bool onCancelled, bool includeStaffChanges)
    {
        var response = await business.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = onNew, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = onCancelled, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges,
        });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
