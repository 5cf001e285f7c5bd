using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using MimeKit;
using Calendar = Ical.Net.Calendar;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Decision 355: the portal's "Add to calendar" download (<c>/ol/calendar</c>) carries the DESCRIPTION the emailed .ics
/// carries (decision 350), made by the same code (Notifications' <c>EmailRenderer.CalendarDescription</c>): the cancel
/// page, the cancellation policy the appointment keeps, the contact; "This appointment is cancelled." once cancelled.
/// Real modules through the HTTP API and the page, real PostgreSQL, real SMTP on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class PortalCalendarDescriptionTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Phone = "02 9999 0000";
    private const string Policy = "Two days' notice, please.";

    private static string NewAddress(string who) => $"{who}-{Guid.NewGuid().ToString("N")[..8]}@example.com";

    private static Calendar CalendarOf(MimeMessage message)
    {
        var part = message.Attachments.OfType<MimePart>().Single(a => a.ContentType.MimeType == "text/calendar");
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return Calendar.Load(Encoding.UTF8.GetString(stream.ToArray()))!;
    }

    private Task<IReadOnlyList<MimeMessage>> FilesToAsync(string to, int count) =>
        Eventually.ReturnsAsync(() => Task.FromResult<IReadOnlyList<MimeMessage>>(fixture.Smtp.MessagesTo(to).Where(m => m.Attachments.Any()).ToList()),
            m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} email(s) with a calendar file to {to}");

    private static async Task<Ical.Net.CalendarComponents.CalendarEvent> DownloadAsync(HttpClient client, TestBusiness biz, Guid id)
    {
        var download = await client.GetAsync(new Uri($"/ol/calendar?name={biz.Slug}&id={id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        return Assert.Single(Calendar.Load(await download.Content.ReadAsStringAsync())!.Events);
    }

    [Fact]
    public async Task The_download_says_what_the_emailed_file_says_booked_under_a_changed_policy_and_cancelled()
    {
        var biz = await fixture.App.SignUpBusinessAsync("icsdesc");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var desk = NewAddress("desk");
        await biz.SettingsAsync(x =>
        {
            x["contact"] = new JsonObject { ["phone"] = Phone, ["email"] = desk };
            x["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = Policy, ["insideWindow"] = "refuse" };
        });
        var diary = await biz.DiaryAsync("Dr Lee");
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        var service = await biz.ServiceAsync("Consultation", 30, 0, [diary]);

        var client = fixture.App.NewClient();
        var email = NewAddress("client");
        await (await client.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName = "Pat", lastName = "Client", email, password = "a long client password 2026!" })).JsonAsync(HttpStatusCode.Created);
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddDays(5).AddHours(1), TimeSpan.Zero);
        var id = (await (await client.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}",
            new { serviceId = service, diaryId = diary, start = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();

        // Booked: the download's DESCRIPTION is the emailed file's, line for line.
        var emailed = Assert.Single(CalendarOf(Assert.Single(await FilesToAsync(email, 1))).Events);
        Assert.StartsWith($"To cancel it, visit https://booking.test/ol/cancel?name={biz.Slug}&id={id}\nCancellation policy: {Policy}\nQuestions? Contact Business {biz.Slug} on ",
            emailed.Description, StringComparison.Ordinal);
        var downloaded = await DownloadAsync(client, biz, id);
        Assert.Equal(emailed.Description, downloaded.Description);
        Assert.Equal(emailed.Uid, downloaded.Uid);

        // The business's policy changes: the appointment keeps its own window, and the download says that one, in the
        // words the portal's pages and the emails use (not the new text).
        await biz.SettingsAsync(x => x["cancellationPolicy"] = new JsonObject { ["hours"] = 24, ["text"] = "A day's notice will do.", ["insideWindow"] = "refuse" });
        var kept = (await DownloadAsync(client, biz, id)).Description;
        Assert.Contains("\nCancellation policy: When you booked this appointment, it could be cancelled online up to 2 days before its start; after that, to cancel or change it, contact Business ",
            kept, StringComparison.Ordinal);
        Assert.DoesNotContain("A day's notice", kept, StringComparison.Ordinal);

        // Cancelled: "This appointment is cancelled." and the contact, as the cancellation email's file says.
        await (await client.CancelAsync(biz.Slug, id, "Moving house")).JsonAsync(HttpStatusCode.OK);
        var files = await FilesToAsync(email, 2);
        var emailedGone = files.Select(m => Assert.Single(CalendarOf(m).Events)).Single(e => e.Status == "CANCELLED");
        var gone = await DownloadAsync(client, biz, id);
        Assert.Equal("CANCELLED", gone.Status);
        Assert.StartsWith("This appointment is cancelled.\nQuestions? Contact ", gone.Description, StringComparison.Ordinal);
        Assert.Equal(emailedGone.Description, gone.Description);
    }
}
