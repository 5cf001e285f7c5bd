using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Booking.BrowserTests.Infrastructure;
using Booking.BrowserTests.Staff.Diary;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Staff;

/// <summary>
/// The staff client page in a real browser: "Book for this client" opens New appointment with the client chosen and only
/// their pets offered, and the booking comes back to the client's page with the appointment listed.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ClientBookTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_owner_books_for_a_client_from_the_client_page_and_comes_back_to_it()
    {
        var ready = await fixture.App.ReadyBusinessAsync();
        var settings = JsonNode.Parse(await ready.Biz.Owner.GetStringAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative)))!.AsObject();
        settings["booksForPets"] = true;
        await (await ready.Biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", settings)).JsonAsync(HttpStatusCode.OK);
        var alice = await fixture.App.RegisterClientAsync(ready.Biz, "Alice", "Pawson");
        var bob = await fixture.App.RegisterClientAsync(ready.Biz, "Bob", "Pawson");
        var petIds = new List<string>();
        foreach (var (client, pet, species) in new[] { (alice, "Rex", "dog"), (bob, "Tom", "cat") })
        {
            petIds.Add((await (await client.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={ready.Biz.Slug}", new { name = pet, species }))
                .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!);
        }

        var rexId = petIds[0];

        var page = await fixture.NewPageAsync();
        await page.WatchStatusAsync();
        await page.SignInAsync(ready.Biz, $"/staff/clients/{alice.Id}");
        await Assertions.Expect(page.Locator("#mobile-not-confirmed")).ToHaveTextAsync("(not confirmed)"); // the mobile she typed at registration
        await page.GetByRole(AriaRole.Link, new() { Name = "Book for this client" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New appointment" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Radio)).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByLabel("Alice Pawson")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Search)).ToHaveCountAsync(0);
        // A pet business: the field is "Pet", and a client's only pet is chosen for them (decision 338).
        var pets = page.GetByLabel("Pet", new() { Exact = true });
        await Assertions.Expect(pets.Locator("option")).ToHaveTextAsync(["No pet", "Rex (dog)"]);
        await Assertions.Expect(pets).ToHaveValueAsync(rexId);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "← Alice Pawson" })).ToHaveAttributeAsync("href", $"/staff/clients/{alice.Id}");
        await page.AssertAccessibleAsync("staff-book-for-client");

        await pets.SelectOptionAsync(new SelectOptionValue { Label = "Rex (dog)" });
        await page.GetByLabel("Service").SelectOptionAsync(new SelectOptionValue { Label = "Consultation (60 min)" });
        await page.GetByLabel("Diary", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Dr Alpha" });
        await page.GetByLabel("Date", new() { Exact = true }).FillAsync(StaffPages.Iso(StaffPages.Day(4)));
        await page.GetByLabel("Start time").FillAsync("11:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Book", Exact = true }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/staff/clients/{alice.Id}$"));
        await page.AssertAnnouncedAsync(
            $"Booked Alice Pawson for Consultation on {StaffPages.Day(4).ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture)} at 11:00 AM.");
        var upcoming = page.Locator("#appointments-upcoming li");
        await Assertions.Expect(upcoming).ToHaveCountAsync(1);
        await Assertions.Expect(upcoming).ToContainTextAsync("Rex");
        await Assertions.Expect(upcoming).ToContainTextAsync("11:00");
        await page.AssertAccessibleAsync("staff-client-booked");
    }
}
