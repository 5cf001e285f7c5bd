using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Infrastructure;

/// <summary>
/// One app, one SMTP sink and one Chromium for every browser test (starting Chromium costs a second or two).
/// Debian's chromium at /usr/bin/chromium (or BOOKING_CHROMIUM); Playwright's own browser download is never used.
/// Each test takes a fresh browser context (own cookies) from <see cref="NewPageAsync"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public BrowserApp App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public SmtpTestServer Smtp { get; private set; } = null!;

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("BOOKING_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"No Chromium at {ChromiumPath}. Install Debian's package (apt-get install chromium); .ci/run does.");
        }

        Smtp = await SmtpTestServer.StartAsync();
        App = new BrowserApp(await TestDatabaseServer.CreateDatabaseAsync("browser"), Smtp);
        App.Start();

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run"],
        });
    }

    /// <summary>A new page in its own context (no shared cookies), at the given viewport width.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-AU",
            TimezoneId = "Europe/London",
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        if (Smtp is not null)
        {
            await Smtp.DisposeAsync();
        }
    }
}

/// <summary>All browser tests share one app and one Chromium, and run one at a time (2-core machines).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
