using System.Net;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Platform;

public sealed class HostBasicsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Readiness_checks_the_database_and_a_live_Hangfire_server()
    {
        var client = shared.App.NewClient();
        var response = await Eventually.ReturnsAsync(
            () => client.GetAsync(new Uri("/health/ready", UriKind.Relative)),
            r => r.StatusCode == HttpStatusCode.OK,
            what: "ready");
        Assert.Contains("Healthy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_sign_up_route()
    {
        var client = shared.App.NewClient();
        var json = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Contains("\"/api/v1/tenants\"", json, StringComparison.Ordinal);
        Assert.Contains("\"/api/v1/staff/auth/sign-in\"", json, StringComparison.Ordinal);

        // Strings keep their type although a converter of ours reads them (it refuses NUL characters).
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var schemas = doc.RootElement.GetProperty("components").GetProperty("schemas");
        var note = schemas.GetProperty("PortalBookingBody").GetProperty("properties").GetProperty("note").GetProperty("type");
        Assert.Equal(["null", "string"], note.EnumerateArray().Select(t => t.GetString()).Order());
        Assert.Equal("string", schemas.GetProperty("PortalDiary").GetProperty("properties").GetProperty("name").GetProperty("type").GetString());
        Assert.Equal("string", schemas.GetProperty("TemplateList").GetProperty("properties").GetProperty("mergeFields").GetProperty("items").GetProperty("type").GetString());
    }
}
