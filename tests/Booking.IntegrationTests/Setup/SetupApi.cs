using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Setup;

/// <summary>Small helpers over the setup API, for this folder's tests.</summary>
internal static class SetupApi
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<Guid> CreateDiaryAsync(this TestBusiness biz, string name = "Dr Test", string email = "dr@test.example")
    {
        var json = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name, contactEmail = email, active = true }))
            .JsonAsync(HttpStatusCode.Created);
        return json.GetProperty("id").GetGuid();
    }

    public static async Task PutRosterAsync(this TestBusiness biz, Guid diaryId, params object[] blocks) =>
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diaryId}/roster", new { blocks })).JsonAsync(HttpStatusCode.OK);

    public static object Block(string weekday, string start, string end, bool bookableOnline = true) =>
        new { weekday, start, end, bookableOnline };

    public static object ServiceBody(string name, IEnumerable<Guid> diaryIds, string amount = "45.00", int duration = 60, bool bookableOnline = true) => new
    {
        name,
        description = "A service",
        durationMinutes = duration,
        bufferAfterMinutes = 0,
        price = new { amount, currency = "AUD" },
        bookableOnline,
        diaryIds,
    };

    public static async Task<Guid> CreateServiceAsync(this TestBusiness biz, string name, params Guid[] diaryIds)
    {
        var json = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", ServiceBody(name, diaryIds))).JsonAsync(HttpStatusCode.Created);
        return json.GetProperty("id").GetGuid();
    }

    public static string Kind(this JsonElement problem) => problem.GetProperty("type").GetString()!.Split('/')[^1];

    public static IReadOnlyList<string> ErrorFields(this JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
}
