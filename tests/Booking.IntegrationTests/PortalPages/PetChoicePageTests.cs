using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>The confirm page where the business books for pets: "For" one of the client's pets, or a pet not listed yet.</summary>
public sealed class PetChoicePageTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task A_client_with_no_pets_books_for_a_new_pet_given_on_the_page_and_a_missing_name_is_linked_from_the_summary()
    {
        var (b, alice, iso, url) = await PetBusinessAsync(slot: 6);
        var form = await alice.Http.PageAsync(url);
        Assert.Null(form.One("select[name='Input.PetId']"));
        Assert.NotNull(form.One("input[name='Input.PetName']"));
        Assert.NotNull(form.One("input[name='Input.PetSpecies']"));
        Assert.NotNull(form.One("input[name='Input.PetBreed']"));

        var missing = await alice.Http.SubmitAsync(form, PortalHtml.Fields(("Input.PetName", ""), ("Input.PetSpecies", "dog")));
        Assert.Equal(HttpStatusCode.OK, missing.Status);
        Assert.Equal("#Input_PetName", missing.One("#error-summary a")?.GetAttribute("href"));
        Assert.Equal("Enter the pet's name.", missing.ErrorFor("Input.PetName"));
        Assert.NotNull(missing.One("#Input_PetName[aria-invalid=true]"));
        Assert.Empty(await DiaryAppointmentsAsync(b, iso));

        var booked = await alice.Http.SubmitAsync(missing, PortalHtml.Fields(("Input.PetName", "Biscuit"), ("Input.PetSpecies", "dog")));
        Assert.Equal(HttpStatusCode.Redirect, booked.Status);
        Assert.StartsWith("/ol/booked?", booked.Response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var appointment = Assert.Single(await DiaryAppointmentsAsync(b, iso));
        Assert.Equal("Biscuit", appointment.GetProperty("pet").GetProperty("name").GetString());
        var pets = (await (await alice.Http.MeAsync(b.Biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("pets");
        Assert.Equal(["Biscuit"], pets.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_client_with_pets_picks_one_and_the_new_pet_fields_are_used_only_with_that_choice()
    {
        var (b, alice, iso, url) = await PetBusinessAsync(slot: 8);
        await AddPetAsync(alice, b, "Rex");
        var tom = await AddPetAsync(alice, b, "Tom");
        var form = await alice.Http.PageAsync(url);
        Assert.Equal(["Rex (dog)", "Tom (dog)", "A pet not listed yet"], form.All("select[name='Input.PetId'] option").Select(o => o.TextContent.Trim()));
        Assert.Contains("Used only when", form.One("#new-pet-hint")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("new-pet-hint", form.One("fieldset#new-pet")?.GetAttribute("aria-describedby"));

        var booked = await alice.Http.SubmitAsync(form, PortalHtml.Fields(("Input.PetId", tom.ToString()), ("Input.PetName", "Ghost"), ("Input.PetSpecies", "cat")));

        Assert.Equal(HttpStatusCode.Redirect, booked.Status);
        var appointment = Assert.Single(await DiaryAppointmentsAsync(b, iso));
        Assert.Equal(tom, appointment.GetProperty("pet").GetProperty("id").GetGuid());
        Assert.Equal(2, (await (await alice.Http.MeAsync(b.Biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("pets").GetArrayLength());
    }

    [Fact]
    public async Task A_new_pet_is_not_kept_when_the_time_was_taken_meanwhile_and_only_another_time_is_offered()
    {
        var (b, alice, iso, url) = await PetBusinessAsync(slot: 10);
        await AddPetAsync(alice, b, "Rex");
        var form = await alice.Http.PageAsync(url);
        var bob = await shared.App.RegisterClientAsync(b.Biz, "Bob");
        var bobsDog = await AddPetAsync(bob, b, "Fido");
        Assert.Equal(HttpStatusCode.Created, (await bob.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = iso, petId = bobsDog, acceptedTermsVersion = (int?)null, note = (string?)null })).StatusCode);

        var failed = await alice.Http.SubmitAsync(form, PortalHtml.Fields(("Input.PetId", "new"), ("Input.PetName", "Rover"), ("Input.PetSpecies", "dog")));

        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.Contains("no longer free", failed.One("#error-summary")?.TextContent, StringComparison.Ordinal);
        // Nothing saved: Rover is neither on file nor kept as a removed row.
        var pets = (await (await alice.Http.MeAsync(b.Biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("pets");
        Assert.Equal(["Rex"], pets.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(shared.App.Database.Database,
            "select count(*) from portalauth.pets where tenant_id = @t and name = 'Rover'", ("t", b.Biz.Id)));
        // Only the way to another time of that day, service and diary: no form to confirm the taken time.
        Assert.Null(failed.One("main form"));
        Assert.Null(failed.One("main button[type=submit]"));
        var back = failed.One("#pick-again a");
        Assert.Equal("Choose another time", back?.TextContent.Trim());
        Assert.StartsWith($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}&diary={b.DiaryId}&date=", back?.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terms_not_accepted_and_a_pet_missing_its_name_are_both_said_at_once()
    {
        var (b, alice, iso, url) = await PetBusinessAsync(slot: 12);
        await b.Biz.SettingsAsync(s => s["terms"] = new System.Text.Json.Nodes.JsonObject { ["text"] = "A no-show costs the full price." });
        var form = await alice.Http.PageAsync(url);

        var refused = await alice.Http.SubmitAsync(form, PortalHtml.Fields(("Input.PetName", ""), ("Input.PetSpecies", "")));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal("Enter the pet's name.", refused.ErrorFor("Input.PetName"));
        Assert.Equal("Enter the species (dog, cat…).", refused.ErrorFor("Input.PetSpecies"));
        Assert.Equal("Accept the Terms & Conditions to book.", refused.ErrorFor("Input.AcceptTerms"));
        Assert.Equal(["#Input_PetName", "#Input_PetSpecies", "#Input_AcceptTerms"], refused.All("#error-summary a").Select(a => a.GetAttribute("href")));
        Assert.Empty(await DiaryAppointmentsAsync(b, iso));
        Assert.Equal(0, (await (await alice.Http.MeAsync(b.Biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("pets").GetArrayLength());
    }

    private async Task<(Bookable B, PortalClient Alice, string Iso, string Url)> PetBusinessAsync(int slot)
    {
        var b = await shared.App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await shared.App.RegisterClientAsync(b.Biz);
        var start = (await alice.Http.SlotsAsync(b, SchedulingApi.Day(2), SchedulingApi.Day(2), diary: b.DiaryId.ToString())).Starts()[slot];
        var iso = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        return (b, alice, iso, $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary={b.DiaryId}&start={Uri.EscapeDataString(iso)}");
    }

    private static async Task<Guid> AddPetAsync(PortalClient client, Bookable b, string name) =>
        (await (await client.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={b.Biz.Slug}", new { name, species = "dog" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<List<JsonElement>> DiaryAppointmentsAsync(Bookable b, string iso)
    {
        var start = DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);
        var day = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var diary = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={day}&to={day}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        return [.. diary.GetProperty("appointments").EnumerateArray().Where(a => a.GetProperty("start").GetDateTimeOffset() == start && a.GetProperty("status").GetString() != "cancelled")];
    }
}
