using System.Net;
using System.Net.Http.Json;
using Booking.BrowserTests.Infrastructure;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Staff.Setup;

/// <summary>Helpers for the staff setup browser tests.</summary>
internal static class StaffSetupPages
{
    public const string MemberPassword = "a team member's password 2026";

    /// <summary>Signs in through the staff sign-in page.</summary>
    public static async Task SignInAsync(this IPage page, string slug, string email, string password)
    {
        await page.GotoAsync($"/staff/sign-in?name={slug}");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Signed in: away from the sign-in page (a practitioner lands on the diary, which another branch adds).
        await Assertions.Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/staff/sign-in"));
    }

    /// <summary>
    /// Signs up a business over real HTTP to the Kestrel port (the factory's in-memory client does not reach a
    /// Kestrel-hosted app); the returned Owner client carries the owner's session cookie.
    /// </summary>
    public static async Task<TestBusiness> SignUpAsync(this BrowserFixture fixture, string prefix)
    {
        var slug = $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";
        var email = $"owner@{slug}.example";
        var owner = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(fixture.App.BaseUrl),
        };
        var response = await owner.PostAsJsonAsync("/api/v1/tenants", new
        {
            slug,
            name = $"Business {slug}",
            timeZone = "Australia/Sydney",
            countryCode = "AU",
            owner = new { name = "Olive Owner", email, password = TestBusiness.OwnerPassword },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        return new TestBusiness(id, slug, email, owner);
    }

    /// <summary>Adds a team member through the staff API as the business's owner; returns their email.</summary>
    public static async Task<string> AddMemberAsync(this TestBusiness biz, string role)
    {
        var email = $"{role}-{Guid.NewGuid().ToString("N")[..8]}@{biz.Slug}.example";
        var response = await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = $"Pat {role}", email, password = MemberPassword, role, diaryIds = Array.Empty<Guid>() });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return email;
    }
}
