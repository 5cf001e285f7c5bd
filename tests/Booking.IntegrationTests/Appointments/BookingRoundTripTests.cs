using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Jobs;
using Booking.BuildingBlocks.Outbox;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Booking.IntegrationTests.PortalPages;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// What a portal booking costs in round trips to PostgreSQL (issue 4: booking throughput), counted per piece of work by
/// <see cref="RoundTrips"/>: the API's booking, the confirm page's GET and post, and the consumers its
/// <see cref="AppointmentBooked"/> event starts. On an app whose Hangfire runs no job, so the consumers run only here,
/// inline, once each; every figure is of a warm app (a booking before it compiled the queries and filled the caches). The
/// bounds are today's counts: a change that adds a round trip to a booking fails here, and the test's output lists the
/// statements.
/// </summary>
public sealed class BookingRoundTripTests(PortalAuthAppWithoutJobs fixture, ITestOutputHelper output) : IClassFixture<PortalAuthAppWithoutJobs>
{
    private BookingApp App => fixture.App;

    private IReadOnlyList<string> Report(string what, IReadOnlyList<string> trips)
    {
        output.WriteLine($"{what}: {trips.Count} round trips");
        foreach (var trip in trips)
        {
            output.WriteLine("  " + string.Join(' ', trip.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        }

        return trips;
    }

    private async Task<IReadOnlyList<string>> ConsumeAsync(RoundTrips trips, Guid tenantId, string payload)
    {
        var evt = JsonSerializer.Deserialize<AppointmentBooked>(payload, OutboxMessage.Json)!;
        using var scope = App.Services.CreateScope();
        var job = scope.ServiceProvider.GetRequiredService<IntegrationEventJob>();
        using (var activity = RoundTrips.Start("consume"))
        {
            await job.DeliverAsync(tenantId, evt.EventId, OutboxMessage.TypeName(typeof(AppointmentBooked)), payload, CancellationToken.None);
            return trips.Of(activity.TraceId);
        }
    }

    [Fact]
    public async Task A_portal_booking_and_the_consumers_of_its_event_make_few_round_trips()
    {
        var b = await App.BookableAsync();
        var emma = await App.RegisterClientAsync(b.Biz, "Emma");
        using var trips = new RoundTrips();

        // Warm: the first booking and its consumers compile their queries and fill the caches.
        await (await emma.BookAsync(b, At(Day(3), 9))).JsonAsync(HttpStatusCode.Created);
        await ConsumeAsync(trips, b.Biz.Id, (await App.OutboxAsync(b.Biz.Id, nameof(AppointmentBooked)))[0]);

        var (trace, header) = RoundTrips.NewTrace();
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/portal/appointments?name={b.Biz.Slug}"))
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(3), 11), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null });
            request.Headers.Add(header.Name, header.Value);
            await (await emma.Http.SendAsync(request)).JsonAsync(HttpStatusCode.Created);
        }

        var booking = Report("POST /api/v1/portal/appointments", trips.Of(trace));
        var consumers = Report("AppointmentBooked's consumers (client with an email)", await ConsumeAsync(trips, b.Biz.Id, (await App.OutboxAsync(b.Biz.Id, nameof(AppointmentBooked)))[1]));

        // The confirm page: its GET and its post, which books and redirects.
        var iso = (await emma.Http.SlotsAsync(b, Day(4), Day(4))).Starts()[6].ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var url = $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&start={Uri.EscapeDataString(iso)}";
        (trace, header) = RoundTrips.NewTrace();
        var page = await emma.Http.PageAsync(url, header);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var shown = Report("GET the confirm page", trips.Of(trace));
        (trace, header) = RoundTrips.NewTrace();
        var posted = await emma.Http.SubmitAsync(page, new Dictionary<string, string>(), null, header);
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        var confirmed = Report("POST the confirm page", trips.Of(trace));

        // Session 26: the session, the client, the limit's lock and count with the diary's busy blocks, the insert with
        // its outbox row, the commit (6 before: the busy blocks had a round trip of their own).
        // Session 38: 6, the client's recent cancellations read on their own (decision 322's churn limit), before the lock;
        // session 39: 5 again, that read a column of the limit's statement (decision 329).
        Assert.True(booking.Count <= 5, $"{booking.Count} round trips");
        // The emails (seen?, client, messages with the mark as one batch: no COMMIT of its own; the notification settings
        // are kept), the text's recipient (a client with an email: nobody to text, no mark). Session 27: 7 before (the
        // settings, the COMMIT, and the first-request update, which now runs only when the booking found the mark).
        // Decision 352: a business that never saved its notification choices (this one) emails its diary contact of a
        // portal booking, so the consumers now also read whether that contact is confirmed (decision 196: nobody is mailed
        // unasked), one round trip more (5); its "New booking" rides in the same batch as the client's message.
        Assert.True(consumers.Count <= 5, $"{consumers.Count} round trips");
        Assert.Single(consumers, t => t.Contains("FROM notifications.address_confirmations", StringComparison.Ordinal));
        Assert.DoesNotContain("COMMIT", consumers);
        Assert.DoesNotContain(consumers, t => t.Contains("notification_settings", StringComparison.Ordinal) || t.Contains("awaiting_first_request =", StringComparison.Ordinal));
        Assert.Contains(consumers, t => t.Contains("INSERT INTO notifications.outbound_messages", StringComparison.Ordinal)
            && t.Contains("INSERT INTO notifications.processed_events", StringComparison.Ordinal));
        // The pages ask no more whether the client has a password (the session says it): the GET 5 before (now the session,
        // the client and the diary's time), the post 10 before, now 8: the client is read once, by the booking.
        Assert.True(shown.Count <= 4, $"{shown.Count} round trips");
        // Session 38: 9, the booking's read of the client's recent cancellations (decision 322); session 39: 8 again, as above.
        Assert.True(confirmed.Count <= 8, $"{confirmed.Count} round trips");
        Assert.DoesNotContain(shown.Concat(confirmed), t => t.Contains("password_hash IS NOT NULL", StringComparison.Ordinal));
        Assert.Single(confirmed, t => t.Contains("FROM portalauth.clients", StringComparison.Ordinal));
    }
    /// <summary>
    /// What the client's reads of their appointments cost: the My appointments list (API), one appointment's answer, and
    /// the booking page, whose booking-limit read counts the client's upcoming appointments and recent cancellations. The
    /// list and the answer say <c>canMove</c>, which needs the client's recent moves (decision 326); the figures are of a
    /// warm app with a movable appointment, so that read is made.
    /// </summary>
    [Fact]
    public async Task The_clients_reads_of_their_appointments_and_booking_limit_make_few_round_trips()
    {
        var b = await App.BookableAsync();
        var emma = await App.RegisterClientAsync(b.Biz, "Emma");
        var id = (await (await emma.BookAsync(b, At(Day(3), 9))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await emma.Http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/move?name={b.Biz.Slug}", new { start = At(Day(3), 10) })).JsonAsync(HttpStatusCode.OK);
        using var trips = new RoundTrips();

        async Task<IReadOnlyList<string>> ReadAsync(string what, string url)
        {
            var (trace, header) = RoundTrips.NewTrace();
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add(header.Name, header.Value);
            using var response = await emma.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (response.Content.Headers.ContentType?.MediaType == "application/json")
            {
                var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                var item = json.TryGetProperty("items", out var items) ? items[0] : json;
                Assert.True(item.GetProperty("canMove").GetBoolean()); // movable: the moves limit was read
            }

            return Report(what, trips.Of(trace));
        }

        // Warm: each read once compiles its queries and fills the caches.
        var listUrl = $"/api/v1/portal/appointments?name={b.Biz.Slug}&when=upcoming";
        var oneUrl = $"/api/v1/portal/appointments/{id}?name={b.Biz.Slug}";
        var bookUrl = $"/ol/book?name={b.Biz.Slug}";
        await ReadAsync("warm", listUrl);
        await ReadAsync("warm", oneUrl);
        await ReadAsync("warm", bookUrl);

        var list = await ReadAsync("GET /api/v1/portal/appointments", listUrl);
        var one = await ReadAsync("GET /api/v1/portal/appointments/{id}", oneUrl);
        var book = await ReadAsync("GET /ol/book", bookUrl);
        // Session 40 (decision 335): the list 4 (5 before: the client's moves read on their own; now a column of the page's
        // statement), one appointment 3 (4: the moves ride along with its withdrawn requests' count), the booking page 3
        // (4: the client's recent cancellations counted with the upcoming ones).
        Assert.True(list.Count <= 4, $"{list.Count} round trips");
        Assert.Single(list, t => t.Contains("client_moves", StringComparison.Ordinal));
        Assert.Contains(list, t => t.Contains("client_moves", StringComparison.Ordinal) && t.Contains("a.cancellation_hours", StringComparison.Ordinal));
        Assert.True(one.Count <= 3, $"{one.Count} round trips");
        Assert.Contains(one, t => t.Contains("client_moves", StringComparison.Ordinal) && t.Contains("cancellation_request_withdrawals", StringComparison.Ordinal));
        Assert.True(book.Count <= 3, $"{book.Count} round trips");
        Assert.Single(book, t => t.Contains("FROM appointments.appointments", StringComparison.Ordinal));
    }

    /// <summary>
    /// The staff Book page's post (decision 341): the portal settings and the client are read once for the post (the
    /// page's pet check, then the booking's kept policy, its client and its answer's names), not once by the page and
    /// again by the booking. Bound at the count measured when it was made; the client's row is read by one command.
    /// </summary>
    [Fact]
    public async Task The_staff_Book_pages_post_reads_the_client_once()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        PortalAuthApp.Rules[b.Biz.Id] = Booking.PortalAuth.Domain.PortalRules.Default with { BooksForPets = true };
        var pat = (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pat", lastName = "Owner", email = $"pat.{Guid.NewGuid():N}@test.example", mobile = (string?)null })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var rex = (await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/clients/{pat}/pets", new { name = "Rex", species = "dog" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        using var trips = new RoundTrips();

        async Task<IReadOnlyList<string>> PostAsync(LocalDateHour at)
        {
            var form = await b.Biz.Owner.PageAsync($"/staff/diary/book?date={Iso(at.Day)}");
            var (trace, header) = RoundTrips.NewTrace();
            var posted = await b.Biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Input.ClientId", pat.ToString()), ("Input.ServiceId", b.ServiceId.ToString()),
                ("Input.DiaryId", b.DiaryId.ToString()), ("Input.PetId", rex.ToString()), ("Input.Date", Iso(at.Day)), ("Input.Time", $"{at.Hour:D2}:00")), "#book-form", header);
            Assert.True(posted.Status == HttpStatusCode.Redirect, $"Not booked ({posted.Status}):\n{posted.Text}");
            return Report($"Book post at {at.Hour}:00", trips.Of(trace));
        }

        await PostAsync(new LocalDateHour(Day(3), 9)); // warm: compiled queries, caches
        var post = await PostAsync(new LocalDateHour(Day(3), 11));
        Assert.Single(post, t => t.Contains("portalauth.clients", StringComparison.Ordinal));
        Assert.True(post.Count <= PostBound, $"{post.Count} round trips");
    }

    /// <summary>The Book post's round trips when the test was made (decision 341: 10, the client read once; the API's named booking 7 → 6).</summary>
    private const int PostBound = 10;

    private sealed record LocalDateHour(NodaTime.LocalDate Day, int Hour);

    /// <summary>
    /// A client's move (decision 353): the hours version it compares is asked of the cached roster (no statement) and read
    /// in force as a column of its client statement: the compare adds no statement of its own.
    /// </summary>
    [Fact]
    public async Task A_client_move_compares_the_hours_version_in_its_client_statement_with_no_roster_statement_of_its_own()
    {
        var b = await App.BookableAsync();
        var emma = await App.RegisterClientAsync(b.Biz, "Emma");
        var id = (await (await emma.BookAsync(b, At(Day(3), 9))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        using var trips = new RoundTrips();

        async Task<IReadOnlyList<string>> MoveAsync(string start)
        {
            var (trace, header) = RoundTrips.NewTrace();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/portal/appointments/{id}/move?name={b.Biz.Slug}");
            request.Content = JsonContent.Create(new { start });
            request.Headers.Add(header.Name, header.Value);
            await (await emma.Http.SendAsync(request)).JsonAsync(HttpStatusCode.OK);
            return Report($"POST …/appointments/{{id}}/move to {start}", trips.Of(trace));
        }

        await MoveAsync(At(Day(3), 10)); // warm: compiled queries, caches
        var move = await MoveAsync(At(Day(3), 11));
        Assert.Single(move, t => t.Contains("hours_version", StringComparison.Ordinal) && t.Contains("client_moves", StringComparison.Ordinal));
        Assert.DoesNotContain(move, t => t.Contains("FROM roster.", StringComparison.Ordinal) && !t.Contains("client_moves", StringComparison.Ordinal));
        Assert.True(move.Count <= MoveBound, $"{move.Count} round trips");
    }

    /// <summary>
    /// A warm client move's round trips when the test was made (decision 353: 10, with the compare; the compare reads
    /// nothing of its own, asserted above: the version is a column of the client statement, and no roster statement).
    /// </summary>
    private const int MoveBound = 10;
}
