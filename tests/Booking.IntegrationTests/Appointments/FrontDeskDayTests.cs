using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// The front desk's day (session 33, decision 269): who booked and who cancelled an appointment, and when, on its staff
/// page, the client's page and the staff answers; a waiting booking request whose time the diary has closed since is
/// flagged and accepted only once confirmed; staff's own note on an appointment, never the client's to see; a staff
/// booking over another appointment names what holds the time.
/// </summary>
public sealed class FrontDeskDayTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static async Task<JsonElement> StaffBookAsync(Bookable b, Guid clientId, string start, string? note = null) =>
        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId, serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, note })).JsonAsync(HttpStatusCode.Created);

    private static async Task<JsonElement> StaffReadAsync(HttpClient staff, Guid id) =>
        await (await staff.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task Who_booked_and_who_cancelled_are_named_with_when_on_the_appointment_the_client_page_and_the_api()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz, "Alice", "Who");

        // Staff book and cancel: the member is named.
        var staffBooked = await StaffBookAsync(b, alice.Id, At(Day(6), 10));
        var staffId = staffBooked.GetProperty("id").GetGuid();
        Assert.Equal("Olive Owner", staffBooked.GetProperty("bookedByStaff").GetProperty("name").GetString());
        var cancelled = await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{staffId}/cancel", new { reason = "Practitioner ill" }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("staff", cancelled.GetProperty("cancelledBy").GetString());
        Assert.Equal("Olive Owner", cancelled.GetProperty("cancelledByStaff").GetProperty("name").GetString());
        var cancelledAt = cancelled.GetProperty("cancelledAt").GetDateTimeOffset();
        Assert.InRange(cancelledAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(TimeSpan.FromHours(cancelledAt.Offset.TotalHours), Sydney.GetUtcOffset(NodaTime.Instant.FromDateTimeOffset(cancelledAt)).ToTimeSpan());

        var staffPage = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{staffId}");
        Assert.StartsWith("Olive Owner (staff) on ", staffPage.One("#booked-by")?.TextContent, StringComparison.Ordinal);
        var endedBy = staffPage.One("#ended-by")?.TextContent;
        Assert.StartsWith("Cancelled by Olive Owner (staff) on ", endedBy, StringComparison.Ordinal);
        // In the business's zone and date order: the Sydney date of the cancel, its year and " at ".
        var sydneyToday = NodaTime.Instant.FromDateTimeOffset(cancelledAt).InZone(Sydney).Date;
        Assert.Contains($"{sydneyToday.Day} ", endedBy, StringComparison.Ordinal);
        Assert.Contains($"{sydneyToday.Year} at ", endedBy, StringComparison.Ordinal);

        // The client books on the portal and cancels: "the client".
        var own = await (await alice.BookAsync(b, At(Day(7), 12))).JsonAsync(HttpStatusCode.Created);
        var ownId = own.GetProperty("id").GetGuid();
        await (await alice.Http.CancelAsync(b.Biz.Slug, ownId, "Car broke down")).JsonAsync(HttpStatusCode.OK);
        var read = await StaffReadAsync(b.Biz.Owner, ownId);
        Assert.Equal("client", read.GetProperty("cancelledBy").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("cancelledByStaff").ValueKind);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("bookedByStaff").ValueKind);
        var ownPage = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{ownId}");
        Assert.StartsWith("the client, in the Client Portal, on ", ownPage.One("#booked-by")?.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("Cancelled by the client on ", ownPage.One("#ended-by")?.TextContent, StringComparison.Ordinal);

        // The client's page: "Past and cancelled" says who, when and why; the API too.
        var clientPage = await b.Biz.Owner.PageAsync($"/staff/clients/{alice.Id}");
        var staffLine = clientPage.One($"#appointment-{staffId} .appointment-ended")?.TextContent;
        Assert.StartsWith("Cancelled by Olive Owner (staff) on ", staffLine, StringComparison.Ordinal);
        Assert.EndsWith(" — Practitioner ill", staffLine, StringComparison.Ordinal);
        var clientLine = clientPage.One($"#appointment-{ownId} .appointment-ended")?.TextContent;
        Assert.StartsWith("Cancelled by the client on ", clientLine, StringComparison.Ordinal);
        Assert.EndsWith(" — Car broke down", clientLine, StringComparison.Ordinal);
        var lists = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{alice.Id}/appointments", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var past = lists.GetProperty("past").EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == staffId);
        Assert.Equal("Practitioner ill", past.GetProperty("cancelReason").GetString());
        Assert.Equal("Olive Owner", past.GetProperty("cancelledByStaff").GetProperty("name").GetString());
    }

    /// <summary>New clients' bookings are requests.</summary>
    private async Task<(Bookable B, Guid Id)> RequestThenCloseAsync(string firstName, int daysAhead)
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var sean = await App.RegisterClientAsync(b.Biz, firstName, "Request");
        var requested = await (await sean.BookAsync(b, At(Day(daysAhead), 15))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
        // Staff close that day afterwards (a roster exception).
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{b.DiaryId}/exceptions",
            new { date = Iso(Day(daysAhead)), closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.Created);
        return (b, requested.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_request_into_time_the_diary_has_closed_since_is_flagged_and_the_api_accepts_it_only_when_confirmed()
    {
        var (b, id) = await RequestThenCloseAsync("Sean", 4);

        var list = await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/requests", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(["outside-hours"], item.GetProperty("appointment").GetProperty("clashes").EnumerateArray().Select(c => c.GetString()));

        var refused = await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{id}/accept", UriKind.Relative), null)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("slot-unavailable", refused.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal(["outside-hours"], refused.GetProperty("concerns").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains("Dr Alpha's working hours", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("requested", (await StaffReadAsync(b.Biz.Owner, id)).GetProperty("status").GetString());

        var bogus = await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{id}/accept?confirm=yes", UriKind.Relative), null)).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(bogus.GetProperty("errors").TryGetProperty("confirm", out _), bogus.ToString());

        var accepted = await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{id}/accept?confirm=outside-hours", UriKind.Relative), null))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", accepted.GetProperty("appointment").GetProperty("status").GetString());
        Assert.Equal("confirmed", (await StaffReadAsync(b.Biz.Owner, id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_requests_page_says_outside_the_diarys_hours_now_and_confirms_only_on_a_second_explicit_press()
    {
        var (b, id) = await RequestThenCloseAsync("Sinead", 5);

        var page = await b.Biz.Owner.PageAsync("/staff/requests");
        Assert.Contains("Outside the diary's hours now", page.One($"#request-{id}-outside")?.TextContent, StringComparison.Ordinal);
        Assert.Null(page.One($"#request-{id}-confirm"));

        // The first press asks; nothing is booked.
        var asked = await b.Biz.Owner.SubmitAsync(page, PortalHtml.Fields(), $"form[action*='handler=Accept'][action*='{id}']:not([action*='AcceptAndApprove'])");
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.Contains("outside Dr Alpha's working hours now", asked.One($"#request-{id}-confirm")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("requested", (await StaffReadAsync(b.Biz.Owner, id)).GetProperty("status").GetString());

        // The second, explicit press confirms it.
        var confirmed = await b.Biz.Owner.SubmitAsync(asked, PortalHtml.Fields(), $"#request-{id}-confirm form");
        Assert.Equal(HttpStatusCode.Redirect, confirmed.Status);
        Assert.Equal("confirmed", (await StaffReadAsync(b.Biz.Owner, id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Staff_add_and_change_their_own_note_which_the_client_never_sees_and_a_practitioner_only_reads()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz, "Alice", "Noted");
        var booked = await (await alice.BookAsync(b, At(Day(6), 9), note: "Parking at the back?")).JsonAsync(HttpStatusCode.Created);
        var id = booked.GetProperty("id").GetGuid();
        var url = $"/api/v1/admin/appointments/{id}";

        var saved = await (await b.Biz.Owner.PutAsJsonAsync(url, new { staffNote = "  Knee brace; owes for last visit  " })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Knee brace; owes for last visit", saved.GetProperty("staffNote").GetString());
        Assert.Equal("Parking at the back?", saved.GetProperty("note").GetString()); // the client's own note stays theirs
        Assert.Equal("Olive Owner", saved.GetProperty("staffNoteUpdatedBy").GetProperty("name").GetString());

        // Bad input: named field, nothing written.
        foreach (var body in new object[] { new { }, new { staffNote = new string('x', 2001) }, new { staffNote = "bell\u0007" } })
        {
            var bad = await (await b.Biz.Owner.PutAsJsonAsync(url, body)).JsonAsync(HttpStatusCode.BadRequest);
            Assert.True(bad.GetProperty("errors").TryGetProperty("staffNote", out _), bad.ToString());
        }

        Assert.Equal("Knee brace; owes for last visit", (await StaffReadAsync(b.Biz.Owner, id)).GetProperty("staffNote").GetString());

        // A practitioner of the diary reads it and may not change it.
        var email = $"pat-{Guid.NewGuid():N}@{b.Biz.Slug}.example";
        const string password = "practitioner password long enough 2026";
        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Pat Practitioner", email, password, role = "practitioner", diaryIds = new[] { b.DiaryId } })).JsonAsync(HttpStatusCode.Created);
        var pat = App.NewClient();
        await (await pat.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={b.Biz.Slug}", new { email, password })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Knee brace; owes for last visit", (await StaffReadAsync(pat, id)).GetProperty("staffNote").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await pat.PutAsJsonAsync(url, new { staffNote = "mine" })).StatusCode);

        // The client's own answers and pages never carry it.
        var mine = await alice.Http.GetStringAsync(new Uri($"/api/v1/portal/appointments?when=upcoming&name={b.Biz.Slug}", UriKind.Relative));
        Assert.Contains(id.ToString(), mine, StringComparison.Ordinal);
        Assert.DoesNotContain("Knee brace", mine, StringComparison.Ordinal);
        var one = await alice.Http.GetStringAsync(new Uri($"/api/v1/portal/appointments/{id}?name={b.Biz.Slug}", UriKind.Relative));
        Assert.DoesNotContain("Knee brace", one, StringComparison.Ordinal);

        // The page: owners change it (an empty note removes it); the change says who.
        var page = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}");
        Assert.Equal("Knee brace; owes for last visit", page.One("textarea#StaffNote")?.TextContent.Trim());
        var posted = await b.Biz.Owner.SubmitAsync(page, PortalHtml.Fields(("StaffNote", "Bring the X-ray")), "form[action*='handler=Note']");
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        var after = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}");
        Assert.Equal("Saved the staff note.", after.One("p.notice")?.TextContent.Trim());
        Assert.Equal("Bring the X-ray", after.One("textarea#StaffNote")?.TextContent.Trim());
        Assert.StartsWith("Last changed by Olive Owner (staff) on ", after.One("#staff-note-changed")?.TextContent, StringComparison.Ordinal);
        var tooLong = await b.Biz.Owner.SubmitAsync(after, PortalHtml.Fields(("StaffNote", new string('y', 2001))), "form[action*='handler=Note']");
        Assert.Equal(HttpStatusCode.OK, tooLong.Status);
        Assert.Contains("Use at most 2000 characters.", tooLong.One("#staff-note-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("Bring the X-ray", (await StaffReadAsync(b.Biz.Owner, id)).GetProperty("staffNote").GetString());

        var patPage = await pat.PageAsync($"/staff/diary/appointments/{id}");
        Assert.Equal("Bring the X-ray", patPage.One("#staff-note")?.TextContent.Trim());
        Assert.Null(patPage.One("form[action*='handler=Note']"));
    }

    [Fact]
    public async Task A_staff_booking_over_another_appointment_names_what_holds_the_time_without_no_longer()
    {
        var b = await App.BookableAsync(durationMinutes: 60, bufferMinutes: 0);
        var mary = await App.RegisterClientAsync(b.Biz, "Mary", "Kelly");
        var alice = await App.RegisterClientAsync(b.Biz, "Alice", "Later");
        await StaffBookAsync(b, mary.Id, At(Day(8), 11));

        var refused = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(8), 11, 30), petId = (Guid?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("slot-conflict", refused.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal("Mary Kelly's Consultation 11:00 AM–12:00 PM holds that time. Choose another time.", refused.GetProperty("detail").GetString());

        // A client's booking there keeps the client's words (never another client's name).
        var own = await (await alice.BookAsync(b, At(Day(8), 11, 30))).JsonAsync(HttpStatusCode.Conflict);
        Assert.DoesNotContain("Mary", own.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
