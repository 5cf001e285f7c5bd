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
    public async Task Where_the_business_books_for_pets_a_new_client_without_a_pet_is_refused_on_pets_alone_even_with_a_taken_email_and_nothing_is_saved()
    {
        var biz = await App.SignUpBusinessAsync("pets");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var taken = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await App.NewClient().RegisterAsync(biz.Slug, taken)).StatusCode);
        var http = await App.VerifiedUnknownPhoneAsync(biz);

        // No pets[0] to name: the error is on `pets`. The address already on file is no error (decision 321: the form
        // tells nobody whether an address is a client's).
        var refused = await http.NewClientAsync(biz.Slug, new { firstName = "Pat", lastName = "Owner", email = taken, pets = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.JsonAsync()).GetProperty("errors");
        Assert.Equal(["pets"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Add at least one pet.", errors.GetProperty("pets")[0].GetString());

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
        Assert.NotNull(form.One("input[name='Input.Pets[0].Name'][required]"));

        var page = await http.SubmitAsync(form, PortalHtml.Fields(("Input.FirstName", "Pat"), ("Input.LastName", ""), ("Input.Pets[0].Name", ""), ("Input.Pets[0].Species", "dog")));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Enter the pet's name.", page.ErrorFor("Input.Pets[0].Name")); // one pet: no "Pet 1:"
        Assert.Equal("Enter your last name.", page.ErrorFor("Input.LastName"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.MeAsync(biz.Slug)).StatusCode);
    }

    [Fact]
    public async Task The_new_client_page_names_several_pets_adding_and_removing_rows_without_script_and_a_bad_row_saves_nothing()
    {
        var biz = await App.SignUpBusinessAsync("pets");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var http = await App.VerifiedUnknownPhoneAsync(biz);
        var form = await http.PageAsync($"/ol/new-client?name={biz.Slug}");
        Assert.Equal(["Your pet"], form.All("form fieldset legend").Select(l => l.TextContent.Trim()));
        Assert.Null(form.One("button[name=rows][value='remove-0']")); // the only pet cannot be removed
        // Enter in a field presses the form's own button (the first in it), not a row's.
        Assert.Null(form.One("form[method=post] button[type=submit]")?.GetAttribute("name"));

        // "Add another pet": the form again with what was typed, a second row named "Pet 2" whose name takes the focus.
        var two = await http.SubmitAsync(form, PortalHtml.Fields(("rows", "add"), ("Input.FirstName", "Pat"), ("Input.LastName", "Owner"),
            ("Input.Pets[0].Name", "Rex"), ("Input.Pets[0].Species", "dog"), ("Input.Pets[0].Notes", "Shy")));
        Assert.Equal(HttpStatusCode.OK, two.Status);
        Assert.Null(two.One("#error-summary"));
        Assert.Equal(["Pet 1", "Pet 2"], two.All("form fieldset legend").Select(l => l.TextContent.Trim()));
        Assert.Equal("Rex", two.One("input[name='Input.Pets[0].Name']")?.GetAttribute("value"));
        Assert.Equal("Shy", two.One("textarea[name='Input.Pets[0].Notes']")?.TextContent.Trim());
        Assert.Equal("Input.Pets[1].Name", two.One("input[autofocus]")?.GetAttribute("name"));
        Assert.Equal("Pet's name", two.One("label[for='Input_Pets_1__Name']")?.TextContent.Trim());
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.MeAsync(biz.Slug)).StatusCode);

        // A third, then the second removed: the third moves up, kept as typed.
        var three = await http.SubmitAsync(two, PortalHtml.Fields(("rows", "add"), ("Input.Pets[1].Name", "Gone"), ("Input.Pets[1].Species", "fish")));
        Assert.Equal(3, three.All("form fieldset").Length);
        var removed = await http.SubmitAsync(three, PortalHtml.Fields(("rows", "remove-1"), ("Input.Pets[2].Name", "Tom"), ("Input.Pets[2].Species", "cat")));
        Assert.Equal(["Rex", "Tom"], removed.All("input[name$='].Name']").Select(i => i.GetAttribute("value")));
        Assert.Equal("Remove pet 2", removed.One("button[name=rows][value='remove-1']")?.TextContent.Trim());

        // A bad row: each error names its row, next to the field and in the summary; nothing is saved.
        var bad = await http.SubmitAsync(removed, PortalHtml.Fields(("Input.Pets[1].Name", ""), ("Input.Pets[1].Notes", new string('x', 2001))));
        Assert.Equal(HttpStatusCode.OK, bad.Status);
        Assert.Equal("Pet 2: Enter the pet's name.", bad.ErrorFor("Input.Pets[1].Name"));
        Assert.Equal("Pet 2: Use at most 2000 characters.", bad.ErrorFor("Input.Pets[1].Notes"));
        Assert.Contains("Pet 2: Enter the pet's name.", bad.One("#error-summary a[href='#Input_Pets_1__Name']")?.TextContent, StringComparison.Ordinal);
        Assert.Null(bad.ErrorFor("Input.Pets[0].Name"));
        var twice = await http.SubmitAsync(bad, PortalHtml.Fields(("Input.Pets[1].Name", " rex"), ("Input.Pets[1].Notes", "")));
        Assert.Equal("Pet 2: You have already named a pet Rex. Give each pet a name of its own.", twice.ErrorFor("Input.Pets[1].Name"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.MeAsync(biz.Slug)).StatusCode);

        // Both, in one go, with their fields.
        var saved = await http.SubmitAsync(twice, PortalHtml.Fields(("Input.Pets[1].Name", "Tom"), ("Input.Pets[1].Breed", "Tabby")));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var pets = (await (await http.MeAsync(biz.Slug)).JsonAsync()).GetProperty("pets").EnumerateArray()
            .Select(p => $"{p.GetProperty("name").GetString()}/{p.GetProperty("species").GetString()}/{p.GetProperty("breed").GetString()}/{p.GetProperty("notes").GetString()}");
        Assert.Equal(["Rex/dog//Shy", "Tom/cat/Tabby/"], pets);
    }

    [Fact]
    public async Task The_new_client_page_offers_up_to_ten_pet_rows()
    {
        var biz = await App.SignUpBusinessAsync("pets");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var http = await App.VerifiedUnknownPhoneAsync(biz);
        var page = await http.PageAsync($"/ol/new-client?name={biz.Slug}");
        for (var rows = 1; rows < 10; rows++)
        {
            Assert.NotNull(page.One("button[name=rows][value=add]"));
            page = await http.SubmitAsync(page, PortalHtml.Fields(("rows", "add")));
        }

        Assert.Equal(10, page.All("form fieldset").Length);
        Assert.Null(page.One("button[name=rows][value=add]"));
        Assert.Contains("add more under My pets", page.One("#pets-at-most")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(10, (await http.SubmitAsync(page, PortalHtml.Fields(("rows", "add")))).All("form fieldset").Length);
    }

    [Fact]
    public async Task The_new_client_API_takes_several_pets_in_one_go_and_a_bad_one_saves_none()
    {
        var biz = await App.SignUpBusinessAsync("pets");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var http = await App.VerifiedUnknownPhoneAsync(biz);

        var refused = await http.NewClientAsync(biz.Slug, new
        {
            firstName = "Pat", lastName = "Owner",
            pets = new object[] { new { name = "Rex", species = "dog" }, new { name = "Tom", species = "" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(["pets[1].species"], (await refused.JsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.MeAsync(biz.Slug)).StatusCode);

        var created = await http.NewClientAsync(biz.Slug, new
        {
            firstName = "Pat", lastName = "Owner",
            pets = new object[] { new { name = "Rex", species = "dog", notes = "Shy" }, new { name = "Tom", species = "cat", breed = "Tabby" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var pets = (await (await http.MeAsync(biz.Slug)).JsonAsync()).GetProperty("pets").EnumerateArray().Select(p => p.GetProperty("name").GetString());
        Assert.Equal(["Rex", "Tom"], pets);
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
