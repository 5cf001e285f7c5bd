using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// A signed-in client changes (PUT) and removes (DELETE) their own pets: <c>/api/v1/portal/me/pets/{id}</c>. Removal is
/// soft: the pet leaves the client's details and the booking choices, while appointments made for it still name it.
/// </summary>
public sealed class PortalPetsChangeTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static Uri Pet(string slug, object id) => new($"/api/v1/portal/me/pets/{id}?name={slug}", UriKind.Relative);

    private static async Task<Guid> AddPetAsync(HttpClient http, string slug, string name, string? notes = null) =>
        (await (await http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={slug}", new { name, species = "dog", notes }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<List<string?>> PetNamesAsync(HttpClient http, string slug) =>
        [.. (await (await http.MeAsync(slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("pets").EnumerateArray().Select(p => p.GetProperty("name").GetString())];

    [Fact]
    public async Task A_client_changes_a_whole_pet_and_me_and_its_get_show_the_change()
    {
        var biz = await App.SignUpBusinessAsync("pets");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(biz);
        var rex = (await (await alice.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={biz.Slug}", new { name = "Rex", species = "dog", breed = "Kelpie", notes = "Old note" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var changed = await (await alice.Http.PutAsJsonAsync(Pet(biz.Slug, rex), new { name = " Rexy ", species = "dog", breed = "Labrador", notes = "Likes treats." }))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal(rex, changed.GetProperty("id").GetGuid());
        Assert.Equal("Rexy", changed.GetProperty("name").GetString());
        Assert.Equal("Labrador", changed.GetProperty("breed").GetString());
        Assert.Equal("Likes treats.", changed.GetProperty("notes").GetString());
        var read = await (await alice.Http.GetAsync(Pet(biz.Slug, rex))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonSerializer.Serialize(changed), JsonSerializer.Serialize(read));
        var me = await (await alice.Http.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonSerializer.Serialize(changed), JsonSerializer.Serialize(me.GetProperty("pets")[0]));

        // PUT replaces the whole pet: breed and notes left out are none now, not "as they were".
        var replaced = await (await alice.Http.PutAsJsonAsync(Pet(biz.Slug, rex), new { name = "Rexy", species = "dog" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, replaced.GetProperty("breed").ValueKind);
        Assert.Equal(JsonValueKind.Null, replaced.GetProperty("notes").ValueKind);
    }

    [Fact]
    public async Task A_change_is_checked_by_the_pet_rules_naming_each_bad_field_and_nothing_changes()
    {
        var biz = await App.SignUpBusinessAsync("pets");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(biz);
        var rex = await AddPetAsync(alice.Http, biz.Slug, "Rex");

        var response = await alice.Http.PutAsJsonAsync(Pet(biz.Slug, rex), new { name = "", species = "dog", breed = "Lab\nrador", notes = new string('n', 2001) });

        var errors = (await response.JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(["breed", "name", "notes"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Enter the pet's name.", errors.GetProperty("name")[0].GetString());
        Assert.Equal(["Rex"], await PetNamesAsync(alice.Http, biz.Slug));
    }

    [Fact]
    public async Task Another_clients_pet_another_businesss_pet_and_a_malformed_id_are_not_found_alike_and_stay_as_they_were()
    {
        var biz = await App.SignUpBusinessAsync("pets");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(biz);
        var bob = await App.RegisterClientAsync(biz, "Bob");
        var other = await App.SignUpBusinessAsync("pets");
        await other.SettingsAsync(s => s["booksForPets"] = true);
        var carol = await App.RegisterClientAsync(other, "Carol");
        var rex = await AddPetAsync(alice.Http, biz.Slug, "Rex");
        var body = new { name = "Mine now", species = "cat" };

        Assert.Equal("not-found", await (await bob.Http.PutAsJsonAsync(Pet(biz.Slug, rex), body)).KindAsync(HttpStatusCode.NotFound));
        Assert.Equal("not-found", await (await bob.Http.DeleteAsync(Pet(biz.Slug, rex))).KindAsync(HttpStatusCode.NotFound));
        Assert.Equal("not-found", await (await carol.Http.PutAsJsonAsync(Pet(other.Slug, rex), body)).KindAsync(HttpStatusCode.NotFound));
        Assert.Equal("not-found", await (await carol.Http.DeleteAsync(Pet(other.Slug, rex))).KindAsync(HttpStatusCode.NotFound));
        Assert.Equal("not-found", await (await alice.Http.PutAsJsonAsync(Pet(biz.Slug, "not-an-id"), body)).KindAsync(HttpStatusCode.NotFound));
        Assert.Equal("not-found", await (await alice.Http.DeleteAsync(Pet(biz.Slug, "not-an-id"))).KindAsync(HttpStatusCode.NotFound));

        Assert.Equal(["Rex"], await PetNamesAsync(alice.Http, biz.Slug));
    }

    [Fact]
    public async Task A_business_that_does_not_book_for_pets_refuses_changing_and_removing_as_forbidden()
    {
        var biz = await App.SignUpBusinessAsync("pets");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(biz);
        var rex = await AddPetAsync(alice.Http, biz.Slug, "Rex");
        await biz.SettingsAsync(s => s["booksForPets"] = false);

        Assert.Equal("forbidden", await (await alice.Http.PutAsJsonAsync(Pet(biz.Slug, rex), new { name = "Rexy", species = "dog" })).KindAsync(HttpStatusCode.Forbidden));
        Assert.Equal("forbidden", await (await alice.Http.DeleteAsync(Pet(biz.Slug, rex))).KindAsync(HttpStatusCode.Forbidden));
        Assert.Equal(["Rex"], await PetNamesAsync(alice.Http, biz.Slug));

        // A malformed id gets the same answer as a well-formed one (API.md: a malformed id is answered alike).
        Assert.Equal("forbidden", await (await alice.Http.PutAsJsonAsync(Pet(biz.Slug, "not-an-id"), new { name = "Rexy", species = "dog" })).KindAsync(HttpStatusCode.Forbidden));
        Assert.Equal("forbidden", await (await alice.Http.DeleteAsync(Pet(biz.Slug, "not-an-id"))).KindAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task A_removed_pet_leaves_the_clients_details_and_the_booking_choices_while_its_appointments_still_name_it()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(b.Biz);
        var rex = await AddPetAsync(alice.Http, b.Biz.Slug, "Rex");
        await AddPetAsync(alice.Http, b.Biz.Slug, "Tom");
        var starts = (await alice.Http.SlotsAsync(b, SchedulingApi.Day(3), SchedulingApi.Day(3), diary: b.DiaryId.ToString())).Starts();
        string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Created, (await alice.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = Iso(starts[4]), petId = rex, acceptedTermsVersion = (int?)null, note = (string?)null })).StatusCode);
        // A visit of Rex's that already happened (staff may record a past time).
        var yesterday = SchedulingApi.At(SchedulingApi.Day(-1), 10);
        Assert.Equal(HttpStatusCode.Created, (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = yesterday, petId = rex, note = (string?)null })).StatusCode);

        var removed = await alice.Http.DeleteAsync(Pet(b.Biz.Slug, rex));

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(["Tom"], await PetNamesAsync(alice.Http, b.Biz.Slug));
        Assert.Equal("not-found", await (await alice.Http.GetAsync(Pet(b.Biz.Slug, rex))).KindAsync(HttpStatusCode.NotFound));
        Assert.Equal("not-found", await (await alice.Http.PutAsJsonAsync(Pet(b.Biz.Slug, rex), new { name = "Rex", species = "dog" })).KindAsync(HttpStatusCode.NotFound));
        Assert.Equal("not-found", await (await alice.Http.DeleteAsync(Pet(b.Biz.Slug, rex))).KindAsync(HttpStatusCode.NotFound));

        // Not bookable, in the portal or by staff: refused as a pet that is not the client's.
        var portal = await (await alice.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = Iso(starts[8]), petId = rex, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Choose one of your pets.", portal.GetProperty("errors").GetProperty("petId")[0].GetString());
        var staff = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = Iso(starts[12]), petId = rex, note = (string?)null })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(staff.GetProperty("errors").TryGetProperty("petId", out _), staff.ToString());
        var client = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{alice.Id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Tom"], client.GetProperty("pets").EnumerateArray().Select(p => p.GetProperty("name").GetString()));

        // The appointments made for Rex still name Rex: the client's lists, one by id, and the staff diary.
        foreach (var when in new[] { "upcoming", "past" })
        {
            var list = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments?when={when}&name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
            var item = Assert.Single(list.GetProperty("items").EnumerateArray());
            Assert.Equal("Rex", item.GetProperty("pet").GetProperty("name").GetString());
            var one = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{item.GetProperty("id").GetGuid()}?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
            Assert.Equal("Rex", one.GetProperty("pet").GetProperty("name").GetString());
        }

        var from = SchedulingApi.Iso(SchedulingApi.Day(-1));
        var to = SchedulingApi.Iso(SchedulingApi.Day(3));
        var diary = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={from}&to={to}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Rex", "Rex"], diary.GetProperty("appointments").EnumerateArray().Select(a => a.GetProperty("pet").GetProperty("name").GetString()));
    }

    [Fact]
    public async Task The_limit_of_pets_counts_only_the_pets_on_file()
    {
        var biz = await App.SignUpBusinessAsync("pets");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(biz);
        var first = await AddPetAsync(alice.Http, biz.Slug, "Pet 1");
        for (var i = 2; i <= 50; i++)
        {
            await AddPetAsync(alice.Http, biz.Slug, $"Pet {i}");
        }

        var full = await alice.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={biz.Slug}", new { name = "One more", species = "dog" });
        Assert.True((await full.JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("name", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync(Pet(biz.Slug, first))).StatusCode);

        await AddPetAsync(alice.Http, biz.Slug, "One more");
        Assert.Equal(50, (await PetNamesAsync(alice.Http, biz.Slug)).Count);
    }
}
