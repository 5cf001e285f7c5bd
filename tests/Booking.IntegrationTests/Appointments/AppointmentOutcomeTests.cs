using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Setup;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Once an appointment has started, owners and admins record what became of it: completed or no-show (the statuses
/// API.md lists for appointments), or back to confirmed to take a mistake back. The client's past list shows it; the
/// time stays held; nothing else can be marked.
/// </summary>
public sealed class AppointmentOutcomeTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task A_started_appointment_is_marked_completed_or_no_show_and_back_and_the_client_sees_it()
    {
        var (b, alice, id) = await StartedAppointmentAsync();

        var completed = await (await OutcomeAsync(b.Biz.Owner, id, "completed")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal("completed", await ClientSeesAsync(b, alice, id));
        Assert.Equal("completed", await StaffSeesAsync(b, id));

        Assert.Equal("no-show", (await (await OutcomeAsync(b.Biz.Owner, id, "no-show")).JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal("no-show", await ClientSeesAsync(b, alice, id));

        // The same outcome again changes nothing and answers the same.
        Assert.Equal("no-show", (await (await OutcomeAsync(b.Biz.Owner, id, "no-show")).JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());

        Assert.Equal("confirmed", (await (await OutcomeAsync(b.Biz.Owner, id, "confirmed")).JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal("confirmed", await StaffSeesAsync(b, id));
    }

    [Fact]
    public async Task A_started_appointment_keeps_its_time_and_staff_cannot_cancel_it_marked_or_not()
    {
        var (b, alice, id) = await StartedAppointmentAsync();
        await (await OutcomeAsync(b.Biz.Owner, id, "completed")).JsonAsync(HttpStatusCode.OK);
        var start = (await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("start").GetDateTimeOffset();

        var over = await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, note = "" });
        Assert.Equal("slot-conflict", await over.KindAsync(HttpStatusCode.Conflict));

        var cancel = await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{id}/cancel", new { reason = "oops" });
        Assert.Equal("status-conflict", await cancel.KindAsync(HttpStatusCode.Conflict));
        Assert.Equal("completed", await StaffSeesAsync(b, id));

        // Set back to confirmed it has still started: cancelling is refused, pointing at the outcome (decision: staff cancel).
        await (await OutcomeAsync(b.Biz.Owner, id, "confirmed")).JsonAsync(HttpStatusCode.OK);
        var refused = await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{id}/cancel", new { reason = "oops" })).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("status-conflict", refused.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal("This appointment has already started, so it cannot be cancelled. Record what happened instead: mark it completed or no-show.",
            refused.GetProperty("detail").GetString());
        Assert.Equal("confirmed", await StaffSeesAsync(b, id));
        Assert.Empty(await App.OutboxAsync(b.Biz.Id, "AppointmentCancelled"));

        // The appointment page offers no cancel for it, only the outcome.
        var html = WebUtility.HtmlDecode(await b.Biz.Owner.GetStringAsync(new Uri($"/staff/diary/appointments/{id}", UriKind.Relative)));
        Assert.DoesNotContain("Cancel appointment", html, StringComparison.Ordinal);
        Assert.Contains("What happened", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_a_started_confirmed_appointment_has_an_outcome_and_a_bad_status_names_the_field()
    {
        var (b, alice, started) = await StartedAppointmentAsync();
        var future = (await (await alice.BookAsync(b, At(Day(3), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        Assert.Equal("status-conflict", await (await OutcomeAsync(b.Biz.Owner, future, "completed")).KindAsync(HttpStatusCode.Conflict));
        Assert.Equal("status-conflict", await (await OutcomeAsync(b.Biz.Owner, future, "no-show")).KindAsync(HttpStatusCode.Conflict));
        Assert.Equal("confirmed", (await (await OutcomeAsync(b.Biz.Owner, future, "confirmed")).JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());

        foreach (var bad in new[] { "done", "cancelled", "requested", "" })
        {
            var problem = await (await OutcomeAsync(b.Biz.Owner, started, bad)).JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["status"], problem.ErrorFields());
        }

        var missing = await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{started}/outcome", new { })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["status"], missing.ErrorFields());
        Assert.Equal("confirmed", await StaffSeesAsync(b, started));

        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{future}/cancel", new { reason = "" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("status-conflict", await (await OutcomeAsync(b.Biz.Owner, future, "completed")).KindAsync(HttpStatusCode.Conflict));
        Assert.Equal("status-conflict", await (await OutcomeAsync(b.Biz.Owner, future, "confirmed")).KindAsync(HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Another_businesss_or_a_malformed_id_is_not_found_and_a_practitioner_may_not_record()
    {
        var (b, _, id) = await StartedAppointmentAsync();
        var other = await App.BookableAsync();

        Assert.Equal("not-found", await (await OutcomeAsync(other.Biz.Owner, id, "completed")).KindAsync(HttpStatusCode.NotFound));
        Assert.Equal("not-found", await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments/nope/outcome", new { status = "completed" })).KindAsync(HttpStatusCode.NotFound));

        const string password = "practitioner password long enough 2026";
        var email = $"pat-{Guid.NewGuid():N}@{b.Biz.Slug}.example";
        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Pat", email, password, role = "practitioner", diaryIds = new[] { b.DiaryId } })).JsonAsync(HttpStatusCode.Created);
        var pat = App.NewClient();
        await (await pat.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={b.Biz.Slug}", new { email, password })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("forbidden", await (await OutcomeAsync(pat, id, "completed")).KindAsync(HttpStatusCode.Forbidden));
        Assert.Equal("confirmed", await StaffSeesAsync(b, id));
    }

    [Fact]
    public async Task The_appointment_page_records_the_outcome_and_says_so()
    {
        var (b, _, id) = await StartedAppointmentAsync();
        var page = $"/staff/diary/appointments/{id}";

        var posted = await PostOutcomeFormAsync(b.Biz.Owner, page, "no-show");
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(page, posted.Headers.Location!.OriginalString);
        var html = WebUtility.HtmlDecode(await b.Biz.Owner.GetStringAsync(new Uri(page, UriKind.Relative)));
        Assert.Contains("Marked Alice Client's Consultation as a no-show.", html, StringComparison.Ordinal);
        Assert.Equal("no-show", await StaffSeesAsync(b, id));

        // Marked: the page offers the other outcome and the way back, and no cancel.
        var document = await new HtmlParser().ParseDocumentAsync(html);
        Assert.Equal(["completed", "confirmed"], document.QuerySelectorAll("button[name=outcome]").Select(x => x.GetAttribute("value") ?? "").ToArray());
        Assert.DoesNotContain("Cancel appointment", html, StringComparison.Ordinal);

        var again = WebUtility.HtmlDecode(await b.Biz.Owner.GetStringAsync(new Uri(page, UriKind.Relative)));
        Assert.DoesNotContain("as a no-show.", again, StringComparison.Ordinal);
    }

    /// <summary>A business with a client and a confirmed appointment that began an hour ago (staff may book the past).</summary>
    private async Task<(Bookable B, PortalClient Alice, Guid Id)> StartedAppointmentAsync()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var now = SystemClock.Instance.GetCurrentInstant().InZone(Sydney);
        var start = now.LocalDateTime.Date.AtMidnight().PlusHours(now.Hour).PlusHours(-1).InZoneLeniently(Sydney).ToDateTimeOffset();
        var booked = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, note = "" })).JsonAsync(HttpStatusCode.Created);
        return (b, alice, booked.GetProperty("id").GetGuid());
    }

    private static Task<HttpResponseMessage> OutcomeAsync(HttpClient staff, Guid id, string status) =>
        staff.PostAsJsonAsync($"/api/v1/admin/appointments/{id}/outcome", new { status });

    private static async Task<string?> StaffSeesAsync(Bookable b, Guid id) =>
        (await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("status").GetString();

    private static async Task<string?> ClientSeesAsync(Bookable b, PortalClient client, Guid id)
    {
        var past = await (await client.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}&when=past", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var mine = past.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == id);
        Assert.False(mine.GetProperty("canCancel").GetBoolean());
        return mine.GetProperty("status").GetString();
    }

    private static async Task<HttpResponseMessage> PostOutcomeFormAsync(HttpClient staff, string page, string outcome)
    {
        var document = await new HtmlParser().ParseDocumentAsync(await staff.GetStringAsync(new Uri(page, UriKind.Relative)));
        var form = document.QuerySelectorAll("form").OfType<IHtmlFormElement>()
            .Single(f => f.QuerySelector("button[name=outcome]") is not null);
        var fields = form.QuerySelectorAll("input[type=hidden][name]")
            .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
            .Append(new KeyValuePair<string, string>("outcome", outcome)).ToList();
        return await staff.PostAsync(new Uri(form.GetAttribute("action")!, UriKind.Relative), new FormUrlEncodedContent(fields));
    }
}
