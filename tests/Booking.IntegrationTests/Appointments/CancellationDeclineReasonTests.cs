using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// The reason staff give declining a client's cancellation request (decision 286) is stored, not only emailed: the staff
/// answer's <c>cancellationRequest.reason</c> and the appointment page say it, and the client sees it on the portal
/// (<c>cancellationDeclinedReason</c>, My appointments, the appointment's cancel page). A decline without a reason and an
/// accepted request have none.
/// </summary>
public sealed class CancellationDeclineReasonTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Reason = "We need you there: the <vet> is only in that day";

    private BookingApp App => shared.App;

    private static async Task<Guid> BookAndAskToCancelAsync(PortalClient client, Bookable b, string start)
    {
        var booked = await (await client.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("confirmed", booked.GetProperty("status").GetString());
        var id = booked.GetProperty("id").GetGuid();
        await (await client.Http.CancelAsync(b.Biz.Slug, id, "Clash at work")).JsonAsync(HttpStatusCode.Accepted);
        return id;
    }

    private static async Task<JsonElement> PortalReadAsync(PortalClient client, Bookable b, Guid id) =>
        await (await client.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static async Task<JsonElement> StaffReadAsync(Bookable b, Guid id) =>
        await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task A_declined_cancellation_requests_reason_is_stored_and_shown_to_staff_and_to_the_client()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s =>
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Two days' notice, please.", ["insideWindow"] = "request" });
        var cara = await App.RegisterClientAsync(b.Biz, "Cara", "Keeps");
        var kept = await BookAndAskToCancelAsync(cara, b, At(Day(1), 10));
        var keptQuietly = await BookAndAskToCancelAsync(cara, b, At(Day(1), 13));
        var accepted = await BookAndAskToCancelAsync(cara, b, At(Day(1), 15));

        // Waiting: nothing to show yet.
        Assert.Equal(JsonValueKind.Null, (await PortalReadAsync(cara, b, kept)).GetProperty("cancellationDeclinedReason").ValueKind);

        var decided = await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{kept}/decline?request=cancellation", new { reason = "  " + Reason + " " }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(Reason, decided.GetProperty("appointment").GetProperty("cancellationRequest").GetProperty("reason").GetString());
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{keptQuietly}/decline?request=cancellation", new { reason = (string?)null })).JsonAsync(HttpStatusCode.OK);
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{accepted}/accept?request=cancellation", new { })).JsonAsync(HttpStatusCode.OK);

        // Stored beside who decided it, trimmed as the email had it; none for the others.
        async Task<string?> StoredAsync(Guid id) => await Sql.AdminScalarAsync<string>(App.Database.Database,
            "select cancellation_decline_reason from appointments.appointments where id = @id", ("id", id));
        Assert.Equal(Reason, await StoredAsync(kept));
        Assert.Null(await StoredAsync(keptQuietly));
        Assert.Null(await StoredAsync(accepted));

        // Staff: the answer and the appointment page.
        var staff = (await StaffReadAsync(b, kept)).GetProperty("cancellationRequest");
        Assert.Equal("declined", staff.GetProperty("decision").GetString());
        Assert.Equal(Reason, staff.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, (await StaffReadAsync(b, keptQuietly)).GetProperty("cancellationRequest").GetProperty("reason").ValueKind);
        var line = (await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{kept}")).One("#cancellation-request")?.TextContent;
        Assert.Contains(", declined by Olive Owner on ", line, StringComparison.Ordinal);
        Assert.EndsWith(" — the appointment stands. Reason given to the client: " + Reason, line, StringComparison.Ordinal);
        var quietLine = (await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{keptQuietly}")).One("#cancellation-request")?.TextContent;
        Assert.EndsWith(" — the appointment stands", quietLine, StringComparison.Ordinal);

        // The client: the API's additive field, My appointments and the appointment's own page.
        Assert.Equal(Reason, (await PortalReadAsync(cara, b, kept)).GetProperty("cancellationDeclinedReason").GetString());
        Assert.Equal(JsonValueKind.Null, (await PortalReadAsync(cara, b, keptQuietly)).GetProperty("cancellationDeclinedReason").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await PortalReadAsync(cara, b, accepted)).GetProperty("cancellationDeclinedReason").ValueKind);
        var listed = (await (await cara.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == kept);
        Assert.Equal(Reason, listed.GetProperty("cancellationDeclinedReason").GetString());

        var list = await cara.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Equal($"Business {b.Biz.Slug} kept this appointment when you asked to cancel it. Their reason: {Reason}",
            list.One($"#appointment-{kept} .cancellation-declined-reason")?.TextContent.Trim());
        Assert.Null(list.One($"#appointment-{keptQuietly} .cancellation-declined-reason"));
        Assert.NotNull(list.One($"#appointment-{keptQuietly} .kept"));
        var cancelPage = await cara.Http.PageAsync($"/ol/cancel?name={b.Biz.Slug}&id={kept}");
        Assert.Equal($"Their reason: {Reason}", cancelPage.One("#cancellation-declined-reason")?.TextContent.Trim());
    }
}
