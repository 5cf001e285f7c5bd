using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// A cancellation request the business has not decided can be withdrawn by the client ("Keep my appointment", `POST
/// /api/v1/portal/appointments/{id}/keep`), and My appointments says where it stands: waiting (with a way to see and
/// withdraw it), or kept by the business (not "too late").
/// </summary>
public sealed class KeepAppointmentTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    /// <summary>A business that takes cancellation requests inside two days, with an email to contact it.</summary>
    private async Task<Bookable> RequestPolicyAsync()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s =>
        {
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Two days' notice, please.", ["insideWindow"] = "request" };
            s["contact"] = new JsonObject { ["email"] = "hello@keep.example" };
        });
        return b;
    }

    private static async Task<Guid> BookAndAskToCancelAsync(PortalClient client, Bookable b, string start)
    {
        var id = (await (await client.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Assert.Equal("cancellation-requested",
            (await (await client.Http.CancelAsync(b.Biz.Slug, id, "Sick")).JsonAsync(HttpStatusCode.Accepted)).GetProperty("status").GetString());
        return id;
    }

    private static Task<HttpResponseMessage> KeepAsync(PortalClient client, Bookable b, Guid id) =>
        client.Http.PostAsync(new Uri($"/api/v1/portal/appointments/{id}/keep?name={b.Biz.Slug}", UriKind.Relative), null);

    private static async Task<JsonElement> OpenRequestsAsync(Bookable b) =>
        (await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/requests", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("items");

    [Fact]
    public async Task Asking_to_cancel_on_the_page_says_the_request_went_to_the_business_by_name()
    {
        var b = await RequestPolicyAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var id = (await (await alice.BookAsync(b, At(Day(1), 12))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var cancel = await alice.Http.PageAsync($"/ol/cancel?name={b.Biz.Slug}&id={id}");
        var asked = await alice.Http.SubmitAsync(cancel, PortalHtml.Fields(("Input.Reason", "Sick")), "main form");
        Assert.Equal(HttpStatusCode.Redirect, asked.Status);
        var after = await alice.Http.PageAsync(asked.Response.Headers.Location!.OriginalString);
        Assert.Equal($"Your cancellation request was sent to Business {b.Biz.Slug}.", after.One("[role=status].ok")!.TextContent);
    }

    [Fact]
    public async Task A_client_withdraws_a_waiting_cancellation_request_from_My_appointments_and_the_appointment_stands()
    {
        var b = await RequestPolicyAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var id = await BookAndAskToCancelAsync(alice, b, At(Day(1), 12));

        // My appointments says it waits for the business and links to the request.
        var list = await alice.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        var entry = list.One($"#appointment-{id}")!;
        Assert.Equal("Cancellation requested — waiting for the business to decide", entry.QuerySelector(".status")!.TextContent);
        var link = entry.QuerySelector("a.withdraw-cancellation")!;
        Assert.Equal($"/ol/cancel?name={b.Biz.Slug}&id={id}", System.Net.WebUtility.HtmlDecode(link.GetAttribute("href")!));
        Assert.StartsWith("See or withdraw your request to cancel", link.TextContent, StringComparison.Ordinal);

        // The cancel page shows the request and "Keep my appointment".
        var cancel = await alice.Http.PageAsync($"/ol/cancel?name={b.Biz.Slug}&id={id}");
        Assert.Equal("Your request to cancel", cancel.One("h1")!.TextContent);
        Assert.Contains("has not decided yet; until they do, the appointment stands.", cancel.One("#cancellation-request")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Keep my appointment", cancel.One("#keep")!.TextContent);

        var kept = await alice.Http.SubmitAsync(cancel, new Dictionary<string, string>(), "#cancellation-request form");
        Assert.Equal(HttpStatusCode.Redirect, kept.Status);
        Assert.Equal($"/ol/appointments?name={b.Biz.Slug}", kept.Response.Headers.Location!.OriginalString);
        var after = await alice.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Equal("Your cancellation request is withdrawn: your appointment stands.", after.One("[role=status].ok")!.TextContent);
        Assert.Equal("Confirmed", after.One($"#appointment-{id} .status")!.TextContent);

        // Confirmed again, free to ask again; nothing waits for staff, whose decision now finds no request.
        var mine = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", mine.GetProperty("status").GetString());
        Assert.True(mine.GetProperty("canCancel").GetBoolean());
        Assert.Empty((await OpenRequestsAsync(b)).EnumerateArray());
        Assert.Equal(HttpStatusCode.Conflict, (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{id}/decline", new { reason = "No" })).StatusCode);

        // The same again is the same answer (a double click, a retry).
        Assert.Equal("confirmed", (await (await KeepAsync(alice, b, id)).JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        // Another client cannot touch it.
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        Assert.Equal(HttpStatusCode.NotFound, (await KeepAsync(bob, b, id)).StatusCode);
    }

    [Fact]
    public async Task Staff_deciding_a_request_the_client_withdrew_are_told_who_withdrew_it_and_when_in_the_api_on_the_requests_page_and_the_appointment_page()
    {
        var b = await RequestPolicyAsync();
        var wanda = await App.RegisterClientAsync(b.Biz, "Wanda", "Keeper");
        var id = await BookAndAskToCancelAsync(wanda, b, At(Day(1), 12));
        // Staff open Requests while it waits; the client withdraws it before they press a button.
        var requests = await b.Biz.Owner.PageAsync("/staff/requests");
        Assert.NotNull(requests.One($"#decline-{id}"));
        await (await KeepAsync(wanda, b, id)).JsonAsync(HttpStatusCode.OK);

        var staff = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", staff.GetProperty("status").GetString());
        var withdrawnAt = staff.GetProperty("cancellationWithdrawnAt").GetDateTimeOffset();
        Assert.InRange(DateTimeOffset.UtcNow - withdrawnAt, TimeSpan.Zero, TimeSpan.FromMinutes(2));

        // The appointment page says when the client withdrew it, and that it stays booked.
        var page = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}");
        Assert.Equal("Confirmed", page.One(".facts .status")!.TextContent.Trim());
        var said = page.One("#cancellation-withdrawn")!.TextContent.Trim();
        Assert.StartsWith("Withdrawn by the client on ", said, StringComparison.Ordinal);
        Assert.EndsWith("; the appointment stays booked.", said, StringComparison.Ordinal);
        var when = said["Withdrawn by the client on ".Length..^"; the appointment stays booked.".Length];

        // Either decision: 409 request-withdrawn, naming who and when (the page's words for the time), not "not found".
        var expected = $"Wanda Keeper withdrew their cancellation request on {when}; the appointment stays booked.";
        foreach (var verb in new[] { "accept", "decline" })
        {
            var problem = await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{id}/{verb}", new { reason = (string?)null })).JsonAsync(HttpStatusCode.Conflict);
            Assert.Equal("request-withdrawn", problem.GetProperty("type").GetString()!.Split('/')[^1]);
            Assert.Equal("cancellation", problem.GetProperty("request").GetString());
            Assert.Equal(withdrawnAt, problem.GetProperty("withdrawnAt").GetDateTimeOffset());
            Assert.Equal(expected, problem.GetProperty("detail").GetString());
        }

        // The Requests page opened before: "Keep the appointment" pressed now says the client withdrew it, not "already decided".
        var pressed = await b.Biz.Owner.SubmitAsync(requests, PortalHtml.Fields(("reason", "")), "form.decline-form");
        Assert.Equal(HttpStatusCode.Redirect, pressed.Status);
        var after = await b.Biz.Owner.PageAsync(pressed.Response.Headers.Location!.OriginalString);
        Assert.Equal(expected, after.One("p.notice")?.TextContent.Trim());
        Assert.Equal("confirmed", (await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("status").GetString());

        // Asked again: a request like any other, which staff decide; the withdrawal is no longer said.
        Assert.Equal("cancellation-requested",
            (await (await wanda.Http.CancelAsync(b.Biz.Slug, id, "Sick after all")).JsonAsync(HttpStatusCode.Accepted)).GetProperty("status").GetString());
        Assert.Null((await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}")).One("#cancellation-withdrawn"));
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{id}/decline", new { reason = "We need the notice" })).JsonAsync(HttpStatusCode.OK);
        var decided = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, decided.GetProperty("cancellationWithdrawnAt").ValueKind);
        // A request decided by staff is still 404, as before.
        Assert.Equal(HttpStatusCode.NotFound, (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{id}/accept", UriKind.Relative), null)).StatusCode);
    }

    [Fact]
    public async Task Withdrawing_is_refused_once_the_business_decided_and_the_page_says_what_it_decided()
    {
        var b = await RequestPolicyAsync();
        var alice = await App.RegisterClientAsync(b.Biz);

        // Kept by the business: refused, naming the decision.
        var declined = await BookAndAskToCancelAsync(alice, b, At(Day(1), 10));
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{declined}/decline", new { reason = "We need the notice" })).JsonAsync(HttpStatusCode.OK);
        var keptProblem = await (await KeepAsync(alice, b, declined)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("no-open-cancellation-request", keptProblem.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal("kept", keptProblem.GetProperty("decision").GetString());
        Assert.Equal($"Business {b.Biz.Slug} already decided to keep this appointment when you asked to cancel it, so it stands. "
            + $"To change it, contact Business {b.Biz.Slug} at hello@keep.example.", keptProblem.GetProperty("detail").GetString());

        // Cancelled by the business as asked: refused, and nothing is undone.
        var accepted = await BookAndAskToCancelAsync(alice, b, At(Day(1), 14));
        var cancelPage = await alice.Http.PageAsync($"/ol/cancel?name={b.Biz.Slug}&id={accepted}");
        await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{accepted}/accept", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        var cancelledProblem = await (await KeepAsync(alice, b, accepted)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("cancelled", cancelledProblem.GetProperty("decision").GetString());
        // The page open from before the decision posts to the same refusal, said above the appointment as it is now.
        var refused = await alice.Http.SubmitAsync(cancelPage, new Dictionary<string, string>(), "#cancellation-request form");
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal($"Business {b.Biz.Slug} already cancelled this appointment, as you asked.", refused.One("#keep-refused")!.TextContent);
        Assert.Null(refused.One("#keep"));
        Assert.Equal("cancelled", (await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{accepted}?name={b.Biz.Slug}", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());

        // An appointment with no request to withdraw (cancelled outright, outside the window).
        var later = (await (await alice.BookAsync(b, At(Day(5), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await alice.Http.CancelAsync(b.Biz.Slug, later)).JsonAsync(HttpStatusCode.OK);
        var none = await (await KeepAsync(alice, b, later)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(JsonValueKind.Null, none.GetProperty("decision").ValueKind);
    }

    [Fact]
    public async Task My_appointments_says_the_business_kept_an_appointment_it_was_asked_to_cancel_not_too_late()
    {
        var b = await RequestPolicyAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var kept = await BookAndAskToCancelAsync(alice, b, At(Day(1), 10));
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{kept}/decline", new { reason = "We need the notice" })).JsonAsync(HttpStatusCode.OK);

        var page = await alice.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        var entry = page.One($"#appointment-{kept}")!;
        // Said once, with the reason staff gave (decision 286).
        Assert.Equal($"Business {b.Biz.Slug} kept this appointment when you asked to cancel it. Their reason: We need the notice",
            Assert.Single(entry.QuerySelectorAll(".kept")).TextContent);
        // How to change it is said once, under the list (not twice in a row).
        Assert.Equal($"To change an appointment Business {b.Biz.Slug} kept, contact them.", page.One("#kept-contact")!.TextContent);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(page.Text, "contact them"));
        Assert.Null(entry.QuerySelector(".too-late"));
        Assert.Null(entry.QuerySelector("a[href*='/ol/cancel']"));
        Assert.DoesNotContain("Too late to cancel online", page.Text, StringComparison.Ordinal);
        // The contact, once, where the page tells the client to contact the business.
        Assert.Single(page.All(".business-contact a[href='mailto:hello@keep.example']"));

        // Under a "refuse" policy an appointment booked since is simply too late; the kept one keeps the policy it was
        // booked under (decision 270), so it still reads kept.
        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Two days' notice, please.", ["insideWindow"] = "refuse" });
        var since = (await (await alice.BookAsync(b, At(Day(1), 14))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var refuse = await alice.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Equal("Too late to cancel online", refuse.One($"#appointment-{since} .too-late")!.TextContent);
        Assert.NotNull(refuse.One($"#appointment-{kept} .kept"));
    }
}
