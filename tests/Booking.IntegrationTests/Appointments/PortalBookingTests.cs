using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

public sealed class PortalBookingTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task A_booking_for_one_of_my_pets_names_the_pet_in_the_answer_and_in_my_list_and_another_clients_pet_is_refused()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        var rex = await AddPetAsync(b.Biz.Id, alice.Id, "Rex");
        var bobsCat = await AddPetAsync(b.Biz.Id, bob.Id, "Tom");
        var day = Day(4);

        var response = await alice.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(day, 10), petId = rex, acceptedTermsVersion = (int?)null, note = (string?)null });
        var booked = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal(rex, booked.GetProperty("pet").GetProperty("id").GetGuid());
        Assert.Equal("Rex", booked.GetProperty("pet").GetProperty("name").GetString());
        var listed = (await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}&when=upcoming", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == booked.GetProperty("id").GetGuid());
        Assert.Equal("Rex", listed.GetProperty("pet").GetProperty("name").GetString());

        var withoutPet = await (await alice.BookAsync(b, At(day, 12))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.Null, withoutPet.GetProperty("pet").ValueKind);

        var foreign = await alice.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(day, 14), petId = bobsCat, acceptedTermsVersion = (int?)null, note = (string?)null });
        var problem = await foreign.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("petId", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("Tom", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Where_the_business_books_for_pets_a_booking_without_a_pet_is_refused_on_petId_and_one_for_my_pet_is_booked()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(b.Biz);
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        var bobsCat = await AddPetAsync(b.Biz.Id, bob.Id, "Tom");
        var day = Day(5);

        // Alice has no pet yet: the booking is refused on petId, and nothing is booked.
        var refused = await (await alice.BookAsync(b, At(day, 10))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["Add your pet first: each appointment here is for one of your pets."], refused.GetProperty("errors").GetProperty("petId").EnumerateArray().Select(e => e.GetString()));
        // Bob has a pet: he is asked to choose it.
        var unchosen = await (await bob.BookAsync(b, At(day, 11))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["Choose who the appointment is for."], unchosen.GetProperty("errors").GetProperty("petId").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(DateTimeOffset.Parse(At(day, 10), null), (await alice.Http.SlotsAsync(b, day, day)).Starts());

        // She adds her pet through the portal and books for it; another client's pet stays refused.
        var rex = (await (await alice.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={b.Biz.Slug}", new { name = "Rex", species = "dog" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var booked = await (await alice.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(day, 10), petId = rex, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("Rex", booked.GetProperty("pet").GetProperty("name").GetString());
        var foreign = await alice.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(day, 14), petId = bobsCat, acceptedTermsVersion = (int?)null, note = (string?)null });
        Assert.Equal(["Choose one of your pets."], (await foreign.JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("petId").EnumerateArray().Select(e => e.GetString()));
    }

    private async Task<Guid> AddPetAsync(Guid tenantId, Guid clientId, string name)
    {
        var id = Guid.NewGuid();
        await Sql.AdminExecAsync(App.Database.Database, """
            INSERT INTO portalauth.pets (tenant_id, id, client_id, name, species) VALUES (@t, @id, @c, @n, 'dog')
            """, ("t", tenantId), ("id", id), ("c", clientId), ("n", name));
        return id;
    }

    [Fact]
    public async Task A_booked_slot_leaves_availability_with_its_buffer_shows_in_my_list_and_the_diary_and_raises_AppointmentBooked()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var day = Day(3);
        var before = (await alice.Http.SlotsAsync(b, day, day)).Starts();
        Assert.Contains(DateTimeOffset.Parse(At(day, 10), null), before);

        var response = await alice.BookAsync(b, At(day, 10));
        var booked = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("confirmed", booked.GetProperty("status").GetString());
        Assert.Equal("Consultation", booked.GetProperty("service").GetProperty("name").GetString());
        Assert.Equal("Dr Alpha", booked.GetProperty("diary").GetProperty("name").GetString());
        Assert.Equal(At(day, 10), booked.GetProperty("start").GetString());
        var id = booked.GetProperty("id").GetGuid();
        Assert.EndsWith($"/api/v1/portal/appointments/{id}?name={b.Biz.Slug}", response.Headers.Location!.ToString(), StringComparison.Ordinal);

        var after = (await alice.Http.SlotsAsync(b, day, day)).Starts();
        // 09:30 would run into 10:00; 10:00–11:00 is taken and its 15-min buffer blocks 11:00; 11:30 is free.
        Assert.DoesNotContain(DateTimeOffset.Parse(At(day, 9, 30), null), after);
        Assert.DoesNotContain(DateTimeOffset.Parse(At(day, 10), null), after);
        Assert.DoesNotContain(DateTimeOffset.Parse(At(day, 11), null), after);
        Assert.Contains(DateTimeOffset.Parse(At(day, 11, 30), null), after);
        Assert.DoesNotContain(DateTimeOffset.Parse(At(day, 9), null), after); // its own buffer would run into 10:00
        Assert.Contains(DateTimeOffset.Parse(At(day, 8, 30), null), after);

        var mine = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}&when=upcoming", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(mine.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());

        var diary = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(day)}&to={Iso(day)}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var entry = Assert.Single(diary.GetProperty("appointments").EnumerateArray());
        Assert.Equal("Alice Client", entry.GetProperty("client").GetProperty("name").GetString());
        Assert.Equal("portal", entry.GetProperty("source").GetString());

        var events = await App.OutboxAsync(b.Biz.Id, "AppointmentBooked");
        var evt = JsonDocument.Parse(Assert.Single(events)).RootElement;
        Assert.Equal(id, evt.GetProperty("appointmentId").GetGuid());
        Assert.Equal("portal", evt.GetProperty("source").GetString());

        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        Assert.Equal("slot-conflict", await (await bob.BookAsync(b, At(day, 10))).KindAsync(HttpStatusCode.Conflict));
        Assert.Equal("slot-conflict", await (await bob.BookAsync(b, At(day, 11))).KindAsync(HttpStatusCode.Conflict)); // the buffer
        await (await bob.BookAsync(b, At(day, 11, 30))).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_start_that_is_not_an_offered_slot_is_slot_unavailable()
    {
        var b = await App.BookableAsync();
        var nineToFive = await b.Biz.DiaryAsync("Dr Office Hours");
        await b.Biz.RosterEveryDayAsync(nineToFive, "09:00", "17:00");
        var officeService = await b.Biz.ServiceAsync("Office visit", 60, 0, [nineToFive]);
        var office = b with { DiaryId = nineToFive, ServiceId = officeService };
        var alice = await App.RegisterClientAsync(b.Biz);
        var day = Day(3);

        Assert.Equal("slot-unavailable", await (await alice.BookAsync(b, At(day, 10, 10))).KindAsync(HttpStatusCode.Conflict)); // off the grid
        Assert.Equal("slot-unavailable", await (await alice.BookAsync(office, At(day, 18))).KindAsync(HttpStatusCode.Conflict)); // outside online hours
        Assert.Equal("slot-unavailable", await (await alice.BookAsync(office, At(day, 16, 30))).KindAsync(HttpStatusCode.Conflict)); // runs past the block
        Assert.Equal("slot-unavailable", await (await alice.BookAsync(b, At(day, 10), diaryId: nineToFive)).KindAsync(HttpStatusCode.Conflict)); // diary does not provide it
        Assert.Equal("slot-unavailable", await (await alice.BookAsync(b, At(Day(-2), 10))).KindAsync(HttpStatusCode.Conflict)); // the past

        await b.Biz.RulesAsync(interval: 30, notice: 4 * 24 * 60, horizon: 10);
        Assert.Equal("slot-unavailable", await (await alice.BookAsync(b, At(day, 10))).KindAsync(HttpStatusCode.Conflict)); // inside minimum notice
        Assert.Equal("slot-unavailable", await (await alice.BookAsync(b, At(Day(12), 10))).KindAsync(HttpStatusCode.Conflict)); // beyond the horizon
        Assert.Empty(await alice.Http.SlotsAsync(b, Day(11), Day(20)));
        await (await alice.BookAsync(b, At(Day(6), 10))).JsonAsync(HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.NoContent, (await b.Biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/services/{b.ServiceId}", UriKind.Relative))).StatusCode);
        Assert.Equal("slot-unavailable", await (await alice.BookAsync(b, At(Day(7), 10))).KindAsync(HttpStatusCode.Conflict)); // retired service
        Assert.Empty(await alice.Http.SlotsAsync(b, Day(5), Day(8)));
        // The past appointment of a retired service keeps it.
        var mine = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Consultation", Assert.Single(mine.GetProperty("items").EnumerateArray()).GetProperty("service").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_note_with_a_NUL_character_is_refused_naming_the_note_and_books_nothing()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);

        var response = await alice.BookAsync(b, At(Day(3), 10), note: "Gate code 12\u000034");

        await Booking.IntegrationTests.Platform.SignUpTests.AssertFieldErrors(response, "note");
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM appointments.appointments WHERE tenant_id = @t", ("t", b.Biz.Id)));
        await (await alice.BookAsync(b, At(Day(3), 10), note: "Gate code 1234")).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_start_without_its_UTC_offset_is_refused_naming_the_start_and_books_nothing()
    {
        // Read without an offset, the time would be taken on the server's clock (UTC here), not the business's.
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var withOffset = At(Day(3), 10);

        var response = await alice.BookAsync(b, withOffset[..19]); // "yyyy-MM-ddTHH:mm:ss"

        await Booking.IntegrationTests.Platform.SignUpTests.AssertFieldErrors(response, "start");
        Assert.Contains("offset", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM appointments.appointments WHERE tenant_id = @t", ("t", b.Biz.Id)));
        var utc = DateTimeOffset.Parse(withOffset, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var booked = await (await alice.BookAsync(b, utc)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(withOffset, booked.GetProperty("start").GetString());
    }

    [Fact]
    public async Task Availability_checks_its_range_and_answers_past_dates_with_no_slots()
    {
        var b = await App.BookableAsync();
        var http = App.NewClient();
        var tooLong = await http.GetAsync(new Uri($"/api/v1/portal/availability?name={b.Biz.Slug}&service={b.ServiceId}&from={Iso(Day(1))}&to={Iso(Day(32))}", UriKind.Relative)); // 32 days counting both
        var problem = await tooLong.JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("to", out _));

        var slots = await http.SlotsAsync(b, Day(1), Day(31)); // 31 days counting both: the most allowed
        Assert.NotEmpty(slots);
        Assert.All(slots, s => Assert.Equal(["start", "end", "diaryIds"], s.EnumerateObject().Select(p => p.Name).ToArray()));
        Assert.Empty(await http.SlotsAsync(b, Day(-10), Day(-1)));

        var json = await (await http.GetAsync(new Uri($"/api/v1/portal/availability?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&from={Iso(Day(2))}&to={Iso(Day(2))}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Australia/Sydney", json.GetProperty("timeZone").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+1[01]:00$", json.GetProperty("slots")[0].GetProperty("start").GetString()!);
        Assert.Equal("validation", await (await http.GetAsync(new Uri($"/api/v1/portal/availability?name={b.Biz.Slug}&service={b.ServiceId}&from=tomorrow&to={Iso(Day(2))}", UriKind.Relative))).KindAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Cancelling_follows_the_policy_window_refuse_or_request()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new System.Text.Json.Nodes.JsonObject
        {
            ["hours"] = 48, ["text"] = "Two days' notice, please.", ["insideWindow"] = "refuse",
        });

        var far = (await (await alice.BookAsync(b, At(Day(5), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var cancelled = await (await alice.Http.CancelAsync(b.Biz.Slug, far, "Away")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentCancelled"));
        await (await alice.BookAsync(b, At(Day(5), 10))).JsonAsync(HttpStatusCode.Created); // the time is free again

        var soon = (await (await alice.BookAsync(b, At(Day(1), 12))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var refused = await (await alice.Http.CancelAsync(b.Biz.Slug, soon)).JsonAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/policy-window", refused.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal("Two days' notice, please.", refused.GetProperty("policyText").GetString());

        await b.Biz.SettingsAsync(s => s["cancellationPolicy"]!["insideWindow"] = "request");
        // A booking keeps the policy it was made under (decision 270): the earlier one is still refused, a new one asks.
        Assert.EndsWith("/policy-window", (await (await alice.Http.CancelAsync(b.Biz.Slug, soon)).JsonAsync(HttpStatusCode.Conflict)).GetProperty("type").GetString(), StringComparison.Ordinal);
        soon = (await (await alice.BookAsync(b, At(Day(1), 15))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var requested = await (await alice.Http.CancelAsync(b.Biz.Slug, soon, "Sick")).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("cancellation-requested", requested.GetProperty("status").GetString());
        // The request is an event of its own, written with the change (staff and the client are told of it).
        var asked = JsonDocument.Parse(Assert.Single(await App.OutboxAsync(b.Biz.Id, "CancellationRequested"))).RootElement;
        Assert.Equal(soon, asked.GetProperty("appointmentId").GetGuid());
        Assert.Equal("Sick", asked.GetProperty("reason").GetString());

        var requests = await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/requests", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var request = Assert.Single(requests.GetProperty("items").EnumerateArray());
        Assert.Equal("cancellation", request.GetProperty("kind").GetString());
        var decided = await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{soon}/accept", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", decided.GetProperty("appointment").GetProperty("status").GetString());
        Assert.Single(await App.OutboxAsync(b.Biz.Id, "BookingRequestDecided"));
        var cancellations = await App.OutboxAsync(b.Biz.Id, "AppointmentCancelled");
        Assert.Equal(["confirmed", "cancellation-requested"], cancellations.Select(c => JsonDocument.Parse(c).RootElement.GetProperty("previousStatus").GetString()));
    }

    [Fact]
    public async Task Access_levels_switched_off_refuse_with_access_level_off()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var id = (await (await alice.BookAsync(b, At(Day(5), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await b.Biz.SettingsAsync(s => s["accessLevels"] = new System.Text.Json.Nodes.JsonObject { ["view"] = false, ["book"] = false, ["cancel"] = false });

        Assert.Equal("access-level-off", await (await alice.BookAsync(b, At(Day(5), 14))).KindAsync(HttpStatusCode.Forbidden));
        Assert.Equal("access-level-off", await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}", UriKind.Relative))).KindAsync(HttpStatusCode.Forbidden));
        Assert.Equal("access-level-off", await (await alice.Http.CancelAsync(b.Biz.Slug, id)).KindAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task Terms_must_be_accepted_in_their_current_version_which_is_recorded()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var settings = await b.Biz.SettingsAsync(s => s["terms"] = new System.Text.Json.Nodes.JsonObject { ["text"] = "Be nice." });
        var version = settings.GetProperty("terms").GetProperty("version").GetInt32();

        var missing = await (await alice.BookAsync(b, At(Day(4), 10))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("acceptedTermsVersion", out _));
        await (await alice.BookAsync(b, At(Day(4), 10), terms: version + 1)).JsonAsync(HttpStatusCode.BadRequest);
        await (await alice.BookAsync(b, At(Day(4), 10), terms: version)).JsonAsync(HttpStatusCode.Created);

        var diary = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(Day(4))}&to={Iso(Day(4))}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(version, Assert.Single(diary.GetProperty("appointments").EnumerateArray()).GetProperty("acceptedTermsVersion").GetInt32());
    }

    [Fact]
    public async Task An_Idempotency_Key_replays_the_first_answer_and_refuses_another_body()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var key = Guid.NewGuid().ToString();

        var first = await alice.BookAsync(b, At(Day(4), 10), key: key);
        var firstBody = await first.Content.ReadAsStringAsync();
        var again = await alice.BookAsync(b, At(Day(4), 10), key: key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(firstBody, await again.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, again.Headers.Location);

        Assert.Equal("idempotency-key-reuse", await (await alice.BookAsync(b, At(Day(4), 14), key: key)).KindAsync(HttpStatusCode.UnprocessableEntity));

        // Racing repeats of one key: one appointment, every answer the same.
        var raceKey = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => alice.BookAsync(b, At(Day(5), 10), key: raceKey)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        Assert.Single((await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()))).Distinct());

        var mine = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, mine.GetProperty("items").GetArrayLength());

        // The key belongs to its client: another client may use the same key for their own booking.
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        await (await bob.BookAsync(b, At(Day(4), 14), key: key)).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Another_clients_or_another_tenants_appointment_id_and_a_malformed_id_answer_404()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        var bobs = (await (await bob.BookAsync(b, At(Day(4), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var other = await App.BookableAsync();
        var carol = await App.RegisterClientAsync(other.Biz, "Carol");
        var carols = (await (await carol.BookAsync(other, At(Day(4), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        foreach (var id in new[] { bobs.ToString(), carols.ToString(), "not-an-id" })
        {
            Assert.Equal("not-found", await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={b.Biz.Slug}", UriKind.Relative))).KindAsync(HttpStatusCode.NotFound));
            Assert.Equal("not-found", await (await alice.Http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/cancel?name={b.Biz.Slug}", new { reason = "x" })).KindAsync(HttpStatusCode.NotFound));
        }

        Assert.Equal("not-found", await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{carols}/cancel", new { reason = "x" })).KindAsync(HttpStatusCode.NotFound));
        var stillBooked = await (await bob.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{bobs}?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", stillBooked.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_client_awaiting_approval_files_a_booking_request_that_staff_accept_or_decline()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var newbie = await App.RegisterClientAsync(b.Biz, "Nina");
        // The status is PortalAuth's to set from the setting; made certain here so this test is about booking.
        await Sql.AdminExecAsync(App.Database.Database, "UPDATE portalauth.clients SET status = 'pending-approval' WHERE id = @id", ("id", newbie.Id));

        var first = await (await newbie.BookAsync(b, At(Day(4), 10))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", first.GetProperty("status").GetString());
        var second = await (await newbie.BookAsync(b, At(Day(4), 14))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(2, (await App.OutboxAsync(b.Biz.Id, "BookingRequested")).Count);
        Assert.Empty(await App.OutboxAsync(b.Biz.Id, "AppointmentBooked"));

        var requests = await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/requests", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, requests.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("kind").GetString() == "booking"));

        var firstId = first.GetProperty("id").GetGuid();
        var secondId = second.GetProperty("id").GetGuid();
        await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{firstId}/accept", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{secondId}/decline", new { reason = "Fully booked" })).JsonAsync(HttpStatusCode.OK);

        var booked = JsonDocument.Parse(Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentBooked"))).RootElement;
        Assert.Equal(firstId, booked.GetProperty("appointmentId").GetGuid());
        Assert.Equal("requested", booked.GetProperty("previousStatus").GetString()); // what tells the client it was their request
        Assert.Equal(2, (await App.OutboxAsync(b.Biz.Id, "BookingRequestDecided")).Count);
        Assert.Contains(DateTimeOffset.Parse(At(Day(4), 14), null), (await newbie.Http.SlotsAsync(b, Day(4), Day(4))).Starts()); // declined: time released
        Assert.Equal("not-found", await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{firstId}/accept", UriKind.Relative), null)).KindAsync(HttpStatusCode.NotFound));
    }
}
