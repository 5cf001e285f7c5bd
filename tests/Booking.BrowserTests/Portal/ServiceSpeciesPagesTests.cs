using System.Net.Http.Json;
using Booking.BrowserTests.Infrastructure;
using Booking.BrowserTests.Staff.Diary;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Portal;

/// <summary>
/// Decision 358 in a real browser: a dog owner who picks a time of a cats-only service reads on the confirm page that
/// none of their pets is one (with the way on), and staff set the animals on Setup → Services; axe-core on both pages.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ServiceSpeciesPagesTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_dog_owner_is_told_the_service_is_for_cats_and_staff_set_the_animals_on_the_service_page()
    {
        var business = await fixture.BusinessAsync(s => s["booksForPets"] = true);
        await PortalSetup.Ok(await business.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{business.ServiceId}", new
        {
            name = PortalSetup.ServiceName,
            description = "A short visit",
            durationMinutes = 30,
            bufferAfterMinutes = 0,
            price = new { amount = "45.00", currency = "AUD" },
            bookableOnline = true,
            diaryIds = new[] { business.DiaryId },
            forSpecies = new[] { "cat" },
        }));
        var user = await fixture.RegisterAsync(business);
        await PortalSetup.Ok(await user.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={business.Slug}", new { name = "Rex", species = "dog" }));

        var page = await fixture.NewPageAsync(360);
        await page.SignInAsync(business, user);
        await page.GotoAsync(business.BookingUrlTomorrow());
        await page.Locator("a.slot").First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Confirm your booking");
        var none = page.Locator("#no-pet-fits");
        await Assertions.Expect(none).ToContainTextAsync($"{PortalSetup.ServiceName} is for cats.");
        await Assertions.Expect(none.GetByRole(AriaRole.Link, new() { Name = "Choose another service" })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("portal-confirm-no-pet-fits");

        var staff = await fixture.NewPageAsync();
        await staff.SignInAsync(business.Biz, $"/staff/setup/services/{business.ServiceId}");
        var animals = staff.GetByLabel("For which animals", new() { Exact = false });
        await Assertions.Expect(animals).ToHaveValueAsync("cat");
        await animals.FillAsync("cat, Cat");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(staff.Locator("#species-error")).ToContainTextAsync("given twice");
        await staff.AssertAccessibleAsync("staff-service-species-error");
    }
}
