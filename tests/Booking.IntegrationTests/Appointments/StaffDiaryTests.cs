using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Setup;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

public sealed class StaffDiaryTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task A_staff_booking_names_the_clients_pet_and_refuses_another_clients_pet()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var bob = await App.RegisterClientAsync(b.Biz, "Bob", "Other");
        var rex = Guid.NewGuid();
        var tom = Guid.NewGuid();
        foreach (var (id, client, name) in new[] { (rex, alice.Id, "Rex"), (tom, bob.Id, "Tom") })
        {
            await Sql.AdminExecAsync(App.Database.Database, """
                INSERT INTO portalauth.pets (tenant_id, id, client_id, name, species) VALUES (@t, @id, @c, @n, 'dog')
                """, ("t", b.Biz.Id), ("id", id), ("c", client), ("n", name));
        }

        var day = Day(5);
        var foreign = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(day, 9), petId = tom, note = "" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["petId"], foreign.ErrorFields());
        Assert.DoesNotContain("Tom", foreign.GetRawText(), StringComparison.Ordinal);

        var booked = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(day, 9), petId = rex, note = "" })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("Rex", booked.GetProperty("pet").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Staff_book_outside_online_hours_never_over_another_appointment_and_cancel()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var day = Day(4);

        var late = await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(day, 23, 40), petId = (Guid?)null, note = "After hours" });
        var booked = await late.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("staff", booked.GetProperty("source").GetString());
        Assert.Equal("Alice Client", booked.GetProperty("client").GetProperty("name").GetString());

        var over = await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(day, 23, 0), petId = (Guid?)null, note = "" });
        Assert.Equal("slot-conflict", await over.KindAsync(HttpStatusCode.Conflict));

        var staffEvent = JsonDocument.Parse(Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentBooked"))).RootElement;
        Assert.Equal("staff", staffEvent.GetProperty("source").GetString());

        var id = booked.GetProperty("id").GetGuid();
        var cancelled = await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{id}/cancel", new { reason = "Diary change" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        var cancelEvent = JsonDocument.Parse(Assert.Single(await App.OutboxAsync(b.Biz.Id, "AppointmentCancelled"))).RootElement;
        Assert.Equal("staff", cancelEvent.GetProperty("source").GetString());
        Assert.Equal("Diary change", cancelEvent.GetProperty("reason").GetString());

        var diary = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(day)}&to={Iso(day.PlusDays(6))}&diaryId={b.DiaryId}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", Assert.Single(diary.GetProperty("appointments").EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal("validation", await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(day)}&to={Iso(day.PlusDays(31))}", UriKind.Relative))).KindAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A_busy_block_removes_slots_refuses_portal_bookings_and_its_deletion_frees_them()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var day = Day(4);

        var block = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/busy-blocks",
            new { diaryId = b.DiaryId, start = At(day, 10), end = At(day, 12), note = "Staff meeting" })).JsonAsync(HttpStatusCode.Created);
        var starts = (await alice.Http.SlotsAsync(b, day, day)).Starts();
        Assert.DoesNotContain(DateTimeOffset.Parse(At(day, 9, 30), null), starts); // would run into the block
        Assert.DoesNotContain(DateTimeOffset.Parse(At(day, 11), null), starts);
        Assert.Contains(DateTimeOffset.Parse(At(day, 12), null), starts);
        Assert.Equal("slot-conflict", await (await alice.BookAsync(b, At(day, 10))).KindAsync(HttpStatusCode.Conflict));
        Assert.Equal("slot-conflict", await (await alice.BookAsync(b, At(day, 11), diaryId: "any")).KindAsync(HttpStatusCode.Conflict));

        var diary = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(day)}&to={Iso(day)}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Staff meeting", Assert.Single(diary.GetProperty("busyBlocks").EnumerateArray()).GetProperty("note").GetString());

        var id = block.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await b.Biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/busy-blocks/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/busy-blocks/{id}", UriKind.Relative))).StatusCode);
        Assert.Contains(DateTimeOffset.Parse(At(day, 10), null), (await alice.Http.SlotsAsync(b, day, day)).Starts());
        await (await alice.BookAsync(b, At(day, 10))).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Fifty_parallel_bookings_of_a_slot_and_fifty_of_an_overlapping_pair_leave_exactly_one_per_conflict_group()
    {
        var b = await App.BookableAsync(durationMinutes: 60, bufferMinutes: 0);
        var second = await b.Biz.DiaryAsync("Dr Beta");
        await b.Biz.RosterEveryDayAsync(second, "00:00", "23:30");
        var service = await b.Biz.ServiceAsync("Shared", 60, 0, [b.DiaryId, second]);
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => App.RegisterClientAsync(b.Biz, $"Racer{i}")));
        var day = Day(5);
        var groupA = b with { ServiceId = service };
        var groupB = b with { ServiceId = service, DiaryId = second };

        // Group A: 50 × 10:00 on the first diary. Group B: 50 × 10:00 and 50 × 10:30 on the second (they overlap).
        var attempts = Enumerable.Range(0, 50).Select(i => ("A", clients[i % 4].BookAsync(groupA, At(day, 10))))
            .Concat(Enumerable.Range(0, 50).Select(i => ("B", clients[i % 4].BookAsync(groupB, At(day, 10)))))
            .Concat(Enumerable.Range(0, 50).Select(i => ("B", clients[i % 4].BookAsync(groupB, At(day, 10, 30)))))
            .ToList();
        var responses = await Task.WhenAll(attempts.Select(a => a.Item2));
        var results = attempts.Select((a, i) => (Group: a.Item1, Status: responses[i].StatusCode)).ToList();

        var failures = await Task.WhenAll(responses.Where(r => (int)r.StatusCode >= 500).Select(r => r.Content.ReadAsStringAsync()));
        Assert.True(failures.Length == 0, $"{failures.Length} answered 5xx: {string.Join(" | ", failures.Distinct())}");
        Assert.All(results, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, r.Status.ToString()));
        Assert.Equal(1, results.Count(r => r.Group == "A" && r.Status == HttpStatusCode.Created));
        Assert.Equal(1, results.Count(r => r.Group == "B" && r.Status == HttpStatusCode.Created));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict).Take(5))
        {
            Assert.Equal("slot-conflict", await conflict.KindAsync(HttpStatusCode.Conflict));
        }

        var live = await Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM appointments.appointments WHERE tenant_id = @t AND status NOT IN ('cancelled', 'declined')", ("t", b.Biz.Id));
        Assert.Equal(2L, live);
    }
}
