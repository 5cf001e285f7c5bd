using System.Net;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// A booking whose process dies mid-request (a crash, a killed deploy) leaves its Idempotency-Key claimed with no
/// answer. Its client's retry used to be told "still working" for the key's whole 24 h. The key now records the
/// booking in the booking's own transaction (decision 61), so the retry learns which way it went. A crash is played
/// by putting the key's row into the state the dead request would have left, two minutes and more ago.
/// </summary>
public sealed class IdempotencyRecoveryTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private string Database => App.Database.Database;

    private Task<long> LiveAppointmentsAsync(PortalClient client) => Sql.AdminScalarAsync<long>(Database,
        "SELECT count(*) FROM appointments.appointments WHERE client_id = @c AND status <> 'cancelled'", ("c", client.Id));

    /// <summary>
    /// Puts the key's row into the state a request that died three minutes ago leaves: no answer kept, and (when it
    /// died before its save committed) no booking either. Keys are random, so the key alone finds the row.
    /// </summary>
    private Task DiedAsync(string key, bool afterItsSave) => Sql.AdminExecAsync(Database, $"""
        UPDATE appointments.idempotency_keys SET status_code = NULL, response_body = NULL, location = NULL,
            created_at = now() - interval '3 minutes'{(afterItsSave ? "" : ", appointment_id = NULL")}
        WHERE key = @k
        """, ("k", key));

    [Fact]
    public async Task A_retry_after_the_first_request_died_after_its_booking_is_answered_with_that_booking()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var key = Guid.NewGuid().ToString();
        var first = await alice.BookAsync(b, At(Day(4), 10), diaryId: "any", key: key);
        var booked = (await first.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // The booking's own save marked the key with it.
        Assert.Equal(booked, await Sql.AdminScalarAsync<Guid>(Database,
            "SELECT appointment_id FROM appointments.idempotency_keys WHERE caller_id = @c AND key = @k", ("c", alice.Id), ("k", key)));

        await DiedAsync(key, afterItsSave: true);

        var retry = await alice.BookAsync(b, At(Day(4), 10), diaryId: "any", key: key);
        var answer = await retry.JsonAsync(HttpStatusCode.Created);
        Assert.Equal(booked, answer.GetProperty("id").GetGuid());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(1L, await LiveAppointmentsAsync(alice));

        // The answer is kept now: the next retry replays it word for word.
        var again = await alice.BookAsync(b, At(Day(4), 10), diaryId: "any", key: key);
        Assert.Equal(await retry.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(201, await Sql.AdminScalarAsync<int>(Database,
            "SELECT status_code FROM appointments.idempotency_keys WHERE caller_id = @c AND key = @k", ("c", alice.Id), ("k", key)));
    }

    [Fact]
    public async Task A_staff_retry_after_the_first_request_died_after_its_booking_is_answered_with_that_booking()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var key = Guid.NewGuid().ToString();
        Task<HttpResponseMessage> StaffBookAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/appointments")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(5), 9), petId = (Guid?)null, note = "" }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return b.Biz.Owner.SendAsync(request);
        }

        var booked = (await (await StaffBookAsync()).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await DiedAsync(key, afterItsSave: true);

        var retry = await StaffBookAsync();
        Assert.Equal(booked, (await retry.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid());
        Assert.Equal($"/api/v1/admin/appointments/{booked}", retry.Headers.Location?.OriginalString);
        Assert.Equal(1L, await LiveAppointmentsAsync(alice));
    }

    [Fact]
    public async Task A_retry_after_the_first_request_died_before_its_booking_books_once_and_another_body_is_still_refused()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var key = Guid.NewGuid().ToString();
        var first = (await (await alice.BookAsync(b, At(Day(4), 10), key: key)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // Died before its save committed: no appointment, the key claimed with no answer.
        await Sql.AdminExecAsync(Database, "DELETE FROM appointments.appointments WHERE id = @id", ("id", first));
        await DiedAsync(key, afterItsSave: false);

        Assert.Equal("idempotency-key-reuse", await (await alice.BookAsync(b, At(Day(4), 11), key: key)).KindAsync(HttpStatusCode.UnprocessableEntity));

        var retries = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => alice.BookAsync(b, At(Day(4), 10), key: key)));
        var bodies = new List<string>();
        foreach (var retry in retries)
        {
            bodies.Add((await retry.JsonAsync(HttpStatusCode.Created)).GetRawText());
        }

        Assert.Single(bodies.Distinct());
        Assert.Equal(1L, await LiveAppointmentsAsync(alice));
    }

    [Fact]
    public async Task A_request_whose_key_was_taken_over_while_it_ran_saves_nothing()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var key = Guid.NewGuid().ToString();

        Task<HttpResponseMessage> slow;
        await using (var held = await HeldTransaction.BeginAsync(Database))
        {
            // Another booking of the same time, not yet committed: the request claims its key, then waits in its save.
            await held.InsertAppointmentAsync(b, alice.Id, At(Day(4), 10), At(Day(4), 11));
            slow = alice.BookAsync(b, At(Day(4), 10), key: key);
            await held.WaitForBlockedAsync(1);

            // Meanwhile a retry took the key over (as it may once the claim is two minutes old).
            await Sql.AdminExecAsync(Database, "UPDATE appointments.idempotency_keys SET claim = gen_random_uuid() WHERE caller_id = @c AND key = @k",
                ("c", alice.Id), ("k", key));

            // The other booking is rolled back (the transaction ends uncommitted): the time is free and the save goes on.
        }

        Assert.Equal("changed-meanwhile", await (await slow).KindAsync(HttpStatusCode.Conflict));
        Assert.Equal(0L, await LiveAppointmentsAsync(alice));
        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(Database,
            "SELECT count(*) FROM appointments.idempotency_keys WHERE caller_id = @c AND key = @k AND status_code IS NULL AND appointment_id IS NULL",
            ("c", alice.Id), ("k", key)));
    }
}
