using Booking.BuildingBlocks.Postgres;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.BrowserTests.Infrastructure;

/// <summary>
/// The whole app on a real Kestrel port (a browser cannot reach the in-memory test server), with its own database
/// and a real SMTP server on loopback, so mail that pages cause arrives where a test can read it.
/// </summary>
public sealed class BrowserApp : BookingApp
{
    public BrowserApp(ProvisionedDatabase database, SmtpTestServer smtp)
        : base(database)
    {
        Smtp = smtp;
        With("Smtp:Host", "127.0.0.1");
        With("Smtp:Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        With("Smtp:Security", "None");
        With("Smtp:FromAddress", "bookings@booking.test");
        With("Smtp:TimeoutSeconds", "5");
        UseKestrel(0);
    }

    public SmtpTestServer Smtp { get; }

    /// <summary>http://127.0.0.1:port, no trailing slash.</summary>
    public string BaseUrl { get; private set; } = "";

    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        ClientOptions.BaseAddress = new Uri(BaseUrl + "/"); // the factory's clients (NewClient, SignUpBusinessAsync) go to Kestrel
    }

    public string Url(string pathAndQuery) => BaseUrl + pathAndQuery;
}
