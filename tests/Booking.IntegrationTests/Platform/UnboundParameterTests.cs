using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Microsoft.AspNetCore.Hosting;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// A query value that the endpoint's typed parameter cannot take ("?limit=x") is a validation problem naming the
/// parameter, in Development and in Production alike (minimal APIs answer a bare 400 outside Development unless told
/// to throw), and a body of the wrong JSON type names its field there too.
/// </summary>
public sealed class UnboundParameterTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static async Task AssertNamesAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.EndsWith("/validation", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), body);
    }

    private static async Task AssertTypedQueryValuesAreNamedAsync(HttpClient owner)
    {
        await AssertNamesAsync(await owner.GetAsync(new Uri("/api/v1/admin/messages?limit=x", UriKind.Relative)), "limit");
        await AssertNamesAsync(await owner.GetAsync(new Uri("/api/v1/admin/clients?limit=99999999999999999999", UriKind.Relative)), "limit");
        await AssertNamesAsync(await owner.GetAsync(new Uri("/api/v1/admin/clients?limit=1.5&search=a", UriKind.Relative)), "limit");
    }

    [Fact]
    public async Task In_Development_a_query_value_that_does_not_bind_is_a_validation_problem_naming_the_parameter()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        await AssertTypedQueryValuesAreNamedAsync(biz.Owner);
    }

    [Fact]
    public async Task In_Production_a_query_value_or_body_field_that_does_not_bind_is_a_validation_problem_naming_it()
    {
        // Its own database: a Production instance has no SMTP server, so its workers must not take the shared app's mail.
        await using var app = new ProductionApp(await TestDatabaseServer.CreateDatabaseAsync("production"));
        app.With(Booking.BuildingBlocks.Web.PublicOrigin.Key, "https://book.example");
        app.ClientOptions.BaseAddress = new Uri("https://localhost"); // Secure __Host- cookies outside Development
        await AppStarts.StartAsync(app);
        var biz = await app.SignUpBusinessAsync("prod");
        await AssertTypedQueryValuesAreNamedAsync(biz.Owner);

        var wrongType = await app.NewClient().PostAsJsonAsync("/api/v1/tenants", new { slug = 5, name = "x", timeZone = "UTC", countryCode = "AU" });
        await AssertNamesAsync(wrongType, "slug");
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
