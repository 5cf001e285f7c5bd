using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Booking.BrowserTests.Infrastructure;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Portal;

/// <summary>A business ready to book: one diary online every day 00:00–23:30, one 30-minute service.</summary>
internal sealed record PortalBusiness(TestBusiness Biz, Guid DiaryId, Guid ServiceId)
{
    public string Slug => Biz.Slug;

    public string Url(string path) => $"{path}?name={Slug}";

    /// <summary>
    /// The booking page for the service on tomorrow in Sydney: today's free times run out at 23:00 there (10:00 or
    /// 12:00 UTC), so a test that needs times on the first page it opens asks for a whole day.
    /// </summary>
    public string BookingUrlTomorrow() => Url("/ol/new-booking") + $"&service={ServiceId}&diary=any&date={PortalSetup.TomorrowInSydney()}";
}

internal sealed record PortalUser(string Email, string Password, Guid Id, HttpClient Http);

/// <summary>Setup through the staff and portal APIs (the contract in API.md); the tests drive only the page under test.</summary>
internal static partial class PortalSetup
{
    public const string ServiceName = "Check-up";
    public const string DiaryName = "Dr Browser";

    /// <summary>Tomorrow's date in the test businesses' zone (Australia/Sydney), as yyyy-MM-dd.</summary>
    public static string TomorrowInSydney()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Australia/Sydney");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone));
        return today.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public static async Task<PortalBusiness> BusinessAsync(this BrowserFixture fixture, Action<JsonObject>? settings = null, int horizonDays = 60)
    {
        var biz = await fixture.SignUpAsync();
        await Ok(await biz.Owner.PutAsJsonAsync("/api/v1/admin/booking-rules", new { slotIntervalMinutes = 30, minimumNoticeMinutes = 0, horizonDays }));
        var diary = (await Ok(await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = DiaryName, contactEmail = "diary@portal.example", active = true })))
            .GetProperty("id").GetGuid();
        await Ok(await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}/roster",
            new { blocks = Weekdays.Select(weekday => new { weekday, start = "00:00", end = "23:30", bookableOnline = true }) }));
        var service = (await Ok(await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", new
        {
            name = ServiceName,
            description = "A short visit",
            durationMinutes = 30,
            bufferAfterMinutes = 0,
            price = new { amount = "45.00", currency = "AUD" },
            bookableOnline = true,
            diaryIds = new[] { diary },
        }))).GetProperty("id").GetGuid();
        if (settings is not null)
        {
            await biz.SettingsAsync(settings);
        }

        return new PortalBusiness(biz, diary, service);
    }

    /// <summary>An API client of the app on its Kestrel port with its own cookies.</summary>
    public static HttpClient NewHttp(this BrowserFixture fixture) => fixture.App.NewClient();

    /// <summary>A fresh business (unique slug) in Sydney, with a client signed in as its owner.</summary>
    public static Task<TestBusiness> SignUpAsync(this BrowserFixture fixture) => fixture.App.SignUpBusinessAsync("portal");

    /// <summary>GET the portal settings, change them, PUT them back whole.</summary>
    public static async Task SettingsAsync(this TestBusiness biz, Action<JsonObject> change)
    {
        var current = JsonNode.Parse(await biz.Owner.GetStringAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative)))!.AsObject();
        change(current);
        await Ok(await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", current));
    }

    public static async Task<PortalUser> RegisterAsync(this BrowserFixture fixture, PortalBusiness business, string firstName = "Robin")
    {
        var http = fixture.NewHttp();
        var email = $"{firstName.ToLowerInvariant()}-{Guid.NewGuid():N}@client.example";
        const string password = "a long client password for the browser";
        var json = await Ok(await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={business.Slug}",
            new { firstName, lastName = "Returning", email, password, mobile = (string?)null }));
        return new PortalUser(email, password, json.GetProperty("id").GetGuid(), http);
    }

    /// <summary>Signs the client in on the email sign-in page, as a person would; lands on their appointments.</summary>
    public static async Task SignInAsync(this IPage page, PortalBusiness business, PortalUser user)
    {
        await page.GotoAsync(business.Url("/ol/sign-in"));
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My appointments" })).ToBeVisibleAsync();
    }

    /// <summary>The first free start of the business's service from today on, as the API writes it.</summary>
    public static async Task<string> FirstSlotAsync(this HttpClient http, PortalBusiness business)
    {
        var today = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var later = DateTimeOffset.UtcNow.AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var json = await Ok(await http.GetAsync(new Uri(
            $"/api/v1/portal/availability?name={business.Slug}&service={business.ServiceId}&diary=any&from={today}&to={later}", UriKind.Relative)));
        return json.GetProperty("slots").EnumerateArray().First().GetProperty("start").GetString()!;
    }

    /// <summary>The latest one-time code texted to a phone, read from the Development SMS outbox.</summary>
    public static async Task<string> LatestCodeAsync(this BrowserFixture fixture, string e164, string? notThis = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.App.BaseUrl) };
        return await Eventually.ReturnsAsync(async () =>
            {
                var list = await http.GetFromJsonAsync<JsonElement>($"/dev/api/sms?to={Uri.EscapeDataString(e164)}");
                return list.GetArrayLength() == 0 ? "" : SixDigits().Match(list[0].GetProperty("body").GetString() ?? "").Value;
            },
            code => code.Length == 6 && code != notThis,
            TimeSpan.FromSeconds(20),
            $"an SMS code to {e164}");
    }

    public static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<HttpStatusCode> BookAsync(this PortalUser user, PortalBusiness business, string start)
    {
        var response = await user.Http.PostAsJsonAsync($"/api/v1/portal/appointments?name={business.Slug}",
            new { serviceId = business.ServiceId, diaryId = business.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null });
        await Ok(response);
        return response.StatusCode;
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
