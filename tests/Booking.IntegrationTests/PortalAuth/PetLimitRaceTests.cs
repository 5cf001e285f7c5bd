using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// The 50-pet limit holds when adds arrive at the same moment: counted and inserted on the client's row, one add
/// after another. The test holds the client's row in an open transaction while the adds arrive, so each of them
/// gets as far as it can (without the row lock: past the count, to the insert's foreign-key check), then commits.
/// </summary>
public sealed class PetLimitRaceTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task Adds_at_the_same_moment_at_49_pets_leave_50_and_the_others_get_the_limits_usual_answer()
    {
        var biz = await App.SignUpBusinessAsync("pet-race");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(biz);
        await PetsSql.AddOnFileAsync(App, biz.Id, alice.Id, 49);
        HttpResponseMessage[] answers;
        await using (var held = await HeldTransaction.BeginAsync(App.Database.Database))
        {
            Assert.Equal(1, await held.ExecAsync("SELECT 1 FROM portalauth.clients WHERE id = @id FOR UPDATE", ("id", alice.Id)));
            answers = await held.QueueThenCommitAsync("portalauth.",
                () => alice.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={biz.Slug}", new { name = "First", species = "dog" }),
                () => alice.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={biz.Slug}", new { name = "Second", species = "dog" }),
                () => alice.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={biz.Slug}", new { name = "Third", species = "dog" }));
        }

        var statuses = answers.Select(a => a.StatusCode).ToList();
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            // The answer the limit gives to an add that comes later: validation on name, never a 500.
            Assert.Equal("validation", await refused.KindAsync(HttpStatusCode.BadRequest));
            var problem = await refused.JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal("You have 50 pets on file; ask the business to add another.", problem.GetProperty("errors").GetProperty("name")[0].GetString());
        }

        Assert.Equal(50L, await PetsSql.OnFileAsync(App, alice.Id));
    }

    [Fact]
    public async Task A_staff_restore_and_a_client_add_at_the_same_moment_at_49_pets_leave_50()
    {
        var biz = await App.SignUpBusinessAsync("pet-race");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(biz);
        var rex = (await (await alice.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={biz.Slug}", new { name = "Rex", species = "dog" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync(new Uri($"/api/v1/portal/me/pets/{rex}?name={biz.Slug}", UriKind.Relative))).StatusCode);
        await PetsSql.AddOnFileAsync(App, biz.Id, alice.Id, 49);

        HttpResponseMessage[] answers;
        await using (var held = await HeldTransaction.BeginAsync(App.Database.Database))
        {
            Assert.Equal(1, await held.ExecAsync("SELECT 1 FROM portalauth.clients WHERE id = @id FOR UPDATE", ("id", alice.Id)));
            // And Rex's row: a restore that did not take the client's row first would count, then wait at its update.
            Assert.Equal(1, await held.ExecAsync("SELECT 1 FROM portalauth.pets WHERE id = @id FOR UPDATE", ("id", rex)));
            answers = await held.QueueThenCommitAsync("portalauth.",
                () => biz.Owner.PostAsync(new Uri($"/api/v1/admin/clients/{alice.Id}/pets/{rex}/restore", UriKind.Relative), null),
                () => alice.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={biz.Slug}", new { name = "New", species = "dog" }));
        }

        // Whichever came second is refused as the limit refuses it (restore: on petId; add: on name), never a 500.
        var (restore, add) = (answers[0], answers[1]);
        Assert.True(restore.IsSuccessStatusCode != add.IsSuccessStatusCode, $"restore {(int)restore.StatusCode}, add {(int)add.StatusCode}");
        var (refused, field) = restore.IsSuccessStatusCode ? (add, "name") : (restore, "petId");
        Assert.Equal("validation", await refused.KindAsync(HttpStatusCode.BadRequest));
        Assert.True((await refused.JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(50L, await PetsSql.OnFileAsync(App, alice.Id));
    }
}

/// <summary>Pets written straight to the database (as the superuser): 49 or 50 adds over HTTP would be slow.</summary>
internal static class PetsSql
{
    public static Task AddOnFileAsync(BookingApp app, Guid tenantId, Guid clientId, int count) => Sql.AdminExecAsync(app.Database.Database,
        "INSERT INTO portalauth.pets (tenant_id, id, client_id, name, species) SELECT @t, gen_random_uuid(), @c, 'Pet ' || n, 'dog' FROM generate_series(1, @n) AS n",
        ("t", tenantId), ("c", clientId), ("n", count));

    public static Task<long> OnFileAsync(BookingApp app, Guid clientId) => Sql.AdminScalarAsync<long>(app.Database.Database,
        "SELECT count(*) FROM portalauth.pets WHERE client_id = @c AND removed_at IS NULL", ("c", clientId));
}
