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
        // A weekly roster change offers no form to cancel them all (decision 279): each appointment is opened.
        await Assertions.Expect(notice).ToContainTextAsync("Nothing was cancelled yet. Open an appointment to move or cancel it.");
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

    [Fact]
    public async Task Removing_a_run_of_opened_hours_lists_the_booking_left_outside_and_a_changed_run_is_kept()
    {
        var ready = await fixture.App.ReadyBusinessAsync();
        var owner = ready.Biz.Owner;
        string[] days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        await (await owner.PutAsJsonAsync($"/api/v1/admin/diaries/{ready.DiaryId}/roster",
            new { blocks = days.Select(weekday => new { weekday, start = "09:00", end = "17:00", bookableOnline = true }) })).JsonAsync(HttpStatusCode.OK);
        var (first, last) = (StaffPages.Day(6), StaffPages.Day(7));
        var exceptions = $"/api/v1/admin/diaries/{ready.DiaryId}/exceptions";
        await (await owner.PostAsJsonAsync($"{exceptions}/range", new
        {
            from = StaffPages.Iso(first), to = StaffPages.Iso(last), closed = false, blocks = new[] { new { start = "18:00", end = "21:00", bookableOnline = true } },
        })).JsonAsync(HttpStatusCode.Created);
        var noah = await fixture.App.RegisterClientAsync(ready.Biz, "Noah", "New");
        var evening = await BookAsync(ready, noah.Id, StaffPages.At(first, 19));

        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ready.Biz, $"/staff/setup/roster/{ready.DiaryId}");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove the 2 exceptions from {Words(first)} to {Words(last)}" }).ClickAsync();
        var notice = page.GetByRole(AriaRole.Status);
        await Assertions.Expect(notice).ToContainTextAsync($"2 exceptions from {Words(first)} to {Words(last)} removed.");
        await Assertions.Expect(notice).ToContainTextAsync("1 appointment is outside this diary's weekly hours:");
        await Assertions.Expect(notice.GetByRole(AriaRole.Link)).ToHaveTextAsync([$"Noah New, {Words(first)}, 7:00–8:00 PM Consultation"]);
        await Assertions.Expect(notice.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", $"/staff/diary/appointments/{evening}");
        await Assertions.Expect(notice).ToBeInViewportAsync();
        await page.AssertAccessibleAsync("staff-roster-removal-clash");

        // A run closed on two other dates, shown; then someone else gives its last date other hours.
        var (closedFrom, closedTo) = (StaffPages.Day(10), StaffPages.Day(11));
        var closed = await (await owner.PostAsJsonAsync($"{exceptions}/range", new
        {
            from = StaffPages.Iso(closedFrom), to = StaffPages.Iso(closedTo), closed = true, blocks = Array.Empty<object>(),
        })).JsonAsync(HttpStatusCode.Created);
        await page.ReloadAsync();
        var changed = closed.GetProperty("items")[1].GetProperty("id").GetGuid();
        await (await owner.PutAsJsonAsync($"{exceptions}/{changed}", new
        {
            date = StaffPages.Iso(closedTo), closed = false, blocks = new[] { new { start = "10:00", end = "12:00", bookableOnline = true } },
        })).JsonAsync(HttpStatusCode.OK);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove the 2 exceptions from {Words(closedFrom)} to {Words(closedTo)}" }).ClickAsync();
        await Assertions.Expect(notice).ToContainTextAsync(
            $"Nothing was removed: the exceptions from {Words(closedFrom)} to {Words(closedTo)} changed after this page showed them");
        await Assertions.Expect(page.Locator("#exception-list > li")).ToHaveCountAsync(2);
        var left = (await (await owner.GetAsync(new Uri(exceptions, UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("items");
        Assert.Equal(2, left.GetArrayLength());
        await page.AssertAccessibleAsync("staff-roster-removal-changed");
    }

    private static async Task<Guid> BookAsync(ReadyBusiness ready, Guid client, string start) =>
        (await (await ready.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
                new { clientId = client, serviceId = ready.ServiceId, diaryId = ready.DiaryId, start, petId = (Guid?)null, note = "" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
}
