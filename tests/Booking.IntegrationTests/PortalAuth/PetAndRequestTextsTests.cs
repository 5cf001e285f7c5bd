using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Outbox;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Booking.PortalAuth.Domain;
using static Booking.IntegrationTests.Appointments.SchedulingApi;
using static Booking.IntegrationTests.PortalAuth.AppointmentTexts;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// A phone-only client's texts name the pet the appointment is for, as the emails' "For: …" does, and a client who joined
/// by phone hears that their booking request arrived (decision 261): once per event, recorded in the messages list.
/// </summary>
public sealed class PetAndRequestTextsTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    private static async Task<Guid> AddPetAsync(HttpClient owner, Guid clientId, string name) =>
        (await (await owner.PostAsJsonAsync($"/api/v1/admin/clients/{clientId}/pets", new { name, species = "dog" })).JsonAsync(HttpStatusCode.Created))
        .GetProperty("id").GetGuid();

    [Fact]
    public async Task Booked_and_cancelled_texts_name_the_pet_the_appointment_is_for()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { BooksForPets = true };
        var added = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pia", lastName = "Phone", email = (string?)null, mobile = PortalAuthHelpers.NewMobile() })).JsonAsync(HttpStatusCode.Created);
        var clientId = added.GetProperty("id").GetGuid();
        var mobile = added.GetProperty("mobile").GetString()!;
        await AddPetAsync(b.Biz.Owner, clientId, "Max");
        var luna = await AddPetAsync(b.Biz.Owner, clientId, "Luna");

        var id = (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(4), 10), petId = luna })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var texts = await fixture.NewClient().TextsToAsync(mobile, 1);
        Assert.StartsWith($"Business {b.Biz.Slug} confirmed your appointment: Consultation for Luna, {When(Day(4), 10)}. Your appointments: http", texts[0], StringComparison.Ordinal);

        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{id}/cancel", new { reason = "Diary change" })).JsonAsync(HttpStatusCode.OK);
        texts = await fixture.NewClient().TextsToAsync(mobile, 2);
        Assert.StartsWith($"Business {b.Biz.Slug} cancelled your appointment: Consultation for Luna, {When(Day(4), 10)}. Reason: Diary change. To book again: http", texts[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_who_joined_by_phone_hears_once_that_their_request_arrived_and_the_text_is_in_the_messages_list()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => { s["newClientsNeedApproval"] = true; s["booksForPets"] = true; });
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true };
        var http = fixture.NewClient();
        var mobile = PortalAuthHelpers.NewMobile();
        await http.JoinByPhoneAsync(b.Biz.Slug, mobile, first: "Pete");
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true, BooksForPets = true }; // joined without naming a pet
        var rex = (await (await http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={b.Biz.Slug}", new { name = "Rex", species = "dog" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var request = await (await http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(4), 10), petId = rex, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", request.GetProperty("status").GetString());

        var texts = await http.TextsToAsync(mobile, 2); // the sign-in code, then the request's
        Assert.Equal(
            $"Business {b.Biz.Slug} received your booking request: Consultation for Rex, {When(Day(4), 10)}. It is not confirmed yet: you will get a text when they have decided. Your appointments: ",
            texts[0][..texts[0].IndexOf("http", StringComparison.Ordinal)]);
        Assert.EndsWith($"/ol/appointments?name={b.Biz.Slug}", texts[0], StringComparison.Ordinal);

        // The same event delivered again sends nothing more.
        var requested = JsonSerializer.Deserialize<BookingRequested>(Assert.Single(await App.OutboxAsync(b.Biz.Id, nameof(BookingRequested))), OutboxMessage.Json)!;
        NotificationsTestApp.Deliver(App, requested);
        await Eventually.ReturnsAsync(() => App.HandledAsync(requested.EventId, "BookingRequestedSmsHandler"), handled => handled == true, what: "the request handled by PortalAuth");
        await Task.Delay(1500); // time for a second text to arrive, if the replay sent one
        Assert.Equal(2, (await http.TextsToAsync(mobile, 2)).Count);

        // Staff see it in Tools → Messages, as every text (decision 252).
        var logged = (await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/messages?limit=500", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Single(m => m.GetProperty("channel").GetString() == "text" && m.GetProperty("kind").GetString() == "text-request-received");
        Assert.Equal("Request received text to client", logged.GetProperty("kindLabel").GetString());
        Assert.Equal("sent", logged.GetProperty("status").GetString());
        Assert.Equal(texts[0], logged.GetProperty("body").GetString());
        Assert.Equal(request.GetProperty("id").GetGuid(), logged.GetProperty("appointment").GetProperty("id").GetGuid());

        // The decision names the pet too.
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{request.GetProperty("id").GetGuid()}/decline", new { reason = "Fully booked" })).JsonAsync(HttpStatusCode.OK);
        texts = await http.TextsToAsync(mobile, 3);
        Assert.StartsWith($"Business {b.Biz.Slug} could not accept your booking request for Consultation for Rex, {When(Day(4), 10)}. Reason: Fully booked.", texts[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_phone_client_asking_to_cancel_inside_the_window_hears_by_text_that_the_request_arrived()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 720, ["text"] = "A month's notice, please.", ["insideWindow"] = "request" });
        var http = fixture.NewClient();
        var mobile = PortalAuthHelpers.NewMobile();
        await http.JoinByPhoneAsync(b.Biz.Slug, mobile, first: "Cara");
        var booked = await (await http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(4), 10), acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        var id = booked.GetProperty("id").GetGuid();
        await http.TextsToAsync(mobile, 2); // the sign-in code, then the booked text

        Assert.Equal(HttpStatusCode.Accepted, (await http.CancelAsync(b.Biz.Slug, id, "Car trouble")).StatusCode);
        var texts = await http.TextsToAsync(mobile, 3);
        Assert.Equal(
            $"Business {b.Biz.Slug} received your request to cancel your appointment: Consultation, {When(Day(4), 10)}. It stands until they decide: you will get a text when they have. To keep it instead: ",
            texts[0][..texts[0].IndexOf("http", StringComparison.Ordinal)]);
        Assert.EndsWith($"/ol/cancel?name={b.Biz.Slug}&id={id}", texts[0], StringComparison.Ordinal);

        var logged = (await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/messages?limit=500", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Single(m => m.GetProperty("kind").GetString() == "text-cancellation-request-received");
        Assert.Equal("Cancellation request received text to client", logged.GetProperty("kindLabel").GetString());
        Assert.Equal(id, logged.GetProperty("appointment").GetProperty("id").GetGuid());
    }
}
