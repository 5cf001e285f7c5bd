using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalAuth;

public sealed class AdminClientsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static async Task<JsonElement> ListAsync(HttpClient staff, string query) =>
        await (await staff.GetAsync(new Uri("/api/v1/admin/clients" + query, UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static List<string> Names(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList();

    [Fact]
    public async Task Search_matches_name_email_and_mobile_case_insensitively_and_pages_by_name()
    {
        var biz = await App.SignUpBusinessAsync("clients");
        var other = await App.SignUpBusinessAsync("clients");
        var zoe = await App.RegisterClientAsync(biz, "Zoe", "Adams");
        await App.RegisterClientAsync(biz, "Yann", "Baker");
        await App.RegisterClientAsync(biz, "Xena", "Carter");
        await App.RegisterClientAsync(other, "Zoe", "Elsewhere");

        Assert.Equal(["Zoe Adams"], Names(await ListAsync(biz.Owner, "?search=zOE")));
        Assert.Equal(["Yann Baker"], Names(await ListAsync(biz.Owner, "?search=BAKER")));
        Assert.Equal(["Xena Carter"], Names(await ListAsync(biz.Owner, "?search=Xena%20Car")));

        var detail = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{zoe.Id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var email = detail.GetProperty("email").GetString()!;
        var mobile = detail.GetProperty("mobile").GetString()!; // +61412xxxxxx
        Assert.Equal(["Zoe Adams"], Names(await ListAsync(biz.Owner, "?search=" + Uri.EscapeDataString(email.ToUpperInvariant()))));
        Assert.Equal(["Zoe Adams"], Names(await ListAsync(biz.Owner, "?search=" + Uri.EscapeDataString("0" + mobile[3..]))));
        Assert.Equal("active", detail.GetProperty("status").GetString());
        Assert.Empty(Names(await ListAsync(biz.Owner, "?search=elsewhere"))); // another business's client stays there
        Assert.Empty(Names(await ListAsync(biz.Owner, "?search=%25"))); // a wildcard is a literal character

        var first = await ListAsync(biz.Owner, "?limit=2");
        Assert.Equal(["Zoe Adams", "Yann Baker"], Names(first));
        var cursor = first.GetProperty("nextCursor").GetString()!;
        var second = await ListAsync(biz.Owner, "?limit=2&cursor=" + Uri.EscapeDataString(cursor));
        Assert.Equal(["Xena Carter"], Names(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        var bad = await biz.Owner.GetAsync(new Uri("/api/v1/admin/clients?cursor=not-a-cursor&limit=0", UriKind.Relative));
        var problem = await bad.JsonAsync(HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("cursor", fields);
        Assert.Contains("limit", fields);
    }

    [Fact]
    public async Task A_search_holding_a_NUL_character_is_a_validation_problem_in_the_API_and_on_the_page()
    {
        // PostgreSQL text cannot hold U+0000: the search reached the query and both answered 500.
        var biz = await App.SignUpBusinessAsync("clients");
        await App.RegisterClientAsync(biz, "Zoe", "Adams");

        var api = await biz.Owner.GetAsync(new Uri("/api/v1/admin/clients?search=Zoe%00", UriKind.Relative));
        await Booking.IntegrationTests.Platform.SignUpTests.AssertFieldErrors(api, "search");
        var page = await biz.Owner.GetAsync(new Uri("/staff/clients?search=Zoe%00", UriKind.Relative));
        var body = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)page.StatusCode}: {body}");
        Assert.Contains("NUL", body, StringComparison.Ordinal);
        // A page answers with the HTML error page in its own look, not the API's problem JSON.
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        foreach (var portal in new[] { $"/ol/book?name={biz.Slug}%00", $"/ol/new-booking?name={biz.Slug}&service=%00" })
        {
            var visit = await App.NewClient().GetAsync(new Uri(portal, UriKind.Relative));
            var html = await visit.Content.ReadAsStringAsync();
            Assert.True(visit.StatusCode == HttpStatusCode.BadRequest, $"{portal}: expected 400, got {(int)visit.StatusCode}: {html}");
            Assert.Equal("text/html", visit.Content.Headers.ContentType?.MediaType);
            Assert.Contains("NUL character", html, StringComparison.Ordinal);
        }


        // Only the NUL is refused: the same search without it, and an escaped percent sign, still answer.
        Assert.Equal(["Zoe Adams"], Names(await ListAsync(biz.Owner, "?search=Zoe")));
        Assert.Empty(Names(await ListAsync(biz.Owner, "?search=%2500")));
        Assert.Equal(HttpStatusCode.OK, (await biz.Owner.GetAsync(new Uri("/staff/clients?search=Zoe", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Another_businesss_client_and_a_malformed_id_are_not_found()
    {
        var biz = await App.SignUpBusinessAsync("clients");
        var other = await App.SignUpBusinessAsync("clients");
        var theirs = await App.RegisterClientAsync(other, "Theo");

        foreach (var id in new[] { theirs.Id.ToString(), "not-an-id" })
        {
            Assert.Equal("not-found", await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{id}", UriKind.Relative))).KindAsync(HttpStatusCode.NotFound));
            Assert.Equal("not-found", await (await biz.Owner.PostAsync(new Uri($"/api/v1/admin/clients/{id}/approve", UriKind.Relative), null)).KindAsync(HttpStatusCode.NotFound));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await App.NewClient().GetAsync(new Uri("/api/v1/admin/clients", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await theirs.Http.GetAsync(new Uri("/api/v1/admin/clients", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Owners_approve_a_pending_client_practitioners_may_not_read_clients_and_approved_clients_book_without_a_request()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var nina = await App.RegisterClientAsync(b.Biz, "Nina");
        var practitioner = await Booking.IntegrationTests.Setup.Staff.SignInPractitionerAsync(App, b.Biz);

        // A practitioner reads the diary only (decision 113): not the client list, not a client.
        Assert.Equal("forbidden", await (await practitioner.GetAsync(new Uri("/api/v1/admin/clients?search=nina", UriKind.Relative))).KindAsync(HttpStatusCode.Forbidden));
        var listed = Assert.Single((await ListAsync(b.Biz.Owner, "?search=nina")).GetProperty("items").EnumerateArray());
        Assert.Equal("pending-approval", listed.GetProperty("status").GetString());
        Assert.Equal("requested", (await (await nina.BookAsync(b, At(Day(4), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("status").GetString());

        Assert.Equal("forbidden", await (await practitioner.PostAsync(new Uri($"/api/v1/admin/clients/{nina.Id}/approve", UriKind.Relative), null)).KindAsync(HttpStatusCode.Forbidden));
        Assert.Equal("forbidden", await (await practitioner.GetAsync(new Uri($"/api/v1/admin/clients/{nina.Id}", UriKind.Relative))).KindAsync(HttpStatusCode.Forbidden));
        var stillPending = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{nina.Id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("pending-approval", stillPending.GetProperty("status").GetString());

        var approved = await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/clients/{nina.Id}/approve", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", approved.GetProperty("status").GetString());
        var again = await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/clients/{nina.Id}/approve", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", again.GetProperty("status").GetString());

        Assert.Equal("confirmed", (await (await nina.BookAsync(b, At(Day(4), 14))).JsonAsync(HttpStatusCode.Created)).GetProperty("status").GetString());
    }

    /// <summary>
    /// A client's createdAt carries the business's offset by NodaTime's tzdb, as every other answer, not the OS's zone
    /// files (house rule 8). They can disagree: this machine's tzdata may predate a zone's new rules (tzdb 2026f keeps
    /// America/Vancouver on -07:00 through the winter of 2027; Debian's 2025b still says -08:00).
    /// </summary>
    [Fact]
    public async Task A_client_s_created_at_carries_the_business_s_offset_by_tzdb_in_the_list_and_the_client()
    {
        var biz = await App.SignUpBusinessAsync("clients-tzdb", "America/Vancouver", "AU"); // AU: the test client's mobile is Australian
        var vera = await App.RegisterClientAsync(biz, "Vera", "Winter");
        var created = NodaTime.Instant.FromUtc(2027, 1, 15, 20, 0);
        await Sql.AdminExecAsync(App.Database.Database, "update portalauth.clients set created_at = @c where id = @i", ("c", created.ToDateTimeOffset()), ("i", vera.Id));
        var expected = created.InZone(NodaTime.DateTimeZoneProviders.Tzdb["America/Vancouver"]).ToDateTimeOffset();

        var detail = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{vera.Id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var listed = Assert.Single((await ListAsync(biz.Owner, "?search=Winter")).GetProperty("items").EnumerateArray());
        foreach (var answer in new[] { detail, listed })
        {
            var createdAt = answer.GetProperty("createdAt").GetDateTimeOffset();
            Assert.Equal(expected, createdAt);
            Assert.Equal(expected.Offset, createdAt.Offset);
        }
    }
}
