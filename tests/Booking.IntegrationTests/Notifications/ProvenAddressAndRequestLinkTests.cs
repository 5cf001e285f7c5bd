using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Product-review findings on notification addresses (decision 251): a staff member's proven sign-in email needs no
/// second proof as an extra address or a diary contact; a request email links each reader to a page they can open (the
/// appointment in the diary for a practitioner, Requests for an owner or admin); <c>{ClientMobilePhone}</c> holds only a
/// verified mobile. Through the HTTP API with the real modules; real PostgreSQL, real SMTP on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class ProvenAddressAndRequestLinkTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private static string NewAddress(string who) => $"{who}-{Guid.NewGuid().ToString("N")[..8]}@example.com";

    private string Db => fixture.App.Database.Database;

    private Task<long> RowsToAsync(string address, string kind) =>
        Sql.AdminScalarAsync<long>(Db, "select count(*) from notifications.outbound_messages where recipient = @a and kind = @k", ("a", address.ToLowerInvariant()), ("k", kind));

    /// <summary>The content (as JSON) of the one message of this kind to this address, once written.</summary>
    private async Task<JsonElement> ContentAsync(Guid tenant, string address, string kind, string? notContaining = null)
    {
        var json = await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<string?>(Db,
                "select content::text from notifications.outbound_messages where tenant_id = @t and recipient = @a and kind = @k "
                + "and (@n = '' or position(@n in content::text) = 0) order by created_at desc limit 1",
                ("t", tenant), ("a", address.ToLowerInvariant()), ("k", kind), ("n", notContaining ?? "")),
            c => c is not null, TimeSpan.FromSeconds(60), $"a {kind} message to {address}");
        return JsonDocument.Parse(json!).RootElement;
    }

    private static object Settings(params string[] extras) => new
    {
        notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
        notifyDiaryContactOnCancelled = new { enabled = true, templateId = (Guid?)null },
        extraAddressesOnNew = new { addresses = extras, templateId = (Guid?)null },
        includeStaffChanges = false,
    };

    private static string StateOf(JsonElement settings, string address) =>
        settings.GetProperty("extraAddressesOnNew").GetProperty("addressStates").EnumerateArray()
            .Single(a => string.Equals(a.GetProperty("address").GetString(), address, StringComparison.OrdinalIgnoreCase)).GetProperty("state").GetString()!;

    private static async Task<Guid> AddStaffAsync(TestBusiness biz, string email, string role, params Guid[] diaries) =>
        (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Gina Groomer", email, password = TestBusiness.OwnerPassword, role, diaryIds = diaries })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<JsonElement> CreateDiaryAsync(TestBusiness biz, string contact, string name = "Dr Lee") =>
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name, contactEmail = contact, active = true })).JsonAsync(HttpStatusCode.Created);

    /// <summary>A client awaiting approval (typing a mobile at registration) asks for a time: a booking request. Answers its id.</summary>
    private async Task<Guid> RequestAsync(TestBusiness biz, Guid diary, Guid service, int day, string email, string? mobile = null)
    {
        var http = fixture.App.NewClient();
        await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName = "Pat", lastName = "Pending", email, password = "a long client password 2026!", mobile })).JsonAsync(HttpStatusCode.Created);
        var start = DateTimeOffset.UtcNow.Date.AddDays(day).AddHours(1);
        var requested = await (await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}",
            new { serviceId = service, diaryId = diary, start = new DateTimeOffset(start, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
        return requested.GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task A_staff_member_s_proven_sign_in_email_is_confirmed_at_once_as_an_extra_address_or_diary_contact_and_others_still_confirm()
    {
        var biz = await fixture.App.SignUpBusinessAsync("proven");

        // Before the owner proved their email, listing it asks as for anyone: waiting, one confirmation email.
        var before = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings(biz.OwnerEmail))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("waiting", StateOf(before, biz.OwnerEmail));
        Assert.Equal(1L, await RowsToAsync(biz.OwnerEmail, "extra-address-confirmation"));

        var gina = NewAddress("gina");
        await AddStaffAsync(biz, gina, "practitioner");
        await biz.ProveStaffEmailsAsync(); // both used the link Tenancy emailed them

        // Saved again, the owner's proven address (in other letters) is confirmed with no second email; a stranger still waits.
        var stranger = NewAddress("stranger");
        var after = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings",
            Settings(biz.OwnerEmail.ToUpperInvariant(), stranger))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", StateOf(after, biz.OwnerEmail));
        Assert.Equal("waiting", StateOf(after, stranger));
        Assert.Equal(1L, await RowsToAsync(biz.OwnerEmail, "extra-address-confirmation"));
        Assert.Equal(1L, await RowsToAsync(stranger, "extra-address-confirmation"));

        // A practitioner's proven address made a diary's contact: confirmed at once, no confirmation email.
        var diary = await CreateDiaryAsync(biz, gina.ToUpperInvariant());
        Assert.Equal("confirmed", diary.GetProperty("contactEmailState").GetString());
        Assert.Equal(0L, await RowsToAsync(gina, "diary-contact-confirmation"));
        var other = NewAddress("contact");
        Assert.Equal("waiting", (await CreateDiaryAsync(biz, other, "Dr Other")).GetProperty("contactEmailState").GetString());
        Assert.Equal(1L, await RowsToAsync(other, "diary-contact-confirmation"));
    }

    [Fact]
    public async Task Send_again_for_a_waiting_address_its_staff_member_has_since_proven_confirms_it_without_an_email()
    {
        var biz = await fixture.App.SignUpBusinessAsync("proven");
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings(biz.OwnerEmail))).JsonAsync(HttpStatusCode.OK);
        await biz.ProveStaffEmailsAsync();

        var again = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/notification-settings/extra-addresses/send-confirmation", new { address = biz.OwnerEmail }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", again.GetProperty("state").GetString());
        Assert.Equal(1L, await RowsToAsync(biz.OwnerEmail, "extra-address-confirmation"));
    }

    /// <summary>A business whose diary's contact is its practitioner Gina (proven, confirmed), and a client's booking request.</summary>
    private async Task<(TestBusiness Biz, string Gina, Guid Diary, Guid Service, Guid Appointment, string Client)> RequestSceneAsync()
    {
        var biz = await fixture.App.SignUpBusinessAsync("links");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        await biz.SettingsAsync(x => x["newClientsNeedApproval"] = true);
        var gina = NewAddress("gina");
        var diary = (await CreateDiaryAsync(biz, gina)).GetProperty("id").GetGuid();
        await AddStaffAsync(biz, gina, "practitioner", diary);
        await biz.ProveStaffEmailsAsync();
        await biz.ConfirmAddressAsync(gina);
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        var service = await biz.ServiceAsync("Consultation", 30, 0, [diary]);

        var client = NewAddress("client");
        var appointment = await RequestAsync(biz, diary, service, 3, client, mobile: "0412 345 678");
        return (biz, gina, diary, service, appointment, client);
    }

    [Fact]
    public async Task A_request_email_links_a_practitioner_to_the_appointment_they_can_open_and_an_owner_to_requests()
    {
        var (biz, gina, _, _, appointment, _) = await RequestSceneAsync();

        // The practitioner (the diary contact) is sent the appointment's page; the owner the request on Requests.
        var toGina = await ContentAsync(biz.Id, gina, "diary-contact-booking-request");
        var ginaUrl = new Uri(toGina.GetProperty("action").GetProperty("url").GetString()!);
        Assert.Equal($"/staff/diary/appointments/{appointment}?name={biz.Slug}", ginaUrl.PathAndQuery);
        Assert.Equal("Open the appointment", toGina.GetProperty("action").GetProperty("label").GetString());
        var toOwner = await ContentAsync(biz.Id, biz.OwnerEmail, "staff-booking-request");
        Assert.Equal($"/staff/requests?name={biz.Slug}#request-{appointment}",
            new Uri(toOwner.GetProperty("action").GetProperty("url").GetString()!).PathAndQuery + new Uri(toOwner.GetProperty("action").GetProperty("url").GetString()!).Fragment);

        // Signed in, the practitioner opens their link; Requests would have answered 403.
        var practitioner = fixture.App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await practitioner.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}",
            new { email = gina, password = TestBusiness.OwnerPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await practitioner.GetAsync(new Uri(ginaUrl.PathAndQuery, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await practitioner.GetAsync(new Uri($"/staff/requests?name={biz.Slug}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task ClientMobilePhone_shows_only_a_verified_mobile()
    {
        var (biz, gina, diary, service, appointment, client) = await RequestSceneAsync();
        var toGina = await ContentAsync(biz.Id, gina, "diary-contact-booking-request");

        // The mobile was only typed at registration: {ClientMobilePhone} is empty, as for a client without one.
        Assert.Equal(JsonValueKind.Null, toGina.GetProperty("values").GetProperty("ClientMobilePhone").ValueKind);

        // Once verified (as an SMS code or staff would), the next request shows it.
        await Sql.AdminExecAsync(Db, "update portalauth.clients set mobile_verified = true where tenant_id = @t and email = @e", ("t", biz.Id), ("e", client));
        var http = fixture.App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/v1/portal/auth/sign-in?name={biz.Slug}",
            new { email = client, password = "a long client password 2026!" })).StatusCode);
        var start = DateTimeOffset.UtcNow.Date.AddDays(4).AddHours(1);
        await (await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}",
            new { serviceId = service, diaryId = diary, start = new DateTimeOffset(start, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) }))
            .JsonAsync(HttpStatusCode.Created);
        var second = await ContentAsync(biz.Id, gina, "diary-contact-booking-request", notContaining: appointment.ToString());
        Assert.Equal("+61412345678", second.GetProperty("values").GetProperty("ClientMobilePhone").GetString());
    }
}
