using Booking.BrowserTests.Infrastructure;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Staff.Setup;

[Collection(BrowserCollection.Name)]
public sealed class CommunicationTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_template_is_written_with_a_merge_field_previewed_saved_and_chosen_for_the_diary_contact()
    {
        var biz = await fixture.SignUpAsync("comms");
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(biz.Slug, biz.OwnerEmail, TestBusiness.OwnerPassword);

        await page.GotoAsync("/staff/tools/communication");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Diary: new booking");
        await page.GetByLabel("Subject", new() { Exact = true }).FillAsync("New booking");
        var body = page.GetByLabel("Body", new() { Exact = true });
        await body.FillAsync("Booked by  via the portal.");
        // Put the cursor after "Booked by " and insert the field there.
        await body.EvaluateAsync("t => { t.focus(); t.setSelectionRange(10, 10); }");
        await page.GetByRole(AriaRole.Button, new() { Name = "{ClientFullName}" }).ClickAsync();
        await Assertions.Expect(body).ToHaveValueAsync("Booked by {ClientFullName} via the portal.");

        // The live preview renders the field with a sample value.
        await Assertions.Expect(page.Locator("[data-preview-text]")).ToContainTextAsync("Booked by Jane Citizen via the portal.");
        await page.AssertAccessibleAsync("staff-communication-editor");
        await page.CaptureAtWidthsAsync("staff-communication-editor", 360, 1280);

        // An unknown field: the live preview says so, and saving is refused next to the body.
        await body.FillAsync("Hello {Nope}");
        await Assertions.Expect(page.Locator("[data-preview-status]")).ToContainTextAsync("Unknown merge field {Nope}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
        await Assertions.Expect(page.Locator("#t-body-error")).ToContainTextAsync("Unknown merge field {Nope}");

        // The Preview button works by a plain form post too.
        await page.GetByLabel("Body", new() { Exact = true }).FillAsync("{ClientFullName} ({ClientMobilePhone}) just booked {NextAppointmentStartDateTime}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-preview-text]")).ToContainTextAsync("Jane Citizen (0412 345 678) just booked");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Template saved.");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Diary: new booking" })).ToBeVisibleAsync();

        // Setup → Client Portal: notify the diary contact on new appointments with this template.
        await page.GotoAsync("/staff/setup/portal");
        await page.GetByLabel("Send an email on a new appointment").CheckAsync();
        await page.GetByLabel("Template for new appointments").SelectOptionAsync(new SelectOptionValue { Label = "Diary: new booking" });
        await page.GetByLabel("Addresses (one per line)").FillAsync("front-desk@example.com\nnot an address");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save notification choices" }).ClickAsync();
        await Assertions.Expect(page.Locator("#extra-error")).ToContainTextAsync("not a valid email address");
        await page.GetByLabel("Addresses (one per line)").FillAsync("front-desk@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save notification choices" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Notification choices saved.");
        await Assertions.Expect(page.GetByLabel("Send an email on a new appointment")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("Template for new appointments").Locator("option:checked")).ToHaveTextAsync("Diary: new booking");

        await page.GotoAsync("/staff/tools/messages");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sent messages" })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("staff-messages");
        await page.CaptureAtWidthsAsync("staff-messages", 360, 1280);
    }
}
