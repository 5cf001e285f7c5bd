using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Time;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.Notifications.Rendering;
using Booking.PortalAuth.Contracts;
using Ical.Net;
using Ical.Net.CalendarComponents;
using MimeKit;
using NodaTime;
using Calendar = Ical.Net.Calendar;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// The .ics files and the times and links of emails, read back the way a client's software reads them: the files
/// parsed by Ical.Net, the emails as they arrive at a real SMTP server.
/// </summary>
public sealed class CalendarFileTests
{
    // America/New_York, Sunday 1 November 2026: 1:00–2:00 happens twice, first in EDT (-4) then in EST (-5).
    private const string NewYork = "America/New_York";
    internal static readonly DateTimeOffset FirstHalfPastOne = new(2026, 11, 1, 5, 30, 0, TimeSpan.Zero); // 1:30 EDT
    internal static readonly DateTimeOffset SecondHalfPastOne = new(2026, 11, 1, 6, 30, 0, TimeSpan.Zero); // 1:30 EST

    private static readonly BusinessLook Look = new("Acme & Co", "acme", NewYork, "#334155", null, "https://booking.test/ol/book?name=acme");
    private static readonly CalendarParties Parties = new("bookings@booking.test", "client@example.com", "Ana O'Neil");

    private static (string Text, CalendarEvent Event, Calendar Calendar) Build(
        DateTimeOffset start, DateTimeOffset end, string method = CalendarInvite.Request, CalendarParties? parties = null, BusinessLook? look = null)
    {
        var invite = new CalendarInvite(Guid.NewGuid(), method, 0, start, end, "Massage");
        var text = EmailRenderer.BuildCalendar(invite, look ?? Look, parties ?? Parties, DateTimeOffset.UtcNow);
        var calendar = Calendar.Load(text)!;
        return (text, Assert.Single(calendar.Events), calendar);
    }

    [Fact]
    public void Both_occurrences_of_the_repeated_hour_read_back_as_the_instant_they_are()
    {
        // The first 1:30 keeps TZID and local time; the second one cannot (TZID 1:30 means the first), so it is in UTC.
        var first = Build(FirstHalfPastOne, FirstHalfPastOne.AddMinutes(20));
        Assert.Contains("DTSTART;TZID=America/New_York:20261101T013000", first.Text, StringComparison.Ordinal);
        Assert.Equal(FirstHalfPastOne.UtcDateTime, first.Event.DtStart!.AsUtc);
        Assert.Equal(FirstHalfPastOne.AddMinutes(20).UtcDateTime, first.Event.DtEnd!.AsUtc);

        var second = Build(SecondHalfPastOne, SecondHalfPastOne.AddMinutes(20));
        Assert.Equal(SecondHalfPastOne.UtcDateTime, second.Event.DtStart!.AsUtc);
        Assert.Equal(SecondHalfPastOne.AddMinutes(20).UtcDateTime, second.Event.DtEnd!.AsUtc);
        Assert.Contains("DTSTART:20261101T063000Z", second.Text, StringComparison.Ordinal);

        // An appointment from the first 1:30 to the second 1:30 (an hour and a half): the end alone is in UTC.
        var across = Build(FirstHalfPastOne.AddMinutes(-30), SecondHalfPastOne);
        Assert.Contains("DTSTART;TZID=America/New_York:20261101T010000", across.Text, StringComparison.Ordinal);
        Assert.Contains("DTEND:20261101T063000Z", across.Text, StringComparison.Ordinal);
        Assert.Equal(FirstHalfPastOne.AddMinutes(-30).UtcDateTime, across.Event.DtStart!.AsUtc);
        Assert.Equal(SecondHalfPastOne.UtcDateTime, across.Event.DtEnd!.AsUtc);
        Assert.Equal(TimeSpan.FromMinutes(90), across.Event.DtEnd.AsUtc - across.Event.DtStart.AsUtc);

        // After the repeated hour the local time is unambiguous again: TZID.
        var after = Build(SecondHalfPastOne.AddHours(1), SecondHalfPastOne.AddHours(2));
        Assert.Contains("DTSTART;TZID=America/New_York:20261101T023000", after.Text, StringComparison.Ordinal);
        Assert.Equal(SecondHalfPastOne.AddHours(1).UtcDateTime, after.Event.DtStart!.AsUtc);
        Assert.Contains(after.Calendar.TimeZones, z => z.TzId == NewYork);
    }

