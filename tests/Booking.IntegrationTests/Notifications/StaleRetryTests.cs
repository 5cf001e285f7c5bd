using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using MimeKit;
using NodaTime;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Decision 297: a message waiting to be retried (the mail server down) is judged again at each attempt, as a resend
/// is. The booking's emails written before a move, and a moved email superseded by a second move, are not sent once
/// the server is back: they would give an old time after (or before) the email with the time now. The log marks them
/// withheld with a note saying why; the latest move's emails arrive once each. A message still true that had to wait
/// is delivered as before.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class StaleRetryTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private static readonly DateTimeZone Chicago = DateTimeZoneProviders.Tzdb["America/Chicago"];

    private sealed record Scene(TestBusiness Biz, HttpClient Http, string ClientEmail, string Contact, Guid Diary, Guid Service);

    private async Task<Scene> SceneAsync(string prefix, string? extra = null, string clientPrefix = "client")
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var biz = await fixture.App.SignUpBusinessAsync(prefix, "America/Chicago");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var contact = $"diary-{tag}@example.com";
        await biz.ConfirmAddressAsync(contact);
        if (extra is not null)
        {
            await biz.ConfirmAddressAsync(extra);
        }

        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Lee", contactEmail = contact, active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = extra is null ? Array.Empty<string>() : new[] { extra }, templateId = (Guid?)null },
            includeStaffChanges = false,
        })).JsonAsync(HttpStatusCode.OK);
        var service = await biz.ServiceAsync("Physio session", 45, 15, [diary]);
        var http = fixture.App.NewClient();
        var email = $"{clientPrefix}-{tag}@example.com";
        await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}", new
        {
            firstName = "Pat", lastName = "Lee", email, password = "a long client password 2026!",
            mobile = "+61412" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture),
        })).JsonAsync(HttpStatusCode.Created);
        return new Scene(biz, http, email, contact, diary, service);
    }

    private static ZonedDateTime Day(int days, int hour) =>
        SystemClock.Instance.GetCurrentInstant().InZone(Chicago).Date.PlusDays(days).At(new LocalTime(hour, 0)).InZoneStrictly(Chicago);

    private static string Iso(ZonedDateTime t) => t.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static async Task<Guid> BookAsync(Scene s, ZonedDateTime at) =>
        (await (await s.Http.PostAsJsonAsync($"/api/v1/portal/appointments?name={s.Biz.Slug}", new
        {
            serviceId = s.Service, diaryId = s.Diary, start = Iso(at), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null,
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task MoveAsync(Scene s, Guid id, ZonedDateTime to) =>
        await (await s.Http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/move?name={s.Biz.Slug}", new { start = Iso(to) })).JsonAsync(HttpStatusCode.OK);

    /// <summary>The appointment's message rows: kind, status, attempts and note, oldest first.</summary>
    private async Task<List<(string Kind, string Status, int Attempts, string? Note, Guid Id)>> RowsAsync(Guid appointmentId)
    {
        var log = await Sql.AdminScalarAsync<string>(fixture.App.Database.Database, """
            select coalesce(json_agg(json_build_object('kind', kind, 'status', status, 'attempts', attempts, 'note', note, 'id', id) order by created_at, id), '[]')::text
              from notifications.outbound_messages where appointment_id = @a
            """, ("a", appointmentId));
        return JsonDocument.Parse(log ?? "[]").RootElement.EnumerateArray()
            .Select(r => (r.GetProperty("kind").GetString()!, r.GetProperty("status").GetString()!, r.GetProperty("attempts").GetInt32(),
                r.GetProperty("note").GetString(), r.GetProperty("id").GetGuid()))
            .ToList();
    }

    private Task<List<(string Kind, string Status, int Attempts, string? Note, Guid Id)>> RowsAsync(Guid appointmentId, Func<List<(string Kind, string Status, int Attempts, string? Note, Guid Id)>, bool> until, string what) =>
        Eventually.ReturnsAsync(() => RowsAsync(appointmentId), until, TimeSpan.FromSeconds(60), what);

    private static string NewTime(ZonedDateTime t) =>
        "New time: " + NodaTime.Text.ZonedDateTimePattern.CreateWithInvariantCulture("dddd d MMMM yyyy, h:mm", null).Format(t);

    [Fact]
    public async Task Waiting_for_the_mail_server_the_booking_and_a_superseded_move_are_not_sent_after_a_move_and_the_latest_move_arrives_once()
    {
        var s = await SceneAsync("stale");
        var (from, first, second) = (Day(5, 10), Day(6, 14), Day(7, 16));
        Guid id;
        await fixture.Smtp.StopAsync();
        try
        {
            id = await BookAsync(s, from);
            // The booking's emails fail for a while (connection refused: temporary) and wait for their retry.
            await RowsAsync(id, r => r.Count(x => x.Status == "retrying" && x.Attempts >= 1) == 2, "the booking's emails retrying");
            await MoveAsync(s, id, first);
            await RowsAsync(id, r => r.Count(x => x.Kind.EndsWith("-moved", StringComparison.Ordinal) && x.Status == "retrying") == 2, "the first move's emails retrying");
            await MoveAsync(s, id, second);
            await RowsAsync(id, r => r.Count(x => x.Kind.EndsWith("-moved", StringComparison.Ordinal)) == 4, "the second move's emails written");
        }
        finally
        {
            await fixture.Smtp.StartAgainAsync();
        }

        // Every row settles: the two of the second move sent, the other four withheld, none left to retry.
        var rows = await RowsAsync(id, r => r.Count == 6 && r.All(x => x.Status is "sent" or "withheld"), "every message settled");
        Assert.Equal(2, rows.Count(r => r.Status == "sent"));
        var booked = rows.Where(r => r.Kind is "client-booking-confirmation" or "diary-contact-new").ToList();
        Assert.Equal(2, booked.Count);
        foreach (var r in booked)
        {
            Assert.Equal("withheld", r.Status);
            Assert.StartsWith("Not sent: the appointment changed before this email could be delivered. It was moved on ", r.Note, StringComparison.Ordinal);
            Assert.Contains(", so this email would have given the time before the move; the moved-appointment email (", r.Note, StringComparison.Ordinal);
        }

        Assert.EndsWith("(\"Appointment moved, to client\" in this log) gives the time now.", booked.Single(r => r.Kind == "client-booking-confirmation").Note, StringComparison.Ordinal);
        var moved = rows.Where(r => r.Kind.EndsWith("-moved", StringComparison.Ordinal)).ToList();
        // Oldest first: the first move's two (superseded by the second) withheld, the second move's two sent.
        Assert.Equal(["withheld", "withheld", "sent", "sent"], moved.Select(r => r.Status).ToList());
        Assert.All(moved.Take(2), r => Assert.StartsWith("Not sent: the appointment changed before this email could be delivered. It was moved on ", r.Note, StringComparison.Ordinal));

        // The client: the second move's email alone, once, with the time now; nothing with the booking's or the first move's time.
        await Task.Delay(TimeSpan.FromSeconds(2)); // anything late would have arrived by now
        var toClient = fixture.Smtp.MessagesTo(s.ClientEmail);
        var only = Assert.Single(toClient);
        Assert.Equal($"Your appointment with Business {s.Biz.Slug} has moved", only.Subject);
        Assert.Contains(NewTime(second), only.TextBody!, StringComparison.Ordinal);
        Assert.Equal($"{rows.Single(r => r.Kind == "client-appointment-moved" && r.Status == "sent").Id:N}@booking", only.MessageId);
        var toContact = fixture.Smtp.MessagesTo(s.Contact).Where(m => m.Subject?.Contains("Confirm", StringComparison.Ordinal) != true).ToList();
        var contactMoved = Assert.Single(toContact);
        Assert.StartsWith("Moved:", contactMoved.Subject, StringComparison.Ordinal);
        Assert.Contains(NewTime(second), contactMoved.TextBody!, StringComparison.Ordinal);

        // Staff see why in the log, and no Resend: sent again it would be refused as no longer current.
        var log = (await s.Biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?status=withheld")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(4, log.Count);
        var confirmation = log.Single(m => m.GetProperty("kind").GetString() == "client-booking-confirmation");
        Assert.Equal(booked.Single(r => r.Kind == "client-booking-confirmation").Note, confirmation.GetProperty("note").GetString());
        Assert.All(log, m => Assert.StartsWith("This appointment was moved on ", m.GetProperty("noLongerCurrent").GetString(), StringComparison.Ordinal));
        var page = await s.Biz.Owner.GetStringAsync(new Uri("/staff/tools/messages?status=withheld", UriKind.Relative));
        Assert.Contains("Not sent: the appointment changed before this email could be delivered.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Resend", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_still_true_that_waited_for_the_mail_server_is_delivered_once_it_is_back()
    {
        var s = await SceneAsync("wait");
        var at = Day(5, 11);
        Guid id;
        await fixture.Smtp.StopAsync();
        try
        {
            id = await BookAsync(s, at);
            await RowsAsync(id, r => r.Count(x => x.Status == "retrying" && x.Attempts >= 2) == 2, "the booking's emails retried");
        }
        finally
        {
            await fixture.Smtp.StartAgainAsync();
        }

        var rows = await RowsAsync(id, r => r.Count == 2 && r.All(x => x.Status is "sent" or "withheld"), "the booking's emails settled");
        Assert.All(rows, r => Assert.Equal("sent", r.Status));
        Assert.All(rows, r => Assert.Null(r.Note));
        var confirmation = Assert.Single(await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(s.ClientEmail)), m => m.Count >= 1, TimeSpan.FromSeconds(30), "the confirmation"));
        Assert.Contains(NodaTime.Text.ZonedDateTimePattern.CreateWithInvariantCulture("dddd d MMMM yyyy, h:mm", null).Format(at), confirmation.TextBody!, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(fixture.Smtp.MessagesTo(s.ClientEmail));

        // Decision 336: the appointment's page lists its emails, and says a late success failed first.
        var page = System.Net.WebUtility.HtmlDecode(await s.Biz.Owner.GetStringAsync(new Uri($"/staff/diary/appointments/{id}", UriKind.Relative)));
        Assert.Contains("Emails about this appointment", page, StringComparison.Ordinal);
        Assert.Contains($"Booking confirmation to client ({s.ClientEmail})", page, StringComparison.Ordinal);
        Assert.Matches(@"Sent on attempt \d+ \(failed (once|\d+ times): SMTP unavailable", page);
        Assert.DoesNotContain("id=\"client-email-failed\"", page, StringComparison.Ordinal);
    }

    /// <summary>
    /// Decision 336 (review s40 #6, #8): a client's email refused for good (550) shows on the appointment's page, marked,
    /// and the client's page says the address bounced; a withheld email of a cancelled appointment says so once in the log.
    /// </summary>
    [Fact]
    public async Task A_bounced_client_email_shows_on_the_appointment_and_client_pages_and_a_withheld_row_says_why_once()
    {
        var s = await SceneAsync("bounce", clientPrefix: "reject");
        Guid id;
        await fixture.Smtp.StopAsync();
        try
        {
            id = await BookAsync(s, Day(5, 10));
            await RowsAsync(id, r => r.Count(x => x.Status == "retrying" && x.Attempts >= 1) == 2, "the booking's emails retrying");
            await (await s.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{id}/cancel", new { reason = "Closed" })).JsonAsync(HttpStatusCode.OK);
        }
        finally
        {
            await fixture.Smtp.StartAgainAsync();
        }

        var rows = await RowsAsync(id, r => r.Count >= 3 && r.All(x => x.Status is "sent" or "withheld" or "failed"), "every message settled");
        Assert.Equal("withheld", rows.Single(r => r.Kind == "client-booking-confirmation").Status);
        Assert.Equal("failed", rows.Single(r => r.Kind == "client-cancellation-confirmation").Status);

        // The log: each withheld row says "has since been cancelled" once (its note), not again where the Resend would be.
        var withheld = rows.Count(r => r.Status == "withheld" && r.Note?.Contains("This appointment has since been cancelled.", StringComparison.Ordinal) == true);
        Assert.True(withheld >= 1, "no withheld row names the cancellation");
        var log = System.Net.WebUtility.HtmlDecode(await s.Biz.Owner.GetStringAsync(new Uri("/staff/tools/messages?status=withheld", UriKind.Relative)));
        Assert.Equal(withheld, System.Text.RegularExpressions.Regex.Count(log, "This appointment has since been cancelled\\."));
        Assert.Contains("It is not sent again.", log, StringComparison.Ordinal);

        var page = System.Net.WebUtility.HtmlDecode(await s.Biz.Owner.GetStringAsync(new Uri($"/staff/diary/appointments/{id}", UriKind.Relative)));
        Assert.Contains("id=\"client-email-failed\"", page, StringComparison.Ordinal);
        Assert.Matches(@"Gave up after \d+ attempts?: SMTP 550", page); // the first try may have met the server down
        var client = System.Text.RegularExpressions.Regex.Match(page, "href=\"/staff/clients/([0-9a-f-]{36})\"").Groups[1].Value;
        var clientPage = System.Net.WebUtility.HtmlDecode(await s.Biz.Owner.GetStringAsync(new Uri($"/staff/clients/{client}", UriKind.Relative)));
        Assert.Contains("id=\"email-bounced\"", clientPage, StringComparison.Ordinal);
        Assert.Contains("(SMTP 550", clientPage, StringComparison.Ordinal);
    }

    /// <summary>
    /// The diff review of decision 297: a move withholds a waiting message only where a later one went to the same
    /// address. An extra address gets no moved email, so its "new booking" still goes after a move (the diary shows the
    /// time now); the client's booked email, with a moved email after it, is withheld.
    /// </summary>
    [Fact]
    public async Task A_waiting_message_with_nothing_later_to_its_address_is_still_delivered_after_a_move()
    {
        var extra = $"front-{Guid.NewGuid():N}"[..14] + "@example.com";
        var s = await SceneAsync("later", extra);
        Guid id;
        await fixture.Smtp.StopAsync();
        try
        {
            id = await BookAsync(s, Day(5, 10));
            await RowsAsync(id, r => r.Count(x => x.Status == "retrying" && x.Attempts >= 1) == 3, "the booking's three emails retrying");
            await MoveAsync(s, id, Day(6, 14));
            await RowsAsync(id, r => r.Count(x => x.Kind.EndsWith("-moved", StringComparison.Ordinal)) == 2, "the move's emails written");
        }
        finally
        {
            await fixture.Smtp.StartAgainAsync();
        }

        var rows = await RowsAsync(id, r => r.Count == 5 && r.All(x => x.Status is "sent" or "withheld"), "every message settled");
        Assert.Equal("sent", rows.Single(r => r.Kind == "extra-address-new").Status);
        Assert.Equal("withheld", rows.Single(r => r.Kind == "client-booking-confirmation").Status);
        Assert.Equal("withheld", rows.Single(r => r.Kind == "diary-contact-new").Status);
        var toExtra = await Eventually.ReturnsAsync(
            () => Task.FromResult(fixture.Smtp.MessagesTo(extra).Where(m => m.Subject?.Contains("Confirm", StringComparison.Ordinal) != true).ToList()),
            m => m.Count >= 1, TimeSpan.FromSeconds(30), "the extra address's email");
        Assert.Single(toExtra);
    }
}
