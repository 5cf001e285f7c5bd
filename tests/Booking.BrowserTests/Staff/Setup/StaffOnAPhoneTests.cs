using System.Net;
using System.Net.Http.Json;
using Booking.BrowserTests.Infrastructure;
using Booking.BrowserTests.Staff.Diary;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Staff.Setup;

/// <summary>
/// The s42 review's walk of a new groomer's first day on a phone: staff phone and logo fields are fields like the
/// others (#1), the staff tables of records stack one block per row at 390 and 320 px with Status in view and nothing
/// scrolling sideways (#5), and an email's card shrinks to a phone's width while staying 600 px on a wide screen (#2).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StaffOnAPhoneTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Phone_fields_and_the_logo_upload_are_as_tall_as_a_text_field()
    {
        var biz = await fixture.App.SignUpAsync("s42-fields");
        var page = await fixture.NewPageAsync(390, 844);
        await page.SignInAsync(biz, "/staff/clients");

        var firstName = await HeightAsync(page.Locator("#Input_FirstName"));
        Assert.True(firstName >= 44, $"a text field is {firstName}px tall");
        Assert.Equal(firstName, await HeightAsync(page.GetByLabel("Mobile (optional)")));
        Assert.Equal(firstName, await HeightAsync(page.GetByLabel("Other phone (landline; no texts)")));
        Assert.Equal(await WidthAsync(page.Locator("#Input_FirstName")), await WidthAsync(page.GetByLabel("Mobile (optional)")));

        await page.GotoAsync("/staff/setup/portal");
        var email = await HeightAsync(page.Locator("#Settings_ContactEmail"));
        Assert.Equal(firstName, email);
        Assert.Equal(email, await HeightAsync(page.Locator("#Settings_ContactPhone")));
        Assert.Equal(email, await HeightAsync(page.GetByLabel("Upload a logo")));
        await page.AssertAccessibleAsync("staff-setup-portal-phone-fields");
    }

    [Theory]
    [InlineData(390)]
    [InlineData(320)]
    public async Task Staff_tables_stack_on_a_phone_with_status_in_view_and_nothing_scrolling_sideways(int width)
    {
        var ready = await fixture.App.ReadyBusinessAsync();
        var biz = ready.Biz;
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients", new { firstName = "Polly", lastName = "Parker", email = "polly@example.com", mobile = "0412 345 678" }))
            .JsonAsync(HttpStatusCode.Created);
        // The sign-up's email to the owner: one row in Sent messages.
        await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(biz.OwnerEmail)), m => m.Count > 0, TimeSpan.FromSeconds(30), "the sign-up email");

        var page = await fixture.NewPageAsync(width, 800);
        await page.SignInAsync(biz, "/staff/clients");
        await AssertStackedAsync(page, "staff-clients-phone", "Polly Parker", ".client-status .status", "Status");

        await page.GotoAsync("/staff/tools/messages");
        await AssertStackedAsync(page, "staff-messages-phone", null, ".message-status .status", "Status");

        await page.GotoAsync("/staff/setup/services");
        await AssertStackedAsync(page, "staff-services-phone", "Consultation", ".service-online a", "Client Portal");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retire Consultation" })).ToBeInViewportAsync();

        await page.GotoAsync("/staff/setup/roster");
        await AssertStackedAsync(page, "staff-roster-diaries-phone", "Dr Alpha", ".diary-status .status", "Status");

        // On a wide screen the same tables are tables: a header row, cells side by side.
        await page.SetViewportSizeAsync(1280, 900);
        await Assertions.Expect(page.Locator("#diaries-table thead")).ToBeVisibleAsync();
        Assert.Equal("table-cell", await page.Locator("#diaries-table tbody td").First.EvaluateAsync<string>("td => getComputedStyle(td).display"));
    }

    /// <summary>
    /// Decision 355: the tables of figures and comparisons stack too (Reports, Setup → Roster's closed days, the clients'
    /// merge comparison): one block per row headed by the row's own header cell, each figure after its column's name,
    /// nothing scrolling sideways; on a wide screen they are tables again.
    /// </summary>
    [Theory]
    [InlineData(390)]
    [InlineData(320)]
    public async Task Reports_closed_days_and_the_merge_comparison_stack_on_a_phone(int width)
    {
        var ready = await fixture.App.ReadyBusinessAsync();
        var biz = ready.Biz;
        var day = StaffPages.Day(9);
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/closed-days", new { from = StaffPages.Iso(day), to = StaffPages.Iso(day.PlusDays(1)), label = "Christmas" }))
            .JsonAsync(HttpStatusCode.Created);
        var keep = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients", new { firstName = "Polly", lastName = "Parker", email = "polly.parker@example.com" }))
            .JsonAsync(HttpStatusCode.Created);
        var away = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients", new { firstName = "Polly", lastName = "Parkes", mobile = "0412 345 679" }))
            .JsonAsync(HttpStatusCode.Created);

        var page = await fixture.NewPageAsync(width, 800);
        await page.SignInAsync(biz, "/staff/reports");
        await AssertTableStackedAsync(page, "#report-appointments", "staff-reports-phone", "Total", "Cancelled inside the window");
        await AssertTableStackedAsync(page, "#report-takings", "staff-reports-takings-phone", "Total", "No-shows (not taken)");

        await page.GotoAsync("/staff/setup/roster");
        await AssertTableStackedAsync(page, "#closed-days-table", "staff-closed-days-phone", "Christmas", "Label");
        var remove = page.Locator("#closed-days-table").GetByRole(AriaRole.Button, new() { NameRegex = new("^Remove the closed days") });
        await remove.ScrollIntoViewIfNeededAsync();
        var removeBox = (await remove.BoundingBoxAsync())!;
        Assert.True(removeBox.X >= 0 && removeBox.X + removeBox.Width <= width, $"Remove is at {removeBox.X}–{removeBox.X + removeBox.Width}px, off a {width}px screen");

        await page.GotoAsync($"/staff/clients/{keep.GetProperty("id").GetGuid()}/merge?with={away.GetProperty("id").GetGuid()}");
        await AssertTableStackedAsync(page, "#merge-compare", "staff-merge-phone", "Email", "Merge away");

        await page.SetViewportSizeAsync(1280, 900);
        await Assertions.Expect(page.Locator("#merge-compare thead")).ToBeVisibleAsync();
        Assert.Equal("table-cell", await page.Locator("#merge-compare tbody td").First.EvaluateAsync<string>("td => getComputedStyle(td).display"));
    }

    [Fact]
    public async Task An_email_is_as_wide_as_a_phone_and_600_pixels_on_a_wide_screen()
    {
        var biz = await fixture.App.SignUpAsync("s42-mail");
        var preview = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates/preview", new
        {
            subject = "Your appointment",
            body = "Hi {ClientFirstName}, your {ServiceName} with {DiaryName} is booked for {AppointmentStartDateTime}.",
        })).JsonAsync(HttpStatusCode.OK);
        var html = preview.GetProperty("html").GetString()!;

        var page = await fixture.NewPageAsync(320, 640);
        await page.SetContentAsync(html);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the email is {overflow}px wider than a 320px screen");
        var card = page.Locator("[data-role=card]");
        var phoneWidth = await WidthAsync(card);
        Assert.True(phoneWidth <= 320, $"the card is {phoneWidth}px wide at 320");
        Assert.True(phoneWidth >= 300, $"the card is {phoneWidth}px wide at 320: it should fill the screen, less a small margin");

        await page.SetViewportSizeAsync(1280, 900);
        Assert.Equal(600, await WidthAsync(card));
    }

    /// <summary>
    /// The page at the current width: no sideways scroll of the page or of the table's box, the table stacked (no
    /// header row shown), the row holding <paramref name="rowText"/> (else the first) with its important cell inside the
    /// screen, shown after its column's name.
    /// </summary>
    private static async Task AssertStackedAsync(IPage page, string name, string? rowText, string important, string label)
    {
        var width = page.ViewportSize!.Width;
        var rows = page.Locator(".stack-table tbody tr");
        var row = (rowText is null ? rows : rows.Filter(new() { HasText = rowText })).First;
        await Assertions.Expect(row).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"'{name}' is {overflow}px wider than a {width}px screen");
        var wrapOverflow = await page.Locator(".table-wrap").First.EvaluateAsync<int>("w => w.scrollWidth - w.clientWidth");
        Assert.True(wrapOverflow <= 0, $"'{name}': the table scrolls {wrapOverflow}px sideways inside its box at {width}px");
        await Assertions.Expect(page.Locator(".stack-table thead").First).ToBeHiddenAsync();

        var cell = row.Locator(important).First;
        await Assertions.Expect(cell).ToBeVisibleAsync();
        var box = (await cell.BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= width, $"'{name}': {important} is at {box.X}–{box.X + box.Width}px, off a {width}px screen");
        var td = cell.Locator("xpath=ancestor::td[1]");
        Assert.Equal(label, await td.GetAttributeAsync("data-label"));
        Assert.NotEqual("none", await td.EvaluateAsync<string>("td => getComputedStyle(td, '::before').content"));
        await page.AssertAccessibleAsync(name);
        await page.ScreenshotAsync(name);
    }

    /// <summary>
    /// One table at the current width: no sideways scroll of the page or of the table's box, no header row shown, the
    /// row holding <paramref name="rowText"/> headed by its own header cell as a block, and its last cell (labelled
    /// <paramref name="lastLabel"/>) inside the screen after its column's name.
    /// </summary>
    private static async Task AssertTableStackedAsync(IPage page, string table, string name, string rowText, string lastLabel)
    {
        var width = page.ViewportSize!.Width;
        var row = page.Locator($"{table} tbody tr").Filter(new() { HasText = rowText }).First;
        await Assertions.Expect(row).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"'{name}' is {overflow}px wider than a {width}px screen");
        var wrapOverflow = await page.Locator(table).EvaluateAsync<int>("t => { const w = t.closest('.table-wrap') ?? t; return w.scrollWidth - w.clientWidth; }");
        Assert.True(wrapOverflow <= 0, $"'{name}': the table scrolls {wrapOverflow}px sideways inside its box at {width}px");
        await Assertions.Expect(page.Locator($"{table} thead")).ToBeHiddenAsync();
        if (await row.Locator("th[scope=row]").CountAsync() > 0)
        {
            Assert.Equal("block", await row.Locator("th[scope=row]").EvaluateAsync<string>("th => getComputedStyle(th).display"));
        }

        var cell = row.Locator($"td[data-label='{lastLabel}']");
        await Assertions.Expect(cell).ToBeVisibleAsync();
        var box = (await cell.BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= width, $"'{name}': the {lastLabel} cell is at {box.X}–{box.X + box.Width}px, off a {width}px screen");
        Assert.Equal("block", await cell.EvaluateAsync<string>("td => getComputedStyle(td).display"));
        Assert.NotEqual("none", await cell.EvaluateAsync<string>("td => getComputedStyle(td, '::before').content"));
        await page.AssertAccessibleAsync(name);
        await page.ScreenshotAsync(name);
    }

    private static async Task<double> HeightAsync(ILocator locator) => (await locator.BoundingBoxAsync())!.Height;

    private static async Task<double> WidthAsync(ILocator locator) => (await locator.BoundingBoxAsync())!.Width;
}
