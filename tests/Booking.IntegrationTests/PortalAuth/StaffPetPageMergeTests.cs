using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Decision 317: the staff pet page (<c>/staff/clients/{id}/pets/{petId}</c>) saved after its client was merged into
/// another record (the API's 409 <c>changed-meanwhile</c>, <c>client-merged</c>, decision 307) stays on the page and
/// says what happened, saves nothing, and leads on to the kept record: the form as typed, now saving there, when the
/// pet is on file in it; else only a link to the kept record.
/// </summary>
public sealed class StaffPetPageMergeTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static Uri Admin(string rest) => new("/api/v1/admin/clients" + rest, UriKind.Relative);

    private async Task<(string Name, Guid ClientId, bool Removed, string? Notes)> PetAsync(Guid id)
    {
        var db = App.Database.Database;
        return ((await Sql.AdminScalarAsync<string>(db, "select name from portalauth.pets where id = @i", ("i", id)))!,
            await Sql.AdminScalarAsync<Guid>(db, "select client_id from portalauth.pets where id = @i", ("i", id)),
            await Sql.AdminScalarAsync<bool>(db, "select removed_at is not null from portalauth.pets where id = @i", ("i", id)),
            await Sql.AdminScalarAsync<string>(db, "select notes from portalauth.pets where id = @i", ("i", id)));
    }

    private static async Task<Guid> AddPetAsync(TestBusiness biz, Guid clientId, string name) =>
        (await (await biz.Owner.PostAsJsonAsync(Admin($"/{clientId}/pets"), new { name, species = "dog" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();

    [Fact]
    public async Task Saving_a_pet_after_its_client_was_merged_away_saves_nothing_says_so_and_offers_the_kept_records_pet()
    {
        var biz = await App.SignUpBusinessAsync();
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var keep = (await (await biz.Owner.PostAsJsonAsync(Admin(""), new { firstName = "Lou", lastName = "Kept", mobile = MobileIn(biz.CountryCode) }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var away = await App.RegisterClientAsync(biz, "Lou", "Kept", withMobile: false);
        var max = await AddPetAsync(biz, away.Id, "Max");
        var bo = await AddPetAsync(biz, away.Id, "Bo");
        await AddPetAsync(biz, keep, "Bo"); // the kept record's own Bo: the merge sets the other one aside as removed

        // Both pet pages opened on the record that is then merged away.
        var maxPage = await biz.Owner.PageAsync($"/staff/clients/{away.Id}/pets/{max}");
        var boPage = await biz.Owner.PageAsync($"/staff/clients/{away.Id}/pets/{bo}");
        Assert.Equal(HttpStatusCode.OK, maxPage.Status);
        await (await biz.Owner.PostAsJsonAsync(Admin($"/{keep}/merge"), new { mergeId = away.Id.ToString() })).JsonAsync(HttpStatusCode.OK);

        var refused = await biz.Owner.SubmitAsync(maxPage, PortalHtml.Fields(("Input.Name", "Maxi"), ("Input.Notes", "Shy with strangers.")), "main form[method=post]");

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        var notice = refused.One("#pet-merged-notice")?.TextContent ?? refused.Text;
        Assert.StartsWith("Nothing was saved: while you were editing, this client's record was merged into Lou Kept's, which has this pet now.", notice, StringComparison.Ordinal);
        Assert.Contains("press Save pet to save them in Lou Kept's record", notice, StringComparison.Ordinal);
        Assert.Equal(("Max", keep, false, (string?)null), await PetAsync(max)); // nothing half-saved
        // The form as typed, now saving in the kept record; its links lead there too.
        var form = refused.One("#pet-form")!;
        Assert.Equal($"/staff/clients/{keep}/pets/{max}", form.GetAttribute("action"));
        Assert.Equal("Maxi", refused.One("#Input_Name")?.GetAttribute("value"));
        Assert.Equal("Shy with strangers.", refused.One("#Input_Notes")?.TextContent.Trim());
        Assert.Equal($"/staff/clients/{keep}", refused.One("main p a")?.GetAttribute("href"));

        var saved = await biz.Owner.SubmitAsync(refused, PortalHtml.Fields(), "#pet-form");
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal($"/staff/clients/{keep}", saved.Response.Headers.Location?.OriginalString);
        Assert.Equal(("Maxi", keep, false, "Shy with strangers."), await PetAsync(max));

        // Bo is the kept record's removed pet now (it has a Bo of its own): nothing to edit; the kept record is the way on.
        var offFile = await biz.Owner.SubmitAsync(boPage, PortalHtml.Fields(("Input.Name", "Bobo")), "main form[method=post]");
        Assert.Equal(HttpStatusCode.OK, offFile.Status);
        Assert.Equal("Pet not saved", offFile.One("main h1")?.TextContent.Trim());
        Assert.Contains("this pet is not on file there", offFile.One("#pet-merged-notice")?.TextContent ?? offFile.Text, StringComparison.Ordinal);
        Assert.Null(offFile.One("main form[method=post]"));
        Assert.Equal($"/staff/clients/{keep}", offFile.One("#kept-client-link")?.GetAttribute("href"));
        Assert.Equal(("Bo", keep, true, (string?)null), await PetAsync(bo));
    }
}
