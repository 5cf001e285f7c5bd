using System.Net;
using System.Net.Http.Json;
using Booking.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Staff.Diary;

[Collection(BrowserCollection.Name)]
public sealed class AppointmentOutcomePageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_owner_marks_a_started_appointment_as_a_no_show_and_takes_it_back()
    {
        var ready = await fixture.App.ReadyBusinessAsync();
        var alice = await fixture.App.RegisterClientAsync(ready.Biz, "Alice", "Started");
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        start = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, 0, 0, TimeSpan.Zero);
        var id = (await (await ready.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
                new { clientId = alice.Id, serviceId = ready.ServiceId, diaryId = ready.DiaryId, start, petId = (Guid?)null, note = "" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ready.Biz, $"/staff/diary/appointments/{id}");
        var outcome = page.GetByRole(AriaRole.Region, new() { Name = "What happened" });
        await Assertions.Expect(outcome.GetByRole(AriaRole.Button)).ToHaveTextAsync(["Completed", "No-show"]);
        await page.AssertAccessibleAsync("staff-appointment-outcome");

        await outcome.GetByRole(AriaRole.Button, new() { Name = "No-show" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Marked Alice Started's Consultation as a no-show.");
        await Assertions.Expect(page.Locator("dl.facts .status")).ToHaveTextAsync("No-show");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel appointment" })).ToHaveCountAsync(0);
        await page.AssertAccessibleAsync("staff-appointment-no-show");

        await outcome.GetByRole(AriaRole.Button, new() { Name = "Take back: no outcome" }).ClickAsync();
        await Assertions.Expect(page.Locator("dl.facts .status")).ToHaveTextAsync("Confirmed");
        // Started, it is not cancelled but its outcome recorded (decision 208): no Cancel even when confirmed again.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel appointment" })).ToHaveCountAsync(0);
    }
}
