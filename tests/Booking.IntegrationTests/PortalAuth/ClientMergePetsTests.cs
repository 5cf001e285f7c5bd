using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Decision 306: a merge combines a merged-away pet with the kept record's pet of the same name when staff say so
/// (<c>combinePets</c>, the Merge page's ticked boxes): its appointments name the kept pet and its row goes; pets of another
/// client or business, or of another name, are refused naming the field with nothing changed. And staff change which of
/// the client's pets an appointment is for (<c>PUT /api/v1/admin/appointments/{id}/pet</c>, the appointment page).
/// </summary>
public sealed class ClientMergePetsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static Uri Api(string rest) => new("/api/v1/admin/clients" + rest, UriKind.Relative);

    private static Task<HttpResponseMessage> MergeAsync(HttpClient staff, Guid keepId, Guid mergeId, params object[] combinePets) =>
        staff.PostAsJsonAsync(Api($"/{keepId}/merge"), new { mergeId = mergeId.ToString(), combinePets });

    /// <param name="withMobile">False: an email instead (two walk-ins with staff's mobiles would be refused on mobile).</param>
    private static async Task<Guid> WalkInAsync(TestBusiness biz, string first, string last, bool withMobile = true) =>
        (await (await biz.Owner.PostAsJsonAsync(Api(""), new
        {
            firstName = first, lastName = last, email = withMobile ? null : $"walk-{Guid.NewGuid():N}@client.example", mobile = withMobile ? MobileIn(biz.CountryCode) : null,
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<Guid> PetAsync(TestBusiness biz, Guid clientId, string name, string species = "dog", string? breed = null, string? notes = null) =>
        (await (await biz.Owner.PostAsJsonAsync(Api($"/{clientId}/pets"), new { name, species, breed, notes })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<Guid> BookAsync(Bookable b, Guid clientId, string start, Guid petId) =>
        (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId, serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId, note = "" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();

    private Task<Guid> PetOfAsync(Guid appointmentId) =>
        Sql.AdminScalarAsync<Guid>(App.Database.Database, "select pet_id from appointments.appointments where id = @i", ("i", appointmentId));

    private Task<long> PetRowsAsync(Guid petId) =>
        Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from portalauth.pets where id = @i", ("i", petId));

    private static async Task<List<string>> FieldsAsync(HttpResponseMessage response)
    {
        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("validation", problem.GetProperty("type").GetString()!.Split('/')[^1]);
        return problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToList();
    }

    private static Task<HttpResponseMessage> ChangePetAsync(HttpClient staff, Guid appointmentId, object? petId) =>
        staff.PutAsJsonAsync($"/api/v1/admin/appointments/{appointmentId}/pet", new { petId = petId?.ToString() });

    [Fact]
    public async Task Combined_pets_of_one_name_bring_their_appointments_and_missing_details_to_the_kept_pet_and_the_other_row_goes()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var keep = await WalkInAsync(b.Biz, "Ana", "Souza");
        var away = await WalkInAsync(b.Biz, "Ana", "Souza", withMobile: false);
        var keptMia = await PetAsync(b.Biz, keep, "Mia");
        var theirMia = await PetAsync(b.Biz, away, "mia", breed: "Labrador", notes: "Nervous of dryers");
        var rex = await PetAsync(b.Biz, away, "Rex");
        var upcoming = await BookAsync(b, away, At(Day(2), 10), theirMia);
        var past = await BookAsync(b, away, At(Day(-3), 10), theirMia);
        var rexs = await BookAsync(b, away, At(Day(2), 14), rex);

        // The hint names the pets a merge of the other record into this one could combine.
        var hint = Assert.Single((await (await b.Biz.Owner.GetAsync(Api($"/{keep}/duplicates"))).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        var same = Assert.Single(hint.GetProperty("sameNamePets").EnumerateArray());
        Assert.Equal((theirMia, keptMia, "mia"), (same.GetProperty("fromPetId").GetGuid(), same.GetProperty("intoPetId").GetGuid(), same.GetProperty("name").GetString()));

        var merged = await (await MergeAsync(b.Biz.Owner, keep, away, new { fromPetId = theirMia, intoPetId = keptMia })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Mia", "Rex"], merged.GetProperty("pets").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList());
        Assert.Empty(merged.GetProperty("removedPets").EnumerateArray());
        var mia = merged.GetProperty("pets").EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == keptMia);
        Assert.Equal("Labrador", mia.GetProperty("breed").GetString()); // the kept Mia had none: it comes over
        Assert.Equal("Nervous of dryers", await Sql.AdminScalarAsync<string>(App.Database.Database, "select notes from portalauth.pets where id = @i", ("i", keptMia)));
        Assert.Equal(0, await PetRowsAsync(theirMia));
        Assert.Equal(keptMia, await PetOfAsync(upcoming));
        Assert.Equal(keptMia, await PetOfAsync(past));
        Assert.Equal(rex, await PetOfAsync(rexs)); // not combined: its own pet still
    }

    [Fact]
    public async Task A_pet_of_another_client_or_business_or_of_another_name_is_refused_on_its_field_and_nothing_is_merged()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var keep = await WalkInAsync(b.Biz, "Ben", "Cole");
        var away = await WalkInAsync(b.Biz, "Ben", "Cole", withMobile: false);
        var keptMia = await PetAsync(b.Biz, keep, "Mia");
        var theirMia = await PetAsync(b.Biz, away, "Mia");
        var theirRex = await PetAsync(b.Biz, away, "Rex");
        var neighbour = await WalkInAsync(b.Biz, "Cy", "Next");
        var neighboursMia = await PetAsync(b.Biz, neighbour, "Mia");
        var other = await App.SignUpBusinessAsync();
        await other.SettingsAsync(s => s["booksForPets"] = true);
        var otherMia = await PetAsync(other, await WalkInAsync(other, "Ben", "Cole"), "Mia");

        Assert.Equal(["combinePets[0].fromPetId"], await FieldsAsync(await MergeAsync(b.Biz.Owner, keep, away, new { fromPetId = neighboursMia, intoPetId = keptMia })));
        Assert.Equal(["combinePets[0].intoPetId"], await FieldsAsync(await MergeAsync(b.Biz.Owner, keep, away, new { fromPetId = theirMia, intoPetId = otherMia })));
        Assert.Equal(["combinePets[0].fromPetId"], await FieldsAsync(await MergeAsync(b.Biz.Owner, keep, away, new { fromPetId = otherMia, intoPetId = keptMia })));
        Assert.Equal(["combinePets[0].intoPetId"], await FieldsAsync(await MergeAsync(b.Biz.Owner, keep, away, new { fromPetId = theirRex, intoPetId = keptMia })));
        Assert.Equal(["combinePets[1].fromPetId"], await FieldsAsync(await MergeAsync(b.Biz.Owner, keep, away,
            new { fromPetId = theirMia, intoPetId = keptMia }, new { fromPetId = "not-an-id", intoPetId = keptMia })));

        Assert.Equal(1, await Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from portalauth.clients where id = @i", ("i", away)));
        Assert.Equal(1, await PetRowsAsync(theirMia));
        Assert.Equal(away, await Sql.AdminScalarAsync<Guid>(App.Database.Database, "select client_id from portalauth.pets where id = @i", ("i", theirMia)));

        // Left out (an older caller), the pet of one name moves as removed, as before.
        var merged = await (await b.Biz.Owner.PostAsJsonAsync(Api($"/{keep}/merge"), new { mergeId = away.ToString() })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(theirMia, Assert.Single(merged.GetProperty("removedPets").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(1, await PetRowsAsync(theirMia));
    }

    [Fact]
    public async Task The_merge_page_offers_pets_of_one_name_ticked_says_what_differs_and_an_unticked_one_moves_as_removed()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var keep = await WalkInAsync(b.Biz, "Cat", "Moss");
        var away = await WalkInAsync(b.Biz, "Cat", "Moss", withMobile: false);
        var keptMia = await PetAsync(b.Biz, keep, "Mia", species: "dog");
        var keptBo = await PetAsync(b.Biz, keep, "Bo");
        var theirMia = await PetAsync(b.Biz, away, "Mia", species: "cat", breed: "Siamese");
        var theirBo = await PetAsync(b.Biz, away, "BO");
        var booked = await BookAsync(b, away, At(Day(3), 9), theirMia);

        var page = await b.Biz.Owner.PageAsync($"/staff/clients/{keep}/merge?with={away}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.One("#merge-pets-combine legend"));
        var box = (AngleSharp.Html.Dom.IHtmlInputElement)page.One($"#combine-{theirMia}")!;
        Assert.True(box.IsChecked);
        Assert.Equal("Mia (cat, Siamese) and Cat Moss's Mia (dog) are the same animal", page.One($"label[for='combine-{theirMia}']")!.TextContent);
        var details = page.One($"#combine-{theirMia}-details")!.TextContent;
        Assert.Contains("The breed from the other record comes over.", details, StringComparison.Ordinal);
        Assert.Contains("differ on species: the kept Mia's stay (dog, not cat)", details, StringComparison.Ordinal);

        // Bo unticked (two dogs of one name): it moves as removed; Mia is combined.
        Assert.Contains(new KeyValuePair<string, string>("combine", theirBo.ToString()), PortalHtml.FormValues((AngleSharp.Html.Dom.IHtmlFormElement)page.One("#merge-form")!, new HashSet<string>()));
        var done = await b.Biz.Owner.SubmitAsync(page, PortalHtml.Fields(("combine", theirMia.ToString())), "#merge-form");
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        Assert.Equal(keptMia, await PetOfAsync(booked));
        Assert.Equal(0, await PetRowsAsync(theirMia));
        Assert.Equal("dog", await Sql.AdminScalarAsync<string>(App.Database.Database, "select species from portalauth.pets where id = @i", ("i", keptMia)));
        Assert.Equal((keep, true), (await Sql.AdminScalarAsync<Guid>(App.Database.Database, "select client_id from portalauth.pets where id = @i", ("i", theirBo)),
            await Sql.AdminScalarAsync<bool>(App.Database.Database, "select removed_at is not null from portalauth.pets where id = @i", ("i", theirBo))));
        Assert.Equal(1, await PetRowsAsync(keptBo));
        var notice = (await b.Biz.Owner.PageAsync($"/staff/clients/{keep}")).One("[role='status']")!.TextContent;
        Assert.Contains("(Mia combined with Cat Moss's Mia)", notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_change_an_appointments_pet_to_another_of_the_clients_own_and_nobody_is_told()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var client = await WalkInAsync(b.Biz, "Dee", "Pets");
        var mia = await PetAsync(b.Biz, client, "Mia");
        var rex = await PetAsync(b.Biz, client, "Rex", breed: "Collie");
        var neighboursPet = await PetAsync(b.Biz, await WalkInAsync(b.Biz, "Eli", "Else"), "Bo");
        var other = await App.SignUpBusinessAsync();
        await other.SettingsAsync(s => s["booksForPets"] = true);
        var otherPet = await PetAsync(other, await WalkInAsync(other, "Dee", "Pets"), "Mia");
        var booked = await BookAsync(b, client, At(Day(2), 11), mia);
        var practitioner = await Booking.IntegrationTests.Setup.Staff.SignInPractitionerAsync(App, b.Biz);
        var outbox = "select count(*) from appointments.outbox_messages where payload::text like '%' || @a || '%'";
        var events = await Sql.AdminScalarAsync<long>(App.Database.Database, outbox, ("a", booked.ToString()));

        Assert.Equal("forbidden", await (await ChangePetAsync(practitioner, booked, rex)).KindAsync(HttpStatusCode.Forbidden));
        Assert.Equal(["petId"], await FieldsAsync(await ChangePetAsync(b.Biz.Owner, booked, neighboursPet)));
        Assert.Equal(["petId"], await FieldsAsync(await ChangePetAsync(b.Biz.Owner, booked, otherPet)));
        Assert.Equal(["petId"], await FieldsAsync(await ChangePetAsync(b.Biz.Owner, booked, "not-an-id")));
        Assert.Equal(["petId"], await FieldsAsync(await ChangePetAsync(b.Biz.Owner, booked, null)));
        Assert.Equal("not-found", await (await ChangePetAsync(other.Owner, booked, otherPet)).KindAsync(HttpStatusCode.NotFound));
        Assert.Equal(mia, await PetOfAsync(booked));

        var changed = await (await ChangePetAsync(b.Biz.Owner, booked, rex)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal((rex, "Rex"), (changed.GetProperty("pet").GetProperty("id").GetGuid(), changed.GetProperty("pet").GetProperty("name").GetString()));
        Assert.Equal(rex, await PetOfAsync(booked));
        Assert.Equal(events, await Sql.AdminScalarAsync<long>(App.Database.Database, outbox, ("a", booked.ToString()))); // no event: nobody is told

        // The appointment page: the client's pets to choose from, the choice saved.
        var page = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{booked}");
        Assert.Equal(["Mia (dog)", "Rex (dog, Collie)"], page.All("#pet-form select option").Select(o => o.TextContent).ToList());
        var done = await b.Biz.Owner.SubmitAsync(page, PortalHtml.Fields(("PetId", mia.ToString())), "#pet-form");
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        Assert.Equal(mia, await PetOfAsync(booked));
        Assert.Contains("is for Mia now", (await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{booked}")).One("[role='status']")!.TextContent, StringComparison.Ordinal);
        Assert.Null((await practitioner.PageAsync($"/staff/diary/appointments/{booked}")).One("#pet-form"));

        // Cancelled: there is nothing to change.
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{booked}/cancel", new { reason = "" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("status-conflict", await (await ChangePetAsync(b.Biz.Owner, booked, rex)).KindAsync(HttpStatusCode.Conflict));
        Assert.Equal(mia, await PetOfAsync(booked));
        Assert.Null((await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{booked}")).One("#pet-form"));
    }
}
