using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// The request queue tells staff everything they need (session 34, decision 276): who accepted or declined a booking or
/// cancellation request, and when, on the appointment page, the client page and the staff answers; busy time put over a
/// waiting booking request is flagged and accepted only once confirmed (alone or with outside-hours); a staff booking can
/// never overlap a waiting request; each card says who the client is, new or returning, and how to reach them.
/// </summary>
public sealed class RequestQueueTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    /// <summary>New clients' bookings are requests; cancellation requests inside two days.</summary>
    private async Task<Bookable> RequestsBusinessAsync(bool newClientsNeedApproval = true)
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s =>
        {
            s["newClientsNeedApproval"] = newClientsNeedApproval;
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Two days' notice, please.", ["insideWindow"] = "request" };
        });
        return b;
    }

    private static async Task<Guid> BookAsync(PortalClient client, Bookable b, string start, string status)
    {
        var booked = await (await client.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(status, booked.GetProperty("status").GetString());
        return booked.GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> DecideAsync(Bookable b, Guid id, string verb, string? reason = null, string? confirm = null) =>
        b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{id}/{verb}" + (confirm is null ? "" : $"?confirm={confirm}"), new { reason });

    private static async Task<JsonElement> StaffReadAsync(Bookable b, Guid id) =>
        await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static async Task<JsonElement> RequestsAsync(Bookable b) =>
        (await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/requests", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("items");

    private static void AssertDecidedNow(JsonElement request, string decision)
    {
        Assert.Equal(decision, request.GetProperty("decision").GetString());
        Assert.Equal("Olive Owner", request.GetProperty("decidedByStaff").GetProperty("name").GetString());
        Assert.InRange(request.GetProperty("decidedAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Accepting_or_declining_a_cancellation_request_records_the_member_and_when_and_the_pages_say_so()
    {
        var b = await RequestsBusinessAsync(newClientsNeedApproval: false);
        var cara = await App.RegisterClientAsync(b.Biz, "Cara", "Cancels");
        var cancelled = await BookAsync(cara, b, At(Day(1), 10), "confirmed");
        var kept = await BookAsync(cara, b, At(Day(1), 13), "confirmed");
        foreach (var id in new[] { cancelled, kept })
        {
            await (await cara.Http.CancelAsync(b.Biz.Slug, id, "Clash at work")).JsonAsync(HttpStatusCode.Accepted);
        }

        var waiting = (await StaffReadAsync(b, cancelled)).GetProperty("cancellationRequest");
        Assert.Equal(JsonValueKind.Null, waiting.GetProperty("decision").ValueKind);

        await (await DecideAsync(b, cancelled, "accept")).JsonAsync(HttpStatusCode.OK);
        await (await DecideAsync(b, kept, "decline", "We need you there")).JsonAsync(HttpStatusCode.OK);

        AssertDecidedNow((await StaffReadAsync(b, cancelled)).GetProperty("cancellationRequest"), "accepted");
        AssertDecidedNow((await StaffReadAsync(b, kept)).GetProperty("cancellationRequest"), "declined");

        var page = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{cancelled}");
        var line = page.One("#cancellation-request")?.TextContent;
        Assert.StartsWith("Cancellation requested by the client on ", line, StringComparison.Ordinal);
        Assert.Contains(", accepted by Olive Owner on ", line, StringComparison.Ordinal);
        var keptLine = (await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{kept}")).One("#cancellation-request")?.TextContent;
        Assert.Contains(", declined by Olive Owner on ", keptLine, StringComparison.Ordinal);
        Assert.EndsWith(" — the appointment stands. Reason given to the client: We need you there", keptLine, StringComparison.Ordinal);

        // The client's history says the same; the client API's items carry it.
        var clientPage = await b.Biz.Owner.PageAsync($"/staff/clients/{cara.Id}");
        Assert.Contains(", accepted by Olive Owner on ", clientPage.One($"#appointment-{cancelled} .appointment-cancellation-request")?.TextContent, StringComparison.Ordinal);
        Assert.EndsWith(" — the appointment stands. Reason given to the client: We need you there",
            clientPage.One($"#appointment-{kept} .appointment-cancellation-request")?.TextContent, StringComparison.Ordinal);
        var lists = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{cara.Id}/appointments", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var past = lists.GetProperty("past").EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == cancelled);
        AssertDecidedNow(past.GetProperty("cancellationRequest"), "accepted");
    }

    [Fact]
    public async Task A_booking_request_accepted_or_declined_says_who_and_when_on_the_appointment_and_client_pages()
    {
        var b = await RequestsBusinessAsync();
        var nora = await App.RegisterClientAsync(b.Biz, "Nora", "Asks");
        var accepted = await BookAsync(nora, b, At(Day(5), 10), "requested");
        var declined = await BookAsync(nora, b, At(Day(5), 13), "requested");
        await (await DecideAsync(b, accepted, "accept")).JsonAsync(HttpStatusCode.OK);
        await (await DecideAsync(b, declined, "decline", "Fully booked that week")).JsonAsync(HttpStatusCode.OK);

        AssertDecidedNow((await StaffReadAsync(b, accepted)).GetProperty("bookingRequest"), "accepted");
        AssertDecidedNow((await StaffReadAsync(b, declined)).GetProperty("bookingRequest"), "declined");

        var page = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{accepted}");
        var line = page.One("#booking-request")?.TextContent;
        Assert.StartsWith("Requested by the client on ", line, StringComparison.Ordinal);
        Assert.Contains(" · accepted by Olive Owner on ", line, StringComparison.Ordinal);
        var declinedLine = (await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{declined}")).One("#booking-request")?.TextContent;
        Assert.Contains(" · declined by Olive Owner on ", declinedLine, StringComparison.Ordinal);
        Assert.EndsWith(" — Fully booked that week", declinedLine, StringComparison.Ordinal);

        var clientPage = await b.Biz.Owner.PageAsync($"/staff/clients/{nora.Id}");
        Assert.Contains(" · accepted by Olive Owner on ", clientPage.One($"#appointment-{accepted} .appointment-request")?.TextContent, StringComparison.Ordinal);
    }

    /// <summary>A waiting booking request at 15:00 on the day; staff then put a "Staff meeting" over it.</summary>
    private async Task<(Bookable B, Guid Id)> RequestThenBusyAsync(string firstName, int daysAhead)
    {
        var b = await RequestsBusinessAsync();
        var client = await App.RegisterClientAsync(b.Biz, firstName, "Busy");
        var id = await BookAsync(client, b, At(Day(daysAhead), 15), "requested");
        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/busy-blocks",
            new { diaryId = b.DiaryId, start = At(Day(daysAhead), 14, 30), end = At(Day(daysAhead), 15, 30), note = "Staff meeting" })).JsonAsync(HttpStatusCode.Created);
        return (b, id);
    }

    [Fact]
    public async Task Busy_time_put_over_a_waiting_request_is_flagged_and_the_api_accepts_it_only_when_confirmed()
    {
        var (b, id) = await RequestThenBusyAsync("Brid", 4);

        var item = Assert.Single((await RequestsAsync(b)).EnumerateArray());
        Assert.Equal(["busy-time"], item.GetProperty("appointment").GetProperty("clashes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("Staff meeting", Assert.Single(item.GetProperty("busyTime").EnumerateArray()).GetProperty("note").GetString());

        // Without the confirmation, or confirming something else: 409, nothing written.
        foreach (var confirm in new[] { null, "outside-hours" })
        {
            var refused = await (await DecideAsync(b, id, "accept", confirm: confirm)).JsonAsync(HttpStatusCode.Conflict);
            Assert.Equal("slot-unavailable", refused.GetProperty("type").GetString()!.Split('/')[^1]);
            Assert.Equal(["busy-time"], refused.GetProperty("concerns").EnumerateArray().Select(c => c.GetString()));
            Assert.Contains("Busy time 'Staff meeting' ", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal("Staff meeting", Assert.Single(refused.GetProperty("busyTime").EnumerateArray()).GetProperty("note").GetString());
            var after = await StaffReadAsync(b, id);
            Assert.Equal("requested", after.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, after.GetProperty("bookingRequest").GetProperty("decision").ValueKind);
            Assert.Equal(JsonValueKind.Null, after.GetProperty("bookingRequest").GetProperty("decidedAt").ValueKind);
        }

        var bogus = await (await DecideAsync(b, id, "accept", confirm: "busy-time,yes")).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(bogus.GetProperty("errors").TryGetProperty("confirm", out _), bogus.ToString());

        var accepted = await (await DecideAsync(b, id, "accept", confirm: "busy-time")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", accepted.GetProperty("appointment").GetProperty("status").GetString());
        Assert.Equal("confirmed", (await StaffReadAsync(b, id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Busy_time_and_closed_hours_together_are_confirmed_with_one_combined_confirm()
    {
        var (b, id) = await RequestThenBusyAsync("Cian", 6);
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{b.DiaryId}/exceptions",
            new { date = Iso(Day(6)), closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.Created);

        foreach (var confirm in new[] { null, "busy-time", "outside-hours" })
        {
            var refused = await (await DecideAsync(b, id, "accept", confirm: confirm)).JsonAsync(HttpStatusCode.Conflict);
            Assert.Equal(["outside-hours", "busy-time"], refused.GetProperty("concerns").EnumerateArray().Select(c => c.GetString()));
            Assert.Equal("requested", (await StaffReadAsync(b, id)).GetProperty("status").GetString());
        }

        var accepted = await (await DecideAsync(b, id, "accept", confirm: "outside-hours,busy-time")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["outside-hours", "busy-time"], accepted.GetProperty("appointment").GetProperty("clashes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("confirmed", (await StaffReadAsync(b, id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_requests_page_flags_busy_time_over_a_request_and_confirms_only_on_a_second_explicit_press()
    {
        var (b, id) = await RequestThenBusyAsync("Dara", 5);

        var page = await b.Biz.Owner.PageAsync("/staff/requests");
        var flag = page.One($"#request-{id}-busy")?.TextContent;
        Assert.StartsWith("Busy time 'Staff meeting' ", flag, StringComparison.Ordinal);
        Assert.Contains(" covers this request now", flag, StringComparison.Ordinal);
        Assert.Null(page.One($"#request-{id}-outside"));

        var asked = await b.Biz.Owner.SubmitAsync(page, PortalHtml.Fields(), $"form[action*='handler=Accept'][action*='{id}']:not([action*='AcceptAndApprove'])");
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.Contains("over busy time in the diary now", asked.One($"#request-{id}-confirm")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("requested", (await StaffReadAsync(b, id)).GetProperty("status").GetString());

        Assert.Equal("Confirm booking anyway", asked.One($"#accept-anyway-{id}")?.TextContent.Trim());
        var confirmed = await b.Biz.Owner.SubmitAsync(asked, PortalHtml.Fields(), $"#request-{id}-confirm form");
        Assert.Equal(HttpStatusCode.Redirect, confirmed.Status);
        Assert.Equal("confirmed", (await StaffReadAsync(b, id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Busy_time_added_over_a_waiting_request_on_the_busy_page_says_a_request_is_declined_not_moved()
    {
        var b = await RequestsBusinessAsync();
        var client = await App.RegisterClientAsync(b.Biz, "Rhea", "Request");
        var id = await BookAsync(client, b, At(Day(8), 15), "requested");

        var posted = await StaffDiaryTests.PostPageAsync(b.Biz.Owner, "/staff/diary/busy", new Dictionary<string, string>
        {
            ["Input.DiaryId"] = b.DiaryId.ToString(), ["Input.Date"] = Iso(Day(8)), ["Input.Start"] = "14:30", ["Input.End"] = "15:30",
        });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var diary = await b.Biz.Owner.PageAsync(posted.Headers.Location!.OriginalString);
        var notice = diary.One("[role=status].notice")?.TextContent;
        Assert.Contains("(booking request)", notice, StringComparison.Ordinal);
        Assert.Contains("Nothing was cancelled yet. Open an appointment to move it, or a booking request to decline it, or cancel them all below.", notice, StringComparison.Ordinal);
        Assert.Equal("requested", (await StaffReadAsync(b, id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Confirm_and_approve_over_busy_time_asks_again_with_a_button_that_says_it_approves_the_client_too()
    {
        var (b, id) = await RequestThenBusyAsync("Ines", 6);

        var page = await b.Biz.Owner.PageAsync("/staff/requests");
        var asked = await b.Biz.Owner.SubmitAsync(page, PortalHtml.Fields(), $"form[action*='handler=AcceptAndApprove'][action*='{id}']");
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.Equal("Confirm booking and approve client anyway", asked.One($"#accept-anyway-{id}")?.TextContent.Trim());
        Assert.Contains("handler=AcceptAndApprove", asked.One($"#request-{id}-confirm form")?.GetAttribute("action"), StringComparison.Ordinal);
        Assert.Equal("requested", (await StaffReadAsync(b, id)).GetProperty("status").GetString());
    }

    /// <summary>
    /// A waiting request holds its time (the exclusion constraint ignores only cancelled and declined rows), so no
    /// confirmed appointment can come to overlap it: a staff booking there is refused and the request stays as it was.
    /// </summary>
    [Fact]
    public async Task A_staff_booking_over_a_waiting_request_is_refused_so_a_request_never_overlaps_a_confirmed_appointment()
    {
        var b = await RequestsBusinessAsync();
        var eve = await App.RegisterClientAsync(b.Biz, "Eve", "Waits");
        var other = await App.RegisterClientAsync(b.Biz, "Olga", "Other");
        var id = await BookAsync(eve, b, At(Day(7), 11), "requested");

        var refused = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = other.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(7), 11, 30), petId = (Guid?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("slot-conflict", refused.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Contains("Eve Waits", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var item = Assert.Single((await RequestsAsync(b)).EnumerateArray());
        Assert.Equal(id, item.GetProperty("id").GetGuid());
        Assert.Empty(item.GetProperty("appointment").GetProperty("clashes").EnumerateArray());
        await (await DecideAsync(b, id, "accept")).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Each_card_says_new_or_returning_with_past_visits_and_no_shows_how_to_reach_them_and_when_they_asked()
    {
        var b = await RequestsBusinessAsync();
        var fay = await App.RegisterClientAsync(b.Biz, "Fay", "Returning");
        var gus = await App.RegisterClientAsync(b.Biz, "Gus", "New");
        // Fay's history: two kept visits, a no-show and a cancelled one (which counts for neither).
        async Task<Guid> PastAsync(int day) =>
            (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
                new { clientId = fay.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(day), 10), petId = (Guid?)null, note = (string?)null }))
                .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await PastAsync(-9);
        await PastAsync(-8);
        var noShow = await PastAsync(-7);
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{noShow}/outcome", new { status = "no-show" })).JsonAsync(HttpStatusCode.OK);
        var cancelled = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = fay.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(9), 10), petId = (Guid?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{cancelled.GetProperty("id").GetGuid()}/cancel", new { reason = "Moved" }))
            .JsonAsync(HttpStatusCode.OK);

        var fays = await BookAsync(fay, b, At(Day(3), 10), "requested");
        var guss = await BookAsync(gus, b, At(Day(3), 13), "requested");

        var items = (await RequestsAsync(b)).EnumerateArray().ToDictionary(i => i.GetProperty("id").GetGuid());
        var facts = items[fays].GetProperty("clientFacts");
        Assert.Equal(2, facts.GetProperty("pastVisits").GetInt32());
        Assert.Equal(1, facts.GetProperty("noShows").GetInt32());
        Assert.Equal(0, items[guss].GetProperty("clientFacts").GetProperty("pastVisits").GetInt32());

        var page = await b.Biz.Owner.PageAsync("/staff/requests");
        Assert.Equal("Returning: 2 past visits, 1 no-show", page.One($"#request-{fays}-visits")?.TextContent);
        Assert.Equal("New client: no past visits", page.One($"#request-{guss}-visits")?.TextContent);
        Assert.StartsWith("fay-", page.One($"#request-{fays}-contact a.request-email")?.TextContent, StringComparison.Ordinal);
        Assert.EndsWith("@client.example", page.One($"#request-{fays}-contact a.request-email")?.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.One($"#request-{fays}-contact a[href^='tel:']"));
        Assert.False(string.IsNullOrWhiteSpace(page.One($"#request-{fays}-requested")?.TextContent));
    }

    [Fact]
    public async Task A_cancellation_request_card_says_how_far_inside_the_window_the_client_asked()
    {
        var b = await RequestsBusinessAsync(newClientsNeedApproval: false);
        var hal = await App.RegisterClientAsync(b.Biz, "Hal", "Late");
        var id = await BookAsync(hal, b, At(Day(1), 12), "confirmed");
        await (await hal.Http.CancelAsync(b.Biz.Slug, id, "Flu")).JsonAsync(HttpStatusCode.Accepted);

        var page = await b.Biz.Owner.PageAsync("/staff/requests");
        var window = page.One($"#request-{id}-window")?.TextContent;
        Assert.StartsWith("Asked ", window, StringComparison.Ordinal);
        Assert.EndsWith(" inside the 2-day window.", window, StringComparison.Ordinal);
    }
}
