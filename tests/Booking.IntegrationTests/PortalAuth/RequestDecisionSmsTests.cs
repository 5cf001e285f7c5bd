using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.Appointments.Contracts;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using static Booking.IntegrationTests.Appointments.SchedulingApi;
using static Booking.IntegrationTests.PortalAuth.AppointmentTexts;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Review J2: a client who joined by phone without an email hears staff's decision on their request by SMS
/// (PortalAuth's RequestDecisionSmsHandler); a client with an email gets the email only; one text per event.
/// </summary>
public sealed class RequestDecisionSmsTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    private async Task<(Bookable B, HttpClient Http, Guid ClientId, string Mobile)> PhoneClientAsync()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var http = fixture.NewClient();
        var mobile = PortalAuthHelpers.NewMobile();
        var clientId = Guid.Parse(await http.JoinByPhoneAsync(b.Biz.Slug, mobile, first: "Pete"));
        await Sql.AdminExecAsync(App.Database.Database, "UPDATE portalauth.clients SET status = 'pending-approval' WHERE id = @id", ("id", clientId));
        return (b, http, clientId, mobile);
    }

    [Fact]
    public async Task A_phone_client_without_an_email_hears_a_declined_and_an_accepted_booking_request_by_sms()
    {
        var (b, http, _, mobile) = await PhoneClientAsync();
        var declined = await (await http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(4), 10), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", declined.GetProperty("status").GetString());
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{declined.GetProperty("id").GetGuid()}/decline", new { reason = "We don't groom cats" }))
            .JsonAsync(HttpStatusCode.OK);

        // The sign-in code, the request's "received" text, then the decision (newest first).
        var texts = await http.TextsToAsync(mobile, 3);
        var link = $"/ol/book?name={b.Biz.Slug}";
        var decision = Assert.Single(texts, t => t.Contains("could not accept", StringComparison.Ordinal));
        Assert.Equal(
            $"Business {b.Biz.Slug} could not accept your booking request for Consultation, {When(Day(4), 10)}. Reason: We don't groom cats. To choose another time: ",
            decision[..decision.IndexOf("http", StringComparison.Ordinal)]);
        Assert.EndsWith(link, decision, StringComparison.Ordinal);
        Assert.True(decision.Length <= 306, decision);

        var accepted = await (await http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(5), 14), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{accepted.GetProperty("id").GetGuid()}/accept", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        texts = await http.TextsToAsync(mobile, 5);
        var acceptance = Assert.Single(texts, t => t.Contains("accepted your booking request", StringComparison.Ordinal));
        Assert.StartsWith($"Business {b.Biz.Slug} accepted your booking request: Consultation, {When(Day(5), 14)}. Your appointments: ", acceptance, StringComparison.Ordinal);
        Assert.EndsWith($"/ol/appointments?name={b.Biz.Slug}", acceptance, StringComparison.Ordinal); // the list itself, as the emails link it
    }

    /// <summary>Review J17: approval is news to the client too; one without an email hears it by SMS.</summary>
    [Fact]
    public async Task A_phone_client_without_an_email_hears_by_sms_that_they_were_approved_once()
    {
        var (b, http, clientId, mobile) = await PhoneClientAsync();
        await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/clients/{clientId}/approve", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/clients/{clientId}/approve", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);

        var texts = await http.TextsToAsync(mobile, 2); // the sign-in code, then the approval
        Assert.Equal(
            $"Business {b.Biz.Slug} approved you as a client: your bookings are now confirmed straight away, no request to wait on. Book: ",
            texts[0][..texts[0].IndexOf("http", StringComparison.Ordinal)]);
        Assert.EndsWith($"/ol/book?name={b.Biz.Slug}", texts[0], StringComparison.Ordinal);
        await Task.Delay(1500); // time for a second text to arrive, if the repeat sent one
        Assert.Equal(2, (await http.TextsToAsync(mobile, 2)).Count);
    }

    [Fact]
    public async Task A_client_with_an_email_gets_no_sms_for_a_decision()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var emma = await App.RegisterClientAsync(b.Biz, "Emma");
        var mobile = await Sql.AdminScalarAsync<string>(App.Database.Database, "select mobile from portalauth.clients where id = @id", ("id", emma.Id));
        Assert.False(string.IsNullOrEmpty(mobile));
        // Her mobile is also proven, so nothing but the email decides.
        await Sql.AdminExecAsync(App.Database.Database, "UPDATE portalauth.clients SET status = 'pending-approval', mobile_verified = true WHERE id = @id", ("id", emma.Id));

        var request = await (await emma.BookAsync(b, At(Day(4), 10))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", request.GetProperty("status").GetString());
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{request.GetProperty("id").GetGuid()}/decline", new { reason = "Fully booked" }))
            .JsonAsync(HttpStatusCode.OK);

        var decided = JsonDocument.Parse(Assert.Single(await App.OutboxAsync(b.Biz.Id, "BookingRequestDecided"))).RootElement.GetProperty("eventId").GetGuid();
        await EventJobs.ConsumedAsync(App, decided, "the decision's consumers run");
        Assert.Equal(0, (await emma.Http.DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(mobile!)}")).GetArrayLength());
    }

    [Fact]
    public async Task The_same_decision_event_delivered_twice_sends_one_text_and_a_declined_cancellation_request_says_the_appointment_stands()
    {
        var (b, http, clientId, mobile) = await PhoneClientAsync();
        var start = DateTimeOffset.Parse(At(Day(6), 9), System.Globalization.CultureInfo.InvariantCulture);
        var evt = new BookingRequestDecided(
            Guid.NewGuid(), b.Biz.Id, Guid.NewGuid(), clientId, "cancellation", false, "Inside 48 hours,\nsorry", b.DiaryId, b.ServiceId, start, start.AddHours(1));
        NotificationsTestApp.Deliver(App, evt);
        NotificationsTestApp.Deliver(App, evt);

        await Eventually.ReturnsAsync(() => App.HandledAsync(evt.EventId, "RequestDecisionSmsHandler"), handled => handled == true, what: "the decision handled by PortalAuth");
        var texts = await http.TextsToAsync(mobile, 2);
        await Task.Delay(1500); // time for a second text to arrive, if one were sent
        texts = await http.TextsToAsync(mobile, 2);
        Assert.Equal(2, texts.Count); // the sign-in code and one decision
        var expected = $"Business {b.Biz.Slug} could not accept your request to cancel Consultation, {When(Day(6), 9)}; it stands. Reason: Inside 48 hours, sorry. Your appointments: ";
        Assert.True(texts[0].StartsWith(expected, StringComparison.Ordinal), texts[0]);

        // Recorded for staff once, though the event's start carried the business's offset (decision 252).
        Assert.Equal("sent", await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<string>(App.Database.Database, "select string_agg(status, ',') from portalauth.texts where event_id = @e", ("e", evt.EventId)),
            status => status is not null, TimeSpan.FromSeconds(30), "the decision text's record"));
    }

    /// <summary>The texts, as the emails, offer only what the portal lets the client do now (decision 152's closings).</summary>
    [Fact]
    public async Task With_the_list_off_an_accepted_request_links_its_cancel_page_and_with_booking_off_the_approval_has_no_booking_link()
    {
        var (b, http, clientId, mobile) = await PhoneClientAsync();
        await b.Biz.SettingsAsync(s => s["accessLevels"] = new JsonObject { ["view"] = false, ["book"] = true, ["cancel"] = true });
        var request = await (await http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(5), 11), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        var id = request.GetProperty("id").GetGuid();
        await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{id}/accept", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        var texts = await http.TextsToAsync(mobile, 3); // the code, the request's received text, the decision
        var accepted = Assert.Single(texts, t => t.Contains("accepted your booking request", StringComparison.Ordinal));
        Assert.StartsWith($"Business {b.Biz.Slug} accepted your booking request: Consultation, {When(Day(5), 11)}. To cancel: http", accepted, StringComparison.Ordinal);
        Assert.EndsWith($"/ol/cancel?name={b.Biz.Slug}&id={id}", accepted, StringComparison.Ordinal);
        Assert.DoesNotContain("Your appointments", accepted, StringComparison.Ordinal);
        // The received text too offers no list while the list is off.
        Assert.Equal($"Business {b.Biz.Slug} received your booking request: Consultation, {When(Day(5), 11)}. It is not confirmed yet: you will get a text when they have decided.",
            Assert.Single(texts, t => t.Contains("received your booking request", StringComparison.Ordinal)));

        await b.Biz.SettingsAsync(s => s["accessLevels"] = new JsonObject { ["view"] = false, ["book"] = false, ["cancel"] = false });
        await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/clients/{clientId}/approve", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        texts = await http.TextsToAsync(mobile, 4);
        Assert.Equal($"Business {b.Biz.Slug} approved you as a client: your bookings are now confirmed straight away, no request to wait on.", texts[0]);
    }
}
