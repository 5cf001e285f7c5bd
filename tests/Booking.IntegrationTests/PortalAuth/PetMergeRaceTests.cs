using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Decision 307 (what decision 300 (2) left): a change or removal of a pet that read the pet as the merged-away client's
/// and saves after the merge made it the kept client's. A held booking lock stops the merge in Appointments' move with
/// its PortalAuth writes (the pets re-pointed) done and uncommitted; the writes read the pets as they were and wait on
/// their rows; then the merge commits. The client's own (My pets; their session ended by the merge) answer 401, staff's
/// (naming the old client's id) 409 <c>changed-meanwhile</c> naming the kept client; nothing lands on the pets.
/// </summary>
public sealed class PetMergeRaceTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static Uri Admin(string rest) => new("/api/v1/admin/clients" + rest, UriKind.Relative);

    private static Uri MyPet(TestBusiness biz, Guid id) => new($"/api/v1/portal/me/pets/{id}?name={biz.Slug}", UriKind.Relative);

    private static async Task<Guid> AddPetAsync(PortalClient client, TestBusiness biz, string name) =>
        (await (await client.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={biz.Slug}", new { name, species = "dog" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private async Task<(string Name, Guid ClientId, bool Removed)> PetAsync(Guid id)
    {
        var name = await Sql.AdminScalarAsync<string>(App.Database.Database, "select name from portalauth.pets where id = @i", ("i", id));
        var client = await Sql.AdminScalarAsync<Guid>(App.Database.Database, "select client_id from portalauth.pets where id = @i", ("i", id));
        var removed = await Sql.AdminScalarAsync<bool>(App.Database.Database, "select removed_at is not null from portalauth.pets where id = @i", ("i", id));
        return (name!, client, removed);
    }

    [Fact]
    public async Task Pet_changes_and_removals_saved_after_the_merge_moved_the_pets_answer_401_to_the_client_and_409_to_staff_and_change_nothing()
    {
        var biz = await App.SignUpBusinessAsync();
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var keep = (await (await biz.Owner.PostAsJsonAsync(Admin(""), new { firstName = "Pat", lastName = "Kept", mobile = MobileIn(biz.CountryCode) }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var away = await App.RegisterClientAsync(biz, "Pat", "Kept", withMobile: false);
        var rex = await AddPetAsync(away, biz, "Rex");
        var bo = await AddPetAsync(away, biz, "Bo");
        var cy = await AddPetAsync(away, biz, "Cy");
        var dot = await AddPetAsync(away, biz, "Dot");

        // The merge re-points the pets (uncommitted, holding their rows) and waits in Appointments for the held lock.
        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        await held.ExecAsync("SELECT pg_advisory_xact_lock(hashtextextended(@k, 0))", ("k", $"portal-bookings:{away.Id:D}"));
        var merge = biz.Owner.PostAsJsonAsync(Admin($"/{keep}/merge"), new { mergeId = away.Id.ToString() });
        await held.WaitForBlockedAsync(1);

        var writes = new[]
        {
            away.Http.PutAsJsonAsync(MyPet(biz, rex), new { name = "Rexy", species = "dog" }),
            away.Http.DeleteAsync(MyPet(biz, bo)),
            biz.Owner.PutAsJsonAsync(Admin($"/{away.Id}/pets/{cy}"), new { name = "Cyrus", species = "dog" }),
            biz.Owner.DeleteAsync(Admin($"/{away.Id}/pets/{dot}")),
        };
        await held.WaitForWaitingAsync(writes.Length, "UPDATE portalauth.pets");
        await held.CommitAsync();
        await (await merge).JsonAsync(HttpStatusCode.OK);

        var answers = await Task.WhenAll(writes);
        Assert.Equal("unauthenticated", await answers[0].KindAsync(HttpStatusCode.Unauthorized));
        Assert.Equal("unauthenticated", await answers[1].KindAsync(HttpStatusCode.Unauthorized));
        foreach (var staff in answers[2..])
        {
            var problem = await staff.JsonAsync(HttpStatusCode.Conflict);
            Assert.Equal("changed-meanwhile", problem.GetProperty("type").GetString()!.Split('/')[^1]);
            Assert.Equal("client-merged", problem.GetProperty("reason").GetString());
            Assert.Equal(keep, problem.GetProperty("keptClientId").GetGuid());
            Assert.Contains("merged into another", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // The pets are the kept client's, on file, as they were.
        Assert.Equal(("Rex", keep, false), await PetAsync(rex));
        Assert.Equal(("Bo", keep, false), await PetAsync(bo));
        Assert.Equal(("Cy", keep, false), await PetAsync(cy));
        Assert.Equal(("Dot", keep, false), await PetAsync(dot));
    }

    /// <summary>
    /// Decision 313 (4), the other way round: a pet removed between the merge's read of the pets and its save (a removal
    /// takes no client lock). The removal, as My pets saves it, holds the pet's row uncommitted; the merge reads the pets
    /// as they were and its save waits on that row; the removal commits, so the merge's update (naming the pet as on file
    /// and the merged-away client's, decision 307) finds no row. Before: a concurrency exception answered 500.
    /// </summary>
    [Fact]
    public async Task A_pet_removed_between_the_merges_read_and_its_save_answers_409_changed_meanwhile_and_nothing_is_merged()
    {
        var biz = await App.SignUpBusinessAsync();
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var keep = (await (await biz.Owner.PostAsJsonAsync(Admin(""), new { firstName = "Rae", lastName = "Kept", mobile = MobileIn(biz.CountryCode) }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var away = await App.RegisterClientAsync(biz, "Rae", "Kept", withMobile: false);
        var rex = await AddPetAsync(away, biz, "Rex");
        var bo = await AddPetAsync(away, biz, "Bo");

        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        Assert.Equal(1, await held.ExecAsync("UPDATE portalauth.pets SET removed_at = now() WHERE id = @p AND removed_at IS NULL", ("p", rex)));
        var merge = biz.Owner.PostAsJsonAsync(Admin($"/{keep}/merge"), new { mergeId = away.Id.ToString() });
        await held.WaitForBlockedAsync(1);
        await held.CommitAsync();

        var problem = await (await merge).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("changed-meanwhile", problem.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal("A pet changed while merging. Nothing was changed: try again.", problem.GetProperty("detail").GetString());

        // Nothing was changed: both records are there, the pets the merged-away client's (Rex removed, as its client asked).
        Assert.Equal(2, await Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from portalauth.clients where id in (@k, @a)", ("k", keep), ("a", away.Id)));
        Assert.Equal(("Rex", away.Id, true), await PetAsync(rex));
        Assert.Equal(("Bo", away.Id, false), await PetAsync(bo));
        Assert.Equal(0, await Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from appointments.merged_clients where client_id = @a", ("a", away.Id)));
        Assert.Equal(HttpStatusCode.OK, (await away.Http.GetAsync(MyPet(biz, bo))).StatusCode); // still signed in, Bo still theirs

        // Tried again, it merges.
        await (await biz.Owner.PostAsJsonAsync(Admin($"/{keep}/merge"), new { mergeId = away.Id.ToString() })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Rex", keep, true), await PetAsync(rex));
        Assert.Equal(("Bo", keep, false), await PetAsync(bo));
    }

    [Fact]
    public async Task A_staff_pet_write_naming_a_client_merged_away_earlier_says_which_record_was_kept()
    {
        var biz = await App.SignUpBusinessAsync();
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var keep = (await (await biz.Owner.PostAsJsonAsync(Admin(""), new { firstName = "Lou", lastName = "Kept", mobile = MobileIn(biz.CountryCode) }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var away = await App.RegisterClientAsync(biz, "Lou", "Kept", withMobile: false);
        var max = await AddPetAsync(away, biz, "Max");
        await (await biz.Owner.PostAsJsonAsync(Admin($"/{keep}/merge"), new { mergeId = away.Id.ToString() })).JsonAsync(HttpStatusCode.OK);

        // A client page left open on the merged-away record: its pet forms name that id.
        var change = await biz.Owner.PutAsJsonAsync(Admin($"/{away.Id}/pets/{max}"), new { name = "Maxi", species = "dog" });
        Assert.Equal(keep, (await change.JsonAsync(HttpStatusCode.Conflict)).GetProperty("keptClientId").GetGuid());
        Assert.Equal(keep, (await (await biz.Owner.DeleteAsync(Admin($"/{away.Id}/pets/{max}"))).JsonAsync(HttpStatusCode.Conflict)).GetProperty("keptClientId").GetGuid());
        Assert.Equal(keep, (await (await biz.Owner.PostAsync(Admin($"/{away.Id}/pets/{max}/restore"), null)).JsonAsync(HttpStatusCode.Conflict))
            .GetProperty("keptClientId").GetGuid());
        // A client id that never was, with a real pet, and a pet nobody has under a client that exists, are still plain 404s.
        Assert.Equal("not-found", await (await biz.Owner.DeleteAsync(Admin($"/{Guid.NewGuid()}/pets/{max}"))).KindAsync(HttpStatusCode.NotFound));
        Assert.Equal("not-found", await (await biz.Owner.DeleteAsync(Admin($"/{keep}/pets/{Guid.NewGuid()}"))).KindAsync(HttpStatusCode.NotFound));
        Assert.Equal(("Max", keep, false), await PetAsync(max));
    }
}
