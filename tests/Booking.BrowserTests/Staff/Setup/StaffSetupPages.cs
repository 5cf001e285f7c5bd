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

    /// <summary>A fresh business signed up through the API on the Kestrel port; Owner carries the owner's session.</summary>
    public static Task<TestBusiness> SignUpAsync(this BrowserFixture fixture, string prefix) => fixture.App.SignUpBusinessAsync(prefix);

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
