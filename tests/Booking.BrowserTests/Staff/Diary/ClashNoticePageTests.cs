using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Booking.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using NodaTime;

namespace Booking.BrowserTests.Staff.Diary;

/// <summary>
/// The clash notice (decision 164) on the roster page: after a dated exception or a weekly roster is saved over
/// bookings, the page opens at the notice, lists them with links, and passes axe-core.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ClashNoticePageTests(BrowserFixture fixture)
{
    /// <summary>As staff pages write dates: "Thursday 10 December 2026".</summary>
    private static string Words(LocalDate date) => date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Saving_a_closed_day_and_then_shorter_weekly_hours_over_bookings_lists_them_at_the_top_of_the_page()
    {
        var ready = await fixture.App.ReadyBusinessAsync();
        var noah = await fixture.App.RegisterClientAsync(ready.Biz, "Noah", "New");
        var (closedDay, shortDay) = (StaffPages.Day(6), StaffPages.Day(7));
        var first = await BookAsync(ready, noah.Id, StaffPages.At(closedDay, 11));
        var second = await BookAsync(ready, noah.Id, StaffPages.At(shortDay, 11));

        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ready.Biz, $"/staff/setup/roster/{ready.DiaryId}");

        // A closed day over the first booking.
        await page.GetByLabel("Date (or first date)").FillAsync(StaffPages.Iso(closedDay));
        await page.GetByLabel("Closed all day").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add exception" }).ClickAsync();
        var notice = page.GetByRole(AriaRole.Status);
        await Assertions.Expect(notice).ToContainTextAsync($"Exception on {Words(closedDay)} saved.");
        await Assertions.Expect(notice).ToContainTextAsync("1 appointment is on this closed day:");
        await Assertions.Expect(notice.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Noah New, 11:00 AM–12:00 PM Consultation"]);
        await Assertions.Expect(notice).ToBeInViewportAsync();
        await page.AssertAccessibleAsync("staff-roster-exception-clash");

        // The second booking's weekday now starts at 12:00 (rows run Monday first, one block a day). The closed day
        // is outside the diary's hours too, so both are listed, each with its date.
        await page.GetByLabel($"Row {(int)shortDay.DayOfWeek} start").FillAsync("12:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save weekly roster" }).ClickAsync();
        await Assertions.Expect(notice).ToContainTextAsync("Weekly roster saved.");
        await Assertions.Expect(notice).ToContainTextAsync("2 appointments are outside this diary's hours:");
        await Assertions.Expect(notice).ToContainTextAsync("Nothing was cancelled. Contact each client to agree what to do: to change a time, book the new one, then cancel the old one.");
        var links = notice.GetByRole(AriaRole.Link);
        await Assertions.Expect(links).ToHaveTextAsync([
            $"Noah New, {Words(closedDay)}, 11:00 AM–12:00 PM Consultation",
            $"Noah New, {Words(shortDay)}, 11:00 AM–12:00 PM Consultation",
        ]);
        await Assertions.Expect(links.Nth(0)).ToHaveAttributeAsync("href", $"/staff/diary/appointments/{first}");
        await Assertions.Expect(notice).ToBeInViewportAsync();
        await page.AssertAccessibleAsync("staff-roster-week-clash");
        await page.CaptureAtWidthsAsync("staff-roster-week-clash", 360, 1280);

        // Nothing was cancelled: the link opens the appointment, still confirmed.
        await links.Nth(1).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/staff/diary/appointments/{second}$"));
        await Assertions.Expect(page.Locator("dl.facts .status")).ToHaveTextAsync("Confirmed");
    }

    private static async Task<Guid> BookAsync(ReadyBusiness ready, Guid client, string start) =>
        (await (await ready.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
                new { clientId = client, serviceId = ready.ServiceId, diaryId = ready.DiaryId, start, petId = (Guid?)null, note = "" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
}
