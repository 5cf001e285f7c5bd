using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Platform;

public sealed class SignUpTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static object Body(string slug, string? password = null, string timeZone = "Europe/London", string country = "GB", string? email = null) => new
    {
        slug,
        name = "Paws & Claws Grooming",
        timeZone,
        countryCode = country,
        owner = new { name = "Pat Groomer", email = email ?? $"pat@{slug}.example", password = password ?? "a long and quiet walk by the river" },
    };

    [Fact]
    public async Task Sign_up_creates_the_business_signs_the_owner_in_and_answers_its_urls()
    {
        var slug = "paws-" + Guid.NewGuid().ToString("N")[..8];
        var client = App.NewClient();

        var response = await client.PostAsJsonAsync("/api/v1/tenants", Body(slug));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(slug, doc.RootElement.GetProperty("slug").GetString());
        Assert.EndsWith($"/ol/book?name={slug}", doc.RootElement.GetProperty("portalUrl").GetString(), StringComparison.Ordinal);
        Assert.Contains(slug, doc.RootElement.GetProperty("staffSignInUrl").GetString(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.Location);

        var me = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/staff/me", UriKind.Relative));
        Assert.Equal("owner", me.GetProperty("role").GetString());
        Assert.Equal(slug, me.GetProperty("business").GetProperty("slug").GetString());
        Assert.Equal("Europe/London", me.GetProperty("business").GetProperty("timeZone").GetString());

        var check = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/tenants/slug-check?slug={slug.ToUpperInvariant()}", UriKind.Relative));
        Assert.False(check.GetProperty("available").GetBoolean());
        Assert.Equal("GBP", await Sql.AdminScalarAsync<string>(App.Database.Database, "SELECT currency FROM tenancy.tenants WHERE slug = @s", ("s", slug)));
    }

    [Fact]
    public async Task The_urls_handed_out_are_on_the_public_origin_not_the_Host_the_request_named()
    {
        var slug = "host-" + Guid.NewGuid().ToString("N")[..8];
        var client = App.NewClient();
        var publicOrigin = App.Services.GetRequiredService<Booking.BuildingBlocks.Web.PublicOrigin>().Value;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants") { Content = JsonContent.Create(Body(slug)) };
        request.Headers.Host = "evil.example";
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal($"{publicOrigin}/ol/book?name={slug}", doc.RootElement.GetProperty("portalUrl").GetString());
        Assert.Equal($"{publicOrigin}/staff/sign-in?name={slug}", doc.RootElement.GetProperty("staffSignInUrl").GetString());

        using var meRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/staff/me");
        meRequest.Headers.Host = "evil.example";
        var me = JsonDocument.Parse(await (await client.SendAsync(meRequest)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal($"{publicOrigin}/ol/book?name={slug}", me.GetProperty("business").GetProperty("portalUrl").GetString());
    }

    [Fact]
    public async Task A_taken_name_in_another_case_is_refused_on_the_slug_field()
    {
        var existing = await App.SignUpBusinessAsync("taken");
        var response = await App.NewClient().PostAsJsonAsync("/api/v1/tenants", Body(existing.Slug.ToUpperInvariant()));
        await AssertFieldErrors(response, "slug");
    }

    [Fact]
    public async Task A_taken_name_is_reported_with_the_other_bad_fields_at_once()
    {
        var existing = await App.SignUpBusinessAsync("taken");
        var response = await App.NewClient().PostAsJsonAsync("/api/v1/tenants", Body(existing.Slug, email: "not-an-email"));
        await AssertFieldErrors(response, "slug", "owner.email");
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("api")]
    [InlineData("-starts-with-hyphen")]
    [InlineData("double--hyphen")]
    [InlineData("no")]
    [InlineData("has space")]
    [InlineData("lookalike\n")] // "$" once let a final newline through: a second business that reads like the first
    public async Task Reserved_or_malformed_slugs_are_refused(string slug)
    {
        var response = await App.NewClient().PostAsJsonAsync("/api/v1/tenants", Body(slug));
        await AssertFieldErrors(response, "slug");
    }

    [Fact]
    public async Task Every_bad_field_is_reported_at_once_and_nothing_is_written()
    {
        var slug = "bad-" + Guid.NewGuid().ToString("N")[..8];
        var response = await App.NewClient().PostAsJsonAsync("/api/v1/tenants",
            Body(slug, password: "short", timeZone: "Mars/Olympus_Mons", country: "XX", email: "not-an-email"));

        await AssertFieldErrors(response, "timeZone", "countryCode", "owner.password", "owner.email");
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM tenancy.tenants WHERE slug = @s", ("s", slug)));
    }

    [Theory]
    [InlineData("1qaz2wsx3edc4rfv")] // on the published common-password list, and 16 characters long
    [InlineData("fourteen chars")]
    public async Task Common_or_short_passwords_are_refused(string password)
    {
        var response = await App.NewClient().PostAsJsonAsync("/api/v1/tenants", Body("pw-" + Guid.NewGuid().ToString("N")[..8], password: password));
        await AssertFieldErrors(response, "owner.password");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_and_a_cross_site_post_is_403()
    {
        var client = App.NewClient();
        var text = await client.PostAsync(new Uri("/api/v1/tenants", UriKind.Relative), new StringContent("slug=x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants") { Content = JsonContent.Create(Body("cross-" + Guid.NewGuid().ToString("N")[..8])) };
        request.Headers.Add("Origin", "https://evil.example");
        var cross = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, cross.StatusCode);
    }

    [Fact]
    public async Task Broken_json_is_a_validation_problem_not_a_500()
    {
        var response = await App.NewClient().PostAsync(new Uri("/api/v1/tenants", UriKind.Relative),
            new StringContent("{\"slug\": 12, \"owner\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.EndsWith("/validation", await TenantResolutionTests.TypeOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_with_a_NUL_character_is_a_validation_problem_naming_its_field_and_nothing_is_written()
    {
        // PostgreSQL text cannot hold U+0000: it used to reach the save and answer 500.
        var slug = "nul-" + Guid.NewGuid().ToString("N")[..8];
        var body = new
        {
            slug,
            name = "Paws & Claws Grooming",
            timeZone = "Europe/London",
            countryCode = "GB",
            owner = new { name = "Pat\u0000Groomer", email = $"pat@{slug}.example", password = "a long and quiet walk by the river" },
        };

        var response = await App.NewClient().PostAsJsonAsync("/api/v1/tenants", body);

        await AssertFieldErrors(response, "owner.name");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("NUL", doc.RootElement.GetProperty("errors").GetProperty("owner.name")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM tenancy.tenants WHERE slug = @s", ("s", slug)));
    }

    [Fact]
    public async Task A_new_business_gets_the_default_templates_through_its_sign_up_event()
    {
        var biz = await App.SignUpBusinessAsync("tmpl");
        var count = await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM notifications.email_templates WHERE tenant_id = @t", ("t", biz.Id)),
            c => c >= 3, what: "default templates");
        Assert.Equal(3L, count);
        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM notifications.email_templates WHERE tenant_id = @t AND name = 'Diary contact: new portal appointment' AND body LIKE '%{ClientFullName} ({ClientPhone}, {ClientEmail}) has a new appointment, made by {ChangedBy}:%{ServiceName} {WithDiary}%'", ("t", biz.Id)));
        // The business addresses' copy names the client's phone and email too (decision 350), so two texts start so.
        Assert.Equal(2L, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM notifications.email_templates WHERE tenant_id = @t AND body LIKE '{ClientFullName} ({ClientPhone}, {ClientEmail}) has a new appointment%'", ("t", biz.Id)));
    }

    internal static async Task AssertFieldErrors(HttpResponseMessage response, params string[] fields)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        Assert.EndsWith("/validation", doc.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
        var errors = doc.RootElement.GetProperty("errors");
        foreach (var field in fields)
        {
            Assert.True(errors.TryGetProperty(field, out var messages) && messages.GetArrayLength() > 0, $"no error for {field} in {body}");
        }
    }
}
