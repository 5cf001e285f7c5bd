using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>A signed-in client adds their own pets (POST /api/v1/portal/me/pets) where the business books for pets.</summary>
public sealed class PortalPetsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static Task<HttpResponseMessage> AddPetAsync(HttpClient http, string slug, object body) =>
        http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={slug}", body);

    [Fact]
    public async Task A_client_who_registered_by_email_adds_a_pet_and_it_is_theirs_as_me_shows_it()
    {
        var biz = await App.SignUpBusinessAsync("pets");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(biz);
        var bob = await App.RegisterClientAsync(biz, "Bob");

        var response = await AddPetAsync(alice.Http, biz.Slug, new { name = "  Rex ", species = "dog", breed = "", notes = "Shy with men." });

        var pet = await response.JsonAsync(HttpStatusCode.Created);
        var id = pet.GetProperty("id").GetGuid();
        Assert.Equal("Rex", pet.GetProperty("name").GetString());
        Assert.Equal("dog", pet.GetProperty("species").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, pet.GetProperty("breed").ValueKind);
        Assert.Equal("Shy with men.", pet.GetProperty("notes").GetString());
        Assert.Equal($"/api/v1/portal/me/pets/{id}?name={biz.Slug}", response.Headers.Location?.OriginalString);

        var me = await (await alice.Http.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK);
        var listed = System.Text.Json.JsonSerializer.Serialize(me.GetProperty("pets")[0]);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(pet), listed);

        Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync(new Uri($"/api/v1/portal/me/pets/{id}?name={biz.Slug}", UriKind.Relative))).StatusCode);
        Assert.Equal("not-found", await (await bob.Http.GetAsync(new Uri($"/api/v1/portal/me/pets/{id}?name={biz.Slug}", UriKind.Relative))).KindAsync(HttpStatusCode.NotFound));
        Assert.Equal(0, (await (await bob.Http.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("pets").GetArrayLength());
    }

    [Fact]
    public async Task A_business_that_does_not_book_for_pets_refuses_a_pet_as_forbidden_and_keeps_none()
    {
        var biz = await App.SignUpBusinessAsync("nopets");
        var alice = await App.RegisterClientAsync(biz);

        var response = await AddPetAsync(alice.Http, biz.Slug, new { name = "Rex", species = "dog" });

        Assert.Equal("forbidden", await response.KindAsync(HttpStatusCode.Forbidden));
        Assert.Equal(0, (await (await alice.Http.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("pets").GetArrayLength());
    }

    [Fact]
    public async Task A_pet_without_name_or_species_or_with_a_line_break_is_refused_on_each_field_and_nothing_is_saved()
    {
        var biz = await App.SignUpBusinessAsync("pets");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(biz);

        var response = await AddPetAsync(alice.Http, biz.Slug, new { name = " ", species = (string?)null, breed = "Lab\nrador" });

        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["breed", "name", "species"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Enter the pet's name.", errors.GetProperty("name")[0].GetString());
        Assert.Equal(0, (await (await alice.Http.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("pets").GetArrayLength());
    }

    [Fact]
    public async Task Adding_a_pet_needs_a_signed_in_client()
    {
        var biz = await App.SignUpBusinessAsync("pets");
        await biz.SettingsAsync(s => s["booksForPets"] = true);

        var response = await AddPetAsync(App.NewClient(), biz.Slug, new { name = "Rex", species = "dog" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
