using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using NodaTime;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// A booking whose emails say when it starts, for the tests of how a business writes times and dates (the clock, the
/// date order): the diary contact is told through a template with <c>{AppointmentStartDateTime}</c> in its subject and
/// body, and a client registered by email books 14:30 three days ahead in the business's zone.
/// </summary>
internal static class StartInEmails
{
    public const string TemplateSubject = "New: {ServiceName} at {AppointmentStartDateTime}";

    public static async Task NotifyDiaryContactWithStartAsync(TestBusiness biz)
    {
        var templates = await Eventually.ReturnsAsync(
            async () => await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/templates", UriKind.Relative))).JsonAsync(HttpStatusCode.OK),
            t => t.GetProperty("items").GetArrayLength() > 0, TimeSpan.FromSeconds(30), "the default templates");
        var templateId = templates.GetProperty("items")[0].GetProperty("id").GetGuid();
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/templates/{templateId}", new
        {
            name = "New booking",
            subject = TemplateSubject,
            body = "From {AppointmentStartDateTime} to {AppointmentEndDateTime}.",
        })).JsonAsync(HttpStatusCode.OK);
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        })).JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>Registers a client by email and books the service at 14:30 local, three days ahead; answers the start.</summary>
    public static async Task<(LocalDate Day, DateTimeOffset Start)> RegisterAndBookAsync(
        HttpClient http, TestBusiness biz, Guid service, Guid diary, string zone, string email, string firstName, string lastName)
    {
        (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName, lastName, email, password = "a long client password 2026!", mobile = Booking.IntegrationTests.Appointments.SchedulingApi.MobileIn(biz.CountryCode) })).EnsureSuccessStatusCode();
        var tz = DateTimeZoneProviders.Tzdb[zone];
        var day = SystemClock.Instance.GetCurrentInstant().InZone(tz).Date.PlusDays(3);
        var start = day.At(new LocalTime(14, 30)).InZoneStrictly(tz).ToDateTimeOffset();
        var booked = await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}",
            new { serviceId = service, diaryId = diary, start = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null });
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        return (day, start);
    }
}
