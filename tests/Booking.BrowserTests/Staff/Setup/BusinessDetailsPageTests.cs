using System.Net;
using System.Net.Http.Json;
using Booking.BrowserTests.Infrastructure;
using Booking.BrowserTests.Staff.Diary;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Staff.Setup;

/// <summary>
/// Setup → Business details in Chromium: the form and the time zone change's confirm step pass axe-core, the step is in
/// view when the page comes back, and confirming it saves the zone and says so.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BusinessDetailsPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_time_zone_change_asks_first_in_view_and_both_steps_pass_axe()
    {
        var ready = await fixture.App.ReadyBusinessAsync();
        var noah = await fixture.App.RegisterClientAsync(ready.Biz, "Noah", "New");
        await (await ready.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
                new { clientId = noah.Id, serviceId = ready.ServiceId, diaryId = ready.DiaryId, start = StaffPages.At(StaffPages.Day(3), 11), petId = (Guid?)null, note = "" }))
            .JsonAsync(HttpStatusCode.Created);

        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ready.Biz, "/staff/setup/business");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Setup · Business details");
        await page.AssertAccessibleAsync("staff-business-details");

        await page.GetByLabel("Time zone").SelectOptionAsync("Australia/Perth");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save business details" }).ClickAsync();
        var ask = page.Locator("#zone-change");
        await Assertions.Expect(ask.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Change the time zone from Australia/Sydney to Australia/Perth?");
        await Assertions.Expect(ask).ToContainTextAsync("your upcoming appointment will show at a different time of day");
        await Assertions.Expect(ask.Locator("#zone-change-after")).ToContainTextAsync("AWST");
        await Assertions.Expect(ask).ToBeInViewportAsync();
        await page.AssertAccessibleAsync("staff-business-details-zone-change");
        await page.CaptureAtWidthsAsync("staff-business-details-zone-change", 360, 1280);

        await ask.GetByRole(AriaRole.Button, new() { Name = "Change the time zone to Australia/Perth" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Times are now shown in Australia/Perth time.");
        await Assertions.Expect(page.GetByLabel("Time zone")).ToHaveValueAsync("Australia/Perth");
    }
}
