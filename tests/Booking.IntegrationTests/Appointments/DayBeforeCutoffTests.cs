using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// The day-before cut-off (decision 290) over an evening on the app's own clock: at 19:30 the next day's times are
/// offered and today's are not; from 20:00 the next day is closed to clients' free times, bookings and moves (the
/// booking refused as a time inside the notice is, <c>slot-unavailable</c>), and the portal's day list says why; staff
/// still book it.
/// </summary>
public sealed class DayBeforeCutoffTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private BookingApp app = null!;

    public async Task InitializeAsync()
    {
        await new SharedApp().InitializeAsync(); // the shared app provisions the test roles (two fixtures at once race)
        app = new BookingApp(await TestDatabaseServer.CreateDatabaseAsync("cutoff"), clock);
        _ = app.Server; // migrations run here
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static string Text(LocalDateTime local) =>
        local.InZoneLeniently(Sydney).ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>Moves the app's clock forward to a Sydney wall-clock time.</summary>
    private void SetClock(LocalDateTime local) => clock.SetUtcNow(local.InZoneStrictly(Sydney).ToInstant().ToDateTimeOffset());

    private Task<HttpResponseMessage> MoveAsync(PortalClient client, Bookable b, Guid id, string start) =>
        client.Http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/move?name={b.Biz.Slug}", new { start, diaryId = (string?)null });

    [Fact]
    public async Task From_the_cut_off_the_next_day_is_closed_to_clients_free_times_bookings_and_moves_but_not_to_staff()
    {
        // The evening: 19:30 today in Sydney (today's if still ahead, else tomorrow's); D is the day after it.
        var now = clock.GetUtcNow();
        var localNow = Instant.FromDateTimeOffset(now).InZone(Sydney).LocalDateTime;
        var evening = localNow.Date.At(new LocalTime(19, 30)) > localNow ? localNow.Date : localNow.Date.PlusDays(1);
        SetClock(evening.At(new LocalTime(19, 30)));
        var d = evening.PlusDays(1);

        var b = await app.BookableAsync(durationMinutes: 60, bufferMinutes: 0); // online 00:00–23:30 every day, no notice
        var alice = await app.RegisterClientAsync(b.Biz);
        var anyone = app.NewClient();
        Assert.NotEmpty(await anyone.SlotsAsync(b, evening, evening)); // without a cut-off, this evening's times are offered

        var saved = await (await b.Biz.Owner.PutAsJsonAsync("/api/v1/admin/booking-rules",
            new { slotIntervalMinutes = 30, minimumNoticeMinutes = 0, horizonDays = 60, dayBeforeCutoff = "20:00" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("20:00", saved.GetProperty("dayBeforeCutoff").GetString());

        // 19:30: the same day is never offered; D is, from its first time.
        Assert.Empty(await anyone.SlotsAsync(b, evening, evening));
        Assert.Equal(d.AtStartOfDayInZone(Sydney).ToDateTimeOffset(), (await anyone.SlotsAsync(b, d, d)).Starts()[0]);
        var kept = await (await alice.BookAsync(b, Text(d.PlusDays(1).At(new LocalTime(10, 0))))).JsonAsync(HttpStatusCode.Created);
        var keptId = kept.GetProperty("id").GetGuid();
        var page = await anyone.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}&date={Iso(evening)}");
        Assert.Equal("No free times on this day: online booking for it has closed. Book by 8:00 PM the day before.", page.One("#day-closed")?.TextContent.Trim());
        Assert.Contains("Book by 8:00 PM the day before.", page.One("#date-hint")?.TextContent, StringComparison.Ordinal);

        // 20:00: D closes. Its free times go, a booking of a time that was on screen is refused as one inside the notice is.
        SetClock(evening.At(new LocalTime(20, 0)));
        Assert.Empty(await anyone.SlotsAsync(b, d, d));
        Assert.NotEmpty(await anyone.SlotsAsync(b, d.PlusDays(1), d.PlusDays(1)));
        var late = await (await alice.BookAsync(b, Text(d.At(new LocalTime(10, 0))))).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("slot-unavailable", late.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal("That time isn't one of the free times offered for booking online. Choose another time.", late.GetProperty("detail").GetString());
        page = await anyone.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}&date={Iso(d)}");
        Assert.Contains("online booking for it has closed", page.One("#day-closed")?.TextContent, StringComparison.Ordinal);

        // A client's move onto D is refused alike; onto the day after, it goes.
        Assert.Equal("slot-unavailable", await (await MoveAsync(alice, b, keptId, Text(d.At(new LocalTime(12, 0))))).KindAsync(HttpStatusCode.Conflict));
        await (await MoveAsync(alice, b, keptId, Text(d.PlusDays(1).At(new LocalTime(12, 0))))).JsonAsync(HttpStatusCode.OK);

        // Staff: D's times are still free to them (marked not offered online), and they book one.
        var staffTimes = await (await b.Biz.Owner.GetAsync(new Uri(
            $"/api/v1/admin/availability?service={b.ServiceId}&diary={b.DiaryId}&from={Iso(d)}&to={Iso(d)}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var first = staffTimes.GetProperty("slots").EnumerateArray().First();
        Assert.False(first.GetProperty("offeredOnline").GetBoolean());
        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = Text(d.At(new LocalTime(10, 0))), petId = (Guid?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
    }
}
