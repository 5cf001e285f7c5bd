using System.Net;
using System.Net.Http.Json;
using Booking.BrowserTests.Infrastructure;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Staff.Diary;

[Collection(BrowserCollection.Name)]
public sealed class AccountPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_staff_member_changes_their_own_password_from_the_account_page_and_stays_signed_in()
    {
        var biz = await fixture.App.SignUpAsync("account");
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(biz, "/staff/diary");
        await page.GetByRole(AriaRole.Link, new() { Name = "Olive Owner" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your account");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(biz.OwnerEmail);

        await page.GetByLabel("Current password").FillAsync("not my password at all");
        await page.GetByLabel("New password").FillAsync("a brand new owner passphrase 2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.ErrorFor("Input.CurrentPassword")).ToHaveTextAsync("Your current password is not right.");
        await Assertions.Expect(page.GetByLabel("New password")).ToHaveValueAsync(""); // never echoed back
        await page.AssertAccessibleAsync("staff-account-error");

        await page.GetByLabel("Current password").FillAsync(TestBusiness.OwnerPassword);
        await page.GetByLabel("New password").FillAsync("a brand new owner passphrase 2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Password changed.");
        await page.AssertAccessibleAsync("staff-account");
        await page.CaptureAtWidthsAsync("staff-account", 360, 1280);

        // This browser is still in; the API session made at sign-up (another device) is not; the new password works.
        await page.GotoAsync("/staff/diary");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/staff/diary"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await biz.Owner.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode);
        var fresh = await fixture.App.NewHttpClient().PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}",
            new { email = biz.OwnerEmail, password = "a brand new owner passphrase 2026" });
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }
}
