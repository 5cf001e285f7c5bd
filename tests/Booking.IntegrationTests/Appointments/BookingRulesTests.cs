using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Rules a reviewer found missing while walking the app: staff times are whole minutes; a client does not ask again
/// to cancel what the business kept; an appointment that has happened is not cancelled (by the client or by staff);
/// staff are told when only a buffer stands in the way of a booking.
/// </summary>
public sealed class BookingRulesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private Task<long> CountAsync(Bookable b, string table) =>
        Sql.AdminScalarAsync<long>(App.Database.Database, $"SELECT count(*) FROM appointments.{table} WHERE tenant_id = @t", ("t", b.Biz.Id));

    /// <summary>At's ISO text with seconds or a fraction put in before the offset ("…T10:00:00.5+11:00").</summary>
    private static string WithSeconds(string at, string seconds) => at[..17] + seconds + at[19..];

    private static void AssertNamesField(JsonElement problem, string field, string message)
    {
        Assert.Equal("validation", problem.GetProperty("type").GetString()!.Split('/')[^1]);
        var errors = problem.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(message, errors.GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task Staff_and_portal_times_with_seconds_or_fractions_are_refused_naming_the_field_and_nothing_is_saved()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var fraction = WithSeconds(At(Day(3), 10), "00.123456789");
        Assert.Contains("T10:00:00.123456789+", fraction, StringComparison.Ordinal);

        var booked = await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = fraction, petId = (Guid?)null, note = (string?)null });
        AssertNamesField(await booked.JsonAsync(HttpStatusCode.BadRequest), "start", "Use a whole minute, e.g. 10:00 (no seconds).");

        var check = await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments/check",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = WithSeconds(At(Day(3), 10), "30") });
        AssertNamesField(await check.JsonAsync(HttpStatusCode.BadRequest), "start", "Use a whole minute, e.g. 10:00 (no seconds).");

        var block = await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/busy-blocks",
            new { diaryId = b.DiaryId, start = WithSeconds(At(Day(3), 9), "00.5"), end = At(Day(3), 10), note = (string?)null });
        AssertNamesField(await block.JsonAsync(HttpStatusCode.BadRequest), "start", "Use a whole minute, e.g. 10:00 (no seconds).");
        var blockEnd = await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/busy-blocks",
            new { diaryId = b.DiaryId, start = At(Day(3), 9), end = WithSeconds(At(Day(3), 10), "00.000001"), note = (string?)null });
        AssertNamesField(await blockEnd.JsonAsync(HttpStatusCode.BadRequest), "end", "Use a whole minute for the end, e.g. 11:00 (no seconds).");

        var portal = await alice.BookAsync(b, WithSeconds(At(Day(3), 10), "00.5"));
        AssertNamesField(await portal.JsonAsync(HttpStatusCode.BadRequest), "start", "Use a whole minute, e.g. 10:00 (no seconds).");

        Assert.Equal(0L, await CountAsync(b, "appointments"));
        Assert.Equal(0L, await CountAsync(b, "busy_blocks"));

        // A whole minute is answered as it is stored, and the slot after it stays offered.
        var ok = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = WithSeconds(At(Day(3), 10), "00.000"), petId = (Guid?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        var read = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{ok.GetProperty("id").GetGuid()}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(ok.GetProperty("start").GetString(), read.GetProperty("start").GetString());
        Assert.Contains(DateTimeOffset.Parse(At(Day(3), 11, 30), null), (await alice.Http.SlotsAsync(b, Day(3), Day(3))).Starts());
    }

    [Fact]
    public async Task After_staff_keep_an_appointment_the_client_cannot_ask_again_inside_the_window_and_staff_cancel_keeps_the_clients_reason()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        await b.Biz.SettingsAsync(s =>
        {
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Two days' notice, please.", ["insideWindow"] = "request" };
            s["contact"] = new JsonObject { ["email"] = "hello@kept.example" };
        });
        var soon = (await (await alice.BookAsync(b, At(Day(1), 12))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        await (await alice.Http.CancelAsync(b.Biz.Slug, soon, "Sick")).JsonAsync(HttpStatusCode.Accepted);
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{soon}/decline", new { reason = "We need the notice" })).JsonAsync(HttpStatusCode.OK);

        var mine = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{soon}?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", mine.GetProperty("status").GetString());
        Assert.False(mine.GetProperty("canCancel").GetBoolean());

        var again = await (await alice.Http.CancelAsync(b.Biz.Slug, soon, "Still sick")).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("cancellation-declined", again.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal($"You asked to cancel this appointment and Business {b.Biz.Slug} decided to keep it. "
            + $"To cancel it now, please contact Business {b.Biz.Slug} at hello@kept.example.", again.GetProperty("detail").GetString());
        Assert.Single(await App.OutboxAsync(b.Biz.Id, "CancellationRequested")); // no new request, no new emails
        var requests = await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/requests", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(requests.GetProperty("items").EnumerateArray());

        // The page says so, with the contact, and offers no button.
        var page = await alice.Http.PageAsync($"/ol/cancel?name={b.Biz.Slug}&id={soon}");
        Assert.Contains($"Business {b.Biz.Slug} decided to keep this appointment when you asked to cancel it.", page.Text, StringComparison.Ordinal);
        Assert.NotNull(page.One(".problem .business-contact a[href='mailto:hello@kept.example']"));
        Assert.Null(page.One("form button.danger"));

        // Staff cancelling a cancellation request directly keep the client's reason.
        var other = (await (await alice.BookAsync(b, At(Day(1), 15))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await alice.Http.CancelAsync(b.Biz.Slug, other, "Car broke down")).JsonAsync(HttpStatusCode.Accepted);
        var cancelled = await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{other}/cancel", new { reason = "As asked" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("Car broke down", cancelled.GetProperty("cancelReason").GetString());
    }

    /// <summary>Staff book <paramref name="alice"/> into the past (staff may): start hours ago, in whole hours.</summary>
    private async Task<Guid> PastAsync(Bookable b, PortalClient alice, int hoursAgo)
    {
        var now = SystemClock.Instance.GetCurrentInstant().InZone(Sydney);
        var start = now.LocalDateTime.Date.AtMidnight().PlusHours(now.Hour - hoursAgo).InZoneLeniently(Sydney).ToDateTimeOffset();
        return (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, note = "" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task A_client_cancelling_what_has_happened_is_told_so_not_the_policy_and_the_page_shows_the_policy_at_most_once()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        await b.Biz.SettingsAsync(s =>
        {
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Two days' notice, please.", ["insideWindow"] = "refuse" };
            s["contact"] = new JsonObject { ["email"] = "hello@past.example" };
        });
        var past = await PastAsync(b, alice, 3);
        var started = await PastAsync(b, alice, 0); // began this hour
        var completed = await PastAsync(b, alice, 6);
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{completed}/outcome", new { status = "completed" })).JsonAsync(HttpStatusCode.OK);
        var missed = await PastAsync(b, alice, 9);
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{missed}/outcome", new { status = "no-show" })).JsonAsync(HttpStatusCode.OK);

        var refused = await (await alice.Http.CancelAsync(b.Biz.Slug, past)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("already-happened", refused.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal($"This appointment has already taken place, so it cannot be cancelled. If something is not right about it, contact Business {b.Biz.Slug} at hello@past.example.",
            refused.GetProperty("detail").GetString());
        Assert.False(refused.TryGetProperty("policyText", out _));
        Assert.StartsWith("This appointment has already started,",
            (await (await alice.Http.CancelAsync(b.Biz.Slug, started)).JsonAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("already-happened", await (await alice.Http.CancelAsync(b.Biz.Slug, completed)).KindAsync(HttpStatusCode.Conflict));
        // A missed appointment (staff recorded a no-show) is not "taken place": the client did not come.
        Assert.StartsWith("The business recorded this appointment as missed, so it cannot be cancelled.",
            (await (await alice.Http.CancelAsync(b.Biz.Slug, missed)).JsonAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var missedPage = await alice.Http.PageAsync($"/ol/cancel?name={b.Biz.Slug}&id={missed}");
        Assert.Contains("The business recorded this appointment as missed.", missedPage.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("already taken place", missedPage.Text, StringComparison.Ordinal);

        var page = await alice.Http.PageAsync($"/ol/cancel?name={b.Biz.Slug}&id={past}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("This appointment has already taken place.", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Two days' notice, please.", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("too late", page.Text, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(page.One("main .business-contact a[href='mailto:hello@past.example']"));

        // A future appointment inside the window: the policy once (it was twice), with the contact.
        var soon = (await (await alice.BookAsync(b, At(Day(1), 12))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var late = await alice.Http.PageAsync($"/ol/cancel?name={b.Biz.Slug}&id={soon}");
        Assert.Contains("too late to cancel this appointment online", late.Text, StringComparison.Ordinal);
        Assert.Single(late.Text.Split("Two days' notice, please.")[1..]);
        Assert.NotNull(late.One(".problem .business-contact a[href='mailto:hello@past.example']"));
        Assert.Empty(await App.OutboxAsync(b.Biz.Id, "AppointmentCancelled"));
    }

    [Fact]
    public async Task Staff_are_told_when_only_a_buffer_stands_in_the_way_and_clients_never_hear_of_it()
    {
        var b = await App.BookableAsync(durationMinutes: 60, bufferMinutes: 15);
        var alice = await App.RegisterClientAsync(b.Biz);
        async Task<HttpResponseMessage> StaffBookAsync(int hour, int minute = 0) =>
            await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
                new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(3), hour, minute), petId = (Guid?)null, note = (string?)null });
        await (await StaffBookAsync(11)).JsonAsync(HttpStatusCode.Created); // 11:00–12:00, kept free until 12:15

        var before = await (await StaffBookAsync(10)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("slot-conflict", before.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal("The 15 minutes kept free after Consultation would overlap the next appointment at 11:00 AM. Start at 9:45 AM or earlier, or choose another time.",
            before.GetProperty("detail").GetString());

        var after = await (await StaffBookAsync(12)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("The 15 minutes kept free after Consultation (ending at 12:00 PM) run until 12:15 PM. Start at 12:15 PM or later, or choose another time.",
            after.GetProperty("detail").GetString());

        // A real overlap names what holds the time (staff may read the diary), without "no longer": it never was free.
        var over = await (await StaffBookAsync(11, 30)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("Alice Client's Consultation 11:00 AM–12:00 PM holds that time. Choose another time.", over.GetProperty("detail").GetString());

        await (await StaffBookAsync(9, 45)).JsonAsync(HttpStatusCode.Created); // the time it named is free

        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        var portal = await (await bob.BookAsync(b, At(Day(3), 12))).JsonAsync(HttpStatusCode.Conflict);
        Assert.DoesNotContain("kept free", portal.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
