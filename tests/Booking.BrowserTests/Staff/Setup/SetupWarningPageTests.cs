using System.Net;
using System.Net.Http.Json;
using Booking.BrowserTests.Infrastructure;
using Booking.BrowserTests.Staff.Diary;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Staff.Setup;

/// <summary>
/// Switching off a diary with a booking ahead asks first (the roster page's confirm step), in view and passing
/// axe-core; confirmed, the booking stays and the portal says online booking is closed for now, not "not open yet".
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SetupWarningPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Switching_off_a_diary_with_a_booking_ahead_asks_first_and_the_portal_then_says_closed_for_now()
    {
        var ready = await fixture.App.ReadyBusinessAsync();
        var noah = await fixture.App.RegisterClientAsync(ready.Biz, "Noah", "New");
        var booked = (await (await ready.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
                new { clientId = noah.Id, serviceId = ready.ServiceId, diaryId = ready.DiaryId, start = StaffPages.At(StaffPages.Day(3), 11), petId = (Guid?)null, note = "" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ready.Biz, $"/staff/setup/roster/{ready.DiaryId}");
        await page.GetByLabel("Active (takes bookings)").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save diary" }).ClickAsync();

        var ask = page.Locator("#switch-off");
        await Assertions.Expect(ask.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Switch off Dr Alpha?");
        await Assertions.Expect(ask).ToContainTextAsync("Dr Alpha has 1 upcoming appointment. Nothing is saved until you choose.");
        await Assertions.Expect(ask).ToContainTextAsync("It stays as it is: switching the diary off cancels nothing, and the clients are not told.");
        await Assertions.Expect(ask).ToContainTextAsync("Clients will no longer be able to book Dr Alpha online");
        await Assertions.Expect(ask).ToBeInViewportAsync();
        await page.AssertAccessibleAsync("staff-diary-switch-off-ask");
        await page.CaptureAtWidthsAsync("staff-diary-switch-off-ask", 360, 1280);

        await ask.GetByRole(AriaRole.Button, new() { Name = "Switch it off" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(
            "Dr Alpha is switched off: clients can no longer book it online, and no new appointments can be made in it. Its 1 upcoming appointment stays as it was.");
        await Assertions.Expect(page.GetByLabel("Active (takes bookings)")).Not.ToBeCheckedAsync();
        var appointment = await (await ready.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{booked}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", appointment.GetProperty("status").GetString());

        var portal = await fixture.NewPageAsync();
        await portal.GotoAsync($"/ol/book?name={ready.Biz.Slug}");
        await Assertions.Expect(portal.Locator("#not-bookable h2")).ToHaveTextAsync("Online booking is closed for now");
        await Assertions.Expect(portal.Locator("#not-bookable")).Not.ToContainTextAsync("yet");
        await portal.AssertAccessibleAsync("portal-closed-for-now");
    }
}
