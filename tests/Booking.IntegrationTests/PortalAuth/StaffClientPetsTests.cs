using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Staff add, edit and remove a client's pets (the staff client page and <c>/staff/clients/{id}/pets/{petId}</c>;
/// <c>POST</c>/<c>GET</c>/<c>PUT</c>/<c>DELETE /api/v1/admin/clients/{id}/pets…</c>) by the portal's pet rules, only where
/// the business books for pets, and never another business's.
/// </summary>
public sealed class StaffClientPetsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static Uri Pets(object clientId, object? petId = null) =>
        new($"/api/v1/admin/clients/{clientId}/pets{(petId is null ? "" : $"/{petId}")}", UriKind.Relative);

    private async Task<(TestBusiness Biz, PortalClient Alice)> PetBusinessAsync(bool booksForPets = true)
    {
        var biz = await App.SignUpBusinessAsync("staff-pets");
        await biz.SettingsAsync(s => s["booksForPets"] = booksForPets);
        return (biz, await App.RegisterClientAsync(biz));
    }

    private static async Task<JsonElement> ClientAsync(TestBusiness biz, Guid id) =>
        await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task Staff_add_edit_and_remove_a_clients_pet_from_the_client_page()
    {
        var (biz, alice) = await PetBusinessAsync();
        var page = await biz.Owner.PageAsync($"/staff/clients/{alice.Id}");
        Assert.Equal("No pets on file.", page.One("#pets-heading + p")?.TextContent);

        var added = await biz.Owner.SubmitAsync(page, PortalHtml.Fields(("NewPet.Name", " Rex "), ("NewPet.Species", "dog"), ("NewPet.Breed", "Kelpie"), ("NewPet.Notes", "Nervous of clippers.")), "#add-pet");

        Assert.Equal(HttpStatusCode.Redirect, added.Status);
        var after = await biz.Owner.PageAsync(added.Response.Headers.Location!.OriginalString);
        Assert.Contains("Rex is added", after.One("p.notice[role=status]")!.TextContent, StringComparison.Ordinal);
        var rex = Assert.Single((await ClientAsync(biz, alice.Id)).GetProperty("pets").EnumerateArray());
        Assert.Equal("Rex", rex.GetProperty("name").GetString()); // tidied as the portal's add tidies it
        Assert.Equal("Nervous of clippers.", rex.GetProperty("notes").GetString());
        var rexId = rex.GetProperty("id").GetGuid();
        // The client sees it in the portal, and it can be booked for.
        var me = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/me?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([rexId], me.GetProperty("pets").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));

        // Edit: the pet's own page.
        var edit = after.One($"#edit-pet-{rexId}")!;
        var editPage = await biz.Owner.PageAsync(edit.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, editPage.Status);
        Assert.Equal("Kelpie", editPage.One("#Input_Breed")!.GetAttribute("value"));
        var saved = await biz.Owner.SubmitAsync(editPage, PortalHtml.Fields(("Input.Name", "Rex II"), ("Input.Breed", "")), "main form[method=post]");
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        rex = Assert.Single((await ClientAsync(biz, alice.Id)).GetProperty("pets").EnumerateArray());
        Assert.Equal("Rex II", rex.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, rex.GetProperty("breed").ValueKind);
        Assert.Equal("dog", rex.GetProperty("species").GetString());

        // Remove: the button names the pet; the pet moves to the removed pets, where Restore brings it back.
        var listed = await biz.Owner.PageAsync($"/staff/clients/{alice.Id}");
        var remove = listed.One($"#remove-pet-{rexId}")!;
        var removeName = string.Join(" ", remove.GetAttribute("aria-labelledby")!.Split(' ').Select(id => listed.Document.GetElementById(id)!.TextContent.Trim()));
        Assert.StartsWith("Remove Rex II", removeName, StringComparison.Ordinal);
        var removed = await biz.Owner.SubmitAsync(listed, PortalHtml.Fields(), "form[action*='handler=RemovePet']");
        Assert.Equal(HttpStatusCode.Redirect, removed.Status);
        var client = await ClientAsync(biz, alice.Id);
        Assert.Empty(client.GetProperty("pets").EnumerateArray());
        Assert.Equal([rexId], client.GetProperty("removedPets").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
        var last = await biz.Owner.PageAsync(removed.Response.Headers.Location!.OriginalString);
        Assert.Contains("Rex II is removed", last.One("p.notice[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(last.One($"#restore-{rexId}"));
    }

    [Fact]
    public async Task The_portals_pet_rules_refuse_a_bad_pet_on_its_fields_and_nothing_is_saved()
    {
        var (biz, alice) = await PetBusinessAsync();
        var page = await biz.Owner.PageAsync($"/staff/clients/{alice.Id}");

        var refused = await biz.Owner.SubmitAsync(page, PortalHtml.Fields(("NewPet.Name", ""), ("NewPet.Species", "dog\nline")), "#add-pet");

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal("Enter the pet's name.", refused.One("#new-pet-name-error")?.TextContent);
        Assert.False(string.IsNullOrWhiteSpace(refused.One("#new-pet-species-error")?.TextContent));
        Assert.Equal("true", refused.One("#NewPet_Name")?.GetAttribute("aria-invalid"));
        Assert.NotNull(refused.One("#error-summary a[href='#NewPet_Name']"));
        Assert.Equal(0L, await PetsSql.OnFileAsync(App, alice.Id));

        var api = await (await biz.Owner.PostAsJsonAsync(Pets(alice.Id), new { name = "Rex" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["species"], Booking.IntegrationTests.Setup.SetupApi.ErrorFields(api));

        // The 50-pet limit holds for staff too, on the name.
        await PetsSql.AddOnFileAsync(App, biz.Id, alice.Id, 50);
        var full = await (await biz.Owner.PostAsJsonAsync(Pets(alice.Id), new { name = "Rex", species = "dog" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("50 pets on file", full.GetProperty("errors").GetProperty("name")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(50L, await PetsSql.OnFileAsync(App, alice.Id));
    }

    [Fact]
    public async Task Where_the_business_books_no_pets_there_is_no_pet_form_and_the_routes_are_forbidden()
    {
        var (biz, alice) = await PetBusinessAsync(booksForPets: false);

        var page = await biz.Owner.PageAsync($"/staff/clients/{alice.Id}");

        Assert.Null(page.One("#add-pet"));
        Assert.Null(page.One("#pets"));
        Assert.Equal("forbidden", await (await biz.Owner.PostAsJsonAsync(Pets(alice.Id), new { name = "Rex", species = "dog" })).KindAsync(HttpStatusCode.Forbidden));
        Assert.Equal(0L, await PetsSql.OnFileAsync(App, alice.Id));
    }

    [Fact]
    public async Task Staff_of_one_business_can_neither_see_nor_touch_the_pets_of_another_businesss_clients()
    {
        var (biz, alice) = await PetBusinessAsync();
        var (other, carol) = await PetBusinessAsync();
        var whiskers = (await (await other.Owner.PostAsJsonAsync(Pets(carol.Id), new { name = "Whiskers", species = "cat" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var rex = (await (await biz.Owner.PostAsJsonAsync(Pets(alice.Id), new { name = "Rex", species = "dog" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();

        var answers = new List<string>();
        foreach (var (clientId, petId) in new (object, object)[] { (carol.Id, whiskers), (alice.Id, whiskers), (carol.Id, rex), (alice.Id, Guid.NewGuid()), ("not-an-id", rex) })
        {
            foreach (var response in new[]
                     {
                         await biz.Owner.GetAsync(Pets(clientId, petId)),
                         await biz.Owner.PutAsJsonAsync(Pets(clientId, petId), new { name = "Mine now", species = "cat" }),
                         await biz.Owner.DeleteAsync(Pets(clientId, petId)),
                     })
            {
                var problem = await response.JsonAsync(HttpStatusCode.NotFound);
                answers.Add($"{problem.GetProperty("title").GetString()} | {problem.GetProperty("detail").GetString()}");
            }
        }

        Assert.Single(answers.Distinct()); // alike: another business's pet is answered as a missing one
        Assert.Equal("not-found", await (await biz.Owner.PostAsJsonAsync(Pets(carol.Id), new { name = "Stray", species = "cat" })).KindAsync(HttpStatusCode.NotFound));

        // The pages: the pet page is not found, and a form posted at the other business's client changes nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await biz.Owner.PageAsync($"/staff/clients/{carol.Id}/pets/{whiskers}")).Status);
        var own = await biz.Owner.PageAsync($"/staff/clients/{alice.Id}");
        var token = own.One("#add-pet input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        foreach (var (handler, fields) in new (string, Dictionary<string, string>)[]
                 {
                     ("AddPet", new() { ["NewPet.Name"] = "Stray", ["NewPet.Species"] = "cat" }),
                     ("RemovePet", new() { ["petId"] = whiskers.ToString() }),
                 })
        {
            fields["__RequestVerificationToken"] = token;
            var posted = await biz.Owner.PostAsync(new Uri($"/staff/clients/{carol.Id}?handler={handler}", UriKind.Relative), new FormUrlEncodedContent(fields));
            Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
            Assert.DoesNotContain("Whiskers", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var editForm = await biz.Owner.PageAsync($"/staff/clients/{alice.Id}/pets/{rex}");
        var editToken = editForm.One("form[method=post] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var edited = await biz.Owner.PostAsync(new Uri($"/staff/clients/{carol.Id}/pets/{whiskers}", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = editToken, ["Input.Name"] = "Mine now", ["Input.Species"] = "cat",
        }));
        Assert.Equal(HttpStatusCode.NotFound, edited.StatusCode);

        // Carol's pet is as it was: on file, unchanged, and she has no other.
        var carolNow = await ClientAsync(other, carol.Id);
        var pet = Assert.Single(carolNow.GetProperty("pets").EnumerateArray());
        Assert.Equal("Whiskers", pet.GetProperty("name").GetString());
        Assert.Empty(carolNow.GetProperty("removedPets").EnumerateArray());

        // A practitioner of the business is refused its own client's pets too.
        var practitioner = await Booking.IntegrationTests.Setup.Staff.SignInPractitionerAsync(App, biz);
        Assert.Equal("forbidden", await (await practitioner.PostAsJsonAsync(Pets(alice.Id), new { name = "Tom", species = "cat" })).KindAsync(HttpStatusCode.Forbidden));
        Assert.Equal("forbidden", await (await practitioner.DeleteAsync(Pets(alice.Id, rex))).KindAsync(HttpStatusCode.Forbidden));
        Assert.Equal(1L, await PetsSql.OnFileAsync(App, alice.Id));
    }

    [Fact]
    public async Task A_form_posted_on_a_client_merged_away_meanwhile_changes_nothing_and_lands_on_the_kept_clients_page_saying_so()
    {
        var biz = await App.SignUpBusinessAsync("staff-pets");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var keep = (await (await biz.Owner.PostAsJsonAsync(new Uri("/api/v1/admin/clients", UriKind.Relative),
            new { firstName = "Lou", lastName = "Kept", mobile = SchedulingApi.MobileIn(biz.CountryCode) })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var away = await App.RegisterClientAsync(biz, "Lou", "Away", withMobile: false);
        var rex = (await (await biz.Owner.PostAsJsonAsync(Pets(away.Id), new { name = "Rex", species = "dog" })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var old = (await (await biz.Owner.PostAsJsonAsync(Pets(away.Id), new { name = "Old", species = "cat" })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await biz.Owner.DeleteAsync(Pets(away.Id, old))).StatusCode);

        // The page is opened on the record that is then merged away; each of its forms is posted after.
        var page = await biz.Owner.PageAsync($"/staff/clients/{away.Id}");
        await (await biz.Owner.PostAsJsonAsync(new Uri($"/api/v1/admin/clients/{keep}/merge", UriKind.Relative), new { mergeId = away.Id.ToString() })).JsonAsync(HttpStatusCode.OK);

        foreach (var (form, fields, what) in new (string, Dictionary<string, string>, string)[]
                 {
                     ("form[action*='handler=RemovePet']", PortalHtml.Fields(), "the pets"), // its first read finds no client: 404
                     ("form[action*='handler=Restore']", PortalHtml.Fields(), "the pets"), // 409 client-merged, naming the kept record
                     ("#add-pet", PortalHtml.Fields(("NewPet.Name", "Nova"), ("NewPet.Species", "dog")), "the pets"),
                     ("form[action*='handler=Save']", PortalHtml.Fields(("Input.LastName", "Changed")), "their details"),
                 })
        {
            var posted = await biz.Owner.SubmitAsync(page, fields, form);
            Assert.Equal(HttpStatusCode.Redirect, posted.Status);
            Assert.Equal($"/staff/clients/{keep}", posted.Response.Headers.Location?.OriginalString);
            var kept = await biz.Owner.PageAsync(posted.Response.Headers.Location!.OriginalString);
            Assert.Equal($"This client was merged into Lou Kept; nothing was changed. Check {what} here and try again.",
                kept.One("p.notice[role=status]")?.TextContent);
        }

        // Nothing was changed in the kept record: Rex on file, Old still removed, no Nova, the name as it was.
        var now = await ClientAsync(biz, keep);
        Assert.Equal("Kept", now.GetProperty("lastName").GetString());
        Assert.Equal([rex], now.GetProperty("pets").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
        Assert.Equal([old], now.GetProperty("removedPets").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));

        // A client id that never was this business's is still the not-found page.
        var missing = await biz.Owner.PostAsync(new Uri($"/staff/clients/{Guid.NewGuid()}?handler=AddPet", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = page.One("#add-pet input[name=__RequestVerificationToken]")!.GetAttribute("value")!, ["NewPet.Name"] = "Nova", ["NewPet.Species"] = "dog",
        }));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
