using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.BuildingBlocks.Tenancy;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Platform;

public sealed class TenantResolutionTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task Booking_url_shows_the_business_and_ignores_the_case_of_its_name()
    {
        var biz = await App.SignUpBusinessAsync("case");
        var client = App.NewClient();

        var lower = await client.GetAsync(new Uri($"/ol/book?name={biz.Slug}", UriKind.Relative));
        var upper = await client.GetAsync(new Uri($"/ol/book?name={biz.Slug.ToUpperInvariant()}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, lower.StatusCode);
        Assert.Equal(HttpStatusCode.OK, upper.StatusCode);
        Assert.Contains($"Business {biz.Slug}", await upper.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_business_is_a_friendly_404_page()
    {
        var response = await App.NewClient().GetAsync(new Uri("/ol/book?name=no-such-business-here", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Business not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/ol/book?name=Bad!")]
    [InlineData("/ol/book?name=")]
    [InlineData("/ol/book")]
    [InlineData("/ol/book?name=ab")]
    [InlineData("/ol/book?name=a--b")]
    [InlineData("/ol/book?name=-abc")]
    [InlineData("/ol/book?name=demo&name=demo")]
    [InlineData("/ol/book?name=%E2%84%AAate")] // the Kelvin sign lower-cases to an ASCII k: still malformed
    public async Task Malformed_booking_urls_are_400_pages(string url)
    {
        var response = await App.NewClient().GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("booking link", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Name_longer_than_63_characters_is_malformed()
    {
        var response = await App.NewClient().GetAsync(new Uri("/ol/book?name=" + new string('a', 64), UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Suspended_business_is_not_found_once_its_cache_entry_is_invalidated()
    {
        var biz = await App.SignUpBusinessAsync("susp");
        var client = App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri($"/ol/book?name={biz.Slug}", UriKind.Relative))).StatusCode);

        await Sql.AdminExecAsync(App.Database.Database, "UPDATE tenancy.tenants SET status = 'Suspended' WHERE id = @id", ("id", biz.Id));
        var directory = App.Services.GetRequiredService<ITenantDirectory>();
        directory.Invalidate((await directory.FindByIdAsync(biz.Id, default))!);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/ol/book?name={biz.Slug}", UriKind.Relative))).StatusCode);
        var api = await client.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = biz.OwnerEmail, password = TestBusiness.OwnerPassword });
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
    }

    [Fact]
    public async Task Api_routes_answer_problem_details_for_unknown_and_malformed_names()
    {
        var client = App.NewClient();
        var unknown = await client.PostAsJsonAsync("/api/v1/staff/auth/sign-in?name=nobody-here", new { email = "a@b.example", password = "x" });
        var malformed = await client.PostAsJsonAsync("/api/v1/staff/auth/sign-in?name=Bad!", new { email = "a@b.example", password = "x" });
        var twice = await client.PostAsJsonAsync("/api/v1/staff/auth/sign-in?name=abc&name=abc", new { email = "a@b.example", password = "x" });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.EndsWith("/not-found", await TypeOf(unknown), StringComparison.Ordinal);
        foreach (var bad in new[] { malformed, twice })
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            using var doc = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
            Assert.EndsWith("/validation", doc.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
            Assert.True(doc.RootElement.GetProperty("errors").TryGetProperty("name", out _));
        }
    }

    [Fact]
    public async Task A_staff_session_refuses_a_name_that_disagrees_and_accepts_its_own_in_any_case()
    {
        var a = await App.SignUpBusinessAsync("mine");
        var b = await App.SignUpBusinessAsync("theirs");

        var own = await a.Owner.GetAsync(new Uri($"/api/v1/staff/me?name={a.Slug.ToUpperInvariant()}", UriKind.Relative));
        var other = await a.Owner.GetAsync(new Uri($"/api/v1/staff/me?name={b.Slug}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.EndsWith("/tenant-mismatch", await TypeOf(other), StringComparison.Ordinal);
        Assert.DoesNotContain(b.Slug, await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    internal static async Task<string> TypeOf(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("type").GetString()!;
    }
}
