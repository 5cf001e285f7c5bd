using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// A client's pets on file have names of their own, in any case (booking offered two identical "Rex" choices): the
/// portal's and staff's adds and changes, the new-client flow and staff's restore refuse a name another of the client's
/// pets on file has, on <c>name</c> (<c>pets[i].name</c> in the new-client flow), and the unique index on (tenant,
/// client, lower(name)) of pets on file answers two saves at once the same way.
/// </summary>
public sealed class UniquePetNamesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string YouHaveRex = "You already have a pet called Rex. Give this pet another name, so you can tell them apart when booking.";
    private const string ClientHasRex = "This client already has a pet called Rex. Give this pet another name, so the two can be told apart when booking.";

    private BookingApp App => shared.App;

    private static string MyPets(TestBusiness biz) => $"/api/v1/portal/me/pets?name={biz.Slug}";

    private static string MyPet(TestBusiness biz, Guid id) => $"/api/v1/portal/me/pets/{id}?name={biz.Slug}";

    private static string ClientPets(PortalClient client) => $"/api/v1/admin/clients/{client.Id}/pets";

    private static async Task<Guid> AddPetAsync(PortalClient client, TestBusiness biz, string name) =>
        (await (await client.Http.PostAsJsonAsync(MyPets(biz), new { name, species = "dog" })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task AssertRefusedOnAsync(HttpResponseMessage response, string field, string message)
    {
        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal([field], Booking.IntegrationTests.Setup.SetupApi.ErrorFields(problem));
        Assert.Equal(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    private static async Task<List<string?>> NamesAsync(PortalClient client, TestBusiness biz) =>
        [.. (await (await client.Http.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("pets").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()).Order(StringComparer.Ordinal)];

    private async Task<(TestBusiness Biz, PortalClient Alice)> PetClientAsync()
    {
        var biz = await App.SignUpBusinessAsync("pet-names");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        return (biz, await App.RegisterClientAsync(biz));
    }

    [Fact]
    public async Task A_name_another_of_the_clients_pets_has_in_any_case_is_refused_on_name_from_the_portal_and_by_staff_and_another_clients_or_a_removed_pets_is_free()
    {
        var (biz, alice) = await PetClientAsync();
        var rex = await AddPetAsync(alice, biz, "Rex");
        var tom = await AddPetAsync(alice, biz, "Tom");

        // The client: an add and a change, trimmed and in any case; a pet's own name in another case is its own.
        await AssertRefusedOnAsync(await alice.Http.PostAsJsonAsync(MyPets(biz), new { name = "  rEX ", species = "cat" }), "name", YouHaveRex);
        await AssertRefusedOnAsync(await alice.Http.PutAsJsonAsync(MyPet(biz, tom), new { name = "REX", species = "dog" }), "name", YouHaveRex);
        await (await alice.Http.PutAsJsonAsync(MyPet(biz, rex), new { name = "REX", species = "dog" })).JsonAsync(HttpStatusCode.OK);
        await (await alice.Http.PutAsJsonAsync(MyPet(biz, rex), new { name = "Rex", species = "dog" })).JsonAsync(HttpStatusCode.OK);

        // Staff, for the client: the same rule in staff's words.
        await AssertRefusedOnAsync(await biz.Owner.PostAsJsonAsync(ClientPets(alice), new { name = "rex", species = "dog" }), "name", ClientHasRex);
        await AssertRefusedOnAsync(await biz.Owner.PutAsJsonAsync($"{ClientPets(alice)}/{tom}", new { name = "rex", species = "dog" }), "name", ClientHasRex);
        Assert.Equal(["Rex", "Tom"], await NamesAsync(alice, biz));

        // Another client's Rex is no clash.
        var bob = await App.RegisterClientAsync(biz, "Bob");
        await AddPetAsync(bob, biz, "Rex");

        // A removed pet's name is free; the removed pet comes back only once the name is free again.
        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync(new Uri(MyPet(biz, rex), UriKind.Relative))).StatusCode);
        var second = await AddPetAsync(alice, biz, "rex");
        var restore = new Uri($"{ClientPets(alice)}/{rex}/restore", UriKind.Relative);
        await AssertRefusedOnAsync(await biz.Owner.PostAsync(restore, null), "name",
            "Rex cannot come back while this client has another pet called rex on file. Rename that pet first, then restore this one.");
        Assert.Equal(["Tom", "rex"], await NamesAsync(alice, biz));
        await (await alice.Http.PutAsJsonAsync(MyPet(biz, second), new { name = "Rex junior", species = "dog" })).JsonAsync(HttpStatusCode.OK);
        await (await biz.Owner.PostAsync(restore, null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Rex", "Rex junior", "Tom"], await NamesAsync(alice, biz));
    }

    [Fact]
    public async Task A_new_client_naming_two_pets_alike_is_refused_on_the_later_pets_name_and_nothing_is_saved()
    {
        var biz = await App.SignUpBusinessAsync("pet-names");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var http = await App.VerifiedUnknownPhoneAsync(biz);

        var pets = new[] { new { name = "Rex", species = "dog" }, new { name = "Tom", species = "cat" }, new { name = " REX", species = "dog" } };
        await AssertRefusedOnAsync(await http.NewClientAsync(biz.Slug, new { firstName = "Pat", lastName = "Owner", email = (string?)null, pets }),
            "pets[2].name", "You have already named a pet Rex. Give each pet a name of its own.");

        // Nothing was written: the same verified phone becomes a client once the names differ.
        pets[2] = new { name = "Rex II", species = "dog" };
        Assert.Equal(HttpStatusCode.Created, (await http.NewClientAsync(biz.Slug, new { firstName = "Pat", lastName = "Owner", email = (string?)null, pets })).StatusCode);
        var me = await (await http.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Rex", "Rex II", "Tom"], me.GetProperty("pets").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_pages_show_a_name_the_clients_other_pet_has_next_to_the_name_and_save_nothing()
    {
        var (biz, alice) = await PetClientAsync();
        await AddPetAsync(alice, biz, "Rex");
        var tom = await AddPetAsync(alice, biz, "Tom");

        // My pets: the add form and the edit page.
        var list = await alice.Http.PageAsync($"/ol/pets?name={biz.Slug}");
        var added = await alice.Http.SubmitAsync(list, PortalHtml.Fields(("Input.Name", "rex"), ("Input.Species", "dog")));
        Assert.Equal(HttpStatusCode.OK, added.Status);
        Assert.Equal(YouHaveRex, added.ErrorFor("Input.Name"));
        var edit = await alice.Http.PageAsync($"/ol/pets/edit?name={biz.Slug}&id={tom}");
        var edited = await alice.Http.SubmitAsync(edit, PortalHtml.Fields(("Input.Name", "REX")));
        Assert.Equal(HttpStatusCode.OK, edited.Status);
        Assert.Equal(YouHaveRex, edited.ErrorFor("Input.Name"));

        // The new-client page offers one pet, so its own list cannot repeat a name; the staff client page's "Add a pet".
        var staff = await biz.Owner.PageAsync($"/staff/clients/{alice.Id}");
        var staffAdded = await biz.Owner.SubmitAsync(staff, PortalHtml.Fields(("NewPet.Name", "Rex"), ("NewPet.Species", "dog")), "form#add-pet");
        Assert.Equal(HttpStatusCode.OK, staffAdded.Status);
        Assert.Equal(ClientHasRex, staffAdded.One("#new-pet-name-error")?.TextContent.Trim());

        Assert.Equal(["Rex", "Tom"], await NamesAsync(alice, biz));
    }

    [Fact]
    public async Task Two_changes_to_one_name_at_once_save_one_and_refuse_the_other_on_name()
    {
        var (biz, alice) = await PetClientAsync();
        var tom = await AddPetAsync(alice, biz, "Tom");
        var max = await AddPetAsync(alice, biz, "Max");
        HttpResponseMessage[] answers;
        await using (var held = await HeldTransaction.BeginAsync(App.Database.Database))
        {
            // A "Rex" of the client's, not yet committed: both changes find the name free, then both wait on it at the
            // unique index. Rolled back, one change goes in and the other meets it there.
            await held.ExecAsync("INSERT INTO portalauth.pets (tenant_id, id, client_id, name, species) VALUES (@t, gen_random_uuid(), @c, 'Rex', 'dog')",
                ("t", biz.Id), ("c", alice.Id));
            var sent = new List<Task<HttpResponseMessage>>
            {
                alice.Http.PutAsJsonAsync(MyPet(biz, tom), new { name = "rex", species = "dog" }),
                biz.Owner.PutAsJsonAsync($"{ClientPets(alice)}/{max}", new { name = "REX", species = "dog" }),
            };
            await held.WaitForBlockedAsync(2);
            await held.RollbackAsync();
            answers = await Task.WhenAll(sent);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.BadRequest], answers.Select(a => a.StatusCode).Order());
        var (refused, message) = answers[0].StatusCode == HttpStatusCode.BadRequest
            ? (answers[0], "You already have a pet called rex. Give this pet another name, so you can tell them apart when booking.")
            : (answers[1], "This client already has a pet called REX. Give this pet another name, so the two can be told apart when booking.");
        await AssertRefusedOnAsync(refused, "name", message);
        var names = await NamesAsync(alice, biz);
        Assert.Equal(2, names.Count);
        Assert.Single(names, n => string.Equals(n, "rex", StringComparison.OrdinalIgnoreCase));
    }
}
