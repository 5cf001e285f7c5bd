using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>Pets where the business books for them; names on one line; emails trimmed.</summary>
public sealed class NamesAndEmailsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task Where_the_business_books_for_pets_a_new_client_without_a_pet_is_refused_on_pets_with_a_taken_email_and_nothing_is_saved()
    {
        var biz = await App.SignUpBusinessAsync("pets");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var taken = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await App.NewClient().RegisterAsync(biz.Slug, taken)).StatusCode);
        var http = await App.VerifiedUnknownPhoneAsync(biz);

        // No pets[0] to name: the error is on `pets`, in the same answer as the email already registered.
        var refused = await http.NewClientAsync(biz.Slug, new { firstName = "Pat", lastName = "Owner", email = taken, pets = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.JsonAsync()).GetProperty("errors");
        Assert.Equal(["email", "pets"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Add at least one pet.", errors.GetProperty("pets")[0].GetString());
        Assert.Contains("already registered", errors.GetProperty("email")[0].GetString(), StringComparison.Ordinal);

        // Alone, without the email.
        var noPet = await http.NewClientAsync(biz.Slug, new { firstName = "Pat", lastName = "Owner", email = (string?)null, pets = Array.Empty<object>() });
        Assert.Equal(["pets"], (await noPet.JsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name));

        // Nothing was written: the same verified phone can still become a client, with a pet.
        var created = await http.NewClientAsync(biz.Slug, new { firstName = "Pat", lastName = "Owner", email = (string?)null, pets = new[] { new { name = "Rex", species = "dog" } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var me = await (await http.MeAsync(biz.Slug)).JsonAsync();
        Assert.Equal("Rex", me.GetProperty("pets")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_new_client_page_shows_a_missing_pet_name_with_the_other_field_errors()
    {
        var biz = await App.SignUpBusinessAsync("pets");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var http = await App.VerifiedUnknownPhoneAsync(biz);
        var form = await http.PageAsync($"/ol/new-client?name={biz.Slug}");
        Assert.NotNull(form.One("input[name='Input.PetName'][required]"));

        var page = await http.SubmitAsync(form, PortalHtml.Fields(("Input.FirstName", "Pat"), ("Input.LastName", ""), ("Input.PetName", ""), ("Input.PetSpecies", "dog")));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Enter the pet's name.", page.ErrorFor("Input.PetName"));
        Assert.Equal("Enter your last name.", page.ErrorFor("Input.LastName"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.MeAsync(biz.Slug)).StatusCode);
    }

    [Theory]
    [InlineData("Robin\nBcc: someone@evil.example")]
    [InlineData("Robin\r")]
    [InlineData("Robin\u0007")]
    [InlineData("Robin\u2028Client")]
    public async Task A_client_name_with_a_line_break_or_control_character_is_refused_on_register_and_new_client(string name)
    {
        var biz = await App.SignUpBusinessAsync("names");
        await biz.SettingsAsync(s => s["booksForPets"] = true);

        var register = await App.NewClient().RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail(), first: name);
        Assert.Equal(HttpStatusCode.BadRequest, register.StatusCode);
        Assert.Equal(["firstName"], (await register.JsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name));

        var http = await App.VerifiedUnknownPhoneAsync(biz);
        var newClient = await http.NewClientAsync(biz.Slug, new { firstName = "Pat", lastName = name, pets = new[] { new { name, species = "dog" } } });
        Assert.Equal(HttpStatusCode.BadRequest, newClient.StatusCode);
        var errors = (await newClient.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("lastName", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("pets[0].name", out _), errors.ToString());
    }

    [Fact]
    public async Task Emails_are_trimmed_before_they_are_checked_and_stored()
    {
        var biz = await App.SignUpBusinessAsync("trim");
        var email = PortalAuthHelpers.NewEmail();

        var registered = await App.NewClient().RegisterAsync(biz.Slug, "  " + email.ToUpperInvariant() + " \t");
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        var client = App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await client.SignInAsync(biz.Slug, email)).StatusCode); // stored trimmed (and lower case)
        Assert.Equal(HttpStatusCode.OK, (await App.NewClient().SignInAsync(biz.Slug, " " + email + " ")).StatusCode);
        var forgot = await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email = email + " " });
        Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);

        // The same address with spaces is the same address: a second registration is refused as taken.
        var again = await App.NewClient().RegisterAsync(biz.Slug, " " + email);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already registered", (await again.JsonAsync()).GetProperty("errors").GetProperty("email")[0].GetString(), StringComparison.Ordinal);
    }
}
