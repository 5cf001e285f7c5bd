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
        await biz.ConfirmAddressAsync(email);
        var json = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name, contactEmail = email, active = true }))
            .JsonAsync(HttpStatusCode.Created);
        return json.GetProperty("id").GetGuid();
    }

    public static async Task PutRosterAsync(this TestBusiness biz, Guid diaryId, params object[] blocks) =>
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diaryId}/roster", new { blocks })).JsonAsync(HttpStatusCode.OK);

    public static object Block(string weekday, string start, string end, bool bookableOnline = true) =>
        new { weekday, start, end, bookableOnline };

    public static object ServiceBody(string name, IEnumerable<Guid> diaryIds, string amount = "45.00", int duration = 60, bool bookableOnline = true, string currency = "AUD") => new
    {
        name,
        description = "A service",
        durationMinutes = duration,
        bufferAfterMinutes = 0,
        price = new { amount, currency },
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

internal static class Staff
{
    public const string Password = "practitioner password long enough 2026";

    /// <summary>
    /// A practitioner inserted straight through the Tenancy module's DbContext (the staff API is not built yet),
    /// then signed in through the real sign-in route.
    /// </summary>
    public static async Task<HttpClient> SignInPractitionerAsync(this BookingApp app, TestBusiness biz)
    {
        var email = $"pat-{Guid.NewGuid():N}@{biz.Slug}.example";
        await using (var scope = await Booking.BuildingBlocks.Jobs.TenantScope.OpenAsync(
                         Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.Extensions.DependencyInjection.IServiceScopeFactory>(app.Services),
                         biz.Id, CancellationToken.None))
        {
            var services = scope.ServiceProvider;
            var db = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Booking.Tenancy.Data.TenancyDbContext>(services);
            var hashing = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Booking.BuildingBlocks.Security.PasswordHashing>(services);
            db.Staff.Add(new Booking.Tenancy.Domain.StaffMember
            {
                Id = Guid.CreateVersion7(),
                Name = "Pat Practitioner",
                Email = email,
                PasswordHash = hashing.Hash(Password),
                Role = Booking.BuildingBlocks.Web.StaffRoles.Practitioner,
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var client = app.NewClient();
        var response = await client.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email, password = Password });
        await response.JsonAsync(HttpStatusCode.OK);
        return client;
    }
}
