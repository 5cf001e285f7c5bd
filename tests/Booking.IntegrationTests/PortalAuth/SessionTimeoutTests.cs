using System.Net;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>Portal sessions: 1 h idle and 12 h absolute, enforced by the server (the fake clock drives both).</summary>
public sealed class SessionTimeoutTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    [Fact]
    public async Task An_idle_hour_ends_the_session_but_activity_keeps_it()
    {
        var biz = await fixture.App.SignUpBusinessAsync("idle");
        var client = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await client.RegisterAsync(biz.Slug, $"idle@{biz.Slug}.example")).StatusCode);

        fixture.Clock.Advance(TimeSpan.FromMinutes(40));
        Assert.Equal(HttpStatusCode.OK, (await Me(client, biz.Slug)).StatusCode); // past half the idle time: renewed

        fixture.Clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal(HttpStatusCode.OK, (await Me(client, biz.Slug)).StatusCode); // 50 min after the renewal

        fixture.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Me(client, biz.Slug)).StatusCode);
    }

    [Fact]
    public async Task Twelve_hours_end_the_session_however_active_it_is()
    {
        var biz = await fixture.App.SignUpBusinessAsync("absolute");
        var client = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await client.RegisterAsync(biz.Slug, $"busy@{biz.Slug}.example")).StatusCode);

        for (var i = 0; i < 15; i++) // 15 × 45 min = 11 h 15 min, never idle for an hour
        {
            fixture.Clock.Advance(TimeSpan.FromMinutes(45));
            Assert.Equal(HttpStatusCode.OK, (await Me(client, biz.Slug)).StatusCode);
        }

        fixture.Clock.Advance(TimeSpan.FromMinutes(45)); // 12 h since sign-in
        Assert.Equal(HttpStatusCode.Unauthorized, (await Me(client, biz.Slug)).StatusCode);
    }

    private static Task<HttpResponseMessage> Me(HttpClient client, string slug) =>
        client.GetAsync(new Uri($"/api/v1/portal/me?name={slug}", UriKind.Relative));
}
