using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// Setup → Business details (GET/PUT /api/v1/admin/business): an owner corrects the name, time zone and country chosen at
/// sign-up. The booking address stays; a new zone keeps appointments' instants and gives the roster's local times the new
/// zone's meaning; a new country moves the default SMS country; the cached directory shows the change on the next request,
/// on every instance; only the signed-in business changes, and only an owner changes it.
/// </summary>
public sealed class BusinessDetailsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Password = "a team member's password 2026";

    private BookingApp App => shared.App;

    private static Task<HttpResponseMessage> PutAsync(HttpClient http, object body) => http.PutAsJsonAsync("/api/v1/admin/business", body);

    private static async Task<JsonElement> GetAsync(HttpClient http, string url) =>
        await (await http.GetAsync(new Uri(url, UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static Task<JsonElement> PortalBusinessAsync(HttpClient http, TestBusiness biz) => GetAsync(http, $"/api/v1/portal/business?name={biz.Slug}");

    private async Task<HttpClient> MemberAsync(TestBusiness biz, string role)
    {
        var email = $"{role}-{Guid.NewGuid():N}@{biz.Slug}.example";
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", new { name = $"A {role}", email, password = Password, role, diaryIds = Array.Empty<Guid>() }))
            .JsonAsync(HttpStatusCode.Created);
        var client = App.NewClient();
        await (await client.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email, password = Password })).JsonAsync(HttpStatusCode.OK);
        return client;
    }

    [Fact]
    public async Task A_new_name_is_trimmed_and_shown_by_the_portal_and_staff_pages_at_once_while_the_booking_address_and_other_businesses_stay()
    {
        var biz = await App.SignUpBusinessAsync("rename");
        var other = await App.SignUpBusinessAsync("rename-other");
        var visitor = App.NewClient();
        // Read first, so the directory has the old name cached.
        var oldName = (await PortalBusinessAsync(visitor, biz)).GetProperty("name").GetString();
        Assert.Equal($"Business {biz.Slug}", oldName);
        var otherName = (await PortalBusinessAsync(visitor, other)).GetProperty("name").GetString();
        var before = await GetAsync(biz.Owner, "/api/v1/admin/business");
        Assert.Equal(biz.Slug, before.GetProperty("slug").GetString());
        Assert.EndsWith($"/ol/book?name={biz.Slug}", before.GetProperty("bookingUrl").GetString(), StringComparison.Ordinal);

        var saved = await (await PutAsync(biz.Owner, new { name = "  Harbour Physio  ", timeZone = "Australia/Sydney", countryCode = "au" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Harbour Physio", saved.GetProperty("name").GetString());
        Assert.Equal(biz.Slug, saved.GetProperty("slug").GetString());
        Assert.Equal(before.GetProperty("bookingUrl").GetString(), saved.GetProperty("bookingUrl").GetString());
        Assert.Equal("AU", saved.GetProperty("countryCode").GetString());

        // The next request sees it: the portal's business (found by the unchanged slug), the staff pages' header.
        Assert.Equal("Harbour Physio", (await PortalBusinessAsync(visitor, biz)).GetProperty("name").GetString());
        var page = await biz.Owner.PageAsync("/staff/setup/business");
        Assert.Equal("Harbour Physio", page.One(".staff-business")!.TextContent.Trim());
        Assert.Equal("Harbour Physio", (await GetAsync(biz.Owner, "/api/v1/staff/me")).GetProperty("business").GetProperty("name").GetString());

        // Another business is untouched.
        Assert.Equal(otherName, (await PortalBusinessAsync(visitor, other)).GetProperty("name").GetString());
        Assert.Equal(otherName, (await GetAsync(other.Owner, "/api/v1/admin/business")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_new_time_zone_keeps_appointment_instants_and_gives_the_roster_s_local_times_the_new_zone()
    {
        var b = await App.BookableAsync();
        await b.Biz.RosterEveryDayAsync(b.DiaryId, "09:00", "12:00");
        var client = await App.RegisterClientAsync(b.Biz);
        var booked = await (await client.BookAsync(b, At(Day(3), 10))).JsonAsync(HttpStatusCode.Created);
        var id = booked.GetProperty("id").GetGuid();
        var start = booked.GetProperty("start").GetDateTimeOffset();
        var visitor = App.NewClient();
        var day = Day(5);
        var sydneyNine = DateTimeOffset.Parse(At(day, 9), null);
        Assert.Equal(sydneyNine, (await visitor.SlotsAsync(b, day, day)).Starts().Min());

        // Asking first: Sydney and Melbourne keep the same clock, Perth does not.
        var same = await GetAsync(b.Biz.Owner, "/api/v1/admin/business/time-zone-change?timeZone=Australia/Melbourne");
        Assert.Equal(1, same.GetProperty("upcomingAppointments").GetInt32());
        Assert.Equal(0, same.GetProperty("shownTimesChange").GetInt32());
        Assert.Equal(JsonValueKind.Null, same.GetProperty("first").ValueKind);
        var perth = DateTimeZoneProviders.Tzdb["Australia/Perth"];
        var preview = await GetAsync(b.Biz.Owner, "/api/v1/admin/business/time-zone-change?timeZone=Australia/Perth");
        Assert.Equal("Australia/Sydney", preview.GetProperty("from").GetString());
        Assert.Equal("Australia/Perth", preview.GetProperty("to").GetString());
        Assert.Equal(1, preview.GetProperty("shownTimesChange").GetInt32());
        var first = preview.GetProperty("first");
        Assert.Equal(id, first.GetProperty("appointmentId").GetGuid());
        var shownNow = first.GetProperty("start").GetDateTimeOffset();
        Assert.Equal(start, shownNow);
        Assert.Equal(DateTimeOffset.Parse(At(Day(3), 10), null).Offset, shownNow.Offset); // on Sydney's clock
        var after = first.GetProperty("startAfter").GetDateTimeOffset();
        Assert.Equal(start, after); // the same instant ...
        Assert.Equal(perth.GetUtcOffset(Instant.FromDateTimeOffset(start)).ToTimeSpan(), after.Offset); // ... on Perth's clock
        Assert.Equal("Australia/Sydney", (await GetAsync(b.Biz.Owner, "/api/v1/admin/business")).GetProperty("timeZone").GetString()); // nothing saved

        await (await PutAsync(b.Biz.Owner, new { name = "Westside", timeZone = "Australia/Perth", countryCode = "AU" })).JsonAsync(HttpStatusCode.OK);

        // Availability: the roster's 09:00 is Perth's 09:00 now, on the next request.
        var slots = await GetAsync(visitor, $"/api/v1/portal/availability?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&from={Iso(day)}&to={Iso(day)}");
        Assert.Equal("Australia/Perth", slots.GetProperty("timeZone").GetString());
        var perthNine = day.At(new LocalTime(9, 0)).InZoneStrictly(perth).ToDateTimeOffset();
        var firstSlot = slots.GetProperty("slots").EnumerateArray().Starts().Min();
        Assert.Equal(perthNine, firstSlot);
        Assert.Equal(TimeSpan.FromHours(8), firstSlot.Offset);
        Assert.NotEqual(sydneyNine, firstSlot);

        // The appointment keeps its instant, now written with Perth's offset; nothing else about it changed.
        var appointment = await GetAsync(b.Biz.Owner, $"/api/v1/admin/appointments/{id}");
        var kept = appointment.GetProperty("start").GetDateTimeOffset();
        Assert.Equal(start, kept);
        Assert.Equal(TimeSpan.FromHours(8), kept.Offset);
        Assert.Equal("confirmed", appointment.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_bad_name_zone_or_country_is_a_validation_problem_naming_each_field_and_nothing_changes()
    {
        var biz = await App.SignUpBusinessAsync("bad-details");
        var problem = await (await PutAsync(biz.Owner, new { name = "   ", timeZone = "Mars/Olympus_Mons", countryCode = "XX" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("validation", problem.Kind());
        Assert.Equal(new[] { "countryCode", "name", "timeZone" }, problem.ErrorFields().Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("Enter the business's name.", problem.GetProperty("errors").GetProperty("name")[0].GetString());

        problem = await (await PutAsync(biz.Owner, new { name = "Two\nlines", timeZone = "Europe/London", countryCode = "GB" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(new[] { "name" }, problem.ErrorFields().ToArray());
        problem = await (await PutAsync(biz.Owner, new { name = new string('x', 121), timeZone = "Europe/London", countryCode = "GB" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(new[] { "name" }, problem.ErrorFields().ToArray());
        problem = await (await PutAsync(biz.Owner, new { name = "Fine" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(new[] { "countryCode", "timeZone" }, problem.ErrorFields().Order(StringComparer.Ordinal).ToArray());
        problem = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/business/time-zone-change?timeZone=Nowhere/Special", UriKind.Relative))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(new[] { "timeZone" }, problem.ErrorFields().ToArray());

        var now = await GetAsync(biz.Owner, "/api/v1/admin/business");
        Assert.Equal($"Business {biz.Slug}", now.GetProperty("name").GetString());
        Assert.Equal("Australia/Sydney", now.GetProperty("timeZone").GetString());
        Assert.Equal("AU", now.GetProperty("countryCode").GetString());
    }

    [Fact]
    public async Task Only_an_owner_changes_the_details_an_admin_reads_them_and_a_practitioner_neither()
    {
        var biz = await App.SignUpBusinessAsync("details-roles");
        var admin = await MemberAsync(biz, "admin");
        var practitioner = await MemberAsync(biz, "practitioner");

        Assert.Equal($"Business {biz.Slug}", (await GetAsync(admin, "/api/v1/admin/business")).GetProperty("name").GetString());
        var refused = await (await PutAsync(admin, new { name = "Admin's Choice", timeZone = "Australia/Sydney", countryCode = "AU" })).JsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal("forbidden", refused.Kind());
        Assert.Contains("Only an owner", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await practitioner.GetAsync(new Uri("/api/v1/admin/business", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync(practitioner, new { name = "Pat's Choice", timeZone = "Australia/Sydney", countryCode = "AU" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PutAsync(App.NewClient(), new { name = "Nobody's", timeZone = "Australia/Sydney", countryCode = "AU" })).StatusCode);
        Assert.Equal($"Business {biz.Slug}", (await GetAsync(biz.Owner, "/api/v1/admin/business")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_new_country_moves_the_default_sms_country_and_clock_at_once_keeps_a_chosen_list_and_stored_numbers()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => { }); // a saved settings row: its SMS countries are the sign-up country, ["AU"]
        var client = await App.RegisterClientAsync(b.Biz);
        var mobile = (await GetAsync(b.Biz.Owner, $"/api/v1/admin/clients/{client.Id}")).GetProperty("mobile").GetString();
        var visitor = App.NewClient();
        Assert.Equal("12h", (await PortalBusinessAsync(visitor, b.Biz)).GetProperty("timeFormat").GetString()); // cached now

        var saved = await (await PutAsync(b.Biz.Owner, new { name = "London Branch", timeZone = "Europe/London", countryCode = "GB" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { "GB" }, saved.GetProperty("smsCountries").EnumerateArray().Select(c => c.GetString()).ToArray());
        Assert.Equal("AUD", saved.GetProperty("currency").GetString()); // prices are not converted
        var settings = await GetAsync(b.Biz.Owner, "/api/v1/admin/portal-settings");
        Assert.Equal(new[] { "GB" }, settings.GetProperty("smsCountries").EnumerateArray().Select(c => c.GetString()).ToArray());
        // The country's usual clock, at once (the settings were cached under the old country).
        Assert.Equal("24h", (await PortalBusinessAsync(visitor, b.Biz)).GetProperty("timeFormat").GetString());
        // The client's number is the E.164 number it was.
        Assert.Equal(mobile, (await GetAsync(b.Biz.Owner, $"/api/v1/admin/clients/{client.Id}")).GetProperty("mobile").GetString());

        // A list the business chose stays as it is.
        await b.Biz.SettingsAsync(s => s["smsCountries"] = new System.Text.Json.Nodes.JsonArray("GB", "IE"));
        saved = await (await PutAsync(b.Biz.Owner, new { name = "London Branch", timeZone = "Europe/London", countryCode = "IE" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { "GB", "IE" }, saved.GetProperty("smsCountries").EnumerateArray().Select(c => c.GetString()).ToArray());
    }

    [Fact]
    public async Task A_second_instance_sees_the_new_name_and_zone_long_before_the_directory_s_minute()
    {
        var a = App;
        await using var second = new BookingApp(a.Database);
        var biz = await a.SignUpBusinessAsync("two-instances");
        var onB = second.NewClient();
        Assert.Equal($"Business {biz.Slug}", (await PortalBusinessAsync(onB, biz)).GetProperty("name").GetString()); // cached on B

        await (await PutAsync(biz.Owner, new { name = "Seen Everywhere", timeZone = "Pacific/Auckland", countryCode = "NZ" })).JsonAsync(HttpStatusCode.OK);

        var seen = await Eventually.ReturnsAsync(() => PortalBusinessAsync(onB, biz), j => j.GetProperty("name").GetString() == "Seen Everywhere",
            TimeSpan.FromSeconds(10), "instance B to show the new name");
        Assert.Equal("Pacific/Auckland", seen.GetProperty("timeZone").GetString());
    }
}
