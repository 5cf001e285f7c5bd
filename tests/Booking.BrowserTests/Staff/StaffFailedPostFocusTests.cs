using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Booking.BrowserTests.Infrastructure;
using Booking.BrowserTests.Staff.Diary;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Staff;

/// <summary>
/// The staff pages in a real browser after a failed post, as the portal's (decision 85): the title says "Error: ",
/// the error summary has the focus and its link takes the keyboard to the field, the field is aria-invalid, and
/// axe-core finds nothing serious. Then what a screen reader cannot see in HTML alone: which request a button acts
/// on, and a success message put into its live region after the page has loaded.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StaffFailedPostFocusTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Book_without_a_time_focuses_the_summary_whose_link_leads_to_the_time_and_the_booking_then_says_so()
    {
        var ready = await fixture.App.ReadyBusinessAsync();
        await fixture.App.RegisterClientAsync(ready.Biz, "Alice", "Appleby");
        var page = await fixture.NewPageAsync();
        await page.WatchStatusAsync();
        await page.SignInAsync(ready.Biz, $"/staff/diary/book?date={StaffPages.Iso(StaffPages.Day(3))}");
        await page.GetByLabel("Alice Appleby").CheckAsync();
        await page.GetByLabel("Service").SelectOptionAsync(new SelectOptionValue { Label = "Consultation (60 min)" });
        await page.GetByLabel("Diary", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Dr Alpha" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Book", Exact = true }).ClickAsync();

        await AssertFailedPostAsync(page, "Input_Time", page.GetByLabel("Start time"));
        await page.AssertAccessibleAsync("staff-book-failed");

        // Put right, the booking is made and the diary says so in its status message, filled in after load.
        await page.GetByLabel("Start time").FillAsync("10:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Book", Exact = true }).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveTitleAsync(new Regex("^Error: "));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Booked Alice Appleby for Consultation at 10:00 AM.");
        await page.AssertAnnouncedAsync("Booked Alice Appleby for Consultation at 10:00 AM.");
    }

    [Fact]
    public async Task A_service_with_a_bad_duration_focuses_the_summary_whose_link_leads_to_the_duration()
    {
        var ready = await fixture.App.ReadyBusinessAsync();
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ready.Biz, "/staff/setup/services/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Massage");
        var duration = page.GetByLabel("Duration (minutes)");
        await duration.FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        await AssertFailedPostAsync(page, "Input_DurationMinutes", duration);
        await page.AssertAccessibleAsync("staff-service-failed");
    }

    [Fact]
    public async Task A_team_invite_with_a_bad_email_focuses_the_summary_whose_link_leads_to_the_email()
    {
        var ready = await fixture.App.ReadyBusinessAsync();
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ready.Biz, "/staff/setup/team");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Pat Practitioner");
        var email = page.GetByLabel("Email", new() { Exact = true });
        await email.FillAsync("not an email");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("a team member's password 2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to team" }).ClickAsync();

        await AssertFailedPostAsync(page, "Input_Email", email);
        await Assertions.Expect(page.GetByLabel("Name", new() { Exact = true })).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await page.AssertAccessibleAsync("staff-team-failed");
    }

    [Fact]
    public async Task Two_requests_of_one_client_have_buttons_and_reasons_that_name_their_appointment()
    {
        var ready = await fixture.App.ReadyBusinessAsync(newClientsNeedApproval: true);
        var nina = await fixture.App.RegisterClientAsync(ready.Biz, "Nina", "Newcomer");
        var day = StaffPages.Day(5);
        foreach (var hour in new[] { 10, 14 })
        {
            await (await nina.Http.PostAsJsonAsync($"/api/v1/portal/appointments?name={ready.Biz.Slug}",
                new { serviceId = ready.ServiceId, diaryId = ready.DiaryId, start = StaffPages.At(day, hour), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
                .JsonAsync(HttpStatusCode.Created);
        }

        var page = await fixture.NewPageAsync();
        await page.WatchStatusAsync();
        await page.SignInAsync(ready.Biz, "/staff/requests");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Confirm booking Booking request") })).ToHaveCountAsync(2);
        foreach (var (start, end) in new[] { ("10:00", "11:00 AM"), ("2:00", "3:00 PM") })
        {
            var which = $"Booking request: Nina Newcomer Consultation, .* {start}–{end}$";
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Confirm booking " + which) })).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Decline " + which) })).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByRole(AriaRole.Textbox, new() { NameRegex = new Regex(@"^Reason for declining, sent to the client \(optional\) " + which) })).ToHaveCountAsync(1);
        }

        await page.AssertAccessibleAsync("staff-requests-two");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Confirm booking Booking request: .* 2:00–3:00 PM$") }).ClickAsync();
        await page.AssertAnnouncedAsync("Confirmed Nina Newcomer's booking.");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Confirm booking Booking request: .* 10:00–11:00 AM$") })).ToHaveCountAsync(1);
    }

    private static async Task AssertFailedPostAsync(IPage page, string fieldId, ILocator field)
    {
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^Error: "));
        var summary = page.Locator("main > #error-summary");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(field).ToHaveAttributeAsync("id", fieldId);

        // The keyboard way: from the focused summary, Tab reaches its first link; Enter moves the focus to the field.
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(summary.Locator($"a[href='#{fieldId}']")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(field).ToBeFocusedAsync();
        await Assertions.Expect(field).ToBeInViewportAsync();
    }
}
