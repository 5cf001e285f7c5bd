using Booking.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Portal;

/// <summary>My pets (/ol/pets) in a real browser: add, edit, remove with its confirmation step; axe-core on each page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MyPetsPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_client_adds_edits_and_removes_a_pet_on_My_pets()
    {
        var business = await fixture.BusinessAsync(s => s["booksForPets"] = true);
        var user = await fixture.RegisterAsync(business);
        var page = await fixture.NewPageAsync(360);

        await page.GotoAsync(business.Url("/ol/sign-in"));
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "My pets" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("My pets");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add pet" }).ClickAsync();
        await Assertions.Expect(page.Locator("#name-error")).ToHaveTextAsync("Enter the pet's name.");
        await page.AssertAccessibleAsync("portal-pets-errors");

        await page.GetByLabel("Pet's name").FillAsync("Biscuit");
        await page.GetByLabel("Species").FillAsync("dog");
        await page.GetByLabel("Notes").FillAsync("Shy with other dogs.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add pet" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your pet is added.");
        await Assertions.Expect(page.Locator(".pet-notes")).ToContainTextAsync("Shy with other dogs.");
        await page.AssertAccessibleAsync("portal-pets");
        await page.CaptureAtWidthsAsync("portal-pets");

        await page.GetByRole(AriaRole.Link, new() { Name = "Edit Biscuit" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Edit Biscuit");
        await page.AssertAccessibleAsync("portal-pet-edit");
        await page.GetByLabel("Pet's name").FillAsync("Biscuit Junior");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your changes are saved.");

        await page.GetByRole(AriaRole.Link, new() { Name = "Remove Biscuit Junior" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Remove Biscuit Junior?");
        await page.AssertAccessibleAsync("portal-pet-remove");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove Biscuit Junior" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The pet is removed from your details.");
        await Assertions.Expect(page.Locator(".pet")).ToHaveCountAsync(0);
    }
}
