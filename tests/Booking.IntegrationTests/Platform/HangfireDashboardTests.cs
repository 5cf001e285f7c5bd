using System.Net;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Microsoft.AspNetCore.Hosting;
using Serilog.Events;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// Outside Development the jobs dashboard is not mapped: over plain HTTP, where its antiforgery call used to throw (the
/// cookie must be Secure) and answer 500 with an error in the log, <c>/hangfire</c> is a quiet 404 like any unknown path.
/// (In Development, loopback still sees it: <c>PlatformCodeLimitTests</c>.)
/// </summary>
public sealed class HangfireDashboardTests
{
    [Fact]
    public async Task In_Production_over_plain_http_the_dashboard_is_404_and_logs_no_error()
    {
        // Its own database: a Production instance has no SMTP server, so its workers must not take the shared app's mail.
        await using var app = new ProductionApp(await TestDatabaseServer.CreateDatabaseAsync("hangfire"));
        app.With(Booking.BuildingBlocks.Web.PublicOrigin.Key, "https://book.example");
        await AppStarts.StartAsync(app);
        var errorsAtStart = app.Logs.All(LogEventLevel.Error).Count;

        var client = app.NewClient(); // http://localhost
        foreach (var path in new[] { "/hangfire", "/hangfire/", "/hangfire/jobs/enqueued", "/hangfire/stats" })
        {
            var get = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(get.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)get.StatusCode}");
        }

        var post = await client.PostAsync(new Uri("/hangfire/stats", UriKind.Relative), new FormUrlEncodedContent([]));
        Assert.True(post.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, $"POST: {(int)post.StatusCode}");
        Assert.Equal(errorsAtStart, app.Logs.All(LogEventLevel.Error).Count);
    }

    private sealed class ProductionApp(Booking.BuildingBlocks.Postgres.ProvisionedDatabase database) : BookingApp(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }
}
