using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>/ol/pets ("My pets") with its edit and remove pages, and the confirm page's notes for a pet not listed yet.</summary>
public sealed class PetsPageTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task A_client_lists_adds_with_notes_edits_and_removes_a_pet_and_each_post_says_what_it_did()
    {
        var (biz, alice) = await PetClientAsync();
        var rex = await AddPetAsync(alice, biz, "Rex", "Shy with men.");

        var list = await alice.Http.PageAsync($"/ol/pets?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.NotNull(list.All("nav a").FirstOrDefault(a => a.TextContent.Trim() == "My pets"));
        Assert.Equal(["Rex"], list.All(".pet .pet-name").Select(h => h.TextContent.Trim()));
        Assert.Contains("Shy with men.", list.One(".pet .pet-notes")?.TextContent, StringComparison.Ordinal);

        var added = await alice.Http.SubmitAsync(list, PortalHtml.Fields(
            ("Input.Name", "Biscuit"), ("Input.Species", "cat"), ("Input.Breed", "Siamese"), ("Input.Notes", "Needs a quiet room.")));
        Assert.Equal(HttpStatusCode.Redirect, added.Status);
        list = await alice.Http.PageAsync(added.Response.Headers.Location!.OriginalString);
        Assert.Equal("Your pet is added.", list.One("[role=status]")?.TextContent.Trim());
        Assert.Equal(["Biscuit", "Rex"], list.All(".pet .pet-name").Select(h => h.TextContent.Trim()));
        var biscuit = (await MeAsync(alice, biz)).GetProperty("pets").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Biscuit");
        Assert.Equal("Needs a quiet room.", biscuit.GetProperty("notes").GetString());
        Assert.Equal("Siamese", biscuit.GetProperty("breed").GetString());
        var biscuitId = biscuit.GetProperty("id").GetGuid();
        Assert.Null((await alice.Http.PageAsync($"/ol/pets?name={biz.Slug}")).One("[role=status]")); // said once

        var edit = await alice.Http.PageAsync(list.All(".pet a.edit").Single(a => a.GetAttribute("href")!.Contains(biscuitId.ToString(), StringComparison.Ordinal)).GetAttribute("href")!);
        Assert.Equal("Biscuit", edit.One("input[name='Input.Name']")?.GetAttribute("value"));
        Assert.Equal("Needs a quiet room.", edit.One("textarea[name='Input.Notes']")?.TextContent.Trim());
        var saved = await alice.Http.SubmitAsync(edit, PortalHtml.Fields(("Input.Name", "Biscuit II"), ("Input.Notes", "")));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        list = await alice.Http.PageAsync(saved.Response.Headers.Location!.OriginalString);
        Assert.Equal("Your changes are saved.", list.One("[role=status]")?.TextContent.Trim());
        var changed = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/me/pets/{biscuitId}?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Biscuit II", changed.GetProperty("name").GetString());
        Assert.Equal("cat", changed.GetProperty("species").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, changed.GetProperty("notes").ValueKind);

        var confirm = await alice.Http.PageAsync(list.All(".pet a.remove").Single(a => a.GetAttribute("href")!.Contains(rex.ToString(), StringComparison.Ordinal)).GetAttribute("href")!);
        Assert.Equal("Remove Rex?", confirm.One("h1")?.TextContent.Trim());
        Assert.Contains("Appointments already made for Rex stay", confirm.Text, StringComparison.Ordinal);
        Assert.Equal(["Biscuit II", "Rex"], await PetNamesAsync(alice, biz)); // the confirmation step removes nothing
        var removed = await alice.Http.SubmitAsync(confirm, PortalHtml.Fields());
        Assert.Equal(HttpStatusCode.Redirect, removed.Status);
        list = await alice.Http.PageAsync(removed.Response.Headers.Location!.OriginalString);
        Assert.Equal("The pet is removed from your details.", list.One("[role=status]")?.TextContent.Trim());
        Assert.Equal(["Biscuit II"], list.All(".pet .pet-name").Select(h => h.TextContent.Trim()));
        Assert.Equal(["Biscuit II"], await PetNamesAsync(alice, biz));

        var again = await alice.Http.PageAsync(confirm.Response.RequestMessage!.RequestUri!.PathAndQuery);
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        Assert.Contains("We could not find that pet.", again.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_pet_is_shown_with_its_errors_on_the_add_and_the_edit_form_and_nothing_is_saved()
    {
        var (biz, alice) = await PetClientAsync();
        var rex = await AddPetAsync(alice, biz, "Rex");

        var list = await alice.Http.PageAsync($"/ol/pets?name={biz.Slug}");
        var failed = await alice.Http.SubmitAsync(list, PortalHtml.Fields(("Input.Name", ""), ("Input.Species", "dog"), ("Input.Notes", "Kept")));
        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.StartsWith("Error: ", failed.One("title")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("#Input_Name", failed.One("#error-summary a")?.GetAttribute("href"));
        Assert.Equal("Enter the pet's name.", failed.ErrorFor("Input.Name"));
        Assert.NotNull(failed.One("#Input_Name[aria-invalid=true]"));
        Assert.Equal("Kept", failed.One("textarea[name='Input.Notes']")?.TextContent.Trim());
        Assert.Equal(["Rex"], failed.All(".pet .pet-name").Select(h => h.TextContent.Trim()));

        var edit = await alice.Http.PageAsync($"/ol/pets/edit?name={biz.Slug}&id={rex}");
        var bad = await alice.Http.SubmitAsync(edit, PortalHtml.Fields(("Input.Species", "")));
        Assert.Equal(HttpStatusCode.OK, bad.Status);
        Assert.Equal("#Input_Species", bad.One("#error-summary a")?.GetAttribute("href"));
        Assert.Equal("Enter the species (dog, cat…).", bad.ErrorFor("Input.Species"));
        Assert.Equal("Edit Rex", bad.One("h1")?.TextContent.Trim());

        var pets = (await MeAsync(alice, biz)).GetProperty("pets");
        Assert.Equal("Rex", Assert.Single(pets.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("dog", pets[0].GetProperty("species").GetString());
    }

    [Fact]
    public async Task Another_clients_pet_is_not_found_on_the_edit_and_remove_pages_and_stays()
    {
        var (biz, alice) = await PetClientAsync();
        var bob = await App.RegisterClientAsync(biz, "Bob");
        var fido = await AddPetAsync(bob, biz, "Fido");

        foreach (var path in new[] { "/ol/pets/edit", "/ol/pets/remove" })
        {
            var page = await alice.Http.PageAsync($"{path}?name={biz.Slug}&id={fido}");
            Assert.Equal(HttpStatusCode.NotFound, page.Status);
            Assert.Contains("We could not find that pet.", page.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Fido", page.Html, StringComparison.Ordinal);
            Assert.Null(page.One("form[action*='/ol/pets/'] button"));
        }

        Assert.Equal(["Fido"], await PetNamesAsync(bob, biz));
    }

    [Fact]
    public async Task Where_the_business_does_not_book_for_pets_the_page_says_so_and_the_menu_does_not_offer_it()
    {
        var biz = await App.SignUpBusinessAsync("nopets");
        var alice = await App.RegisterClientAsync(biz);

        var page = await alice.Http.PageAsync($"/ol/pets?name={biz.Slug}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("does not book appointments for pets", page.One("main")?.TextContent, StringComparison.Ordinal);
        Assert.Null(page.One("form[action*='/ol/pets']"));
        Assert.DoesNotContain(page.All("nav a"), a => a.TextContent.Trim() == "My pets");
        var appointments = await alice.Http.PageAsync($"/ol/appointments?name={biz.Slug}");
        Assert.DoesNotContain(appointments.All("nav a"), a => a.TextContent.Trim() == "My pets");
    }

    [Fact]
    public async Task The_confirm_pages_new_pet_keeps_its_notes()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(b.Biz);
        var start = (await alice.Http.SlotsAsync(b, SchedulingApi.Day(2), SchedulingApi.Day(2), diary: b.DiaryId.ToString())).Starts()[6];
        var iso = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var form = await alice.Http.PageAsync($"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary={b.DiaryId}&start={Uri.EscapeDataString(iso)}");
        Assert.NotNull(form.One("fieldset#new-pet textarea[name='Input.PetNotes']"));

        var booked = await alice.Http.SubmitAsync(form, PortalHtml.Fields(("Input.PetName", "Biscuit"), ("Input.PetSpecies", "dog"), ("Input.PetNotes", "Allergic to chicken.")));

        Assert.Equal(HttpStatusCode.Redirect, booked.Status);
        var pet = Assert.Single((await MeAsync(alice, b.Biz)).GetProperty("pets").EnumerateArray());
        Assert.Equal("Biscuit", pet.GetProperty("name").GetString());
        Assert.Equal("Allergic to chicken.", pet.GetProperty("notes").GetString());
    }

    private async Task<(TestBusiness Biz, PortalClient Alice)> PetClientAsync()
    {
        var biz = await App.SignUpBusinessAsync("pets");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        return (biz, await App.RegisterClientAsync(biz));
    }

    private static async Task<Guid> AddPetAsync(PortalClient client, TestBusiness biz, string name, string? notes = null) =>
        (await (await client.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={biz.Slug}", new { name, species = "dog", notes }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<System.Text.Json.JsonElement> MeAsync(PortalClient client, TestBusiness biz) =>
        await (await client.Http.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK);

    private static async Task<List<string?>> PetNamesAsync(PortalClient client, TestBusiness biz) =>
        [.. (await MeAsync(client, biz)).GetProperty("pets").EnumerateArray().Select(p => p.GetProperty("name").GetString())];
}