    [Fact]
    public void A_request_names_the_organizer_and_the_client_as_an_accepted_attendee_without_rsvp()
    {
        var (text, evt, calendar) = Build(FirstHalfPastOne, FirstHalfPastOne.AddHours(1));
        Assert.Equal("REQUEST", calendar.Method);
        Assert.Equal("mailto:bookings@booking.test", evt.Organizer!.Value!.ToString());
        Assert.Equal("Acme & Co", evt.Organizer.CommonName);
        var attendee = Assert.Single(evt.Attendees);
        Assert.Equal("mailto:client@example.com", attendee.Value!.ToString());
        Assert.Equal("Ana O'Neil", attendee.CommonName);
        Assert.Equal("ACCEPTED", attendee.ParticipationStatus);
        Assert.False(attendee.Rsvp);
        Assert.Contains("RSVP=FALSE", text, StringComparison.Ordinal);

        var cancel = Build(FirstHalfPastOne, FirstHalfPastOne.AddHours(1), CalendarInvite.Cancel);
        Assert.Equal("CANCEL", cancel.Calendar.Method);
        Assert.Equal("CANCELLED", cancel.Event.Status);
        Assert.Equal("mailto:client@example.com", Assert.Single(cancel.Event.Attendees).Value!.ToString());
        Assert.NotNull(cancel.Event.Organizer);
    }

    [Fact]
    public void A_request_with_no_attendee_address_is_published_and_names_no_attendee()
    {
        var (text, evt, calendar) = Build(FirstHalfPastOne, FirstHalfPastOne.AddHours(1), parties: new CalendarParties("bookings@booking.test"));
        Assert.Equal("PUBLISH", calendar.Method);
        Assert.Empty(evt.Attendees);
        // Published, by a business that gave no email: no organizer (the no-reply sender is nobody to write to).
        Assert.Null(evt.Organizer);
        Assert.DoesNotContain("ORGANIZER", text, StringComparison.Ordinal);
        Assert.Equal("CONFIRMED", evt.Status);
    }

