using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Outbox;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using static Booking.IntegrationTests.Appointments.SchedulingApi;
using static Booking.IntegrationTests.PortalAuth.AppointmentTexts;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// A client with only a mobile (added by staff without an email) hears of a booking and a cancellation by SMS
/// (PortalAuth's AppointmentBookedSmsHandler and AppointmentCancelledSmsHandler), once per event; a client with an
/// email gets the emails only.
/// </summary>
public sealed class AppointmentSmsTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    private Task<List<string>> TextsAsync(string mobile, int atLeast) => fixture.NewClient().TextsToAsync(mobile, atLeast);

    private static async Task<Guid> StaffBooksAsync(Bookable b, Guid clientId, string start) =>
        (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId, serviceId = b.ServiceId, diaryId = b.DiaryId, start })).JsonAsync(HttpStatusCode.Created))
        .GetProperty("id").GetGuid();

    private static async Task StaffCancelsAsync(Bookable b, Guid id) =>
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{id}/cancel", new { reason = "Diary change" })).JsonAsync(HttpStatusCode.OK);

    private async Task<T> OutboxEventAsync<T>(Guid tenantId)
        where T : class =>
        JsonSerializer.Deserialize<T>(Assert.Single(await App.OutboxAsync(tenantId, typeof(T).Name)), OutboxMessage.Json)!;

    [Fact]
    public async Task A_phone_only_client_booked_and_cancelled_by_staff_gets_one_text_each_and_a_replay_sends_nothing_more()
    {
        var b = await App.BookableAsync();
        var slug = b.Biz.Slug;
        var added = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pia", lastName = "Phone", email = (string?)null, mobile = PortalAuthHelpers.NewMobile() })).JsonAsync(HttpStatusCode.Created);
        var clientId = added.GetProperty("id").GetGuid();
        var mobile = added.GetProperty("mobile").GetString()!;

        var id = await StaffBooksAsync(b, clientId, At(Day(4), 10));
        var texts = await TextsAsync(mobile, 1);
        Assert.Equal($"Business {slug} confirmed your appointment: Consultation, {When(Day(4), 10)}. Your appointments: ",
            texts[0][..texts[0].IndexOf("http", StringComparison.Ordinal)]);
        Assert.EndsWith($"/ol/appointments?name={slug}", texts[0], StringComparison.Ordinal); // the list itself, as the emails link it

        await StaffCancelsAsync(b, id);
        texts = await TextsAsync(mobile, 2); // newest first
        // Staff's reason ("Reason, sent to the client") is in the text, as it is in the email.
        Assert.Equal($"Business {slug} cancelled your appointment: Consultation, {When(Day(4), 10)}. Reason: Diary change. To book again: ",
            texts[0][..texts[0].IndexOf("http", StringComparison.Ordinal)]);
        Assert.EndsWith($"/ol/book?name={slug}", texts[0], StringComparison.Ordinal);

        // The same events delivered again (a retried job, a second instance): nothing more is sent.
        var booked = await OutboxEventAsync<AppointmentBooked>(b.Biz.Id);
        var cancelled = await OutboxEventAsync<AppointmentCancelled>(b.Biz.Id);
        NotificationsTestApp.Deliver(App, booked);
        NotificationsTestApp.Deliver(App, cancelled);
        await Task.Delay(2000); // time for a text to arrive, if a replay sent one
        Assert.Equal(2, (await TextsAsync(mobile, 2)).Count);
        Assert.True(await App.HandledAsync(booked.EventId, "AppointmentBookedSmsHandler"));
    }

    [Fact]
    public async Task A_client_with_an_email_gets_no_text_for_a_booking_or_a_cancellation()
    {
        var b = await App.BookableAsync();
        var emma = await App.RegisterClientAsync(b.Biz, "Emma");
        var mobile = await Sql.AdminScalarAsync<string>(App.Database.Database, "select mobile from portalauth.clients where id = @id", ("id", emma.Id));
        Assert.False(string.IsNullOrEmpty(mobile));
        await Sql.AdminExecAsync(App.Database.Database, "UPDATE portalauth.clients SET mobile_verified = true WHERE id = @id", ("id", emma.Id));

        var id = await StaffBooksAsync(b, emma.Id, At(Day(4), 11));
        await StaffCancelsAsync(b, id);
        var booked = await OutboxEventAsync<AppointmentBooked>(b.Biz.Id);
        var cancelled = await OutboxEventAsync<AppointmentCancelled>(b.Biz.Id);
        await EventJobs.ConsumedAsync(App, booked.EventId, "the booking's consumers run");
        await EventJobs.ConsumedAsync(App, cancelled.EventId, "the cancellation's consumers run");
        Assert.Equal(0, (await fixture.NewClient().DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(mobile!)}")).GetArrayLength());

        // Nobody to text: passed over on the client's read alone, with no transaction and no processed mark.
        Assert.Null(await App.HandledAsync(booked.EventId, "AppointmentBookedSmsHandler"));
        Assert.Null(await App.HandledAsync(cancelled.EventId, "AppointmentCancelledSmsHandler"));
    }
}
