using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Booking.IntegrationTests.PortalPages;
using Booking.IntegrationTests.Setup;
using Booking.PortalAuth.Domain;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Decision 358 (s42 review #9): a service may be for some animals only (<c>forSpecies</c>). The staff API keeps and
/// checks the list; a client books a pet only for the services its species (any case) is listed for, or for a service
/// with none; a pet with no species on file is not locked out; staff book anything. The portal's pages offer only the
/// services for a pet chosen first and only the pets a chosen service is for; Setup → Services edits the list.
/// </summary>
public sealed class ServiceSpeciesTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    private sealed record Groomer(TestBusiness Biz, Guid Grace, Guid CatGroom, Guid DogWash, Guid NailTrim)
    {
        public Bookable For(Guid service) => new(Biz, Grace, service);
    }

    private async Task<Groomer> GroomerAsync(bool pets = true)
    {
        var biz = await App.SignUpBusinessAsync("paws");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var grace = await biz.DiaryAsync("Grace");
        await biz.RosterEveryDayAsync(grace, "00:00", "23:30");
        var cat = await ServiceAsync(biz, "Cat groom", grace, ["Cat"]);
        var dog = await ServiceAsync(biz, "Dog wash", grace, ["dog"]);
        var nails = await ServiceAsync(biz, "Nail trim", grace, []);
        if (pets)
        {
            await biz.SettingsAsync(s => s["booksForPets"] = true);
            PortalAuthApp.Rules[biz.Id] = PortalRules.Default with { BooksForPets = true };
        }

        return new Groomer(biz, grace, cat, dog, nails);
    }

    private static object Body(string name, Guid diary, string[]? forSpecies) => new
    {
        name, description = "", durationMinutes = 60, bufferAfterMinutes = 0, price = new { amount = "40.00" }, bookableOnline = true,
        diaryIds = new[] { diary }, forSpecies,
    };

    private static async Task<Guid> ServiceAsync(TestBusiness biz, string name, Guid diary, string[] forSpecies) =>
        (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", Body(name, diary, forSpecies))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<Guid> PetAsync(PortalClient client, TestBusiness biz, string name, string species) =>
        (await (await client.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={biz.Slug}", new { name, species }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static Task<HttpResponseMessage> BookAsync(PortalClient client, Groomer g, Guid service, string start, Guid pet) =>
        client.Http.BookAsync(g.For(service), new { serviceId = service, diaryId = g.Grace, start, petId = pet, acceptedTermsVersion = (int?)null, note = (string?)null });

    private static string[] Species(JsonElement service) => [.. service.GetProperty("forSpecies").EnumerateArray().Select(e => e.GetString()!)];

    private static string ConfirmUrl(Groomer g, Guid service, string start) =>
        $"/ol/new-booking/confirm?name={g.Biz.Slug}&service={service}&diary={g.Grace}&start={Uri.EscapeDataString(start)}";

    [Fact]
    public async Task The_services_API_keeps_trimmed_species_checks_each_and_a_PUT_without_the_field_keeps_them()
    {
        var biz = await App.SignUpBusinessAsync("paws");
        var grace = await biz.DiaryAsync("Grace");
        var created = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", Body("Groom", grace, [" Dog ", "cat"]))).JsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(["Dog", "cat"], Species(created));
        var uri = new Uri($"/api/v1/admin/services/{id}", UriKind.Relative);
        Assert.Equal(["Dog", "cat"], Species(await (await biz.Owner.GetAsync(uri)).JsonAsync(HttpStatusCode.OK)));
        var portal = await (await App.NewClient().GetAsync(new Uri($"/api/v1/portal/services?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Dog", "cat"], Species(Assert.Single(portal.GetProperty("items").EnumerateArray())));

        // A client written before the field leaves it out: the list stays. [] clears it; left out on POST it is [].
        Assert.Equal(["Dog", "cat"], Species(await (await biz.Owner.PutAsJsonAsync(uri, Body("Full groom", grace, null))).JsonAsync(HttpStatusCode.OK)));
        Assert.Empty(Species(await (await biz.Owner.PutAsJsonAsync(uri, Body("Full groom", grace, []))).JsonAsync(HttpStatusCode.OK)));
        Assert.Empty(Species(await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", Body("Wash", grace, null))).JsonAsync(HttpStatusCode.Created)));

        // Each bad entry named by its index, nothing saved.
        var bad = await (await biz.Owner.PutAsJsonAsync(uri, Body("Full groom", grace, ["dog", " ", new string('x', 41), "DOG ", "Rab\nbit"]))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("validation", bad.Kind());
        Assert.Equal(["forSpecies[1]", "forSpecies[2]", "forSpecies[3]", "forSpecies[4]"], bad.ErrorFields().Order());
        Assert.Equal("Use at most 40 characters.", bad.GetProperty("errors").GetProperty("forSpecies[2]")[0].GetString());
        Assert.StartsWith("DOG is given twice", bad.GetProperty("errors").GetProperty("forSpecies[3]")[0].GetString(), StringComparison.Ordinal);
        var eleven = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", Body("Many", grace, [.. Enumerable.Range(1, 11).Select(i => $"animal {i}")])))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["forSpecies"], eleven.ErrorFields());
        var after = await (await biz.Owner.GetAsync(uri)).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(Species(after));
        Assert.Equal("Full groom", after.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_client_books_a_dog_only_for_dog_or_any_animal_services_in_any_case_and_staff_book_anything()
    {
        var g = await GroomerAsync();
        var alice = await App.RegisterClientAsync(g.Biz, "Alice");
        var rex = await PetAsync(alice, g.Biz, "Rex", "Dog");
        var tom = await PetAsync(alice, g.Biz, "Tom", "cat");

        var refused = await BookAsync(alice, g, g.CatGroom, At(Day(3), 9), rex);
        var problem = await refused.JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("validation", problem.Kind());
        Assert.Equal(["serviceId"], problem.ErrorFields());
        Assert.Equal("Cat groom is for cats. Choose another service for Rex.", problem.GetProperty("errors").GetProperty("serviceId")[0].GetString());

        // "Dog" is "dog", "cat" is "Cat"; a service for any animal takes any.
        await (await BookAsync(alice, g, g.DogWash, At(Day(3), 10), rex)).JsonAsync(HttpStatusCode.Created);
        await (await BookAsync(alice, g, g.NailTrim, At(Day(3), 11), rex)).JsonAsync(HttpStatusCode.Created);
        await (await BookAsync(alice, g, g.CatGroom, At(Day(3), 12), tom)).JsonAsync(HttpStatusCode.Created);

        // A pet on file with no species (kept from before species were asked for) is not locked out.
        await Sql.AdminExecAsync(App.Database.Database, "UPDATE portalauth.pets SET species = '' WHERE id = @id", ("id", rex));
        await (await BookAsync(alice, g, g.CatGroom, At(Day(4), 9), rex)).JsonAsync(HttpStatusCode.Created);
        await Sql.AdminExecAsync(App.Database.Database, "UPDATE portalauth.pets SET species = 'dog' WHERE id = @id", ("id", rex));

        // Staff may book anything, as they may book outside online hours.
        await (await g.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = g.CatGroom, diaryId = g.Grace, start = At(Day(5), 9), petId = rex })).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_portal_lists_only_the_services_for_a_pet_chosen_first_and_only_the_pets_a_service_is_for()
    {
        var g = await GroomerAsync();
        var alice = await App.RegisterClientAsync(g.Biz, "Alice");
        var rex = await PetAsync(alice, g.Biz, "Rex", "DOG");
        var tom = await PetAsync(alice, g.Biz, "Tom", "Cat");

        // The pet first (carried as pet=): only the services for dogs and for any animal.
        var forRex = await alice.Http.PageAsync($"/ol/new-booking?name={g.Biz.Slug}&pet={rex}");
        Assert.Equal([g.DogWash.ToString(), g.NailTrim.ToString()], forRex.All("input[name=service]").Select(i => i.GetAttribute("value")!).Order());
        Assert.Equal("Choose a service for Rex", forRex.One("legend")?.TextContent.Trim());
        var all = await alice.Http.PageAsync($"/ol/new-booking?name={g.Biz.Slug}");
        Assert.Equal(3, all.All("input[name=service]").Length);

        // The service first: "For" lists only Tom (and a pet not listed yet).
        var confirm = await alice.Http.PageAsync(ConfirmUrl(g, g.CatGroom, At(Day(3), 9)));
        Assert.Equal([tom.ToString(), "new"], confirm.All("select[name='Input.PetId'] option").Select(o => o.GetAttribute("value")!));
        Assert.Null(confirm.One("#no-pet-fits"));
        var both = await alice.Http.PageAsync(ConfirmUrl(g, g.NailTrim, At(Day(3), 9)));
        Assert.Equal(3, both.All("select[name='Input.PetId'] option").Length);

        // None of the client's pets fits: said, with the way to another service.
        var bob = await App.RegisterClientAsync(g.Biz, "Bob");
        await PetAsync(bob, g.Biz, "Fido", "dog");
        var none = await bob.Http.PageAsync(ConfirmUrl(g, g.CatGroom, At(Day(3), 9)));
        Assert.StartsWith("Cat groom is for cats. None of your pets on file is one.", none.One("#no-pet-fits")?.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(none.All("select[name='Input.PetId']"));

        // Tom booked for the cat groom: Rex, a dog, is not offered it straight after.
        var posted = await alice.Http.SubmitAsync(confirm, PortalHtml.Fields(("Input.PetId", tom.ToString())), "main form");
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        var booked = await alice.Http.PageAsync(posted.Response.Headers.Location!.OriginalString);
        Assert.Null(booked.One("#next-pet-heading"));
    }

    [Fact]
    public async Task Setup_Services_edits_the_animals_where_the_business_books_for_pets()
    {
        var g = await GroomerAsync();
        var url = $"/staff/setup/services/{g.CatGroom}";
        var page = await g.Biz.Owner.PageAsync(url);
        Assert.Equal("Cat", page.One("input[name='Input.ForSpecies']")?.GetAttribute("value"));
        Assert.Equal("For which animals (leave empty for any)", page.One("label[for='Input_ForSpecies']")?.TextContent.Trim());

        var saved = await g.Biz.Owner.SubmitAsync(page, PortalHtml.Fields(("Input.ForSpecies", " cat, Rabbit ,")), "main form");
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var api = await (await g.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/services/{g.CatGroom}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["cat", "Rabbit"], Species(api));

        var twice = await g.Biz.Owner.SubmitAsync(await g.Biz.Owner.PageAsync(url), PortalHtml.Fields(("Input.ForSpecies", "cat, CAT")), "main form");
        Assert.Equal(HttpStatusCode.OK, twice.Status);
        Assert.StartsWith("CAT is given twice", twice.One("#species-error")?.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(["cat", "Rabbit"], Species(await (await g.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/services/{g.CatGroom}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)));

        // Not a pet business: no such field, and saving the page leaves the list as it is.
        var plain = await GroomerAsync(pets: false);
        var plainPage = await plain.Biz.Owner.PageAsync($"/staff/setup/services/{plain.CatGroom}");
        Assert.Null(plainPage.One("input[name='Input.ForSpecies']"));
        Assert.Equal(HttpStatusCode.Redirect, (await plain.Biz.Owner.SubmitAsync(plainPage, PortalHtml.Fields(), "main form")).Status);
        Assert.Equal(["Cat"], Species(await (await plain.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/services/{plain.CatGroom}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)));
    }
}
