using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Hangfire's configuration is process-global (GlobalConfiguration, JobStorage.Current): two apps configuring at
/// the same moment can end up with each other's job storage. Start these apps one at a time, after the shared one.
/// </summary>
internal static class AppStarts
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task StartAsync(BookingApp app)
    {
        await new SharedApp().InitializeAsync();
        await Gate.WaitAsync();
        try
        {
            _ = app.Server;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The same for an app on real Kestrel (<c>UseKestrel</c> called): its server's limits are the production ones.</summary>
    public static async Task StartServerAsync(BookingApp app)
    {
        await new SharedApp().InitializeAsync();
        await Gate.WaitAsync();
        try
        {
            app.StartServer();
        }
        finally
        {
            Gate.Release();
        }
    }
}

/// <summary>The classes that start their own apps and SMTP servers run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class NotificationAppsCollection
{
    public const string Name = "Notification apps";
}
