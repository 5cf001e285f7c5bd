using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// A request's id is its appointment's, which has one booking request and may later have cancellation requests. A
/// decision from a page opened (or an email read) earlier names the kind it decides (`?request=booking|cancellation`, the
/// Requests page's forms do): it is told what became of THAT request, and never decides the appointment's other one.
/// </summary>
public sealed class StaleRequestDecisionTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    /// <summary>New clients' bookings are requests; cancellation requests inside two days.</summary>
    private async Task<Bookable> RequestsBusinessAsync()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s =>
        {
            s["newClientsNeedApproval"] = true;
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Two days' notice, please.", ["insideWindow"] = "request" };
        });
        return b;
    }

    private static async Task<Guid> RequestAsync(PortalClient client, Bookable b, string start)
    {
        var requested = await (await client.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
        return requested.GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> DecideAsync(Bookable b, Guid id, string verb, string? request = null) =>
        b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{id}/{verb}" + (request is null ? "" : $"?request={request}"), new { reason = (string?)null });

    private static async Task<string> StaffStatusAsync(Bookable b, Guid id) =>
        (await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
        .GetProperty("status").GetString()!;

    /// <summary>The Requests page's "Confirm booking" form (not "… and approve client"), as the page was when loaded.</summary>
    private const string ConfirmBookingForm = "form[action*='handler=Accept']:not([action*='AcceptAndApprove'])";

    [Fact]
    public async Task A_stale_confirm_of_a_booking_request_confirmed_long_ago_says_it_was_confirmed_not_that_a_later_cancellation_request_was_withdrawn()
    {
        var b = await RequestsBusinessAsync();
        var cara = await App.RegisterClientAsync(b.Biz, "Cara", "Stale");
        var id = await RequestAsync(cara, b, At(Day(1), 12));
        // The Requests page opened while the booking request waits; another staff member confirms it meanwhile.
        var stale = await b.Biz.Owner.PageAsync("/staff/requests");
        Assert.NotNull(stale.One($"#accept-{id}"));
        await (await DecideAsync(b, id, "accept", "booking")).JsonAsync(HttpStatusCode.OK);
        // Later the client asks to cancel, then withdraws it (Keep my appointment).
        await (await cara.Http.CancelAsync(b.Biz.Slug, id, "Clash")).JsonAsync(HttpStatusCode.Accepted);
        await (await cara.Http.PostAsync(new Uri($"/api/v1/portal/appointments/{id}/keep?name={b.Biz.Slug}", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);

        // The old page's "Confirm booking": about the booking request, which was confirmed.
        var pressed = await b.Biz.Owner.SubmitAsync(stale, PortalHtml.Fields(), ConfirmBookingForm);
        Assert.Equal(HttpStatusCode.Redirect, pressed.Status);
        var after = await b.Biz.Owner.PageAsync(pressed.Response.Headers.Location!.OriginalString);
        Assert.Equal("Cara Stale's booking request was already confirmed.", after.One("p.notice")?.TextContent.Trim());

        // The API: a decided request is 404 not-found as before, saying how it was decided.
        foreach (var verb in new[] { "accept", "decline" })
        {
            var problem = await (await DecideAsync(b, id, verb, "booking")).JsonAsync(HttpStatusCode.NotFound);
            Assert.Equal("not-found", problem.GetProperty("type").GetString()!.Split('/')[^1]);
            Assert.Equal("booking", problem.GetProperty("request").GetString());
            Assert.Equal("confirmed", problem.GetProperty("decision").GetString());
            Assert.Equal("Cara Stale's booking request was already confirmed.", problem.GetProperty("detail").GetString());
        }

        // Asked about the cancellation request (or with no kind: the latest request), the withdrawal, as before.
        foreach (var request in new[] { "cancellation", null })
        {
            var withdrawn = await (await DecideAsync(b, id, "decline", request)).JsonAsync(HttpStatusCode.Conflict);
            Assert.Equal("request-withdrawn", withdrawn.GetProperty("type").GetString()!.Split('/')[^1]);
            Assert.Equal("cancellation", withdrawn.GetProperty("request").GetString());
        }

        Assert.Equal("confirmed", await StaffStatusAsync(b, id));
    }

    [Fact]
    public async Task A_stale_confirm_of_a_booking_request_never_cancels_the_appointment_whose_cancellation_request_waits()
    {
        var b = await RequestsBusinessAsync();
        var cara = await App.RegisterClientAsync(b.Biz, "Cara", "Waiting");
        var id = await RequestAsync(cara, b, At(Day(1), 14));
        var stale = await b.Biz.Owner.PageAsync("/staff/requests");
        await (await DecideAsync(b, id, "accept")).JsonAsync(HttpStatusCode.OK);
        await (await cara.Http.CancelAsync(b.Biz.Slug, id, "Clash")).JsonAsync(HttpStatusCode.Accepted);

        // Pressed now, the old "Confirm booking" would have accepted the cancellation request: it is told, and nothing changes.
        var pressed = await b.Biz.Owner.SubmitAsync(stale, PortalHtml.Fields(), ConfirmBookingForm);
        var after = await b.Biz.Owner.PageAsync(pressed.Response.Headers.Location!.OriginalString);
        Assert.Equal("Cara Waiting's booking request was already confirmed; they have since asked to cancel the appointment, a request of its own.",
            after.One("p.notice")?.TextContent.Trim());
        Assert.Equal("cancellation-requested", await StaffStatusAsync(b, id));
        // The waiting cancellation request is on the page, with its own buttons.
        Assert.Equal("Cancel the appointment", after.One($"#accept-{id}")?.TextContent.Trim());

        // Named rightly, the cancellation request is decided.
        var decided = await (await DecideAsync(b, id, "decline", "cancellation")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancellation", decided.GetProperty("kind").GetString());
        Assert.Equal("confirmed", await StaffStatusAsync(b, id));
        var kept = await (await DecideAsync(b, id, "accept", "cancellation")).JsonAsync(HttpStatusCode.NotFound);
        Assert.Equal("kept", kept.GetProperty("decision").GetString());
        Assert.Equal("Cara Waiting's cancellation request was already declined: the appointment was kept.", kept.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_withdrawn_cancellation_request_reads_withdrawn_after_the_appointment_was_cancelled_and_a_bad_kind_is_validation()
    {
        var b = await RequestsBusinessAsync();
        var cara = await App.RegisterClientAsync(b.Biz, "Cara", "Later");
        var id = await RequestAsync(cara, b, At(Day(1), 16));
        await (await DecideAsync(b, id, "accept")).JsonAsync(HttpStatusCode.OK);
        await (await cara.Http.CancelAsync(b.Biz.Slug, id, "Clash")).JsonAsync(HttpStatusCode.Accepted);
        await (await cara.Http.PostAsync(new Uri($"/api/v1/portal/appointments/{id}/keep?name={b.Biz.Slug}", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        // Staff cancel it from the diary afterwards, for their own reason.
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{id}/cancel", new { reason = "Practitioner away" })).JsonAsync(HttpStatusCode.OK);

        // The cancellation request was withdrawn, whatever became of the appointment since (before: 404, "already decided").
        foreach (var request in new[] { "cancellation", null })
        {
            var problem = await (await DecideAsync(b, id, "accept", request)).JsonAsync(HttpStatusCode.Conflict);
            Assert.Equal("request-withdrawn", problem.GetProperty("type").GetString()!.Split('/')[^1]);
            Assert.Equal("cancellation", problem.GetProperty("request").GetString());
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.StartsWith("Cara Later withdrew their cancellation request on ", detail, StringComparison.Ordinal);
            Assert.EndsWith("; the appointment has since been cancelled.", detail, StringComparison.Ordinal);
        }

        var booking = await (await DecideAsync(b, id, "accept", "booking")).JsonAsync(HttpStatusCode.NotFound);
        Assert.Equal("Cara Later's booking request was already confirmed; the appointment has since been cancelled.", booking.GetProperty("detail").GetString());

        var bad = await (await DecideAsync(b, id, "accept", "appointment")).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Use booking or cancellation.", bad.GetProperty("errors").GetProperty("request")[0].GetString());
        Assert.Equal(JsonValueKind.Object, bad.ValueKind);
    }

    /// <summary>An appointment staff booked never was a booking request: naming one answers the plain 404, not "already confirmed".</summary>
    [Fact]
    public async Task Naming_a_booking_request_on_an_appointment_staff_booked_answers_that_there_is_no_such_request()
    {
        var b = await RequestsBusinessAsync();
        var cara = await App.RegisterClientAsync(b.Biz, "Cara", "Direct");
        var booked = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = cara.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(3), 10) })).JsonAsync(HttpStatusCode.Created);
        var id = booked.GetProperty("id").GetGuid();

        var problem = await (await DecideAsync(b, id, "accept", "booking")).JsonAsync(HttpStatusCode.NotFound);
        Assert.Equal("No open request with this id.", problem.GetProperty("detail").GetString());
        Assert.False(problem.TryGetProperty("decision", out _));
        Assert.Equal("confirmed", await StaffStatusAsync(b, id));
    }

    /// <summary>
    /// A portal booking confirmed from the start (the client needs no approval) never was a booking request either:
    /// naming one answers the plain 404, as for one staff booked, while an accepted request still reads "already
    /// confirmed" (decision 245: the appointment keeps when it was filed as a request).
    /// </summary>
    [Fact]
    public async Task Naming_a_booking_request_on_a_portal_booking_made_directly_answers_that_there_is_no_such_request()
    {
        var b = await RequestsBusinessAsync();
        var cara = await App.RegisterClientAsync(b.Biz, "Cara", "Portal");
        var requested = await RequestAsync(cara, b, At(Day(2), 10));
        await (await DecideAsync(b, requested, "accept", "booking")).JsonAsync(HttpStatusCode.OK);
        await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/clients/{cara.Id}/approve", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        var booked = await (await cara.BookAsync(b, At(Day(3), 10))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("confirmed", booked.GetProperty("status").GetString());
        var direct = booked.GetProperty("id").GetGuid();

        foreach (var verb in new[] { "accept", "decline" })
        {
            var problem = await (await DecideAsync(b, direct, verb, "booking")).JsonAsync(HttpStatusCode.NotFound);
            Assert.Equal("No open request with this id.", problem.GetProperty("detail").GetString());
            Assert.False(problem.TryGetProperty("decision", out _));

            var accepted = await (await DecideAsync(b, requested, verb, "booking")).JsonAsync(HttpStatusCode.NotFound);
            Assert.Equal("Cara Portal's booking request was already confirmed.", accepted.GetProperty("detail").GetString());
            Assert.Equal("confirmed", accepted.GetProperty("decision").GetString());
        }

        Assert.Equal("confirmed", await StaffStatusAsync(b, direct));
    }
}
