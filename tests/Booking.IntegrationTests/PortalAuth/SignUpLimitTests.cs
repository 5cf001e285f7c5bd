using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>This app's sign-up and registration caps, lowered so a test reaches them (production: 5, 10 and 20).</summary>
public sealed class SignUpLimitApp() : PortalAuthApp(
    ("Tenancy:SignUpsPerAddressPerHour", "3"),
    ("PortalAuth:RegistrationsPerIpPerHour", "3"),
    ("PortalAuth:PlatformRegistrationsPerIpPerHour", "5"));

/// <summary>
/// Business sign-up and client registration are open to anyone and each hashes a password: both are capped per client
/// address per clock hour (an IPv6 client as its /64), platform-wide in PostgreSQL, before the hash (a registration
/// before its email is looked up: "already registered" is bounded too). Over a cap: 429
/// rate-limited with Retry-After, nothing written; another address is not affected. The pages show the refusal as a
/// form error.
/// </summary>
public sealed class SignUpLimitTests(SignUpLimitApp fixture) : IClassFixture<SignUpLimitApp>
{
    private const string Refused = "Too many businesses were signed up from your network. Wait a while before trying again.";

    [Fact]
    public async Task Business_sign_ups_past_the_cap_from_one_64_are_refused_with_retry_after_and_write_nothing()
    {
        var network = $"2001:db8:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}";
        for (var i = 1; i <= 3; i++)
        {
            // A new address in the same /64 each time: still one network.
            Assert.Equal(HttpStatusCode.Created, (await SignUpAsync($"{network}::{i:x}", NewSlug())).StatusCode);
        }

        var slug = NewSlug();
        var fourth = await SignUpAsync($"{network}::99", slug);
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.Equal("rate-limited", await fourth.KindAsync());
        Assert.Equal(Refused, (await fourth.JsonAsync()).GetProperty("detail").GetString());
        Assert.InRange(fourth.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 3600);
        Assert.Equal(0, await TenantsAsync(slug));

        // Another address is not affected; the hour gone, the network may sign up again.
        Assert.Equal(HttpStatusCode.Created, (await SignUpAsync($"2001:db8:{Random.Shared.Next(1, 0xffff):x}::1", NewSlug())).StatusCode);
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Created, (await SignUpAsync($"{network}::99", slug)).StatusCode);
        Assert.Equal(1, await TenantsAsync(slug));
    }

    [Fact]
    public async Task Registrations_are_capped_per_business_and_across_businesses_per_address()
    {
        var a = await SignUpAsync(NewIp());
        var b = await SignUpAsync(NewIp());
        var ip = NewIp();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient(ip).RegisterAsync(a, PortalAuthHelpers.NewEmail())).StatusCode);
        }

        // A's cap is reached: refused before the hash, nothing written.
        var email = PortalAuthHelpers.NewEmail();
        var fourth = await fixture.NewClient(ip).RegisterAsync(a, email);
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.Equal("rate-limited", await fourth.KindAsync());
        Assert.InRange(fourth.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 3600);
        Assert.Equal(0, await ClientsAsync(email));
        // Another address registers with A as before.
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient(NewIp()).RegisterAsync(a, PortalAuthHelpers.NewEmail())).StatusCode);

        // B counts on its own, up to the cap across businesses (five): two more, then the address is refused everywhere.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient(ip).RegisterAsync(b, PortalAuthHelpers.NewEmail())).StatusCode);
        }

        var across = await fixture.NewClient(ip).RegisterAsync(b, email);
        Assert.Equal(HttpStatusCode.TooManyRequests, across.StatusCode);
        Assert.Equal("rate-limited", await across.KindAsync());
        Assert.Equal(0, await ClientsAsync(email));
    }

    [Fact]
    public async Task Asking_whether_an_email_is_registered_counts_against_the_cap_and_past_it_is_refused_taken_or_free()
    {
        var biz = await SignUpAsync(NewIp());
        var taken = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient(NewIp()).RegisterAsync(biz, taken)).StatusCode);

        // Within the cap (three) a real client is told to sign in, each answer counted though nothing is written.
        var network = $"2001:db8:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}";
        for (var i = 1; i <= 3; i++)
        {
            var told = await fixture.NewClient($"{network}::{i:x}").RegisterAsync(biz, taken);
            Assert.Equal(HttpStatusCode.BadRequest, told.StatusCode);
            Assert.Contains("already registered", (await told.JsonAsync()).GetProperty("errors").GetProperty("email")[0].GetString(), StringComparison.Ordinal);
        }

        // Past it the network is refused before the address is looked up: a taken address and a free one (with a bad
        // password, so it would not register) get the same 429, so the refusal tells nothing either.
        foreach (var email in new[] { taken, PortalAuthHelpers.NewEmail() })
        {
            var refused = await fixture.NewClient($"{network}::99").RegisterAsync(biz, email, password: "short");
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("rate-limited", await refused.KindAsync());
            Assert.Equal("Too many accounts were registered from your network. Wait a while before trying again.",
                (await refused.JsonAsync()).GetProperty("detail").GetString());
            Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 3600);
        }

        Assert.Equal(1, await ClientsAsync(taken));

        // One bad form is counted once, not again by the handler: a new network's first registration after a refused
        // one (a free address, a short password) still has two of its three left.
        var other = NewIp();
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.NewClient(other).RegisterAsync(biz, PortalAuthHelpers.NewEmail(), password: "short")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient(other).RegisterAsync(biz, PortalAuthHelpers.NewEmail())).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient(other).RegisterAsync(biz, PortalAuthHelpers.NewEmail())).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fixture.NewClient(other).RegisterAsync(biz, PortalAuthHelpers.NewEmail())).StatusCode);
    }

    [Fact]
    public async Task The_register_and_staff_sign_up_pages_show_the_refusal_as_a_form_error()
    {
        var biz = await SignUpAsync(NewIp());
        var ip = NewIp();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient(ip).RegisterAsync(biz, PortalAuthHelpers.NewEmail())).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await SignUpAsync(ip, NewSlug())).StatusCode);
        }

        var http = fixture.NewClient(ip);
        var email = PortalAuthHelpers.NewEmail();
        var register = await http.PageAsync($"/ol/register?name={biz}");
        var refused = await http.SubmitAsync(register, PortalHtml.Fields(("Input.FirstName", "Robin"), ("Input.LastName", "Client"), ("Input.Email", email),
            ("Input.Mobile", ""), ("Input.Password", PortalAuthHelpers.Password)));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        // Said in the error summary (an error of no one field), in words with the wait, not as JSON.
        Assert.StartsWith("Too many accounts were registered from your network. Wait a while before trying again. Try again in ",
            refused.One("#error-summary li")?.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(0, await ClientsAsync(email));

        var slug = NewSlug();
        var staff = fixture.NewClient(ip);
        var signUp = await staff.PageAsync("/staff/sign-up");
        var page = await staff.SubmitAsync(signUp, PortalHtml.Fields(("Input.Name", "Shop"), ("Input.Slug", slug), ("Input.TimeZone", "Australia/Sydney"),
            ("Input.CountryCode", "AU"), ("Input.Owner.Name", "Olive Owner"), ("Input.Owner.Email", $"owner@{slug}.example"), ("Input.Owner.Password", TestBusiness.OwnerPassword)), "main form");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.StartsWith(Refused + " Try again in ", page.One("#error-summary li")?.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(0, await TenantsAsync(slug));
    }

    private static string NewSlug() => $"cap-{Guid.NewGuid().ToString("N")[..10]}";

    private static string NewIp() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    private Task<HttpResponseMessage> SignUpAsync(string ip, string slug) =>
        fixture.NewClient(ip).PostAsJsonAsync("/api/v1/tenants", new
        {
            slug,
            name = $"Business {slug}",
            timeZone = "Australia/Sydney",
            countryCode = "AU",
            owner = new { name = "Olive Owner", email = $"owner@{slug}.example", password = TestBusiness.OwnerPassword },
        });

    /// <summary>Signs a business up from <paramref name="ip"/>; its slug.</summary>
    private async Task<string> SignUpAsync(string ip)
    {
        var slug = NewSlug();
        Assert.Equal(HttpStatusCode.Created, (await SignUpAsync(ip, slug)).StatusCode);
        return slug;
    }

    private Task<long> TenantsAsync(string slug) =>
        Sql.AdminScalarAsync<long>(fixture.App.Database.Database, "SELECT count(*) FROM tenancy.tenants WHERE slug = @slug", ("slug", slug));

    private Task<long> ClientsAsync(string email) =>
        Sql.AdminScalarAsync<long>(fixture.App.Database.Database, "SELECT count(*) FROM portalauth.clients WHERE email = @email", ("email", email));
}
