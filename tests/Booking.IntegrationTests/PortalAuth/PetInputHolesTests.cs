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
}
