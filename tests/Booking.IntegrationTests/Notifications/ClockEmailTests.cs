using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Booking.BuildingBlocks.Time;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using NodaTime;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// The emails' times ({AppointmentStartDateTime} and the other instants) read on the business's clock: its country's
/// usual one (CLDR), or its own setting. Real contract handlers (the portal settings through Tenancy.Contracts), real SMTP.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class ClockEmailTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    [Theory]
    [InlineData("Europe/London", "GB", null, "14:30")]
    [InlineData("America/New_York", "US", null, "2:30 PM")]
    [InlineData("America/New_York", "US", "24h", "14:30")]
    public async Task The_confirmation_email_says_the_time_on_the_business_clock(string zone, string country, string? setting, string expected)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var biz = await fixture.App.SignUpBusinessAsync("clockmail", zone, country);
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        await biz.ConfirmAddressAsync($"diary-{tag}@example.com");
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Clock", contactEmail = $"diary-{tag}@example.com", active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "09:00", "18:00");
        var service = await biz.ServiceAsync("Check-up", 30, 0, [diary], currency: Currency(country));
        if (setting is not null)
        {
            await biz.SettingsAsync(s => s["timeFormat"] = setting);
        }

        // The diary contact hears of it through a template with the start in its subject and body.
        await StartInEmails.NotifyDiaryContactWithStartAsync(biz);

        var http = fixture.App.NewClient();
        var email = $"client-{tag}@example.com";
        var (day, start) = await StartInEmails.RegisterAndBookAsync(http, biz, service, diary, zone, email, "Tim", "Keeper");
        var tz = DateTimeZoneProviders.Tzdb[zone];

        var mail = await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count >= 1, TimeSpan.FromSeconds(60), "the confirmation");
        var message = Assert.Single(mail);
        var zoned = Instant.FromDateTimeOffset(start).InZone(tz);
        // The date in the country's order (DateStyleTests): month first in the United States.
        var date = day.ToString(country == "US" ? "dddd, MMMM d, yyyy" : "dddd d MMMM yyyy", CultureInfo.InvariantCulture);
        var words = $"{date} at {expected} {ZoneAbbreviation.Of(zoned)}";
        // The client's confirmation writes the appointment's start and end with the date once, on the same clock.
        var end = (expected.EndsWith("PM", StringComparison.Ordinal) ? "3:00 PM" : "15:00");
        // PM once when both ends share it (decision 205).
        var span = $"{date}, {(expected.EndsWith(" PM", StringComparison.Ordinal) ? expected[..^3] : expected)}–{end} {ZoneAbbreviation.Of(zoned)}";
        Assert.Contains(span, message.TextBody, StringComparison.Ordinal);
        Assert.Contains(span, message.HtmlBody, StringComparison.Ordinal);

        // The diary contact's email (a template's merge fields, subject and body) reads the same clock, and so does the
        // subject the message log keeps.
        var staff = Assert.Single(await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo($"diary-{tag}@example.com")), m => m.Count >= 1, TimeSpan.FromSeconds(60), "the diary contact's email"));
        Assert.Equal($"New: Check-up at {words}", staff.Subject);
        Assert.Contains($"From {words} to ", staff.TextBody, StringComparison.Ordinal);
        var log = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/messages", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(log.GetProperty("items").EnumerateArray(), m => m.GetProperty("subject").GetString() == $"New: Check-up at {words}");
    }

    private static string Currency(string country) => country switch { "GB" => "GBP", "US" => "USD", "DE" => "EUR", _ => "AUD" };
}
