using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Ical.Net;
using MimeKit;
using NodaTime;
using Calendar = Ical.Net.Calendar;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// A moved appointment, end to end through the HTTP API and real SMTP (decision 282): the client gets "Your appointment
/// has moved" naming the new and the old time in the business's zone, with an .ics of the booking's UID, METHOD PUBLISH (decision 350; REQUEST before)
/// and a higher SEQUENCE at the new times; the diary contact is told as of a new booking.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class AppointmentMovedEmailTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    [Fact]
    public async Task The_client_gets_the_moved_email_with_an_ics_of_the_same_uid_a_higher_sequence_and_the_new_times()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var biz = await fixture.App.SignUpBusinessAsync("mv", "America/Chicago");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var contact = $"diary-{tag}@example.com";
        await biz.ConfirmAddressAsync(contact);
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Lee", contactEmail = contact, active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        })).JsonAsync(HttpStatusCode.OK);
        var service = await biz.ServiceAsync("Physio session", 45, 15, [diary]);
        var http = fixture.App.NewClient();
        var email = $"client-{tag}@example.com";
        await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}", new
        {
            firstName = "Pat", lastName = "Lee", email, password = "a long client password 2026!",
            mobile = "+61412" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture),
        })).JsonAsync(HttpStatusCode.Created);
        var chicago = DateTimeZoneProviders.Tzdb["America/Chicago"];
        var today = SystemClock.Instance.GetCurrentInstant().InZone(chicago).Date;
        var from = today.PlusDays(5).At(new LocalTime(10, 0)).InZoneStrictly(chicago);
        var to = today.PlusDays(7).At(new LocalTime(14, 30)).InZoneStrictly(chicago);
        static string Iso(ZonedDateTime t) => t.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var id = (await (await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}", new
        {
            serviceId = service, diaryId = diary, start = Iso(from), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null,
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var confirmation = Assert.Single(await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count >= 1, TimeSpan.FromSeconds(60), "the confirmation"));
        var booked = Assert.Single(Calendar.Load(CalendarEmailTests.CalendarText(confirmation))!.Events);

        await Task.Delay(TimeSpan.FromMilliseconds(1100)); // SEQUENCE counts whole seconds
        await (await http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/move?name={biz.Slug}", new { start = Iso(to) })).JsonAsync(HttpStatusCode.OK);

        var mails = await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count >= 2, TimeSpan.FromSeconds(60), "the moved email");
        var moved = mails.Single(m => m.MessageId != confirmation.MessageId);
        Assert.Equal($"Your appointment with Business {biz.Slug} has moved", moved.Subject);
        var text = moved.TextBody!;
        var span = ZonedDateTimePattern(to, "dddd d MMMM yyyy, h:mm") + "–" + ZonedDateTimePattern(to.PlusMinutes(45), "h:mm tt x");
        Assert.Contains("New time: " + span, text, StringComparison.Ordinal);
        Assert.Contains("Was: " + ZonedDateTimePattern(from, "dddd d MMMM yyyy 'at' h:mm tt x"), text, StringComparison.Ordinal);
        Assert.DoesNotContain("Diary before:", text, StringComparison.Ordinal); // the same diary
        Assert.Contains("Physio session with Dr Lee", text, StringComparison.Ordinal);

        Assert.Equal("PUBLISH", CalendarEmailTests.CalendarPart(moved).ContentType.Parameters["method"]);
        var invite = Assert.Single(Calendar.Load(CalendarEmailTests.CalendarText(moved))!.Events);
        Assert.Equal(booked.Uid, invite.Uid);
        Assert.True(invite.Sequence > booked.Sequence, $"the move's SEQUENCE {invite.Sequence} is not above the booking's {booked.Sequence}");
        Assert.Equal(to.ToDateTimeUtc(), invite.DtStart!.AsUtc);
        Assert.Equal(to.PlusMinutes(45).ToDateTimeUtc(), invite.DtEnd!.AsUtc);

        // The diary contact is told as of a new booking: the booking's email, then "Moved: …" with the new and the old time.
        var toContact = await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(contact)), m => m.Any(x => x.Subject?.StartsWith("Moved:", StringComparison.Ordinal) == true),
            TimeSpan.FromSeconds(60), "the diary contact's moved email");
        var staffMoved = toContact.Single(m => m.Subject?.StartsWith("Moved:", StringComparison.Ordinal) == true);
        Assert.Equal("Moved: Pat Lee", staffMoved.Subject);
        Assert.Contains("New time: " + span, staffMoved.TextBody!, StringComparison.Ordinal);
        Assert.Contains("this appointment was moved by the client", staffMoved.TextBody!, StringComparison.Ordinal);
    }

    /// <summary>
    /// Decision 286: a message of the log is sent again as it was written (its content and .ics kept), so one written
    /// before a move would give the old time. Resending the booking's confirmation after the move is refused, naming the
    /// move and the moved-appointment email; that one, sent again, carries the time now and a SEQUENCE above the
    /// booking's file; and once the appointment is cancelled the moved email is refused too.
    /// </summary>
    [Fact]
    public async Task After_a_move_the_old_confirmation_is_not_sent_again_and_the_moved_email_sent_again_has_the_new_time_and_a_higher_sequence()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var biz = await fixture.App.SignUpBusinessAsync("mvre", "America/Chicago");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Lee", contactEmail = $"diary-{tag}@example.com", active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        var service = await biz.ServiceAsync("Physio session", 45, 15, [diary]);
        var http = fixture.App.NewClient();
        var email = $"client-{tag}@example.com";
        await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}", new
        {
            firstName = "Pat", lastName = "Lee", email, password = "a long client password 2026!",
            mobile = "+61412" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture),
        })).JsonAsync(HttpStatusCode.Created);
        var chicago = DateTimeZoneProviders.Tzdb["America/Chicago"];
        var today = SystemClock.Instance.GetCurrentInstant().InZone(chicago).Date;
        var from = today.PlusDays(5).At(new LocalTime(10, 0)).InZoneStrictly(chicago);
        var to = today.PlusDays(7).At(new LocalTime(14, 30)).InZoneStrictly(chicago);
        static string Iso(ZonedDateTime t) => t.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var id = (await (await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}", new
        {
            serviceId = service, diaryId = diary, start = Iso(from), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null,
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var confirmation = Assert.Single(await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count >= 1, TimeSpan.FromSeconds(60), "the confirmation"));
        var booked = Assert.Single(Calendar.Load(CalendarEmailTests.CalendarText(confirmation))!.Events);

        var db = fixture.App.Database.Database;
        // As if the mail server had bounced it after all: a failed message the log offers to send again.
        async Task FailAsync(string kind) => await Sql.AdminExecAsync(db,
            "update notifications.outbound_messages set status = 'failed', sent_at = null, last_error = 'bounced' where appointment_id = @id and kind = @k",
            ("id", id), ("k", kind));
        async Task<HttpResponseMessage> ResendAsync(string kind)
        {
            var messageId = await Sql.AdminScalarAsync<Guid>(db, "select id from notifications.outbound_messages where appointment_id = @id and kind = @k", ("id", id), ("k", kind));
            return await biz.Owner.PostAsJsonAsync(new Uri($"/api/v1/admin/messages/{messageId}/resend", UriKind.Relative), new { to = (string?)null });
        }

        await FailAsync("client-booking-confirmation");
        await Task.Delay(TimeSpan.FromMilliseconds(1100)); // SEQUENCE counts whole seconds
        await (await http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/move?name={biz.Slug}", new { start = Iso(to) })).JsonAsync(HttpStatusCode.OK);
        var moved = (await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count >= 2, TimeSpan.FromSeconds(60), "the moved email"))
            .Single(m => m.MessageId != confirmation.MessageId);
        await FailAsync("client-appointment-moved");

        // The booking's confirmation tells the old time: refused, naming the move (its date in the business's zone).
        var problem = await (await ResendAsync("client-booking-confirmation")).JsonAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/no-longer-current", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        var why = problem.GetProperty("detail").GetString()!;
        Assert.StartsWith("This appointment was moved on ", why, StringComparison.Ordinal);
        Assert.Contains(SystemClock.Instance.GetCurrentInstant().InZone(chicago).Year.ToString(CultureInfo.InvariantCulture) + ", after this email was written", why, StringComparison.Ordinal);
        Assert.EndsWith(", after this email was written, so it would give the time before the move. "
            + "Send the moved-appointment email instead (\"Appointment moved, to client\" in this log), which gives the time now. It is not sent again.", why, StringComparison.Ordinal);
        // The log says so beforehand, so the page offers no Resend for it.
        var failed = (await biz.Owner.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/admin/messages?status=failed")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(why, failed.Single(m => m.GetProperty("kind").GetString() == "client-booking-confirmation").GetProperty("noLongerCurrent").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null,
            failed.Single(m => m.GetProperty("kind").GetString() == "client-appointment-moved").GetProperty("noLongerCurrent").ValueKind);

        // The moved email, sent again: the time now, and an .ics that outranks the booking's.
        await (await ResendAsync("client-appointment-moved")).JsonAsync(HttpStatusCode.OK);
        var mails = await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count >= 3, TimeSpan.FromSeconds(60), "the moved email again");
        Assert.Equal(3, mails.Count);
        // The same message again (its Message-ID is the row's): both copies give the time now, under an .ics that outranks
        // the booking's; and the confirmation was not sent a second time.
        var copies = mails.Where(m => m.MessageId == moved.MessageId).ToList();
        Assert.Equal(2, copies.Count);
        Assert.Single(mails, m => m.MessageId == confirmation.MessageId);
        foreach (var again in copies)
        {
            Assert.Equal($"Your appointment with Business {biz.Slug} has moved", again.Subject);
            Assert.Contains("New time: " + ZonedDateTimePattern(to, "dddd d MMMM yyyy, h:mm"), again.TextBody!, StringComparison.Ordinal);
            var invite = Assert.Single(Calendar.Load(CalendarEmailTests.CalendarText(again))!.Events);
            Assert.Equal(booked.Uid, invite.Uid);
            Assert.Equal(to.ToDateTimeUtc(), invite.DtStart!.AsUtc);
            Assert.True(invite.Sequence > booked.Sequence, $"the resent file's SEQUENCE {invite.Sequence} is not above the booking's {booked.Sequence}");
        }

        // Cancelled since: the moved email says it stands, so it is not sent again either.
        await FailAsync("client-appointment-moved");
        (await http.CancelAsync(biz.Slug, id, "plans changed")).EnsureSuccessStatusCode();
        var cancelled = await (await ResendAsync("client-appointment-moved")).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("This appointment has since been cancelled. It is not sent again.", cancelled.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Moved_to_another_diary_each_diary_contact_is_told_from_their_side_and_their_footer_names_their_own_diary()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var biz = await fixture.App.SignUpBusinessAsync("mv2");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var (miaContact, tomContact) = ($"mia-{tag}@example.com", $"tom-{tag}@example.com");
        await biz.ConfirmAddressAsync(miaContact);
        await biz.ConfirmAddressAsync(tomContact);
        async Task<Guid> DiaryAsync(string name, string contact) =>
            (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name, contactEmail = contact, active = true })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var mia = await DiaryAsync("Mia Chen", miaContact);
        var tom = await DiaryAsync("Tom Walsh", tomContact);
        await biz.RosterEveryDayAsync(mia, "08:00", "18:00");
        await biz.RosterEveryDayAsync(tom, "08:00", "18:00");
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        })).JsonAsync(HttpStatusCode.OK);
        var service = await biz.ServiceAsync("Remedial massage", 60, 0, [mia, tom]);
        var http = fixture.App.NewClient();
        await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}", new
        {
            firstName = "Pat", lastName = "Lee", email = $"client-{tag}@example.com", password = "a long client password 2026!",
            mobile = "+61412" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture),
        })).JsonAsync(HttpStatusCode.Created);
        var sydney = DateTimeZoneProviders.Tzdb["Australia/Sydney"];
        var today = SystemClock.Instance.GetCurrentInstant().InZone(sydney).Date;
        static string Iso(ZonedDateTime t) => t.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var id = (await (await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}", new
        {
            serviceId = service, diaryId = mia, start = Iso(today.PlusDays(5).At(new LocalTime(14, 0)).InZoneStrictly(sydney)),
            petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null,
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        await (await http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/move?name={biz.Slug}", new
        {
            start = Iso(today.PlusDays(6).At(new LocalTime(10, 0)).InZoneStrictly(sydney)), diaryId = tom,
        })).JsonAsync(HttpStatusCode.OK);

        static bool IsMoved(MimeMessage m) => m.Subject?.StartsWith("Moved", StringComparison.Ordinal) == true;
        var away = (await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(miaContact)), m => m.Any(IsMoved), TimeSpan.FromSeconds(60), "the old diary's moved email"))
            .Single(IsMoved);
        var into = (await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(tomContact)), m => m.Any(IsMoved), TimeSpan.FromSeconds(60), "the new diary's moved email"))
            .Single(IsMoved);

        Assert.Contains("moved away from your diary", away.TextBody!, StringComparison.Ordinal);
        Assert.Contains("Tom Walsh", away.TextBody!, StringComparison.Ordinal); // where it went
        Assert.Contains($"contact email of the diary Mia Chen at Business {biz.Slug}", away.TextBody!, StringComparison.Ordinal);
        Assert.DoesNotContain("diary Tom Walsh", away.TextBody!, StringComparison.Ordinal);
        Assert.Contains("moved into your diary", into.TextBody!, StringComparison.Ordinal);
        Assert.Contains("Diary before: Mia Chen", into.TextBody!, StringComparison.Ordinal);
        Assert.Contains($"contact email of the diary Tom Walsh at Business {biz.Slug}", into.TextBody!, StringComparison.Ordinal);
    }

    /// <summary>
    /// Decision 334: a move keeps the terms the appointment was booked under (decision 270); where the business has changed
    /// its policy since, the moved email says those terms in the portal's words, what happens after the window included.
    /// </summary>
    [Fact]
    public async Task A_move_under_terms_changed_since_booking_says_them_in_the_portals_words()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var biz = await fixture.App.SignUpBusinessAsync("mvterms", "America/Chicago");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        await biz.SettingsAsync(x => x["cancellationPolicy"] = new System.Text.Json.Nodes.JsonObject
        {
            ["hours"] = 48, ["text"] = "Two days' notice, then ask us.", ["insideWindow"] = "request",
        });
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Lee", contactEmail = $"diary-{tag}@example.com", active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        var service = await biz.ServiceAsync("Physio session", 45, 15, [diary]);
        var http = fixture.App.NewClient();
        var email = $"client-{tag}@example.com";
        await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}", new
        {
            firstName = "Pat", lastName = "Lee", email, password = "a long client password 2026!",
            mobile = "+61412" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture),
        })).JsonAsync(HttpStatusCode.Created);
        var chicago = DateTimeZoneProviders.Tzdb["America/Chicago"];
        var today = SystemClock.Instance.GetCurrentInstant().InZone(chicago).Date;
        static string Iso(ZonedDateTime t) => t.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var id = (await (await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}", new
        {
            serviceId = service, diaryId = diary, start = Iso(today.PlusDays(5).At(new LocalTime(10, 0)).InZoneStrictly(chicago)),
            petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null,
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var confirmation = Assert.Single(await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count >= 1, TimeSpan.FromSeconds(60), "the confirmation"));
        await biz.SettingsAsync(x => x["cancellationPolicy"] = new System.Text.Json.Nodes.JsonObject
        {
            ["hours"] = 24, ["text"] = "A day's notice, please.", ["insideWindow"] = "refuse",
        });

        await (await http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/move?name={biz.Slug}",
            new { start = Iso(today.PlusDays(7).At(new LocalTime(14, 30)).InZoneStrictly(chicago)) })).JsonAsync(HttpStatusCode.OK);

        var mails = await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count >= 2, TimeSpan.FromSeconds(60), "the moved email");
        var text = mails.Single(m => m.MessageId != confirmation.MessageId).TextBody!.ReplaceLineEndings("\n");
        Assert.Contains("Cancellation policy: When you booked this appointment, it could be cancelled online up to 2 days before its start; "
            + $"after that, cancelling is a request Business {biz.Slug} decides.\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("A day's notice", text, StringComparison.Ordinal);
    }

    private static string ZonedDateTimePattern(ZonedDateTime t, string pattern) =>
        NodaTime.Text.ZonedDateTimePattern.CreateWithInvariantCulture(pattern, null).Format(t);
}
