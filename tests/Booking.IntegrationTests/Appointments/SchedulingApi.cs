using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Infrastructure;
using NodaTime;

namespace Booking.IntegrationTests.Appointments;

/// <summary>A business set up for booking: one diary online every day 00:00–23:30, one 60-min service with a 15-min buffer.</summary>
internal sealed record Bookable(TestBusiness Biz, Guid DiaryId, Guid ServiceId);

internal sealed record PortalClient(HttpClient Http, Guid Id, string FirstName, string LastName);

/// <summary>Helpers over the setup, portal and staff APIs (the contract in API.md), for this folder's tests.</summary>
internal static class SchedulingApi
{
    public static readonly DateTimeZone Sydney = DateTimeZoneProviders.Tzdb["Australia/Sydney"];

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<string> KindAsync(this HttpResponseMessage response, HttpStatusCode expected) =>
        (await response.JsonAsync(expected)).GetProperty("type").GetString()!.Split('/')[^1];

    public static async Task<Bookable> BookableAsync(this BookingApp app, int durationMinutes = 60, int bufferMinutes = 15)
    {
        var biz = await app.SignUpBusinessAsync("appt");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var diary = await biz.DiaryAsync("Dr Alpha");
        await biz.RosterEveryDayAsync(diary, "00:00", "23:30");
        var service = await biz.ServiceAsync("Consultation", durationMinutes, bufferMinutes, [diary]);
        return new Bookable(biz, diary, service);
    }

