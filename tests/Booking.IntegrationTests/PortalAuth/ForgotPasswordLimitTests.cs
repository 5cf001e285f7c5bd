using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Forgot-password: at most 3 links an hour per address (then still 202, nothing sent), 20 requests an hour per IP, and
/// the request does the same database work for a registered address as for an unknown one.
/// </summary>
public sealed class ForgotPasswordLimitTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    [Fact]
    public async Task The_fourth_request_in_an_hour_for_one_address_sends_nothing_and_still_answers_202_and_other_addresses_are_not_held_back()
    {
        var biz = await App.SignUpBusinessAsync();
        var (email, other) = (PortalAuthHelpers.NewEmail(), PortalAuthHelpers.NewEmail());
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(biz.Slug, email)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(biz.Slug, other)).StatusCode);

        var bodies = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var answer = await ForgotAsync(fixture.NewClient(), biz.Slug, email);
            Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
            bodies.Add(await answer.Content.ReadAsStringAsync());
        }

        Assert.Single(bodies.Distinct());
        Assert.Equal(3L, await HandedOnAsync(email));
        // Each handed-on request becomes one link; wait for the three, then there is no fourth.
        await Eventually.ReturnsAsync(() => LinksAsync(email), n => n >= 3, what: "three reset links");
        await WaitForBackgroundAsync(biz.Id);
        Assert.Equal(3L, await LinksAsync(email));

        // Another address of the same business is counted on its own.
        Assert.Equal(HttpStatusCode.Accepted, (await ForgotAsync(fixture.NewClient(), biz.Slug, other)).StatusCode);
        await App.ResetEventAsync(other);

        // An hour after the first, the address gets links again.
        fixture.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Accepted, (await ForgotAsync(fixture.NewClient(), biz.Slug, email)).StatusCode);
        await Eventually.ReturnsAsync(() => LinksAsync(email), n => n == 4, what: "a fourth reset link after the hour");
    }

    [Fact]
    public async Task One_IP_asking_for_more_than_20_addresses_in_an_hour_is_rate_limited()
    {
        var biz = await App.SignUpBusinessAsync();
        var ip = $"10.77.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await ForgotAsync(fixture.NewClient(ip), biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);
        }

        var refused = await ForgotAsync(fixture.NewClient(ip), biz.Slug, PortalAuthHelpers.NewEmail());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate-limited", await refused.KindAsync());
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Accepted, (await ForgotAsync(fixture.NewClient(), biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);
    }

    [Fact]
    public async Task The_request_runs_the_same_statements_for_a_registered_address_as_for_an_unknown_one()
    {
        var biz = await App.SignUpBusinessAsync();
        var known = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(biz.Slug, known)).StatusCode);
        var ip = $"10.78.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";
        using var recorder = new SqlRecorder(App.Services.GetRequiredService<IHttpContextAccessor>());

        // The first request of a business may read what later ones find cached (the business, its settings).
        await recorder.RecordAsync(fixture.NewClient(ip), "warm-up", c => ForgotAsync(c, biz.Slug, PortalAuthHelpers.NewEmail()));
        var unknownSql = await recorder.RecordAsync(fixture.NewClient(ip), "unknown", c => ForgotAsync(c, biz.Slug, PortalAuthHelpers.NewEmail()));
        var knownSql = await recorder.RecordAsync(fixture.NewClient(ip), "known", c => ForgotAsync(c, biz.Slug, known));

        Assert.Contains(knownSql, c => c.Contains("password_reset_requests", StringComparison.Ordinal) && c.Contains("INSERT", StringComparison.Ordinal));
        Assert.DoesNotContain(knownSql, c => c.Contains("portalauth.clients", StringComparison.Ordinal));
        Assert.Equal(unknownSql, knownSql);
        // The registered address still gets its link, from the background.
        await App.ResetEventAsync(known);
    }

    private static Task<HttpResponseMessage> ForgotAsync(HttpClient client, string slug, string email) =>
        client.PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={slug}", new { email });

    private Task<long> HandedOnAsync(string email) => Sql.AdminScalarAsync<long>(App.Database.Database,
        "select count(*) from portalauth.outbox_messages where type like '%PasswordResetAsked%' and payload->>'email' = @e", ("e", email));

    private Task<long> LinksAsync(string email) => Sql.AdminScalarAsync<long>(App.Database.Database,
        "select count(*) from portalauth.outbox_messages where type like '%PasswordResetRequested%' and payload->>'email' = @e", ("e", email));

    /// <summary>Until every request the business handed on has been answered in the background.</summary>
    private async Task WaitForBackgroundAsync(Guid tenantId)
    {
        var handedOn = await Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from portalauth.outbox_messages where tenant_id = @t and type like '%PasswordResetAsked%'", ("t", tenantId));
        await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<long>(App.Database.Database,
                "select count(*) from portalauth.processed_events where tenant_id = @t and consumer = 'PasswordResetAskedHandler'", ("t", tenantId)),
            n => n >= handedOn,
            what: "every handed-on reset request answered");
    }
}
