using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Booking.BrowserTests.Infrastructure;
using Booking.BrowserTests.Staff.Diary;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Staff;

/// <summary>The staff client page in a real browser: a pet the client removed is listed apart, and Restore puts it back.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ClientPetRestoreTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_owner_restores_a_removed_pet_from_the_client_page()
    {
        var biz = await fixture.App.SignUpAsync("pets-restore");
        var settings = JsonNode.Parse(await biz.Owner.GetStringAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative)))!.AsObject();
        settings["booksForPets"] = true;
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", settings)).JsonAsync(HttpStatusCode.OK);
        var client = await fixture.App.RegisterClientAsync(biz, "Alice", "Appleby");
        var rex = (await (await client.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={biz.Slug}", new { name = "Rex", species = "dog" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await client.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={biz.Slug}", new { name = "Tom", species = "cat" })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await client.Http.DeleteAsync(new Uri($"/api/v1/portal/me/pets/{rex}?name={biz.Slug}", UriKind.Relative))).StatusCode);

        var page = await fixture.NewPageAsync();
        await page.WatchStatusAsync();
        await page.SignInAsync(biz, $"/staff/clients/{client.Id}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Removed pets" })).ToBeVisibleAsync();
        var restore = page.GetByRole(AriaRole.Button, new() { Name = "Restore Rex" });
        await Assertions.Expect(restore).ToHaveCountAsync(1);
        await page.AssertAccessibleAsync("staff-client-removed-pets");

        await restore.ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Rex is on file again and can be booked.");
        await page.AssertAnnouncedAsync("Rex is on file again and can be booked.");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Removed pets" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#pets-heading + ul")).ToContainTextAsync("Rex");
        await page.AssertAccessibleAsync("staff-client-pet-restored");
    }
}
