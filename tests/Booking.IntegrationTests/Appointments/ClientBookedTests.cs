using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Booking.IntegrationTests.PortalPages;
using Booking.PortalAuth.Domain;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Staff are asked before booking, moving or accepting a time the client already holds another live appointment at
/// (<c>client-booked</c>, decision 338): the portal's own-overlap rule, so in a pet business another pet at once is normal
/// and the same pet (or no pet) is asked about; the pages name the other appointment.
/// </summary>
public sealed class ClientBookedTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    private static async Task<Guid> AddPetAsync(HttpClient owner, Guid clientId, string name) =>
        (await (await owner.PostAsJsonAsync($"/api/v1/admin/clients/{clientId}/pets", new { name, species = "dog" })).JsonAsync(HttpStatusCode.Created))
        .GetProperty("id").GetGuid();

    private static async Task<JsonElement> CheckAsync(TestBusiness biz, Guid? clientId, Guid service, Guid diary, string start, Guid? petId) =>
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments/check", new { clientId, serviceId = service, diaryId = diary, start, petId }))
            .JsonAsync(HttpStatusCode.OK);

    private static string[] Concerns(JsonElement check) => [.. check.GetProperty("concerns").EnumerateArray().Select(c => c.GetString()!)];

    [Fact]
    public async Task The_same_pet_or_no_pet_at_a_time_the_client_holds_is_asked_about_and_named_and_another_pet_is_not()
    {
        var biz = await App.SignUpBusinessAsync("paws");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var grace = await biz.DiaryAsync("Grace");
        var tom = await biz.DiaryAsync("Tom");
        await biz.RosterEveryDayAsync(grace, "00:00", "23:30");
        await biz.RosterEveryDayAsync(tom, "00:00", "23:30");
        var groom = await biz.ServiceAsync("Full groom", 60, 0, [grace, tom]);
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        PortalAuthApp.Rules[biz.Id] = PortalRules.Default with { BooksForPets = true };
        var pat = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pat", lastName = "Owner", email = $"pat.{Guid.NewGuid():N}@test.example", mobile = (string?)null })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var rex = await AddPetAsync(biz.Owner, pat, "Rex");
        var milo = await AddPetAsync(biz.Owner, pat, "Milo");
        var day = Day(4);
        var first = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = pat, serviceId = groom, diaryId = grace, start = At(day, 10), petId = rex })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // The same pet with another diary at an overlapping time: asked about, the other appointment named.
        var same = await CheckAsync(biz, pat, groom, tom, At(day, 10, 30), rex);
        Assert.Equal(["client-booked"], Concerns(same));
        Assert.False(same.GetProperty("taken").GetBoolean());
        var held = Assert.Single(same.GetProperty("clientBooked").EnumerateArray());
        Assert.Equal(first, held.GetProperty("id").GetGuid());
        Assert.Equal("Pat Owner", held.GetProperty("client").GetProperty("name").GetString());
        Assert.Equal("Full groom", held.GetProperty("service").GetProperty("name").GetString());
        Assert.Equal("Grace", held.GetProperty("diary").GetProperty("name").GetString());
        Assert.Equal("Rex", held.GetProperty("pet").GetProperty("name").GetString());
        // No pet named: asked about too; another pet at once is a groomer's normal day; no client: nothing to ask.
        Assert.Equal(["client-booked"], Concerns(await CheckAsync(biz, pat, groom, tom, At(day, 10), null)));
        var other = await CheckAsync(biz, pat, groom, tom, At(day, 10), milo);
        Assert.Empty(Concerns(other));
        Assert.Empty(other.GetProperty("clientBooked").EnumerateArray());
        Assert.Empty(Concerns(await CheckAsync(biz, null, groom, tom, At(day, 10), null)));
        // Just after it ends: nothing.
        Assert.Empty(Concerns(await CheckAsync(biz, pat, groom, tom, At(day, 11), rex)));

        // The New appointment page asks, in words.
        var form = await biz.Owner.PageAsync($"/staff/diary/book?date={Iso(day)}");
        var asked = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Input.ClientId", pat.ToString()), ("Input.ServiceId", groom.ToString()),
            ("Input.DiaryId", tom.ToString()), ("Input.PetId", rex.ToString()), ("Input.Date", Iso(day)), ("Input.Time", "10:00")), "#book-form");
        var box = asked.One("#confirm-booking");
        Assert.True(box is not null, "No confirm step:\n" + asked.Text);
        Assert.Contains("Pat Owner already has Full groom with Grace at 10:00", box.TextContent, StringComparison.Ordinal);
        Assert.Contains("for Rex.", box.TextContent, StringComparison.Ordinal);

        // A staff move of Rex's other visit onto that time is asked about, and made once confirmed.
        var later = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = pat, serviceId = groom, diaryId = tom, start = At(day, 14), petId = rex })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var refused = await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{later}/move", new { start = At(day, 10) })).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(["client-booked"], refused.GetProperty("concerns").EnumerateArray().Select(c => c.GetString()!).ToArray());
        Assert.Equal(first, Assert.Single(refused.GetProperty("clientBooked").EnumerateArray()).GetProperty("id").GetGuid());
        await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{later}/move?confirm=client-booked", new { start = At(day, 10) })).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_request_at_a_time_the_client_holds_says_so_on_its_card_and_is_accepted_only_once_confirmed()
    {
        var b = await App.BookableAsync();
        var tom = await b.Biz.DiaryAsync("Tom");
        await b.Biz.RosterEveryDayAsync(tom, "00:00", "23:30");
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true };
        var client = await App.RegisterClientAsync(b.Biz, "Pat", "Owner");
        var day = Day(4);
        var requested = await (await client.BookAsync(b, At(day, 10))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
        var id = requested.GetProperty("id").GetGuid();
        // Staff book the same client with another diary at that time (no pets: always the same client's double).
        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = client.Id, serviceId = b.ServiceId, diaryId = tom, start = At(day, 10) })).JsonAsync(HttpStatusCode.Created);

        var listed = (await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/requests", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == id);
        Assert.Contains("client-booked", listed.GetProperty("appointment").GetProperty("clashes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("Tom", Assert.Single(listed.GetProperty("clientBooked").EnumerateArray()).GetProperty("diary").GetProperty("name").GetString());

        var page = await b.Biz.Owner.PageAsync("/staff/requests");
        Assert.StartsWith("Pat Owner already has Consultation with Tom at 10:00", page.One($"#request-{id}-client-booked")?.TextContent.Trim() ?? page.Text, StringComparison.Ordinal);

        var refused = await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{id}/accept", UriKind.Relative), null)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(["client-booked"], refused.GetProperty("concerns").EnumerateArray().Select(c => c.GetString()!).ToArray());
        Assert.Contains("Pat Owner already has Consultation with Tom at 10:00", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var accepted = await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{id}/accept?confirm=client-booked", UriKind.Relative), null))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", accepted.GetProperty("appointment").GetProperty("status").GetString());
    }
}
