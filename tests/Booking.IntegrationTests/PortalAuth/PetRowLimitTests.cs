using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// A client's pets, removed ones included, are at most 200 rows (decision 322): the 50-pet limit counts only pets on file,
/// so adding and removing in a loop grew the client's rows without end. The 200th row is added; the next add is refused
/// on <c>name</c> naming the limit, nothing is saved, and another client adds as before.
/// </summary>
public sealed class PetRowLimitTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static Task<HttpResponseMessage> AddPetAsync(HttpClient http, string slug, string name) =>
        http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={slug}", new { name, species = "dog" });

    private Task<long> RowsAsync(TestBusiness biz, Guid clientId) =>
        Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM portalauth.pets WHERE tenant_id = @t AND client_id = @c", ("t", biz.Id), ("c", clientId));

    [Fact]
    public async Task Adding_and_removing_pets_stops_at_200_rows_with_the_limit_in_words_and_other_clients_add_as_before()
    {
        var biz = await App.SignUpBusinessAsync("petrows");
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(biz);
        var bob = await App.RegisterClientAsync(biz, "Bob");
        // 199 pets Alice added and removed (as the loop would have left them).
        await Sql.AdminExecAsync(App.Database.Database, """
            INSERT INTO portalauth.pets (tenant_id, id, client_id, name, species, removed_at)
            SELECT @t, gen_random_uuid(), @c, 'Gone ' || n, 'dog', now() FROM generate_series(1, 199) n
            """, ("t", biz.Id), ("c", alice.Id));

        // The 200th row: added, then removed again.
        var last = (await (await AddPetAsync(alice.Http, biz.Slug, "Rex")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync(new Uri($"/api/v1/portal/me/pets/{last}?name={biz.Slug}", UriKind.Relative))).StatusCode);
        Assert.Equal(200L, await RowsAsync(biz, alice.Id));

        // One more: refused on name, with the limit, though no pet is on file.
        var refused = await (await AddPetAsync(alice.Http, biz.Slug, "Rex")).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(
            "You have added 200 pets over time, counting those you removed, which is as many as you can add online; ask the business to add another.",
            refused.GetProperty("errors").GetProperty("name")[0].GetString());
        Assert.Equal(200L, await RowsAsync(biz, alice.Id));

        await (await AddPetAsync(bob.Http, biz.Slug, "Rex")).JsonAsync(HttpStatusCode.Created);
    }
}
