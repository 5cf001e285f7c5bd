using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Staff see a client's removed pets apart from the pets on file, with when each was removed, and put one back:
/// <c>GET /api/v1/admin/clients/{id}</c> (<c>removedPets</c>), <c>POST …/{id}/pets/{petId}/restore</c> and the staff
/// client page's Restore button.
/// </summary>
public sealed class AdminClientPetsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static Uri Client(Guid id) => new($"/api/v1/admin/clients/{id}", UriKind.Relative);

    private static Uri Restore(object clientId, object petId) => new($"/api/v1/admin/clients/{clientId}/pets/{petId}/restore", UriKind.Relative);

    private static async Task<Guid> AddPetAsync(PortalClient client, string slug, string name) =>
        (await (await client.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={slug}", new { name, species = "dog", breed = "Kelpie" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task RemovePetAsync(PortalClient client, string slug, Guid pet) =>
        Assert.Equal(HttpStatusCode.NoContent, (await client.Http.DeleteAsync(new Uri($"/api/v1/portal/me/pets/{pet}?name={slug}", UriKind.Relative))).StatusCode);

    private static List<string?> Names(JsonElement client, string member) =>
        [.. client.GetProperty(member).EnumerateArray().Select(p => p.GetProperty("name").GetString())];

    [Fact]
    public async Task The_client_view_lists_the_50_most_recently_removed_pets_and_says_there_are_more()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(b.Biz);
        var removedInOrder = new List<Guid>();
        for (var i = 0; i < 51; i++)
        {
            var pet = await AddPetAsync(alice, b.Biz.Slug, $"Pet {i:00}");
            await RemovePetAsync(alice, b.Biz.Slug, pet);
            removedInOrder.Add(pet);
            if (i == 49)
            {
                var fifty = await (await b.Biz.Owner.GetAsync(Client(alice.Id))).JsonAsync(HttpStatusCode.OK);
                Assert.Equal(50, fifty.GetProperty("removedPets").GetArrayLength());
                Assert.False(fifty.GetProperty("moreRemovedPets").GetBoolean()); // exactly 50: nothing left out
            }
        }

        var client = await (await b.Biz.Owner.GetAsync(Client(alice.Id))).JsonAsync(HttpStatusCode.OK);

        var listed = client.GetProperty("removedPets").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(Enumerable.Reverse(removedInOrder).Take(50), listed); // newest first; the first one removed is left out
        Assert.True(client.GetProperty("moreRemovedPets").GetBoolean());
        var page = await b.Biz.Owner.PageAsync($"/staff/clients/{alice.Id}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.StartsWith("The 50 most recently removed are shown", page.One("#removed-pets-more")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.One($"#restore-{removedInOrder[0]}"));
        Assert.NotNull(page.One($"#restore-{removedInOrder[50]}"));
        // The oldest is still kept: staff may restore it by id.
        Assert.Equal(removedInOrder[0], (await (await b.Biz.Owner.PostAsync(Restore(alice.Id, removedInOrder[0]), null)).JsonAsync(HttpStatusCode.OK)).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task The_client_view_lists_removed_pets_apart_with_when_and_a_restored_pet_is_on_file_and_bookable_again()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(b.Biz);
        var rex = await AddPetAsync(alice, b.Biz.Slug, "Rex");
        await AddPetAsync(alice, b.Biz.Slug, "Tom");
        var before = DateTimeOffset.UtcNow;
        await RemovePetAsync(alice, b.Biz.Slug, rex);

        var client = await (await b.Biz.Owner.GetAsync(Client(alice.Id))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Tom"], Names(client, "pets"));
        var removed = Assert.Single(client.GetProperty("removedPets").EnumerateArray());
        Assert.Equal(rex, removed.GetProperty("id").GetGuid());
        Assert.Equal("Kelpie", removed.GetProperty("breed").GetString());
        var removedAt = removed.GetProperty("removedAt").GetDateTimeOffset();
        Assert.InRange(removedAt, before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.NotEqual(TimeSpan.Zero, removedAt.Offset); // in the business's zone (Sydney), as createdAt
        // The list keeps its shape: the pets on file, no removed pets read.
        var listed = Assert.Single((await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/clients?search=Alice", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray());
        Assert.Equal(["Tom"], Names(listed, "pets"));
        Assert.False(listed.TryGetProperty("removedPets", out _));

        var restored = await (await b.Biz.Owner.PostAsync(Restore(alice.Id, rex), null)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(rex, restored.GetProperty("id").GetGuid());
        Assert.Equal("Rex", restored.GetProperty("name").GetString());
        client = await (await b.Biz.Owner.GetAsync(Client(alice.Id))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Rex", "Tom"], Names(client, "pets"));
        Assert.Empty(client.GetProperty("removedPets").EnumerateArray());
        var me = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/me?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(rex, me.GetProperty("pets").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));

        // A pet on file already: the same answer, nothing changes.
        var again = await (await b.Biz.Owner.PostAsync(Restore(alice.Id, rex), null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonSerializer.Serialize(restored), JsonSerializer.Serialize(again));

        // The client books for Rex again.
        Assert.Equal(HttpStatusCode.Created, (await alice.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = SchedulingApi.At(SchedulingApi.Day(4), 10), petId = rex, acceptedTermsVersion = (int?)null, note = (string?)null })).StatusCode);
        var upcoming = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments?when=upcoming&name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Rex", Assert.Single(upcoming.GetProperty("items").EnumerateArray()).GetProperty("pet").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Another_clients_or_another_businesss_pet_and_a_missing_or_malformed_id_are_not_found_alike_and_a_practitioner_is_forbidden()
    {
        var biz = await App.SignUpBusinessAsync("pets-restore");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(biz);
        var bob = await App.RegisterClientAsync(biz, "Bob");
        var rex = await AddPetAsync(alice, biz.Slug, "Rex");
        await RemovePetAsync(alice, biz.Slug, rex);
        var other = await App.SignUpBusinessAsync("pets-restore");
        await other.SettingsAsync(s => s["booksForPets"] = true);
        var carol = await App.RegisterClientAsync(other, "Carol");
        var whiskers = await AddPetAsync(carol, other.Slug, "Whiskers");
        await RemovePetAsync(carol, other.Slug, whiskers);

        var answers = new List<string>();
        foreach (var (clientId, petId) in new (object, object)[]
                 {
                     (bob.Id, rex), // another client's pet
                     (alice.Id, whiskers), // another business's pet
                     (carol.Id, whiskers), // another business's client and pet
                     (alice.Id, Guid.NewGuid()), // no such pet
                     (Guid.NewGuid(), rex), // no such client
                     (alice.Id, "not-an-id"),
                     ("not-an-id", rex),
                 })
        {
            var response = await biz.Owner.PostAsync(Restore(clientId, petId), null);
            Assert.Equal("not-found", await response.KindAsync(HttpStatusCode.NotFound));
            var problem = await response.JsonAsync(HttpStatusCode.NotFound);
            answers.Add($"{problem.GetProperty("title").GetString()} | {problem.GetProperty("detail").GetString()}");
        }

        Assert.Single(answers.Distinct()); // alike: nothing tells another business's pet from a missing one

        var practitioner = await Booking.IntegrationTests.Setup.Staff.SignInPractitionerAsync(App, biz);
        Assert.Equal("forbidden", await (await practitioner.PostAsync(Restore(alice.Id, rex), null)).KindAsync(HttpStatusCode.Forbidden));

        // Nothing came back.
        Assert.Equal([rex], (await (await biz.Owner.GetAsync(Client(alice.Id))).JsonAsync(HttpStatusCode.OK)).GetProperty("removedPets").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
        Assert.Equal(0L, await PetsSql.OnFileAsync(App, carol.Id));
        Assert.Equal(0L, await PetsSql.OnFileAsync(App, alice.Id));
    }

    [Fact]
    public async Task Restoring_past_the_limit_is_a_validation_problem_on_petId_and_the_pet_stays_removed()
    {
        var biz = await App.SignUpBusinessAsync("pets-restore");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(biz);
        var rex = await AddPetAsync(alice, biz.Slug, "Rex");
        await RemovePetAsync(alice, biz.Slug, rex);
        await PetsSql.AddOnFileAsync(App, biz.Id, alice.Id, 50);

        var problem = await (await biz.Owner.PostAsync(Restore(alice.Id, rex), null)).JsonAsync(HttpStatusCode.BadRequest);

        Assert.EndsWith("/validation", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains("50 pets on file", problem.GetProperty("errors").GetProperty("petId")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(50L, await PetsSql.OnFileAsync(App, alice.Id));
        var client = await (await biz.Owner.GetAsync(Client(alice.Id))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Rex"], Names(client, "removedPets"));
    }

    [Fact]
    public async Task The_staff_client_page_lists_removed_pets_and_its_restore_button_puts_one_back()
    {
        var biz = await App.SignUpBusinessAsync("pets-restore");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(biz);
        var rex = await AddPetAsync(alice, biz.Slug, "Rex");
        await AddPetAsync(alice, biz.Slug, "Tom");
        await RemovePetAsync(alice, biz.Slug, rex);

        var page = await biz.Owner.PageAsync($"/staff/clients/{alice.Id}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Removed pets", page.One("#removed-pets-heading")!.TextContent);
        var button = page.One($"#restore-{rex}");
        Assert.True(button is not null, "No Restore button for Rex");
        // Its name says which pet: "Restore Rex · dog, Kelpie".
        var name = string.Join(" ", button.GetAttribute("aria-labelledby")!.Split(' ').Select(id => page.Document.GetElementById(id)!.TextContent.Trim()));
        Assert.StartsWith("Restore Rex", name, StringComparison.Ordinal);
        Assert.NotNull(page.One("#removed-pets-heading ~ ul time[datetime]"));

        var posted = await biz.Owner.SubmitAsync(page, PortalHtml.Fields(), "form[action*='handler=Restore']");

        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        var after = await biz.Owner.PageAsync(posted.Response.Headers.Location!.OriginalString);
        Assert.Contains("Rex is on file again", after.One("p.notice[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(after.One("#removed-pets-heading"));
        Assert.Contains("Rex", after.One("#pets-heading + ul")!.TextContent, StringComparison.Ordinal);

        // Without the form's antiforgery token the post is refused and nothing changes; the session still holds, so it
        // goes back to the page, which says the form was not taken (decision 320; the sign-in page before, decision 263).
        await RemovePetAsync(alice, biz.Slug, rex);
        var forged = await biz.Owner.PostAsync(new Uri($"/staff/clients/{alice.Id}?handler=Restore", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["petId"] = rex.ToString() }));
        Assert.Equal(HttpStatusCode.Redirect, forged.StatusCode);
        Assert.Equal($"/staff/clients/{alice.Id}?formExpired=1", forged.Headers.Location!.OriginalString);
        Assert.Equal(1L, await PetsSql.OnFileAsync(App, alice.Id));
    }
}
