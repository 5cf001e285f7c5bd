using System.Net;
using System.Net.Http.Json;
using Booking.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Staff.Diary;

[Collection(BrowserCollection.Name)]
public sealed class DiaryPagesTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_staff_booking_can_be_for_one_of_the_chosen_clients_pets()
    {
        var ready = await fixture.App.ReadyBusinessAsync();
        var alice = await fixture.App.RegisterClientAsync(ready.Biz, "Alice", "Pawson");
        var bob = await fixture.App.RegisterClientAsync(ready.Biz, "Bob", "Pawson");
        foreach (var (client, pet, species) in new[] { (alice.Id, "Rex", "dog"), (bob.Id, "Tom", "cat") })
        {
            await Booking.IntegrationTests.Infrastructure.Sql.AdminExecAsync(fixture.App.Database.Database, """
                INSERT INTO portalauth.pets (tenant_id, id, client_id, name, species) VALUES (@t, @id, @c, @n, @s)
                """, ("t", ready.Biz.Id), ("id", Guid.NewGuid()), ("c", client), ("n", pet), ("s", species));
        }

        var date = StaffPages.Iso(StaffPages.Day(4));
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ready.Biz, $"/staff/diary/book?date={date}&search=pawson");
        await page.GetByLabel("Alice Pawson").CheckAsync();

        // Only Alice's pets are offered once she is chosen.
        var pets = page.GetByLabel("Pet (optional)");
        await Assertions.Expect(page.Locator("optgroup[label='Bob Pawson']")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("optgroup[label='Alice Pawson']")).ToBeEnabledAsync();
        await pets.SelectOptionAsync(new SelectOptionValue { Label = "Rex (dog)" });
        await page.AssertAccessibleAsync("staff-diary-book-pet");
        await page.GetByLabel("Service").SelectOptionAsync(new SelectOptionValue { Label = "Consultation (60 min)" });
        await page.GetByLabel("Diary", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Dr Alpha" });
        await page.GetByLabel("Start time").FillAsync("11:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Book" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Booked Alice Pawson for Consultation at 11:00 AM.");
        await Assertions.Expect(page.Locator(".diary-entry").Filter(new() { HasText = "Alice Pawson (Rex)" })).ToContainTextAsync("11:00 AM–12:00 PM");

        // Switching client drops a pet that is not theirs.
        await page.GotoAsync($"/staff/diary/book?date={date}&search=pawson");
        await page.GetByLabel("Alice Pawson").CheckAsync();
        await pets.SelectOptionAsync(new SelectOptionValue { Label = "Rex (dog)" });
        await page.GetByLabel("Bob Pawson").CheckAsync();
        await Assertions.Expect(pets).ToHaveValueAsync("");
        await Assertions.Expect(page.Locator("optgroup[label='Alice Pawson']")).ToBeDisabledAsync();
    }

    [Fact]
    public async Task An_owner_books_in_the_diary_sees_it_in_day_and_week_views_cancels_it_and_adds_and_removes_busy_time()
    {
        var ready = await fixture.App.ReadyBusinessAsync();
        await fixture.App.RegisterClientAsync(ready.Biz, "Alice", "Appleby");
        await fixture.App.RegisterClientAsync(ready.Biz, "Bob", "Brown");
        var day = StaffPages.Day(3);
        var date = StaffPages.Iso(day);
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ready.Biz, $"/staff/diary?date={date}&view=day");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dr Alpha" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New appointment" }).ClickAsync();

        // Client picker: search, then choose.
        await page.GetByLabel("Find a client").FillAsync("appleby");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Radio)).ToHaveCountAsync(1);
        await page.GetByLabel("Alice Appleby").CheckAsync();
        await page.GetByLabel("Service").SelectOptionAsync(new SelectOptionValue { Label = "Consultation (60 min)" });
        await page.GetByLabel("Diary", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Dr Alpha" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Book" }).ClickAsync();
        await Assertions.Expect(page.ErrorFor("Input.Time")).ToHaveTextAsync("Choose the start time (HH:mm).");
        await Assertions.Expect(page.GetByLabel("Alice Appleby")).ToBeCheckedAsync();
        await page.AssertAccessibleAsync("staff-diary-book-error");
        await page.CaptureAtWidthsAsync("staff-diary-book-error", 360, 1280);
        await page.GetByLabel("Start time").FillAsync("10:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Book" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Booked Alice Appleby for Consultation at 10:00 AM.");
        var entry = page.Locator(".diary-entry").Filter(new() { HasText = "Alice Appleby" });
        await Assertions.Expect(entry).ToContainTextAsync("10:00–11:00 AM");
        await Assertions.Expect(entry).ToContainTextAsync("Confirmed");
        await page.AssertAccessibleAsync("staff-diary-day");
        await page.CaptureAtWidthsAsync("staff-diary-day", 360, 1280);

        // The same booking over it is refused by the database's constraint, said in the error summary.
        await page.GotoAsync($"/staff/diary/book?date={date}&search=brown");
        await page.GetByLabel("Bob Brown").CheckAsync();
        await page.GetByLabel("Service").SelectOptionAsync(new SelectOptionValue { Label = "Consultation (60 min)" });
        await page.GetByLabel("Diary", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Dr Alpha" });
        await page.GetByLabel("Start time").FillAsync("10:30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Book" }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToContainTextAsync("Alice Appleby's Consultation 10:00 AM–11:00 AM holds that time.");

        // Week view.
        await page.GotoAsync($"/staff/diary?date={date}&view=week");
        var weekEntry = page.Locator(".diary-entry").Filter(new() { HasText = "Alice Appleby" });
        await Assertions.Expect(weekEntry).ToContainTextAsync("10:00–11:00 AM");
        await Assertions.Expect(page.Locator(".diary-day")).ToHaveCountAsync(7);
        await page.AssertAccessibleAsync("staff-diary-week");
        await page.CaptureAtWidthsAsync("staff-diary-week", 360, 1280);

        // Cancel with a reason.
        await weekEntry.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Alice Appleby · Consultation");
        await page.AssertAccessibleAsync("staff-diary-appointment");
        await page.GetByLabel("Reason, sent to the client (optional)").FillAsync("Doctor away");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel appointment" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Cancelled Alice Appleby's Consultation at 10:00 AM.");
        await Assertions.Expect(page.Locator(".diary-entry").Filter(new() { HasText = "Alice Appleby" })).ToContainTextAsync("Cancelled");

        var diary = await (await ready.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={date}&to={date}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var appointment = Assert.Single(diary.GetProperty("appointments").EnumerateArray());
        Assert.Equal("cancelled", appointment.GetProperty("status").GetString());
        Assert.Equal("staff", appointment.GetProperty("source").GetString());
        Assert.Equal(StaffPages.At(day, 10), appointment.GetProperty("start").GetString());

        // Busy time: end before start is refused next to the field; then added and removed.
        await page.GetByRole(AriaRole.Link, new() { Name = "Add busy time" }).ClickAsync();
        await page.GetByLabel("Diary", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Dr Alpha" });
        await page.GetByLabel("From").FillAsync("14:00");
        await page.GetByLabel("Until").FillAsync("13:00");
        await page.GetByLabel("Note (optional)").FillAsync("Staff meeting");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add busy time" }).ClickAsync();
        await Assertions.Expect(page.ErrorFor("Input.End")).ToHaveTextAsync("End after the start.");
        await page.AssertAccessibleAsync("staff-diary-busy-error");
        await page.GetByLabel("Until").FillAsync("15:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add busy time" }).ClickAsync();
        var busy = page.Locator(".diary-entry.busy");
        await Assertions.Expect(busy).ToContainTextAsync("2:00–3:00 PM");
        await Assertions.Expect(busy).ToContainTextAsync("Busy: Staff meeting");
        await busy.GetByRole(AriaRole.Button, new() { Name = "Remove busy time 2:00–3:00 PM" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Busy time removed.");
        await Assertions.Expect(page.Locator(".diary-entry.busy")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_portal_booking_request_appears_in_requests_and_is_accepted_and_client_search_finds_and_approves_the_client()
    {
        var ready = await fixture.App.ReadyBusinessAsync(newClientsNeedApproval: true);
        var nina = await fixture.App.RegisterClientAsync(ready.Biz, "Nina", "Newcomer");
        Assert.Equal("pending-approval", nina.Status);
        var day = StaffPages.Day(4);
        var booked = await (await nina.Http.PostAsJsonAsync($"/api/v1/portal/appointments?name={ready.Biz.Slug}",
            new { serviceId = ready.ServiceId, diaryId = ready.DiaryId, start = StaffPages.At(day, 11), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = "First visit" }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", booked.GetProperty("status").GetString());

        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ready.Biz, "/staff/requests");
        var request = page.Locator(".request").Filter(new() { HasText = "Nina Newcomer" });
        await Assertions.Expect(request.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Booking request: Nina Newcomer");
        await Assertions.Expect(request).ToContainTextAsync("11:00 AM–12:00 PM");
        await Assertions.Expect(request).ToContainTextAsync("First visit");
        await page.AssertAccessibleAsync("staff-requests");
        await page.CaptureAtWidthsAsync("staff-requests", 360, 1280);

        await request.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Confirm booking Booking request") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Confirmed Nina Newcomer's booking.");
        await Assertions.Expect(page.Locator(".request")).ToHaveCountAsync(0);
        var mine = await (await nina.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={ready.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", Assert.Single(mine.GetProperty("items").EnumerateArray()).GetProperty("status").GetString());

        // Clients: search, open, approve.
        await fixture.App.RegisterClientAsync(ready.Biz, "Oscar", "Other");
        await page.GotoAsync("/staff/clients");
        await Assertions.Expect(page.GetByRole(AriaRole.Row)).ToHaveCountAsync(3); // header + two clients
        await page.GetByLabel("Search clients").FillAsync("NEWCOMER");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Nina Newcomer" });
        await Assertions.Expect(row).ToContainTextAsync("awaiting approval");
        await page.AssertAccessibleAsync("staff-clients");
        await page.CaptureAtWidthsAsync("staff-clients", 360, 1280);

        await row.GetByRole(AriaRole.Link, new() { Name = "Nina Newcomer" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve client" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Nina Newcomer is approved");
        await Assertions.Expect(page.Locator(".facts")).ToContainTextAsync("active");
        await page.AssertAccessibleAsync("staff-client");
        await page.CaptureAtWidthsAsync("staff-client", 360, 1280);

        var later = await (await nina.Http.PostAsJsonAsync($"/api/v1/portal/appointments?name={ready.Biz.Slug}",
            new { serviceId = ready.ServiceId, diaryId = ready.DiaryId, start = StaffPages.At(day, 14), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = "" }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("confirmed", later.GetProperty("status").GetString());
    }
}
