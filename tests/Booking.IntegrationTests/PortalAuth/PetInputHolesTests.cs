using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Holes reviewers found in what a pet may be (session 34): a null entry in the new-client flow's pets was a 500 (and a
/// 201 where pets are not booked for), and a pet's notes took control characters and text-direction overrides that every
/// other free text refuses (decision 271). Each is a 400 <c>validation</c> naming the field, and nothing is written.
/// </summary>
public sealed class PetInputHolesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static async Task AssertRefusedOnAsync(HttpResponseMessage response, string field, string message)
    {
        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        Assert.EndsWith("/validation", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal([field], Booking.IntegrationTests.Setup.SetupApi.ErrorFields(problem));
        Assert.Equal(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_null_pet_in_the_new_client_flow_is_refused_on_its_index_whether_or_not_the_business_books_for_pets(bool booksForPets)
    {
        var biz = await App.SignUpBusinessAsync("pet-null");
        await biz.SettingsAsync(s => s["booksForPets"] = booksForPets);
        var http = await App.VerifiedUnknownPhoneAsync(biz);

        using var body = JsonDocument.Parse("""{"firstName":"Pat","lastName":"Owner","email":null,"pets":[null]}""");
        await AssertRefusedOnAsync(await http.NewClientAsync(biz.Slug, body.RootElement), "pets[0]", "Enter the pet's details.");
        using var second = JsonDocument.Parse("""{"firstName":"Pat","lastName":"Owner","email":null,"pets":[{"name":"Rex","species":"dog"},null]}""");
        await AssertRefusedOnAsync(await http.NewClientAsync(biz.Slug, second.RootElement), "pets[1]", "Enter the pet's details.");

        // Nothing was written: the verified attempt still makes the client, with the well-formed pet.
        Assert.Equal(HttpStatusCode.Created, (await http.NewClientAsync(biz.Slug, new { firstName = "Pat", lastName = "Owner", email = (string?)null, pets = new[] { new { name = "Rex", species = "dog" } } })).StatusCode);
    }

    [Fact]
    public async Task Pet_notes_with_control_characters_or_direction_overrides_are_refused_on_notes_everywhere_a_pet_is_given_and_line_breaks_are_kept()
    {
        const string Control = "Remove the control characters (line breaks and tabs are fine).";
        const string Format = "Remove the invisible formatting characters (such as zero-width spaces or text-direction marks).";
        var biz = await App.SignUpBusinessAsync("pet-notes");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(biz);
        var myPets = $"/api/v1/portal/me/pets?name={biz.Slug}";

        await AssertRefusedOnAsync(await alice.Http.PostAsJsonAsync(myPets, new { name = "Rex", species = "dog", notes = "Bites\u0007" }), "notes", Control);
        await AssertRefusedOnAsync(await alice.Http.PostAsJsonAsync(myPets, new { name = "Rex", species = "dog", notes = "Calm \u202Eevil" }), "notes", Format);
        var rex = (await (await alice.Http.PostAsJsonAsync(myPets, new { name = "Rex", species = "dog", notes = "Shy.\r\nNo treats\twith nuts." }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await AssertRefusedOnAsync(await alice.Http.PutAsJsonAsync($"/api/v1/portal/me/pets/{rex}?name={biz.Slug}", new { name = "Rex", species = "dog", notes = "\u001B[2J" }), "notes", Control);

        var staff = $"/api/v1/admin/clients/{alice.Id}/pets";
        await AssertRefusedOnAsync(await biz.Owner.PostAsJsonAsync(staff, new { name = "Tom", species = "cat", notes = "\u2067hidden" }), "notes", Format);
        await AssertRefusedOnAsync(await biz.Owner.PutAsJsonAsync($"{staff}/{rex}", new { name = "Rex", species = "dog", notes = "x\u0008y" }), "notes", Control);

        var http = await App.VerifiedUnknownPhoneAsync(biz);
        await AssertRefusedOnAsync(await http.NewClientAsync(biz.Slug, new { firstName = "Pat", lastName = "Owner", email = (string?)null, pets = new[] { new { name = "Rex", species = "dog", notes = "\u202Dx" } } }),
            "pets[0].notes", Format);

        // Nothing was written: Alice has Rex with the notes as first given, line breaks and tab kept.
        var pets = (await (await alice.Http.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("pets");
        Assert.Equal("Shy.\r\nNo treats\twith nuts.", Assert.Single(pets.EnumerateArray()).GetProperty("notes").GetString());
    }
}