    [Fact]
    public void The_organizer_is_the_business_s_own_email_when_it_gave_one()
    {
        var look = Look with { Email = "desk@acme.example" };
        foreach (var (method, parties) in new[] { (CalendarInvite.Request, Parties), (CalendarInvite.Cancel, Parties), (CalendarInvite.Publish, new CalendarParties("bookings@booking.test")) })
        {
            var (text, evt, _) = Build(FirstHalfPastOne, FirstHalfPastOne.AddHours(1), method, parties, look);
            Assert.Equal("mailto:desk@acme.example", evt.Organizer!.Value!.ToString());
            Assert.Equal("Acme & Co", evt.Organizer.CommonName);
            Assert.DoesNotContain("bookings@booking.test", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(NewYork, "2026-07-14T13:00:00Z", "Tuesday 14 July 2026 at 9:00 AM EDT")]
    [InlineData(NewYork, "2026-11-01T05:30:00Z", "Sunday 1 November 2026 at 1:30 AM EDT")]
    [InlineData(NewYork, "2026-11-01T06:30:00Z", "Sunday 1 November 2026 at 1:30 AM EST")]
    [InlineData("Australia/Sydney", "2026-03-10T23:00:00Z", "Wednesday 11 March 2026 at 10:00 AM AEDT")]
    [InlineData("Asia/Dubai", "2026-07-14T05:00:00Z", "Tuesday 14 July 2026 at 9:00 AM UTC+04")]
    [InlineData("Asia/Kathmandu", "2026-07-14T03:15:00Z", "Tuesday 14 July 2026 at 9:00 AM UTC+05:45")]
    [InlineData("America/Sao_Paulo", "2026-07-14T12:00:00Z", "Tuesday 14 July 2026 at 9:00 AM UTC-03")]
    [InlineData("UTC", "2026-07-14T09:00:00Z", "Tuesday 14 July 2026 at 9:00 AM UTC")]
    public void Email_times_carry_the_zone_abbreviation_or_the_offset_from_UTC(string zone, string instant, string expected) =>
        Assert.Equal(expected, EmailRenderer.FormatInstant(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture), DateTimeZoneProviders.Tzdb[zone], TimeFormat.TwelveHour, DateStyle.DayFirst));

    /// <summary>
    /// {AppointmentTimes}, the built-in texts' start and end: the date once and an en dash between the times; both dates
    /// only when the appointment runs past midnight; each time its own abbreviation only when they differ.
    /// </summary>
    [Theory]
    [InlineData(NewYork, "2026-07-14T13:00:00Z", "2026-07-14T13:45:00Z", "12h", false, "Tuesday 14 July 2026, 9:00–9:45 AM EDT")]
    [InlineData(NewYork, "2026-07-14T13:00:00Z", "2026-07-14T13:45:00Z", "24h", true, "Tuesday, July 14, 2026, 09:00–09:45 EDT")]
    [InlineData(NewYork, "2026-07-15T03:30:00Z", "2026-07-15T04:15:00Z", "12h", false, "Tuesday 14 July 2026, 11:30 PM – Wednesday 15 July 2026, 12:15 AM EDT")]
    [InlineData(NewYork, "2026-11-01T05:30:00Z", "2026-11-01T06:15:00Z", "24h", false, "Sunday 1 November 2026, 01:30 EDT–01:15 EST")]
    [InlineData("Australia/Sydney", "2026-12-07T23:00:00Z", "2026-12-07T23:45:00Z", "24h", false, "Tuesday 8 December 2026, 10:00–10:45 AEDT")]
    public void The_appointment_times_field_writes_the_date_once_unless_it_runs_past_midnight(
        string zone, string start, string end, string clock, bool monthFirst, string expected)
    {
        var look = Look with { Clock = TimeFormat.FromCode(clock), Dates = monthFirst ? DateStyle.MonthFirst : DateStyle.DayFirst };
        var values = new Dictionary<string, string?>
        {
            [MergeFields.AppointmentStartDateTime] = start,
            [MergeFields.AppointmentEndDateTime] = end,
        };
        Assert.Equal($"When: {expected}.", MergeFields.Render("When: {AppointmentTimes}.", f => EmailRenderer.FormatValue(f, values, look, DateTimeZoneProviders.Tzdb[zone])));

        // Without an end (never so for an appointment's email, but a value can be missing) it is the start alone.
        values.Remove(MergeFields.AppointmentEndDateTime);
        Assert.Equal(EmailRenderer.FormatInstant(DateTimeOffset.Parse(start, CultureInfo.InvariantCulture), DateTimeZoneProviders.Tzdb[zone], look.TimeFormat, look.DateStyle),
            EmailRenderer.FormatValue(MergeFields.AppointmentTimes, values, look, DateTimeZoneProviders.Tzdb[zone]));
    }
}

/// <summary>The same, as the emails leave through SMTP (facts stood in as in <see cref="NotificationDeliveryTests"/>).</summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class CalendarEmailTests(NotificationsFixture fixture) : IClassFixture<NotificationsFixture>
{
    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to, int count = 1) =>
        Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} email(s) to {to}");

    internal static MimePart CalendarPart(MimeMessage message) =>
        message.Attachments.OfType<MimePart>().Single(a => a.ContentType.MimeType == "text/calendar");

    internal static string CalendarText(MimeMessage message)
    {
        using var stream = new MemoryStream();
        CalendarPart(message).Content!.DecodeTo(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The body cell of the layout (the footer links the portal on its own).</summary>
    internal static string BodyHtml(MimeMessage message)
    {
        var html = message.HtmlBody!;
        var start = html.IndexOf("data-role=\"body\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "no body cell");
        return html[start..html.IndexOf("</td>", start, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task An_appointment_past_midnight_is_emailed_with_both_dates_and_a_day_one_with_the_date_once()
    {
        var s = NotifyScene.Create(await fixture.App.SignUpBusinessAsync("span")); // Sydney, Australia: 12-hour clock, day first
        // Tuesday 2 March 2027, 11:30 PM to 12:15 AM AEDT (UTC+11).
        var late = new DateTimeOffset(2027, 3, 2, 12, 30, 0, TimeSpan.Zero);
        NotificationsTestApp.Deliver(fixture.App, new AppointmentBooked(
            Guid.NewGuid(), s.Business.Id, Guid.NewGuid(), s.ClientId, null, s.DiaryId, s.ServiceId, late, late.AddMinutes(45), ChangeSources.Portal));
        var mail = Assert.Single(await MailAsync(s.ClientEmail));
        Assert.Contains("\nTuesday 2 March 2027, 11:30 PM – Wednesday 3 March 2027, 12:15 AM AEDT\n", mail.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Tuesday 2 March 2027, 11:30 PM – Wednesday 3 March 2027, 12:15 AM AEDT", BodyHtml(mail), StringComparison.Ordinal);

        var day = late.AddHours(-12); // 11:30 AM
        NotificationsTestApp.Deliver(fixture.App, new AppointmentBooked(
            Guid.NewGuid(), s.Business.Id, Guid.NewGuid(), s.ClientId, null, s.DiaryId, s.ServiceId, day, day.AddMinutes(45), ChangeSources.Portal));
        var second = (await MailAsync(s.ClientEmail, 2)).Single(m => m.MessageId != mail.MessageId);
        var text = second.TextBody!.ReplaceLineEndings("\n");
        Assert.Contains("\nTuesday 2 March 2027, 11:30 AM–12:15 PM AEDT\n", text, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "2 March 2027"));
    }

    [Fact]
    public async Task A_booking_in_the_second_repeated_hour_is_emailed_as_EST_with_a_published_entry_and_no_attendee()
    {
        var s = await NotifyScene.Create(await fixture.App.SignUpBusinessAsync("ics", "America/New_York")).ContactConfirmedAsync(fixture.App);
        var appointmentId = Guid.NewGuid();
        var start = CalendarFileTests.SecondHalfPastOne;
        NotificationsTestApp.Deliver(fixture.App, new AppointmentBooked(
            Guid.NewGuid(), s.Business.Id, appointmentId, s.ClientId, null, s.DiaryId, s.ServiceId, start, start.AddHours(1), ChangeSources.Portal));
        var mail = Assert.Single(await MailAsync(s.ClientEmail));

        Assert.Contains("Sunday 1 November 2026, 1:30–2:30 AM EST\n",
            mail.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        // PUBLISH (decision 350): an entry for the client's calendar, not an invitation with Accept / Decline.
        Assert.Equal("PUBLISH", CalendarPart(mail).ContentType.Parameters["method"]);
        var calendar = Calendar.Load(CalendarText(mail))!;
        Assert.Equal("PUBLISH", calendar.Method);
        var evt = Assert.Single(calendar.Events);
        Assert.Equal($"appointment-{appointmentId:N}@booking", evt.Uid);
        Assert.Equal(start.UtcDateTime, evt.DtStart!.AsUtc);
        Assert.Equal(start.AddHours(1).UtcDateTime, evt.DtEnd!.AsUtc);
        // A published entry of a business with no email names no organizer (not the no-reply sender nobody reads).
        Assert.Null(evt.Organizer);
        Assert.Empty(evt.Attendees);
        Assert.Equal("CONFIRMED", evt.Status);

        // Cancelled: the same UID, a higher SEQUENCE, published cancelled (the booking's file was no invitation to cancel).
        NotificationsTestApp.Deliver(fixture.App, new AppointmentCancelled(
            Guid.NewGuid(), s.Business.Id, appointmentId, s.ClientId, s.DiaryId, s.ServiceId, start, start.AddHours(1), ChangeSources.Portal, null));
        var cancelMail = (await MailAsync(s.ClientEmail, 2)).Single(m => m.MessageId != mail.MessageId);
        Assert.Equal("PUBLISH", CalendarPart(cancelMail).ContentType.Parameters["method"]);
        var cancel = Assert.Single(Calendar.Load(CalendarText(cancelMail))!.Events);
        Assert.Equal("CANCELLED", cancel.Status);
        Assert.Equal(evt.Uid, cancel.Uid);
        Assert.True(cancel.Sequence > evt.Sequence, $"the cancellation's SEQUENCE {cancel.Sequence} is not above the booking's {evt.Sequence}");
        Assert.Empty(cancel.Attendees);
        Assert.Equal(start.UtcDateTime, cancel.DtStart!.AsUtc);
    }

    [Fact]
    public async Task The_portal_and_reset_addresses_are_links_in_the_HTML_part_and_plain_in_the_text_part()
    {
        var s = NotifyScene.Create(await fixture.App.SignUpBusinessAsync("links"));
        var reset = $"https://booking.test/ol/reset?name={s.Business.Slug}&token=abc<\"123";
        NotificationsTestApp.Deliver(fixture.App, new PasswordResetRequested(Guid.NewGuid(), s.Business.Id, s.ClientId, s.ClientEmail, "Ana", NotificationsTestApp.Protected(fixture.App, reset), DateTimeOffset.UtcNow.AddHours(1)));
        var mail = Assert.Single(await MailAsync(s.ClientEmail));
        var encoded = WebUtility.HtmlEncode(reset);
        Assert.Contains($"<a href=\"{encoded}\">{encoded}</a>", BodyHtml(mail), StringComparison.Ordinal);
        Assert.DoesNotContain("abc<\"123", mail.HtmlBody!, StringComparison.Ordinal);
        Assert.Contains("\n" + reset + "\n", mail.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("<a", mail.TextBody!, StringComparison.Ordinal);

        var booked = Guid.NewGuid();
        var start = new DateTimeOffset(2026, 3, 10, 23, 0, 0, TimeSpan.Zero);
        NotificationsTestApp.Deliver(fixture.App, new AppointmentBooked(
            Guid.NewGuid(), s.Business.Id, booked, s.ClientId, null, s.DiaryId, s.ServiceId, start, start.AddHours(1), ChangeSources.Portal));
        var confirmation = (await MailAsync(s.ClientEmail, 2)).Single(m => m.MessageId != mail.MessageId);
        var portal = $"https://booking.test/ol/appointments?name={s.Business.Slug}";
        Assert.Contains($"See your appointments at <a href=\"{portal}\">{portal}</a>", BodyHtml(confirmation), StringComparison.Ordinal);
        Assert.Contains("See your appointments at " + portal, confirmation.TextBody!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tenant_template_text_stays_encoded_next_to_the_portal_link_and_a_foreign_address_is_not_linked()
    {
        var s = await NotifyScene.Create(await fixture.App.SignUpBusinessAsync("inject")).ContactConfirmedAsync(fixture.App);
        var template = await s.CreateTemplateAsync("Diary new", "New booking",
            "Open <a href=\"https://evil.example\">this</a> or {PortalUrl}; at {AppointmentStartDateTime}");
        await s.PutSettingsAsync(new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = template },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        });
        var start = new DateTimeOffset(2026, 3, 10, 23, 0, 0, TimeSpan.Zero);
        NotificationsTestApp.Deliver(fixture.App, new AppointmentBooked(
            Guid.NewGuid(), s.Business.Id, Guid.NewGuid(), s.ClientId, null, s.DiaryId, s.ServiceId, start, start.AddHours(1), ChangeSources.Portal));
        var mail = Assert.Single(await MailAsync(s.DiaryContact));
        var body = BodyHtml(mail);
        var portal = $"https://booking.test/ol/book?name={s.Business.Slug}";
        Assert.Contains($"Open &lt;a href=&quot;https://evil.example&quot;&gt;this&lt;/a&gt; or <a href=\"{portal}\">{portal}</a>; at Wednesday 11 March 2026 at 10:00 AM AEDT",
            body, StringComparison.Ordinal);
        Assert.DoesNotContain("<a href=\"https://evil.example", mail.HtmlBody!, StringComparison.Ordinal);

        // A reset address not on the public origin is shown, not linked.
        var foreign = "https://evil.example/ol/reset?token=abc";
        NotificationsTestApp.Deliver(fixture.App, new PasswordResetRequested(Guid.NewGuid(), s.Business.Id, s.ClientId, s.ClientEmail, "Ana", NotificationsTestApp.Protected(fixture.App, foreign), start));
        var reset = Assert.Single(await MailAsync(s.ClientEmail, 2), m => m.Subject!.StartsWith("Reset", StringComparison.Ordinal));
        Assert.Contains(foreign, BodyHtml(reset), StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"https://evil.example", reset.HtmlBody!, StringComparison.Ordinal);
    }
}

/// <summary>The portal's "add to calendar" download, booked and cancelled through the portal API.</summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class PortalCalendarDownloadTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    [Fact]
    public async Task The_download_is_published_with_the_emails_uid_and_once_cancelled_says_so_with_the_cancellations_sequence()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var biz = await fixture.App.SignUpBusinessAsync("dl", "America/Chicago");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        await biz.ConfirmAddressAsync($"diary-{tag}@example.com");
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Lee", contactEmail = $"diary-{tag}@example.com", active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        var service = await biz.ServiceAsync("Deep tissue massage", 45, 15, [diary]);
        var http = fixture.App.NewClient();
        var email = $"client-{tag}@example.com";
        await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}", new
        {
            firstName = "Pat", lastName = "Lee", email, password = "a long client password 2026!",
            mobile = "+61412" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture),
        })).JsonAsync(HttpStatusCode.Created);
        var chicago = DateTimeZoneProviders.Tzdb["America/Chicago"];
        var start = SystemClock.Instance.GetCurrentInstant().InZone(chicago).Date.PlusDays(5).At(new LocalTime(10, 0)).InZoneStrictly(chicago);
        var booked = await (await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}", new
        {
            serviceId = service, diaryId = diary, start = start.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null,
        })).JsonAsync(HttpStatusCode.Created);
        var id = booked.GetProperty("id").GetGuid();

        async Task<(string Text, CalendarEvent Event, Calendar Calendar)> DownloadAsync()
        {
            var response = await http.GetAsync(new Uri($"/ol/calendar?name={biz.Slug}&id={id}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
            var text = await response.Content.ReadAsStringAsync();
            var calendar = Calendar.Load(text)!;
            return (text, Assert.Single(calendar.Events), calendar);
        }

        var confirmed = await DownloadAsync();
        Assert.Equal("PUBLISH", confirmed.Calendar.Method);
        Assert.Equal("CONFIRMED", confirmed.Event.Status);
        Assert.Equal("Deep tissue massage with Dr Lee", confirmed.Event.Summary);
        Assert.Empty(confirmed.Event.Attendees);
        Assert.Null(confirmed.Event.Organizer); // the business gave no email (BookingNoteEmailTests: one that did)
        Assert.Equal(start.ToDateTimeUtc(), confirmed.Event.DtStart!.AsUtc);

        var confirmation = Assert.Single(await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count >= 1, TimeSpan.FromSeconds(60), "the confirmation"));
        var invite = Assert.Single(Calendar.Load(CalendarEmailTests.CalendarText(confirmation))!.Events);
        Assert.Equal(invite.Uid, confirmed.Event.Uid);
        Assert.True(confirmed.Event.Sequence >= invite.Sequence, "the download is below the confirmation's invite");

        // The service and the diary renamed: the file says so, under the same UID with a higher SEQUENCE, so a calendar
        // holding the appointment takes the new words (SEQUENCE counts whole seconds: a second passes first).
        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{service}", Setup.SetupApi.ServiceBody("Hot stone massage", [diary], duration: 45))).JsonAsync(HttpStatusCode.OK);
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}", new { name = "Dr Ng", contactEmail = $"diary-{tag}@example.com", active = true })).JsonAsync(HttpStatusCode.OK);
        var renamed = await DownloadAsync();
        Assert.Equal("Hot stone massage with Dr Ng", renamed.Event.Summary);
        Assert.Equal(confirmed.Event.Uid, renamed.Event.Uid);
        Assert.True(renamed.Event.Sequence > confirmed.Event.Sequence, $"SEQUENCE {renamed.Event.Sequence} after the rename is not above {confirmed.Event.Sequence}");

        await (await http.CancelAsync(biz.Slug, id, "Away")).JsonAsync(HttpStatusCode.OK);
        var cancelled = await DownloadAsync();
        Assert.Equal("PUBLISH", cancelled.Calendar.Method);
        Assert.Equal("CANCELLED", cancelled.Event.Status);
        Assert.Equal(invite.Uid, cancelled.Event.Uid);
        Assert.Equal(start.ToDateTimeUtc(), cancelled.Event.DtStart!.AsUtc);

        // The cancellation email's CANCEL: same UID, a SEQUENCE above every file made before it (the download after
        // the rename among them); the download made after it is cancelled too, and not below it.
        var mails = await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count >= 2, TimeSpan.FromSeconds(60), "the cancellation");
        var cancel = Assert.Single(Calendar.Load(CalendarEmailTests.CalendarText(mails.Single(m => m.MessageId != confirmation.MessageId)))!.Events);
        Assert.Equal(invite.Uid, cancel.Uid);
        Assert.True(cancel.Sequence > renamed.Event.Sequence, $"the CANCEL's SEQUENCE {cancel.Sequence} is not above the last download's {renamed.Event.Sequence}");
        Assert.True(cancelled.Event.Sequence >= cancel.Sequence, "the cancelled download is below the CANCEL");
    }
}