    public static async Task RulesAsync(this TestBusiness biz, int interval, int notice, int horizon) =>
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/booking-rules",
            new { slotIntervalMinutes = interval, minimumNoticeMinutes = notice, horizonDays = horizon })).JsonAsync(HttpStatusCode.OK);

    public static async Task<Guid> DiaryAsync(this TestBusiness biz, string name)
    {
        await biz.ConfirmAddressAsync("diary@test.example");
        var json = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name, contactEmail = "diary@test.example", active = true }))
            .JsonAsync(HttpStatusCode.Created);
        return json.GetProperty("id").GetGuid();
    }

    private static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public static async Task RosterEveryDayAsync(this TestBusiness biz, Guid diaryId, string start, string end) =>
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diaryId}/roster",
            new { blocks = Weekdays.Select(weekday => new { weekday, start, end, bookableOnline = true }) })).JsonAsync(HttpStatusCode.OK);

    /// <param name="currency">The business's currency (a price in another is refused): AUD for the default Australian business.</param>
    public static async Task<Guid> ServiceAsync(this TestBusiness biz, string name, int duration, int buffer, Guid[] diaryIds, bool bookableOnline = true, string currency = "AUD")
    {
        var json = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", new
        {
            name,
            description = "A service",
            durationMinutes = duration,
            bufferAfterMinutes = buffer,
            price = new { amount = "45.00", currency },
            bookableOnline,
            diaryIds,
        })).JsonAsync(HttpStatusCode.Created);
        return json.GetProperty("id").GetGuid();
    }

    /// <summary>GET the portal settings, change them, PUT them back whole.</summary>
    public static async Task<JsonElement> SettingsAsync(this TestBusiness biz, Action<JsonObject> change)
    {
        var current = JsonNode.Parse(await biz.Owner.GetStringAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative)))!.AsObject();
        change(current);
        return await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", current)).JsonAsync(HttpStatusCode.OK);
    }

    /// <param name="withMobile">A mobile of the business's country with the registration (by default a business texts only
    /// mobiles there, and refuses others: decision 250).</param>
    public static async Task<PortalClient> RegisterClientAsync(this BookingApp app, TestBusiness biz, string firstName = "Alice", string lastName = "Client", bool withMobile = true)
    {
        var http = app.NewClient();
        var email = $"{firstName.ToLowerInvariant()}-{Guid.NewGuid():N}@client.example";
        var mobile = withMobile ? MobileIn(biz.CountryCode) : null;
        var json = await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName, lastName, email, password = "a long client password 2026!", mobile })).JsonAsync(HttpStatusCode.Created);
        return new PortalClient(http, json.GetProperty("id").GetGuid(), firstName, lastName);
    }

    /// <summary>A random mobile number of the country, in E.164 (libphonenumber's example mobile with other last digits).</summary>
    public static string MobileIn(string country)
    {
        if (country == "AU")
        {
            return "+61412" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var phones = PhoneNumbers.PhoneNumberUtil.GetInstance();
        var example = phones.GetExampleNumberForType(country, PhoneNumbers.PhoneNumberType.MOBILE);
        var national = example.NationalNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 50; i++)
        {
            var candidate = phones.Parse($"+{example.CountryCode}{national[..^4]}{Random.Shared.Next(0, 10_000):D4}", null);
            if (phones.IsValidNumber(candidate) && phones.GetNumberType(candidate) is PhoneNumbers.PhoneNumberType.MOBILE or PhoneNumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
            {
                return phones.Format(candidate, PhoneNumbers.PhoneNumberFormat.E164);
            }
        }

        return phones.Format(example, PhoneNumbers.PhoneNumberFormat.E164);
    }

    /// <summary>Local date in Sydney, days from today.</summary>
    public static LocalDate Day(int daysAhead) => SystemClock.Instance.GetCurrentInstant().InZone(Sydney).Date.PlusDays(daysAhead);

    /// <summary>A Sydney wall-clock time as ISO 8601 with its offset, as the API writes it.</summary>
    public static string At(LocalDate date, int hour, int minute = 0) =>
        date.At(new LocalTime(hour, minute)).InZoneLeniently(Sydney).ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    public static string Iso(LocalDate date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<List<JsonElement>> SlotsAsync(this HttpClient http, Bookable b, LocalDate from, LocalDate to, string diary = "any", Guid? service = null)
    {
        var json = await (await http.GetAsync(new Uri(
            $"/api/v1/portal/availability?name={b.Biz.Slug}&service={service ?? b.ServiceId}&diary={diary}&from={Iso(from)}&to={Iso(to)}", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.OK);
        return json.GetProperty("slots").EnumerateArray().ToList();
    }

    public static List<DateTimeOffset> Starts(this IEnumerable<JsonElement> slots) =>
        slots.Select(s => s.GetProperty("start").GetDateTimeOffset()).ToList();

    public static Task<HttpResponseMessage> BookAsync(this PortalClient client, Bookable b, string start, object? diaryId = null, int? terms = null, string? note = null, string? key = null) =>
        client.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = diaryId ?? b.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = terms, note }, key);

    public static async Task<HttpResponseMessage> BookAsync(this HttpClient http, Bookable b, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/portal/appointments?name={b.Biz.Slug}") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await http.SendAsync(request);
    }

    /// <summary>A confirmed appointment of <paramref name="b"/>'s service and diary, inserted inside the held transaction (uncommitted).</summary>
    public static Task<int> InsertAppointmentAsync(this HeldTransaction held, Bookable b, Guid clientId, string start, string end) => held.ExecAsync("""
        INSERT INTO appointments.appointments (tenant_id, id, client_id, diary_id, service_id, start_at, end_at, blocked_until,
                                               status, source, created_at, updated_at)
        VALUES (@t, gen_random_uuid(), @c, @d, @s, @start, @end, @end, 'confirmed', 'staff', now(), now())
        """,
        ("t", b.Biz.Id), ("c", clientId), ("d", b.DiaryId), ("s", b.ServiceId),
        ("start", DateTimeOffset.Parse(start, null).ToUniversalTime()), ("end", DateTimeOffset.Parse(end, null).ToUniversalTime()));

    public static Task<HttpResponseMessage> CancelAsync(this HttpClient http, string slug, Guid id, string? reason = null) =>
        http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/cancel?name={slug}", new { reason });

    public static async Task<List<string>> OutboxAsync(this BookingApp app, Guid tenantId, string eventType)
    {
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(await TestDatabaseServer.AdminConnectionStringAsync()) { Database = app.Database.Database };
        await using var connection = new Npgsql.NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT payload::text FROM appointments.outbox_messages WHERE tenant_id = @t AND type LIKE @type ORDER BY occurred_at", connection);
        command.Parameters.AddWithValue("t", tenantId);
        command.Parameters.AddWithValue("type", $"%.{eventType},%");
        var result = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }
}
