using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.IntegrationTests.Setup;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// A client's appointments for staff (GET /api/v1/admin/clients/{id}/appointments, and the Appointments section of
/// /staff/clients/{id}): upcoming soonest first, then past most recent first (cancelled and declined ones with the past,
/// as the client's own lists split them), each list limited with a flag saying more exist; another business's client is
/// not found.
/// </summary>
public sealed class ClientAppointmentsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static Uri Route(object clientId, string query = "") => new($"/api/v1/admin/clients/{clientId}/appointments{query}", UriKind.Relative);

    /// <summary>
    /// Emma (awaiting approval, so her portal booking is a request) with her dog Rex, and these appointments of hers:
    /// upcoming day 2 (staff, no pet), day 3 (staff, for Rex), day 5 (her own portal request for Rex); day 4 cancelled; past day −1
    /// (no-show) and day −3 (confirmed). Bob, another client, has day 1.
    /// </summary>
    private async Task<(Bookable B, PortalClient Emma, Dictionary<string, Guid> Ids)> EmmaAsync()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var emma = await App.RegisterClientAsync(b.Biz, "Emma", "Stone");
        var bob = await App.RegisterClientAsync(b.Biz, "Bob", "Other");
        var rex = (await (await emma.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={b.Biz.Slug}", new { name = "Rex", species = "dog" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var ids = new Dictionary<string, Guid>
        {
            ["day2"] = await StaffBookAsync(b, emma.Id, At(Day(2), 10)),
            ["day3"] = await StaffBookAsync(b, emma.Id, At(Day(3), 10), rex),
            ["day4"] = await StaffBookAsync(b, emma.Id, At(Day(4), 10)),
            ["day-1"] = await StaffBookAsync(b, emma.Id, At(Day(-1), 10)),
            ["day-3"] = await StaffBookAsync(b, emma.Id, At(Day(-3), 10)),
            ["bob"] = await StaffBookAsync(b, bob.Id, At(Day(1), 10)),
        };
        var requested = await (await emma.Http.BookAsync(b,
            new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(5), 10), petId = rex, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
        ids["day5"] = requested.GetProperty("id").GetGuid();
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{ids["day4"]}/cancel", new { reason = "" })).JsonAsync(HttpStatusCode.OK);
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{ids["day-1"]}/outcome", new { status = "no-show" })).JsonAsync(HttpStatusCode.OK);
        return (b, emma, ids);
    }

    private static async Task<Guid> StaffBookAsync(Bookable b, Guid clientId, string start, Guid? petId = null) =>
        (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId, serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId, note = "" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();

    private static List<Guid> Ids(JsonElement list) => list.EnumerateArray().Select(a => a.GetProperty("id").GetGuid()).ToList();

    [Fact]
    public async Task Upcoming_come_soonest_first_then_past_most_recent_first_with_status_pet_service_diary_and_source()
    {
        var (b, emma, ids) = await EmmaAsync();

        var json = await (await b.Biz.Owner.GetAsync(Route(emma.Id))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal([ids["day2"], ids["day3"], ids["day5"]], Ids(json.GetProperty("upcoming")));
        Assert.Equal([ids["day4"], ids["day-1"], ids["day-3"]], Ids(json.GetProperty("past"))); // a cancelled one is past, as in the client's lists
        Assert.False(json.GetProperty("moreUpcoming").GetBoolean());
        Assert.False(json.GetProperty("morePast").GetBoolean());

        var all = json.GetProperty("upcoming").EnumerateArray().Concat(json.GetProperty("past").EnumerateArray())
            .ToDictionary(a => a.GetProperty("id").GetGuid());
        Assert.Equal(
            ["confirmed", "confirmed", "requested", "cancelled", "no-show", "confirmed"],
            new[] { "day2", "day3", "day5", "day4", "day-1", "day-3" }.Select(k => all[ids[k]].GetProperty("status").GetString()!).ToArray());

        var day3 = all[ids["day3"]];
        Assert.Equal(At(Day(3), 10), day3.GetProperty("start").GetString()); // local time of the business, with its offset
        Assert.Equal(At(Day(3), 11), day3.GetProperty("end").GetString());
        Assert.Equal("Rex", day3.GetProperty("pet").GetProperty("name").GetString());
        Assert.Equal("Consultation", day3.GetProperty("service").GetProperty("name").GetString());
        Assert.Equal("Dr Alpha", day3.GetProperty("diary").GetProperty("name").GetString());
        Assert.Equal(b.DiaryId, day3.GetProperty("diary").GetProperty("id").GetGuid());
        Assert.Equal("staff", day3.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, all[ids["day2"]].GetProperty("pet").ValueKind);
        Assert.Equal("portal", all[ids["day5"]].GetProperty("source").GetString());
        Assert.DoesNotContain(ids["bob"], all.Keys); // another client's appointment
    }

    [Fact]
    public async Task Each_list_stops_at_the_limit_and_says_more_exist()
    {
        var (b, emma, ids) = await EmmaAsync();

        var two = await (await b.Biz.Owner.GetAsync(Route(emma.Id, "?limit=2"))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([ids["day2"], ids["day3"]], Ids(two.GetProperty("upcoming")));
        Assert.True(two.GetProperty("moreUpcoming").GetBoolean());
        Assert.Equal([ids["day4"], ids["day-1"]], Ids(two.GetProperty("past")));
        Assert.True(two.GetProperty("morePast").GetBoolean());

        var three = await (await b.Biz.Owner.GetAsync(Route(emma.Id, "?limit=3"))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, three.GetProperty("upcoming").GetArrayLength());
        Assert.False(three.GetProperty("moreUpcoming").GetBoolean());
        Assert.False(three.GetProperty("morePast").GetBoolean());

        foreach (var bad in new[] { "0", "201", "abc", "-1" })
        {
            var problem = await (await b.Biz.Owner.GetAsync(Route(emma.Id, $"?limit={bad}"))).JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal("validation", problem.GetProperty("type").GetString()!.Split('/')[^1]);
            Assert.Equal(["limit"], problem.ErrorFields());
        }
    }

    [Fact]
    public async Task Another_businesss_client_a_missing_or_malformed_id_is_not_found_and_only_owners_and_admins_read()
    {
        var (b, emma, _) = await EmmaAsync();
        var other = await App.BookableAsync();

        foreach (var id in new[] { emma.Id.ToString(), Guid.NewGuid().ToString(), "not-an-id" })
        {
            var response = await other.Biz.Owner.GetAsync(Route(id));
            Assert.Equal("not-found", await response.KindAsync(HttpStatusCode.NotFound));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await App.NewClient().GetAsync(Route(emma.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await emma.Http.GetAsync(Route(emma.Id))).StatusCode); // a client's session is not staff

        // As GET /api/v1/admin/clients/{id}: a practitioner reads the diary only, even their own diary's client.
        const string password = "practitioner password long enough 2026";
        var email = $"pat-{Guid.NewGuid():N}@{b.Biz.Slug}.example";
        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Pat", email, password, role = "practitioner", diaryIds = new[] { b.DiaryId } })).JsonAsync(HttpStatusCode.Created);
        var pat = App.NewClient();
        await (await pat.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={b.Biz.Slug}", new { email, password })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("forbidden", await (await pat.GetAsync(Route(emma.Id))).KindAsync(HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.Forbidden, (await pat.GetAsync(new Uri($"/api/v1/admin/clients/{emma.Id}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task The_client_page_lists_upcoming_and_past_appointments_linked_to_the_diary_day_and_says_when_there_are_none()
    {
        var (b, emma, ids) = await EmmaAsync();

        var page = await b.Biz.Owner.PageAsync($"/staff/clients/{emma.Id}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Appointments", page.One("#appointments-heading")!.TextContent);
        Assert.Equal(
            [ids["day2"], ids["day3"], ids["day5"]],
            page.All("#appointments-upcoming > li").Select(li => Guid.Parse(li.Id!["appointment-".Length..])).ToList());
        Assert.Equal(
            [ids["day4"], ids["day-1"], ids["day-3"]],
            page.All("#appointments-past > li").Select(li => Guid.Parse(li.Id!["appointment-".Length..])).ToList());
        Assert.Equal("Past and cancelled", page.One("#appointments-past-heading")!.TextContent); // day4 is cancelled, not past

        var day3 = page.One($"#appointment-{ids["day3"]}")!;
        var when = day3.QuerySelector("a.appointment-when")!;
        var date = Day(3).ToString("dddd d MMMM yyyy", CultureInfo.GetCultureInfo("en-AU"));
        Assert.StartsWith($"{date}, 10:00–11:00 AM", when.TextContent, StringComparison.Ordinal); // the date once, AM once (AU: a 12-hour clock)
        Assert.Contains("–11:00 AM", when.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/staff/diary?date={Iso(Day(3))}&view=day&diary={b.DiaryId}", when.GetAttribute("href"));
        Assert.Equal($"/staff/diary/appointments/{ids["day3"]}", day3.QuerySelector("a.appointment-service")!.GetAttribute("href"));
        Assert.Equal("Consultation", day3.QuerySelector("a.appointment-service")!.TextContent);
        Assert.Equal("Dr Alpha", day3.QuerySelector(".appointment-diary")!.TextContent);
        Assert.Equal("Rex", day3.QuerySelector(".appointment-pet")!.TextContent);
        Assert.Equal("Confirmed", day3.QuerySelector(".status")!.TextContent);
        Assert.Equal("Requested, awaiting confirmation", page.One($"#appointment-{ids["day5"]} .status")!.TextContent);
        Assert.Contains("Client Portal", page.One($"#appointment-{ids["day5"]}")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Cancelled", page.One($"#appointment-{ids["day4"]} .status")!.TextContent);
        Assert.Equal("No-show", page.One($"#appointment-{ids["day-1"]} .status")!.TextContent);
        Assert.Null(page.One($"#appointment-{ids["bob"]}"));
        Assert.Null(page.One("#appointments-none"));

        // The diary day the link names shows the appointment.
        var diary = await b.Biz.Owner.PageAsync(when.GetAttribute("href")!);
        Assert.NotNull(diary.One($"a[href='/staff/diary/appointments/{ids["day3"]}']"));

        var fresh = await App.RegisterClientAsync(b.Biz, "Nora", "New");
        var empty = await b.Biz.Owner.PageAsync($"/staff/clients/{fresh.Id}");
        Assert.Equal(HttpStatusCode.OK, empty.Status);
        Assert.Equal("Nora New has no appointments yet.", empty.One("#appointments-none")!.TextContent);
        Assert.Empty(empty.All("#appointments li"));
    }
}
