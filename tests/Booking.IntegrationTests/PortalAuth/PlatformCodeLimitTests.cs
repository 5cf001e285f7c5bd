using System.Net;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// SMS pumping across businesses: anyone may sign a business up, and phone sign-in is on by default, so the limits on
/// codes must hold across every business together, where no business can reset them: per mobile (the cooldown and 8 an
/// hour), per client address (an IPv6 client as its /64) and a platform budget per hour.
/// </summary>
public sealed class PlatformCodeLimitTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    [Fact]
    public async Task One_mobile_gets_at_most_eight_codes_an_hour_from_three_businesses_and_waits_out_the_cooldown_between_them()
    {
        var a = await App.SignUpBusinessAsync();
        var b = await App.SignUpBusinessAsync();
        var c = await App.SignUpBusinessAsync();
        var mobile = PortalAuthHelpers.NewMobile();

        Assert.Equal(HttpStatusCode.Accepted, (await fixture.NewClient().StartAsync(a.Slug, mobile)).StatusCode);
        // Another business has sent this number nothing, yet the number is not texted again within 30 seconds.
        var tooSoon = await fixture.NewClient().StartAsync(b.Slug, mobile);
        Assert.Equal(HttpStatusCode.TooManyRequests, tooSoon.StatusCode);
        Assert.Equal("rate-limited", await tooSoon.KindAsync());
        Assert.InRange(tooSoon.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 30);
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));

        // 3 from a (one above), 3 from b, 2 from c: eight, each business well under its own five.
        foreach (var biz in new[] { a, a, b, b, b, c, c })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await fixture.NewClient().StartAsync(biz.Slug, mobile)).StatusCode);
            fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        }

        var ninth = await fixture.NewClient().StartAsync(c.Slug, mobile);
        Assert.Equal(HttpStatusCode.TooManyRequests, ninth.StatusCode);
        Assert.Equal("rate-limited", await ninth.KindAsync());
        Assert.True(ninth.Headers.RetryAfter!.Delta!.Value > TimeSpan.FromMinutes(55));
        // A fourth business is refused alike, and no ninth text went out.
        var d = await App.SignUpBusinessAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fixture.NewClient().StartAsync(d.Slug, mobile)).StatusCode);
        await fixture.NewClient().CodeSentToAsync(mobile, count: 8);
        Assert.Equal(8, (await fixture.NewClient().DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(mobile)}")).GetArrayLength());

        // Another mobile is unaffected; an hour on, the first may be texted again.
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.NewClient().StartAsync(c.Slug, PortalAuthHelpers.NewMobile())).StatusCode);
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.NewClient().StartAsync(c.Slug, mobile)).StatusCode);
    }

    [Fact]
    public async Task Proving_a_mobile_from_the_account_counts_against_the_same_mobile_in_every_business()
    {
        var a = await App.SignUpBusinessAsync();
        var b = await App.SignUpBusinessAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.NewClient().StartAsync(a.Slug, mobile)).StatusCode);

        var client = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await client.RegisterAsync(b.Slug, PortalAuthHelpers.NewEmail())).StatusCode);
        var proof = await client.StartProofAsync(b.Slug, mobile);
        Assert.Equal(HttpStatusCode.TooManyRequests, proof.StatusCode);
        Assert.Equal("rate-limited", await proof.KindAsync());
    }

    [Fact]
    public async Task IPv6_addresses_in_one_64_share_one_count_across_businesses()
    {
        var network = $"2001:db8:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}";
        var a = await App.SignUpBusinessAsync();
        var b = await App.SignUpBusinessAsync();
        for (var i = 0; i < 20; i++)
        {
            // A new address each time, and a new business every other time: both were ways round the cap.
            var from = fixture.NewClient($"{network}:{Random.Shared.Next(1, 0xffff):x}:{i:x}:{Random.Shared.Next(0, 0xffff):x}:{i + 1:x}");
            Assert.Equal(HttpStatusCode.Accepted, (await from.StartAsync(i % 2 == 0 ? a.Slug : b.Slug, PortalAuthHelpers.NewMobile())).StatusCode);
        }

        var blocked = await fixture.NewClient($"{network}::beef").StartAsync(b.Slug, PortalAuthHelpers.NewMobile());
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("rate-limited", await blocked.KindAsync());
        Assert.NotNull(blocked.Headers.RetryAfter);
        Assert.Equal(20L, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM portalauth.code_sends WHERE ip = @ip", ("ip", $"{System.Net.IPAddress.Parse(network + "::")}/64")));

        // The next /64 is another subscriber's network.
        var next = $"2001:db8:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}::1";
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.NewClient(next).StartAsync(b.Slug, PortalAuthHelpers.NewMobile())).StatusCode);
    }

    [Theory]
    [InlineData("203.0.113.9")]
    [InlineData("10.0.0.7")]
    [InlineData("2001:db8::7")]
    public async Task Development_routes_are_absent_to_any_address_but_loopback(string from)
    {
        var remote = fixture.NewClient(from);
        foreach (var path in new[] { "/dev/api/sms", "/dev/sms", "/dev/api/mail", "/dev/mail", "/dev/api/sms?to=%2B61400000000" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await remote.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        }

        Assert.NotEqual(HttpStatusCode.OK, (await remote.GetAsync(new Uri("/hangfire", UriKind.Relative))).StatusCode);

        foreach (var local in new[] { "127.0.0.1", "::1" })
        {
            var here = fixture.NewClient(local);
            Assert.Equal(HttpStatusCode.OK, (await here.GetAsync(new Uri("/dev/api/sms", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await here.GetAsync(new Uri("/dev/api/mail", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await here.GetAsync(new Uri("/hangfire", UriKind.Relative))).StatusCode);
        }
    }

    [Fact]
    public void A_request_without_a_remote_address_is_not_local()
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        Assert.False(Booking.BuildingBlocks.Web.LocalRequests.IsFromLoopback(http));
        http.Connection.RemoteIpAddress = IPAddress.Parse("::ffff:127.0.0.1");
        Assert.True(Booking.BuildingBlocks.Web.LocalRequests.IsFromLoopback(http));
    }
}

/// <summary>A platform whose businesses together may send 3 sign-in codes an hour.</summary>
public sealed class TinyBudgetApp() : PortalAuthApp(("PortalAuth:PlatformCodesPerHour", "3"), ("Hangfire:Server", "false"));

public sealed class PlatformCodeBudgetTests(TinyBudgetApp fixture) : IClassFixture<TinyBudgetApp>
{
    [Fact]
    public async Task Past_the_platform_budget_no_business_sends_a_code_until_the_next_hour()
    {
        // Whole hours from here: the budget counts clock hours.
        var now = fixture.Clock.GetUtcNow();
        fixture.Clock.Advance(TimeSpan.FromHours(1) - (now - new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero)) + TimeSpan.FromMinutes(30));
        for (var i = 0; i < 3; i++)
        {
            var biz = await fixture.App.SignUpBusinessAsync();
            Assert.Equal(HttpStatusCode.Accepted, (await fixture.NewClient().StartAsync(biz.Slug, PortalAuthHelpers.NewMobile())).StatusCode);
        }

        var other = await fixture.App.SignUpBusinessAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        var refused = await fixture.NewClient().StartAsync(other.Slug, mobile);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate-limited", await refused.KindAsync());
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 29 * 60, 30 * 60);
        // Refused whole: no attempt, no send counted.
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(fixture.App.Database.Database,
            "SELECT count(*) FROM portalauth.code_sends WHERE mobile = @m", ("m", mobile)));
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(fixture.App.Database.Database,
            "SELECT count(*) FROM portalauth.sign_in_attempts WHERE mobile = @m", ("m", mobile)));

        fixture.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.NewClient().StartAsync(other.Slug, mobile)).StatusCode);
    }
}
