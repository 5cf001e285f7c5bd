using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Booking.BuildingBlocks.Time;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using NodaTime;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// The emails' dates (the built-in texts and a tenant template's {AppointmentStartDateTime}) and the message log's read
/// in the order the business's country writes them: "Tuesday, December 8, 2026 at 2:30 PM EST" for an American
/// business, "Tuesday 8 December 2026 at 2:30 PM AEDT" for an Australian one. Real contract handlers, real SMTP; the
/// expected texts are written out here with their own patterns.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class DateStyleEmailTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    [Theory]
    [InlineData("America/New_York", "US", "USD", true)]
    [InlineData("Australia/Sydney", "AU", "AUD", false)]
    public async Task The_emails_and_the_message_log_write_dates_in_the_country_s_order(string zone, string country, string currency, bool monthFirst)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var biz = await fixture.App.SignUpBusinessAsync("datemail", zone, country);
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        await biz.ConfirmAddressAsync($"diary-{tag}@example.com");
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Date", contactEmail = $"diary-{tag}@example.com", active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "09:00", "18:00");
        var service = await biz.ServiceAsync("Check-up", 30, 0, [diary], currency: currency);

        // The diary contact hears of it through a template with the start in its subject and body.
        await StartInEmails.NotifyDiaryContactWithStartAsync(biz);

        var http = fixture.App.NewClient();
        var email = $"client-{tag}@example.com";
        var (day, start) = await StartInEmails.RegisterAndBookAsync(http, biz, service, diary, zone, email, "Dee", "Date");
        var tz = DateTimeZoneProviders.Tzdb[zone];

        var zoned = Instant.FromDateTimeOffset(start).InZone(tz);
        var abbreviation = ZoneAbbreviation.Of(zoned);
        var date = day.ToString(monthFirst ? "dddd, MMMM d, yyyy" : "dddd d MMMM yyyy", CultureInfo.InvariantCulture);
        var words = $"{date} at 2:30 PM {abbreviation}";

        // The client's confirmation (a built-in text), both parts: the start and end with the date once.
        var message = Assert.Single(await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count >= 1, TimeSpan.FromSeconds(60), "the confirmation"));
        var span = $"{date}, 2:30–3:00 PM {abbreviation}";
        Assert.Contains(span, message.TextBody, StringComparison.Ordinal);
        Assert.Contains(span, message.HtmlBody, StringComparison.Ordinal);

        // The diary contact's (a tenant template's merge fields, subject and body), and the subject the log keeps.
        var staff = Assert.Single(await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo($"diary-{tag}@example.com")), m => m.Count >= 1, TimeSpan.FromSeconds(60), "the diary contact's email"));
        Assert.Equal($"New: Check-up at {words}", staff.Subject);
        Assert.Contains($"From {words} to {date} at 3:00 PM {abbreviation}.", staff.TextBody, StringComparison.Ordinal);

        // The message log page: the appointment's start in the short form, with the year.
        var log = await biz.Owner.PageAsync("/staff/tools/messages");
        var shortDate = day.ToString(monthFirst ? "ddd, MMM d, yyyy" : "ddd d MMM yyyy", CultureInfo.InvariantCulture);
        Assert.Contains(log.All("td a time"), t => t.TextContent == $"{shortDate}, 2:30 PM {abbreviation}");
    }
}
