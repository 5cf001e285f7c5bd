using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.BrowserTests.Infrastructure;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NodaTime;

namespace Booking.BrowserTests.Staff.Diary;

/// <summary>A business ready to book: one diary online every day, one service it provides.</summary>
internal sealed record ReadyBusiness(TestBusiness Biz, Guid DiaryId, Guid ServiceId);

/// <summary>Sign-in through the staff page, and setup through the API where a test is not about that page.</summary>
internal static class StaffPages
{
    public static readonly DateTimeZone Sydney = DateTimeZoneProviders.Tzdb["Australia/Sydney"];

    public const string PractitionerPassword = "practitioner password long enough 2026";

    public static async Task SignInAsync(this IPage page, TestBusiness biz, string returnUrl, string? email = null, string? password = null)
    {
        await page.GotoAsync($"/staff/sign-in?name={biz.Slug}&returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.GetByLabel("Email").FillAsync(email ?? biz.OwnerEmail);
        await page.GetByLabel("Password").FillAsync(password ?? TestBusiness.OwnerPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Landed on the page asked for. Not WaitForURLAsync: it also waits for the page's load event, which a CI run
        // under load once never saw (the diary had answered 200, the network was idle) and timed out on; the
        // assertions that follow wait for what they check, as in the other sign-in helper.
        var path = returnUrl.Split('?')[0];
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^https?://[^/]+" + System.Text.RegularExpressions.Regex.Escape(path) + "([?#]|$)"));
    }

    /// <summary>An API client of the app on its Kestrel port with its own cookies.</summary>
    public static HttpClient NewHttpClient(this BrowserApp app) => app.NewClient();

    /// <summary>A fresh business signed up through the API; Owner carries the owner's session.</summary>
    public static Task<TestBusiness> SignUpAsync(this BrowserApp app, string prefix) => app.SignUpBusinessAsync(prefix);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<ReadyBusiness> ReadyBusinessAsync(this BrowserApp app, bool newClientsNeedApproval = false)
    {
        var biz = await app.SignUpAsync("diary");
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/booking-rules", new { slotIntervalMinutes = 30, minimumNoticeMinutes = 0, horizonDays = 60 }))
            .JsonAsync(HttpStatusCode.OK);
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Alpha", contactEmail = "alpha@diary.example", active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        string[] days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}/roster",
            new { blocks = days.Select(weekday => new { weekday, start = "00:00", end = "23:30", bookableOnline = true }) })).JsonAsync(HttpStatusCode.OK);
        var service = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", new
        {
            name = "Consultation",
            description = "A consultation",
            durationMinutes = 60,
            bufferAfterMinutes = 0,
            price = new { amount = "45.00", currency = "AUD" },
            bookableOnline = true,
            diaryIds = new[] { diary },
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        if (newClientsNeedApproval)
        {
            var settings = JsonNode.Parse(await biz.Owner.GetStringAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative)))!.AsObject();
            settings["newClientsNeedApproval"] = true;
            await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", settings)).JsonAsync(HttpStatusCode.OK);
        }

        return new ReadyBusiness(biz, diary, service);
    }

    /// <summary>Registers a client in the portal; returns the client's signed-in HTTP client and id.</summary>
    public static async Task<(HttpClient Http, Guid Id, string Status)> RegisterClientAsync(this BrowserApp app, TestBusiness biz, string first, string last)
    {
        var http = app.NewHttpClient();
        var json = await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}", new
        {
            firstName = first,
            lastName = last,
            email = $"{first.ToLowerInvariant()}-{Guid.NewGuid():N}@client.example",
            password = "a long client password 2026!",
            mobile = "+61412" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture),
        })).JsonAsync(HttpStatusCode.Created);
        return (http, json.GetProperty("id").GetGuid(), json.GetProperty("status").GetString()!);
    }

    /// <summary>A practitioner written straight through the Tenancy module (the team pages are someone else's work).</summary>
    /// <summary>A practitioner working in the given diaries (a practitioner reads only their own diaries, decision 108).</summary>
    public static async Task<string> AddPractitionerAsync(this BrowserApp app, TestBusiness biz, params Guid[] diaryIds)
    {
        var email = $"pat-{Guid.NewGuid():N}@{biz.Slug}.example";
        await using var scope = await Booking.BuildingBlocks.Jobs.TenantScope.OpenAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), biz.Id, CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<Booking.Tenancy.Data.TenancyDbContext>();
        var hashing = scope.ServiceProvider.GetRequiredService<Booking.BuildingBlocks.Security.PasswordHashing>();
        db.Staff.Add(new Booking.Tenancy.Domain.StaffMember
        {
            Id = Guid.CreateVersion7(),
            Name = "Pat Practitioner",
            Email = email,
            PasswordHash = hashing.Hash(PractitionerPassword),
            Role = Booking.BuildingBlocks.Web.StaffRoles.Practitioner,
            DiaryIds = [.. diaryIds],
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return email;
    }

    public static LocalDate Day(int daysAhead) => SystemClock.Instance.GetCurrentInstant().InZone(Sydney).Date.PlusDays(daysAhead);

    public static string Iso(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string At(LocalDate date, int hour) =>
        date.At(new LocalTime(hour, 0)).InZoneLeniently(Sydney).ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>The error shown next to an input (the span asp-validation-for renders).</summary>
    public static ILocator ErrorFor(this IPage page, string inputName) => page.Locator($"[data-valmsg-for='{inputName}']");
}
