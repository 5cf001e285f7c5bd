using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.Appointments.Data.Migrations;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Npgsql;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// An appointment that no longer holds its time says how it ended (`ended`): a booking request the client withdrew
/// reads "withdrawn", one staff declined "declined", one staff cancelled "request-cancelled", and a booked appointment
/// cancelled still reads "cancelled", in the portal's answers and pages and in staff's answers and pages. The portal's
/// `status` keeps API.md's words (a declined request is `cancelled` there).
/// </summary>
public sealed class AppointmentEndingTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static async Task<Guid> RequestAsync(PortalClient client, Bookable b, string start)
    {
        var requested = await (await client.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
        return requested.GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> PastItemAsync(PortalClient client, string slug, Guid id)
    {
        var past = await (await client.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={slug}&when=past", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        return past.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id);
    }

    private static async Task<JsonElement> StaffAsync(TestBusiness biz, Guid id) =>
        await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    /// <summary>The status the client's one past item says on My appointments.</summary>
    private static async Task<string> PortalStatusTextAsync(PortalClient client, string slug)
    {
        var page = await client.Http.PageAsync($"/ol/appointments?name={slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var item = Assert.Single(page.All("section[aria-labelledby=past] li.appointment"));
        return item.QuerySelector(".status")!.TextContent.Trim();
    }

    private static async Task<string> StaffStatusTextAsync(TestBusiness biz, Guid id)
    {
        var page = await biz.Owner.PageAsync($"/staff/diary/appointments/{id}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return page.One(".facts .status")!.TextContent.Trim();
    }

    [Fact]
    public async Task A_withdrawn_request_reads_withdrawn_for_the_client_and_for_staff_and_the_requests_page_says_so()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var client = await App.RegisterClientAsync(b.Biz, "Wendy", "Withdraw");
        var slug = b.Biz.Slug;
        var day = Day(4);
        var id = await RequestAsync(client, b, At(day, 10));
        // Staff open the Requests page while it waits; the client withdraws it before they press Decline.
        var requests = await b.Biz.Owner.PageAsync("/staff/requests");

        var withdrawn = await (await client.Http.CancelAsync(slug, id, "Found another time")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", withdrawn.GetProperty("status").GetString());
        Assert.Equal("withdrawn", withdrawn.GetProperty("ended").GetString());

        // The portal: the past list's answer and page, the appointment's own answer, the Booked and Cancel pages.
        var item = await PastItemAsync(client, slug, id);
        Assert.Equal("cancelled", item.GetProperty("status").GetString());
        Assert.Equal("withdrawn", item.GetProperty("ended").GetString());
        var one = await (await client.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("withdrawn", one.GetProperty("ended").GetString());
        Assert.Equal("Request withdrawn", await PortalStatusTextAsync(client, slug));
        var booked = await client.Http.PageAsync($"/ol/booked?name={slug}&id={id}");
        Assert.Equal("Booking request withdrawn", booked.One("h1")?.TextContent.Trim());
        Assert.DoesNotContain("cancelled", booked.One("main")!.TextContent, StringComparison.OrdinalIgnoreCase);
        var cancel = await client.Http.PageAsync($"/ol/cancel?name={slug}&id={id}");
        Assert.Equal("Withdraw a booking request", cancel.One("h1")?.TextContent.Trim());
        Assert.Contains("You have already withdrawn this booking request", cancel.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("already cancelled", cancel.Text, StringComparison.Ordinal);

        // Staff: the appointment, the diary and the client's appointments answer it; the pages say it.
        Assert.Equal("withdrawn", (await StaffAsync(b.Biz, id)).GetProperty("ended").GetString());
        var diary = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(day)}&to={Iso(day)}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("withdrawn", diary.GetProperty("appointments").EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == id).GetProperty("ended").GetString());
        var theirs = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{client.Id}/appointments", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("withdrawn", Assert.Single(theirs.GetProperty("past").EnumerateArray()).GetProperty("ended").GetString());
        Assert.Equal("Request withdrawn by the client", await StaffStatusTextAsync(b.Biz, id));
        var clientPage = await b.Biz.Owner.PageAsync($"/staff/clients/{client.Id}");
        Assert.Equal("Request withdrawn by the client", clientPage.One($"#appointment-{id} .status")?.TextContent.Trim());
        var diaryPage = await b.Biz.Owner.PageAsync($"/staff/diary?date={Iso(day)}&view=day");
        Assert.Contains("Request withdrawn by the client", diaryPage.One(".diary-entry.appointment .status")?.TextContent, StringComparison.Ordinal);

        // The Requests page's Decline, pressed after the withdrawal, says what happened rather than "already decided".
        Assert.NotNull(requests.One($"form.decline-form #decline-{id}"));
        var pressed = await b.Biz.Owner.SubmitAsync(requests, PortalHtml.Fields(("reason", "")), "form.decline-form");
        Assert.Equal(HttpStatusCode.Redirect, pressed.Status);
        var after = await b.Biz.Owner.PageAsync(pressed.Response.Headers.Location!.OriginalString);
        var notice = after.One("p.notice")?.TextContent.Trim() ?? "";
        Assert.StartsWith("Wendy Withdraw withdrew their booking request on ", notice, StringComparison.Ordinal);
        Assert.EndsWith(", before it was decided; nothing was booked.", notice, StringComparison.Ordinal);
        // The API answers the same: 409 request-withdrawn, in the same words.
        var problem = await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{id}/accept", UriKind.Relative), null)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("booking", problem.GetProperty("request").GetString());
        Assert.Equal(notice, problem.GetProperty("detail").GetString());
        Assert.Equal("withdrawn", (await StaffAsync(b.Biz, id)).GetProperty("ended").GetString());
    }

    [Fact]
    public async Task A_declined_request_reads_declined_and_a_request_staff_cancelled_reads_so()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var dora = await App.RegisterClientAsync(b.Biz, "Dora", "Declined");
        var slug = b.Biz.Slug;
        var id = await RequestAsync(dora, b, At(Day(4), 10));

        var decided = await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{id}/decline", new { reason = "Fully booked" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("declined", decided.GetProperty("appointment").GetProperty("status").GetString());
        Assert.Equal("declined", decided.GetProperty("appointment").GetProperty("ended").GetString());

        var item = await PastItemAsync(dora, slug, id);
        Assert.Equal("cancelled", item.GetProperty("status").GetString()); // API.md's portal statuses have no "declined"
        Assert.Equal("declined", item.GetProperty("ended").GetString());
        Assert.Equal("Request declined", await PortalStatusTextAsync(dora, slug));
        Assert.Equal("Booking request declined", (await dora.Http.PageAsync($"/ol/booked?name={slug}&id={id}")).One("h1")?.TextContent.Trim());
        Assert.Equal("Request declined", await StaffStatusTextAsync(b.Biz, id));
        Assert.Equal("Reason for declining", (await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}")).All(".facts dt").Last().TextContent.Trim());

        // Staff cancel a waiting request from the diary: nothing was booked, and the business did it.
        var sam = await App.RegisterClientAsync(b.Biz, "Sam", "Staffcancel");
        var other = await RequestAsync(sam, b, At(Day(5), 10));
        var cancelled = await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{other}/cancel", new { reason = "" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("request-cancelled", cancelled.GetProperty("ended").GetString());
        Assert.Equal("request-cancelled", (await PastItemAsync(sam, slug, other)).GetProperty("ended").GetString());
        Assert.Equal("Request cancelled by the business", await PortalStatusTextAsync(sam, slug));
        Assert.Equal("Request cancelled by staff", await StaffStatusTextAsync(b.Biz, other));
    }

    [Fact]
    public async Task A_confirmed_appointment_cancelled_still_reads_cancelled_and_the_database_refuses_a_release_without_its_ending()
    {
        var b = await App.BookableAsync();
        var carl = await App.RegisterClientAsync(b.Biz, "Carl", "Cancel");
        var slug = b.Biz.Slug;
        var booked = await (await carl.BookAsync(b, At(Day(4), 10))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("confirmed", booked.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, booked.GetProperty("ended").ValueKind);
        var id = booked.GetProperty("id").GetGuid();

        var cancelled = await (await carl.Http.CancelAsync(slug, id)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("ended").GetString());
        Assert.Equal("cancelled", (await PastItemAsync(carl, slug, id)).GetProperty("ended").GetString());
        Assert.Equal("Cancelled", await PortalStatusTextAsync(carl, slug));
        Assert.Equal("Appointment cancelled", (await carl.Http.PageAsync($"/ol/booked?name={slug}&id={id}")).One("h1")?.TextContent.Trim());
        Assert.Equal("Cancelled", await StaffStatusTextAsync(b.Biz, id));

        // A staff booking cancelled by staff reads cancelled too.
        var staffMade = (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = carl.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(5), 10) })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Assert.Equal("cancelled", (await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{staffMade}/cancel", new { reason = "" }))
            .JsonAsync(HttpStatusCode.OK)).GetProperty("ended").GetString());

        // The database holds it by itself: a release without its ending, or an ending on a live one, is refused.
        var database = App.Database.Database;
        foreach (var change in new[] { "status = 'cancelled', ended = NULL", "status = 'confirmed'", "status = 'declined', ended = 'withdrawn'" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => Sql.AdminExecAsync(database,
                $"UPDATE appointments.appointments SET {change} WHERE id = @id", ("id", id)));
            Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
        }
    }

    [Fact]
    public async Task The_migration_fills_in_how_earlier_rows_ended_from_the_outbox()
    {
        var b = await App.BookableAsync();
        var slug = b.Biz.Slug;
        var carl = await App.RegisterClientAsync(b.Biz, "Carl", "Confirmed");
        var cancelledBooking = (await (await carl.BookAsync(b, At(Day(4), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await carl.Http.CancelAsync(slug, cancelledBooking)).JsonAsync(HttpStatusCode.OK);

        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var nina = await App.RegisterClientAsync(b.Biz, "Nina", "New");
        var withdrawn = await RequestAsync(nina, b, At(Day(5), 10));
        await (await nina.Http.CancelAsync(slug, withdrawn)).JsonAsync(HttpStatusCode.OK);
        var staffCancelled = await RequestAsync(nina, b, At(Day(6), 10));
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{staffCancelled}/cancel", new { reason = "" })).JsonAsync(HttpStatusCode.OK);
        var declined = await RequestAsync(nina, b, At(Day(7), 10));
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{declined}/decline", new { reason = "" })).JsonAsync(HttpStatusCode.OK);
        // Accepted, then cancelled by the client: it was booked, so it reads cancelled.
        var acceptedThenCancelled = await RequestAsync(nina, b, At(Day(8), 10));
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{acceptedThenCancelled}/accept", new { })).JsonAsync(HttpStatusCode.OK);
        await (await nina.Http.CancelAsync(slug, acceptedThenCancelled)).JsonAsync(HttpStatusCode.OK);

        // As the rows stood before the column: no ending. The migration's own statement fills them in; nothing is kept.
        var admin = new NpgsqlConnectionStringBuilder(await TestDatabaseServer.AdminConnectionStringAsync()) { Database = App.Database.Database };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        async Task ExecAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.AddWithValue("t", b.Biz.Id);
            await command.ExecuteNonQueryAsync();
        }

        await ExecAsync("ALTER TABLE appointments.appointments DROP CONSTRAINT ck_appointments_ended");
        await ExecAsync("UPDATE appointments.appointments SET ended = NULL WHERE tenant_id = @t");
        await ExecAsync(AppointmentEndings.Backfill);
        var ended = new Dictionary<Guid, string?>();
        await using (var read = new NpgsqlCommand("SELECT id, ended FROM appointments.appointments WHERE tenant_id = @t", connection, transaction))
        {
            read.Parameters.AddWithValue("t", b.Biz.Id);
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ended[reader.GetGuid(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
            }
        }

        await transaction.RollbackAsync();
        Assert.Equal("cancelled", ended[cancelledBooking]);
        Assert.Equal("withdrawn", ended[withdrawn]);
        Assert.Equal("request-cancelled", ended[staffCancelled]);
        Assert.Equal("declined", ended[declined]);
        Assert.Equal("cancelled", ended[acceptedThenCancelled]);
    }
}
