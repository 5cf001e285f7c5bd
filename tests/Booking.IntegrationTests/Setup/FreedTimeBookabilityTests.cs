using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// The kept "taking bookings" answer (<c>GetOnlineBookability</c>, kept up to 30 s) follows the diary's time: a fully
/// booked business whose time is freed (an appointment cancelled by staff or by the client, a booking request declined,
/// a busy block removed) is taking bookings again from the very next answer, on the instance that freed it and, once the
/// change commits, on every other; and the booking that takes its last free time makes it say fully booked at once.
/// Every test first makes the business answer "fully booked" (so that answer is kept) before the time is freed.
/// </summary>
public sealed class FreedTimeBookabilityTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static readonly TimeSpan FarBelowTheLifetime = TimeSpan.FromSeconds(10);

    private BookingApp App => shared.App;

    [Fact]
    public async Task A_fully_booked_business_whose_appointment_staff_cancel_is_taking_bookings_at_once()
    {
        var (b, _, appointment) = await FullyBookedAsync();

        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{appointment}/cancel", new { reason = "Diary change" })).JsonAsync(HttpStatusCode.OK);

        await AssertTakingAsync(App.NewClient(), b.Biz);
        Assert.Null((await App.NewClient().PageAsync($"/ol/book?name={b.Biz.Slug}")).One("p.not-bookable"));
    }

    [Fact]
    public async Task A_fully_booked_business_whose_client_cancels_in_the_portal_is_taking_bookings_at_once()
    {
        var (b, client, appointment) = await FullyBookedAsync();

        await (await client.Http.CancelAsync(b.Biz.Slug, appointment, "Can't make it")).JsonAsync(HttpStatusCode.OK);

        await AssertTakingAsync(App.NewClient(), b.Biz);
        Assert.Null((await client.Http.PageAsync($"/ol/book?name={b.Biz.Slug}")).One("p.not-bookable"));
    }

    [Fact]
    public async Task A_business_fully_booked_by_a_request_that_staff_decline_is_taking_bookings_at_once()
    {
        var (b, start) = await OneFreeTimeAsync();
        var client = await App.RegisterClientAsync(b.Biz);
        await Sql.AdminExecAsync(App.Database.Database, "UPDATE portalauth.clients SET status = 'pending-approval' WHERE id = @id", ("id", client.Id));
        var request = await (await client.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", request.GetProperty("status").GetString()); // a request holds the time until decided
        AssertNotTaking(await BusinessAsync(App.NewClient(), b.Biz), "fully-booked");

        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{request.GetProperty("id").GetGuid()}/decline", new { reason = "Not this week" }))
            .JsonAsync(HttpStatusCode.OK);

        await AssertTakingAsync(App.NewClient(), b.Biz);
    }

    [Fact]
    public async Task A_business_whose_only_free_time_a_busy_block_held_is_taking_bookings_as_soon_as_staff_remove_it()
    {
        var (b, start) = await OneFreeTimeAsync();
        var block = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/busy-blocks",
            new { diaryId = b.DiaryId, start, end = SchedulingApi.At(SchedulingApi.Day(2), 11), note = "Staff meeting" })).JsonAsync(HttpStatusCode.Created);
        AssertNotTaking(await BusinessAsync(App.NewClient(), b.Biz), "fully-booked");

        Assert.Equal(HttpStatusCode.NoContent,
            (await b.Biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/busy-blocks/{block.GetProperty("id").GetGuid()}", UriKind.Relative))).StatusCode);

        await AssertTakingAsync(App.NewClient(), b.Biz);
    }

    [Fact]
    public async Task Taking_the_last_free_time_makes_the_business_fully_booked_at_once_on_the_instance_that_took_it()
    {
        var (b, start) = await OneFreeTimeAsync();
        var visitor = App.NewClient();
        await AssertTakingAsync(visitor, b.Biz); // kept: bookable, resting on the one free start
        var readiness = await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/portal/readiness", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.False(readiness.TryGetProperty("restsOn", out _), readiness.ToString()); // what drops the kept answer is not API

        // A client books it.
        var client = await App.RegisterClientAsync(b.Biz);
        var booked = await (await client.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created);
        AssertNotTaking(await BusinessAsync(visitor, b.Biz), "fully-booked");
        Assert.StartsWith($"Business {b.Biz.Slug} has no free times to book online at the moment.",
            (await visitor.PageAsync($"/ol/book?name={b.Biz.Slug}")).One("p.not-bookable")!.TextContent, StringComparison.Ordinal);

        // Staff cancel it (free again), then hold the time with a busy block (taken again).
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{booked.GetProperty("id").GetGuid()}/cancel", new { reason = "Moved" })).JsonAsync(HttpStatusCode.OK);
        await AssertTakingAsync(visitor, b.Biz);
        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/busy-blocks",
            new { diaryId = b.DiaryId, start, end = SchedulingApi.At(SchedulingApi.Day(2), 10, 30), note = "Half an hour is enough" })).JsonAsync(HttpStatusCode.Created);
        AssertNotTaking(await BusinessAsync(visitor, b.Biz), "fully-booked");
    }

    [Fact]
    public async Task Time_freed_on_one_instance_reaches_another_instance_once_it_commits()
    {
        var (b, _, appointment) = await FullyBookedAsync();
        await using var other = new BookingApp(App.Database); // a second instance of the app on the same database
        var onOther = other.NewClient();
        AssertNotTaking(await BusinessAsync(onOther, b.Biz), "fully-booked"); // kept there too

        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{appointment}/cancel", new { reason = "Diary change" })).JsonAsync(HttpStatusCode.OK);

        await AssertTakingAsync(App.NewClient(), b.Biz);
        await Eventually.ReturnsAsync(async () => (await BusinessAsync(onOther, b.Biz)).GetProperty("takingBookings").GetBoolean(), taking => taking,
            FarBelowTheLifetime, "the other instance to drop its kept answer when the cancellation's notification arrives");
    }

    /// <summary>
    /// One start in the whole horizon: the day after tomorrow 10:00 (a 60-minute service in 10:00–11:00), and the client
    /// may cancel online until the start.
    /// </summary>
    private async Task<(Bookable B, string Start)> OneFreeTimeAsync()
    {
        var biz = await App.SignUpBusinessAsync("freed");
        await biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 0, ["text"] = "Cancel any time.", ["insideWindow"] = "refuse" });
        var diary = await biz.CreateDiaryAsync("Dr Busy");
        var service = await biz.CreateServiceAsync("Consultation", diary);
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 2);
        var day = SchedulingApi.Day(2);
        await ExceptionAsync(biz, diary, day, "10:00", "11:00");
        return (new Bookable(biz, diary, service), SchedulingApi.At(day, 10));
    }

    /// <summary><see cref="OneFreeTimeAsync"/>, booked by a client, and the portal answer "fully booked" kept.</summary>
    private async Task<(Bookable B, PortalClient Client, Guid Appointment)> FullyBookedAsync()
    {
        var (b, start) = await OneFreeTimeAsync();
        var client = await App.RegisterClientAsync(b.Biz);
        var booked = await (await client.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created);
        AssertNotTaking(await BusinessAsync(App.NewClient(), b.Biz), "fully-booked");
        return (b, client, booked.GetProperty("id").GetGuid());
    }

    private static async Task ExceptionAsync(TestBusiness biz, Guid diary, NodaTime.LocalDate day, string start, string end) =>
        await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{diary}/exceptions",
            new { date = SchedulingApi.Iso(day), closed = false, blocks = new[] { new { start, end, bookableOnline = true } } })).JsonAsync(HttpStatusCode.Created);

    private static async Task<JsonElement> BusinessAsync(HttpClient http, TestBusiness biz) =>
        await (await http.GetAsync(new Uri($"/api/v1/portal/business?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static async Task AssertTakingAsync(HttpClient http, TestBusiness biz)
    {
        var facts = await BusinessAsync(http, biz);
        Assert.True(facts.GetProperty("takingBookings").GetBoolean(), facts.ToString());
        Assert.Equal(JsonValueKind.Null, facts.GetProperty("notTakingBookingsReason").ValueKind);
    }

    private static void AssertNotTaking(JsonElement facts, string reason)
    {
        Assert.False(facts.GetProperty("takingBookings").GetBoolean(), facts.ToString());
        Assert.Equal(reason, facts.GetProperty("notTakingBookingsReason").GetString());
    }
}
