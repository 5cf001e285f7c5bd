using System.Net.Http.Json;
using System.Text.Json;

namespace Booking.IntegrationTests.Infrastructure;

/// <summary>
/// The development sinks (<c>/dev/api/sms</c>, <c>/dev/api/mail</c>) answer only requests from this machine. The test
/// reads them as the developer would, from loopback, whatever address its client otherwise says it has (X-Test-Ip,
/// which a request's own header overrides).
/// </summary>
public static class DevSinks
{
    public static async Task<JsonElement> DevJsonAsync(this HttpClient client, string pathAndQuery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(pathAndQuery, UriKind.Relative));
        request.Headers.Add("X-Test-Ip", "127.0.0.1");
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
