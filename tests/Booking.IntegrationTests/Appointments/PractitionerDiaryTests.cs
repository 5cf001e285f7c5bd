using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Setup;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// A practitioner reads only the diaries of their current diaryIds: the diary, one appointment by id and the diary
/// page. Another diary's id answers as a missing one. Everything else (requests, clients, diary setup) is forbidden to
/// them (API.md: "a practitioner reads the diary only"; decision 113). Owners see everything.
/// </summary>
public sealed class PractitionerDiaryTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Password = "practitioner password long enough 2026";

    private BookingApp App => shared.App;

    /// <summary>Diaries A (Dr Alpha) and B (Dr Beta), each with an appointment, a busy block and an open booking request on <see cref="Day"/>.</summary>
    private sealed record TwoDiaries(
        Bookable B, Guid DiaryA, Guid DiaryB, LocalDate Day, Guid AppointmentA, Guid AppointmentB, Guid RequestA, Guid RequestB)
    {
        /// <summary>Everything the diary lists of A (the request is an appointment too), in id order.</summary>
        public Guid[] InA => new[] { AppointmentA, RequestA }.Order().ToArray();

        public Guid[] InB => new[] { AppointmentB, RequestB }.Order().ToArray();
    }

    private async Task<TwoDiaries> TwoDiariesAsync()
    {
        var b = await App.BookableAsync();
        var diaryB = await b.Biz.DiaryAsync("Dr Beta");
        await b.Biz.RosterEveryDayAsync(diaryB, "00:00", "23:30");
        var service = await b.Biz.ServiceAsync("Shared", 60, 0, [b.DiaryId, diaryB]);
        var alice = await App.RegisterClientAsync(b.Biz);
        var bob = await App.RegisterClientAsync(b.Biz, "Bob", "Betaclient");
        var day = Day(5);

        async Task<Guid> BookAsync(Guid diary, Guid client, string note) =>
            (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
                new { clientId = client, serviceId = service, diaryId = diary, start = At(day, 10), petId = (Guid?)null, note }))
                .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var appointmentA = await BookAsync(b.DiaryId, alice.Id, "Alpha note");
        var appointmentB = await BookAsync(diaryB, bob.Id, "Beta secret note");
        foreach (var (diary, note) in new[] { (b.DiaryId, "Alpha block"), (diaryB, "Beta block") })
        {
            await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/busy-blocks",
                new { diaryId = diary, start = At(day, 12), end = At(day, 13), note })).JsonAsync(HttpStatusCode.Created);
        }

        async Task<Guid> RequestAsync(Guid diary, Guid client)
        {
            var id = Guid.NewGuid();
            await Sql.AdminExecAsync(App.Database.Database, """
                INSERT INTO appointments.appointments (tenant_id, id, client_id, diary_id, service_id, start_at, end_at, blocked_until,
                                                       status, source, created_at, updated_at)
                VALUES (@t, @id, @c, @d, @s, @start, @end, @end, 'requested', 'portal', now(), now())
                """,
                ("t", b.Biz.Id), ("id", id), ("c", client), ("d", diary), ("s", service),
                ("start", DateTimeOffset.Parse(At(day, 15), null).ToUniversalTime()), ("end", DateTimeOffset.Parse(At(day, 16), null).ToUniversalTime()));
            return id;
        }

        return new TwoDiaries(b, b.DiaryId, diaryB, day, appointmentA, appointmentB, await RequestAsync(b.DiaryId, alice.Id), await RequestAsync(diaryB, bob.Id));
    }

    /// <summary>A practitioner made through the staff API with these diaries, signed in through the real route.</summary>
    private async Task<(HttpClient Http, Guid Id, string Email)> PractitionerAsync(TestBusiness biz, params Guid[] diaryIds)
    {
        var email = $"pat-{Guid.NewGuid():N}@{biz.Slug}.example";
        var created = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Pat Practitioner", email, password = Password, role = "practitioner", diaryIds })).JsonAsync(HttpStatusCode.Created);
        var http = App.NewClient();
        await (await http.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email, password = Password })).JsonAsync(HttpStatusCode.OK);
        return (http, created.GetProperty("id").GetGuid(), email);
    }

    private static async Task<JsonElement> DiaryAsync(HttpClient staff, LocalDate day, Guid? diaryId = null) =>
        await (await staff.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(day)}&to={Iso(day.PlusDays(1))}"
            + (diaryId is { } id ? $"&diaryId={id}" : ""), UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static List<Guid> Ids(JsonElement diary, string list) =>
        diary.GetProperty(list).EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).Order().ToList();

    private static List<Guid> DiaryIdsOf(JsonElement diary, string list) =>
        diary.GetProperty(list).EnumerateArray().Select(e => e.GetProperty("diaryId").GetGuid()).Distinct().ToList();

    /// <summary>A 404 problem's body without what differs per request, to show two answers are alike.</summary>
    private static async Task<string> NotFoundAsync(HttpClient staff, string url)
    {
        var response = await staff.GetAsync(new Uri(url, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url}: expected 404, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!.AsObject();
        foreach (var varying in new[] { "traceId", "requestId", "instance" })
        {
            body.Remove(varying);
        }

        return body.ToJsonString();
    }

    [Fact]
    public async Task A_practitioner_reads_only_their_diaries_and_another_diarys_ids_answer_like_missing_ones()
    {
        var t = await TwoDiariesAsync();
        var (pat, _, _) = await PractitionerAsync(t.B.Biz, t.DiaryA);
        var other = await App.BookableAsync(); // another business's diary and appointment

        var all = await DiaryAsync(pat, t.Day);
        Assert.Equal(t.InA, Ids(all, "appointments"));
        Assert.Equal([t.DiaryA], DiaryIdsOf(all, "busyBlocks"));
        Assert.DoesNotContain("Beta", all.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Bob", all.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(t.InA, Ids(await DiaryAsync(pat, t.Day, t.DiaryA), "appointments"));

        // Diary B, a diary of no business and another business's diary: the same answer.
        var range = $"/api/v1/admin/diary?from={Iso(t.Day)}&to={Iso(t.Day)}&diaryId=";
        var notAssigned = await NotFoundAsync(pat, range + t.DiaryB);
        Assert.Equal(await NotFoundAsync(pat, range + Guid.NewGuid()), notAssigned);
        Assert.Equal(await NotFoundAsync(pat, range + other.DiaryId), notAssigned);

        // One appointment by id: A's reads, B's is not found like a missing id.
        var one = await (await pat.GetAsync(new Uri($"/api/v1/admin/appointments/{t.AppointmentA}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Alpha note", one.GetProperty("note").GetString());
        Assert.Equal(
            await NotFoundAsync(pat, $"/api/v1/admin/appointments/{Guid.NewGuid()}"),
            await NotFoundAsync(pat, $"/api/v1/admin/appointments/{t.AppointmentB}"));

        // Requests are not the diary: forbidden (decision 113).
        Assert.Equal("forbidden", await (await pat.GetAsync(new Uri("/api/v1/admin/requests", UriKind.Relative))).KindAsync(HttpStatusCode.Forbidden));

        // The owner sees both diaries, B's appointment and both requests.
        var owner = await DiaryAsync(t.B.Biz.Owner, t.Day);
        Assert.Equal(t.InA.Concat(t.InB).Order(), Ids(owner, "appointments"));
        Assert.Equal(new[] { t.DiaryA, t.DiaryB }.Order(), DiaryIdsOf(owner, "busyBlocks").Order());
        Assert.Equal(t.InB, Ids(await DiaryAsync(t.B.Biz.Owner, t.Day, t.DiaryB), "appointments"));
        await (await t.B.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{t.AppointmentB}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var ownerRequests = await (await t.B.Biz.Owner.GetAsync(new Uri("/api/v1/admin/requests", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, ownerRequests.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Changing_a_practitioners_diaries_counts_from_their_next_request_without_signing_in_again()
    {
        var t = await TwoDiariesAsync();
        var (pat, id, email) = await PractitionerAsync(t.B.Biz, t.DiaryA);
        Assert.Equal(t.InA, Ids(await DiaryAsync(pat, t.Day), "appointments"));

        async Task AssignAsync(params Guid[] diaryIds) =>
            await (await t.B.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{id}",
                new { name = "Pat Practitioner", email, role = "practitioner", diaryIds })).JsonAsync(HttpStatusCode.OK);

        await AssignAsync(t.DiaryB);
        var moved = await DiaryAsync(pat, t.Day);
        Assert.Equal(t.InB, Ids(moved, "appointments"));
        Assert.Equal([t.DiaryB], DiaryIdsOf(moved, "busyBlocks"));
        Assert.Equal(HttpStatusCode.NotFound, (await pat.GetAsync(new Uri($"/api/v1/admin/appointments/{t.AppointmentA}", UriKind.Relative))).StatusCode);
        await (await pat.GetAsync(new Uri($"/api/v1/admin/appointments/{t.AppointmentB}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

        // A diary made inactive still reads for the practitioner it is assigned to, as it does for owners (its history).
        await (await t.B.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{t.DiaryB}",
            new { name = "Dr Beta", contactEmail = "diary@test.example", active = false })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(t.InB, Ids(await DiaryAsync(pat, t.Day, t.DiaryB), "appointments"));

        await AssignAsync();
        var none = await DiaryAsync(pat, t.Day);
        Assert.Empty(Ids(none, "appointments"));
        Assert.Empty(Ids(none, "busyBlocks"));
        Assert.Equal(HttpStatusCode.NotFound, (await pat.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(t.Day)}&to={Iso(t.Day)}&diaryId={t.DiaryB}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_practitioner_with_no_diaries_reads_no_appointments_busy_blocks_or_requests()
    {
        var t = await TwoDiariesAsync();
        var (pat, _, _) = await PractitionerAsync(t.B.Biz);

        var diary = await DiaryAsync(pat, t.Day);
        Assert.Empty(Ids(diary, "appointments"));
        Assert.Empty(Ids(diary, "busyBlocks"));
        foreach (var appointment in new[] { t.AppointmentA, t.AppointmentB })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await pat.GetAsync(new Uri($"/api/v1/admin/appointments/{appointment}", UriKind.Relative))).StatusCode);
        }

    }

    [Fact]
    public async Task A_practitioner_reads_the_diary_only_and_every_other_staff_read_is_forbidden()
    {
        var t = await TwoDiariesAsync();
        var (pat, _, _) = await PractitionerAsync(t.B.Biz, t.DiaryA);
        Assert.NotEmpty(Ids(await DiaryAsync(pat, t.Day), "appointments"));

        string[] reads =
        [
            "/api/v1/admin/requests", "/api/v1/admin/clients", $"/api/v1/admin/clients/{Guid.NewGuid()}",
            "/api/v1/admin/diaries", $"/api/v1/admin/diaries/{t.DiaryA}", $"/api/v1/admin/diaries/{t.DiaryA}/roster",
            $"/api/v1/admin/diaries/{t.DiaryA}/exceptions", "/api/v1/admin/services", "/api/v1/admin/staff",
            "/api/v1/admin/portal-settings", "/api/v1/admin/messages", "/api/v1/admin/templates", "/api/v1/admin/booking-rules",
            "/api/v1/admin/notification-settings",
        ];
        foreach (var url in reads)
        {
            var answer = await pat.GetAsync(new Uri(url, UriKind.Relative));
            Assert.True(answer.StatusCode == HttpStatusCode.Forbidden, $"{url} answered {(int)answer.StatusCode} to a practitioner");
            Assert.Equal("forbidden", await answer.KindAsync(HttpStatusCode.Forbidden));
            Assert.Equal(HttpStatusCode.OK, (await t.B.Biz.Owner.GetAsync(new Uri(url.Contains("/clients/", StringComparison.Ordinal) ? "/api/v1/admin/clients" : url, UriKind.Relative))).StatusCode);
        }

        // The pages say so too, and the menu offers only the diary.
        foreach (var page in new[] { "/staff/requests", "/staff/clients", $"/staff/clients/{Guid.NewGuid()}" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await pat.GetAsync(new Uri(page, UriKind.Relative))).StatusCode);
        }

        var diaryPage = await new HtmlParser().ParseDocumentAsync(await pat.GetStringAsync(new Uri($"/staff/diary?date={Iso(t.Day)}&view=day", UriKind.Relative)));
        Assert.Equal(["/staff/diary"], diaryPage.QuerySelectorAll("nav[aria-label=Main] a").Select(a => a.GetAttribute("href")).ToList());
        var appointment = await new HtmlParser().ParseDocumentAsync(await pat.GetStringAsync(new Uri($"/staff/diary/appointments/{t.AppointmentA}", UriKind.Relative)));
        Assert.Empty(appointment.QuerySelectorAll("main a[href^='/staff/clients']"));
    }

    [Fact]
    public async Task The_diary_pages_show_a_practitioner_only_their_diaries_and_say_so_when_they_have_none()
    {
        var t = await TwoDiariesAsync();
        var (pat, _, _) = await PractitionerAsync(t.B.Biz, t.DiaryA);
        var linkA = $"/staff/diary/appointments/{t.AppointmentA}";
        var linkB = $"/staff/diary/appointments/{t.AppointmentB}";

        foreach (var page in new[] { $"/staff/diary?date={Iso(t.Day)}&view=day", $"/staff/diary?date={Iso(t.Day)}&view=week" })
        {
            var html = await pat.GetStringAsync(new Uri(page, UriKind.Relative));
            var picker = (await new HtmlParser().ParseDocumentAsync(html)).QuerySelectorAll("select#diary option")
                .Select(o => o.GetAttribute("value") ?? "").ToList();
            Assert.Equal(new[] { "", t.DiaryA.ToString() }, picker);
            Assert.Contains(linkA, html, StringComparison.Ordinal);
            Assert.DoesNotContain(linkB, html, StringComparison.Ordinal);
            Assert.DoesNotContain("Dr Beta", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Beta block", html, StringComparison.Ordinal);
        }

        // Asking for diary B shows the practitioner's own diaries, as an unknown diary does.
        var asked = await pat.GetStringAsync(new Uri($"/staff/diary?date={Iso(t.Day)}&view=day&diary={t.DiaryB}", UriKind.Relative));
        Assert.Contains(linkA, asked, StringComparison.Ordinal);
        Assert.DoesNotContain(linkB, asked, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await pat.GetAsync(new Uri(linkB, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pat.GetAsync(new Uri(linkA, UriKind.Relative))).StatusCode);

        var ownerPage = await t.B.Biz.Owner.GetStringAsync(new Uri($"/staff/diary?date={Iso(t.Day)}&view=day", UriKind.Relative));
        Assert.Contains(linkA, ownerPage, StringComparison.Ordinal);
        Assert.Contains(linkB, ownerPage, StringComparison.Ordinal);

        var (nobody, _, _) = await PractitionerAsync(t.B.Biz);
        var empty = await nobody.GetAsync(new Uri($"/staff/diary?date={Iso(t.Day)}&view=day", UriKind.Relative));
        var emptyHtml = await empty.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("You have no diaries assigned; ask an owner or admin", emptyHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("/staff/diary/appointments/", emptyHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("Dr Alpha", emptyHtml, StringComparison.Ordinal);
    }
}
