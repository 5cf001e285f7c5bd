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
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Date", contactEmail = $"diary-{tag}@example.com", active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "09:00", "18:00");
        var service = await biz.ServiceAsync("Check-up", 30, 0, [diary], currency: currency);

        // The diary contact hears of it through a template with the start in its subject and body.
        var templates = await Eventually.ReturnsAsync(
            async () => await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/templates", UriKind.Relative))).JsonAsync(HttpStatusCode.OK),
            t => t.GetProperty("items").GetArrayLength() > 0, TimeSpan.FromSeconds(30), "the default templates");
        var templateId = templates.GetProperty("items")[0].GetProperty("id").GetGuid();
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/templates/{templateId}", new
        {
            name = "New booking",
            subject = "New: {ServiceName} at {AppointmentStartDateTime}",
            body = "From {AppointmentStartDateTime} to {AppointmentEndDateTime}.",
        })).JsonAsync(HttpStatusCode.OK);
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        })).JsonAsync(HttpStatusCode.OK);

        var http = fixture.App.NewClient();
        var email = $"client-{tag}@example.com";
        (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName = "Dee", lastName = "Date", email, password = "a long client password 2026!", mobile = "+61412" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture) })).EnsureSuccessStatusCode();
        var tz = DateTimeZoneProviders.Tzdb[zone];
        var day = SystemClock.Instance.GetCurrentInstant().InZone(tz).Date.PlusDays(3);
        var start = day.At(new LocalTime(14, 30)).InZoneStrictly(tz).ToDateTimeOffset();
        var booked = await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}",
            new { serviceId = service, diaryId = diary, start = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null });
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);

        var zoned = Instant.FromDateTimeOffset(start).InZone(tz);
        var abbreviation = ZoneAbbreviation.Of(zoned);
        var date = day.ToString(monthFirst ? "dddd, MMMM d, yyyy" : "dddd d MMMM yyyy", CultureInfo.InvariantCulture);
        var words = $"{date} at 2:30 PM {abbreviation}";

        // The client's confirmation (a built-in text), both parts.
        var message = Assert.Single(await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count >= 1, TimeSpan.FromSeconds(60), "the confirmation"));
        Assert.Contains(words, message.TextBody, StringComparison.Ordinal);
        Assert.Contains(words, message.HtmlBody, StringComparison.Ordinal);

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
