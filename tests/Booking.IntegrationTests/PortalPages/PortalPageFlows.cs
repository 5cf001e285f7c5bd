using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>Flows the page tests share.</summary>
internal static class PortalPageFlows
{
    /// <summary>A browser that has verified an unknown mobile: it holds the new-client cookie.</summary>
    public static async Task<HttpClient> VerifiedUnknownPhoneAsync(this BookingApp app, TestBusiness biz)
    {
        var http = app.NewClient();
        var mobile = PortalAuthHelpers.NewMobile();
        var started = await http.StartAsync(biz.Slug, mobile);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var attempt = (await started.JsonAsync()).GetProperty("attemptId").GetString()!;
        var verified = await http.VerifyAsync(biz.Slug, attempt, await http.CodeSentToAsync(mobile));
        Assert.Equal("new-client", (await verified.JsonAsync()).GetProperty("outcome").GetString());
        return http;
    }

    public static Task<HttpResponseMessage> NewClientAsync(this HttpClient http, string slug, object body) =>
        http.PostAsJsonAsync($"/api/v1/portal/auth/new-client?name={slug}", body);

    /// <summary>The ids the page's error messages describe the inputs with, by input name.</summary>
    public static string? ErrorFor(this HtmlPage page, string inputName)
    {
        var input = page.One($"[name='{inputName}']");
        var ids = input?.GetAttribute("aria-describedby")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return string.Join(" ", ids.Select(id => page.One("#" + id)).Where(e => e is not null && e.ClassList.Contains("error")).Select(e => e!.TextContent.Trim())).Trim() is { Length: > 0 } text ? text : null;
    }
}
