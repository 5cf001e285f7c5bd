using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Security review s32 #2–#4: notes and reasons refuse control characters (but line breaks and tabs) and direction
/// overrides, by the names' rule (<c>OneLineText</c>); a bad <c>limit</c> is listed with every other bad field; a common
/// password padded with digits is refused for clients and staff alike.
/// </summary>
public sealed class FreeTextAndLimitTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Controls = "Remove the control characters (line breaks and tabs are fine).";
    private const string Formatting = "Remove the invisible formatting characters (such as zero-width spaces or text-direction marks).";

    private BookingApp App => shared.App;

    private static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.EndsWith("/validation", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        return problem.GetProperty("errors").Clone();
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field, string message)
    {
        var errors = await ErrorsAsync(response);
        Assert.True(errors.TryGetProperty(field, out var messages), errors.ToString());
        Assert.Contains(message, messages.EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task Notes_and_reasons_refuse_control_and_direction_characters_on_their_field()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var start = At(Day(3), 10);
        var anyId = Guid.NewGuid();
        foreach (var (text, message) in new[]
        {
            ("Please ring\u0007 the bell", Controls), ("\u001b[2Jcleared", Controls), ("del\u007f and c1\u0085", Controls),
            ("Bob\u202Egnp.exe", Formatting), ("isolated \u2066text\u2069", Formatting),
        })
        {
            await AssertRefusedAsync(await alice.BookAsync(b, start, note: text), "note", message);
            await AssertRefusedAsync(await alice.Http.CancelAsync(b.Biz.Slug, anyId, text), "reason", message);
            await AssertRefusedAsync(await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
                new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, note = text }), "note", message);
            await AssertRefusedAsync(await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{anyId}/cancel", new { reason = text }), "reason", message);
            await AssertRefusedAsync(await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{anyId}/decline", new { reason = text }), "reason", message);
        }
    }

    [Fact]
    public async Task A_note_of_several_lines_with_tabs_and_an_emoji_is_booked_as_written()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var start = (await alice.Http.SlotsAsync(b, Day(5), Day(5))).Starts()[0];
        const string note = "Line one\r\nLine two\n\tindented 👨‍👩‍👧 ok";
        var booked = await (await alice.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal(note, booked.GetProperty("note").GetString());
    }

    [Fact]
    public async Task A_bad_limit_is_listed_with_every_other_bad_field()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var mine = await ErrorsAsync(await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}&when=future&limit=abc&cursor=zzz", UriKind.Relative)));
        Assert.True(mine.TryGetProperty("limit", out _), mine.ToString());
        Assert.True(mine.TryGetProperty("when", out _), mine.ToString());
        Assert.True(mine.TryGetProperty("cursor", out _), mine.ToString());

        var clients = await ErrorsAsync(await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients?limit=abc&cursor=zzz&search={new string('x', 201)}", UriKind.Relative)));
        Assert.True(clients.TryGetProperty("limit", out _), clients.ToString());
        Assert.True(clients.TryGetProperty("cursor", out _), clients.ToString());
        Assert.True(clients.TryGetProperty("search", out _), clients.ToString());

        var messages = await ErrorsAsync(await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/messages?limit=abc&cursor=zzz", UriKind.Relative)));
        Assert.True(messages.TryGetProperty("limit", out _), messages.ToString());
        Assert.True(messages.TryGetProperty("cursor", out _), messages.ToString());

        // A client's appointments for staff: one field only, still a validation problem naming it.
        var theirs = await ErrorsAsync(await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{alice.Id}/appointments?limit=abc", UriKind.Relative)));
        Assert.True(theirs.TryGetProperty("limit", out _), theirs.ToString());
    }

    [Fact]
    public async Task A_common_password_padded_with_digits_is_refused_for_clients_and_staff()
    {
        const string weak = "password12345678";
        var biz = await App.SignUpBusinessAsync();
        var registered = await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName = "Pat", lastName = "Client", email = $"pat-{Guid.NewGuid():N}@client.example", password = weak });
        var errors = await ErrorsAsync(registered);
        Assert.True(errors.TryGetProperty("password", out _), errors.ToString());

        var slug = $"weak-{Guid.NewGuid().ToString("N")[..10]}";
        var signUp = await App.NewClient().PostAsJsonAsync("/api/v1/tenants", new
        {
            slug, name = "Weak Passwords", timeZone = "Australia/Sydney", countryCode = "AU",
            owner = new { name = "Olive Owner", email = $"owner@{slug}.example", password = weak },
        });
        var staffErrors = await ErrorsAsync(signUp);
        Assert.Contains(staffErrors.EnumerateObject(), p => p.Name.EndsWith("password", StringComparison.OrdinalIgnoreCase));
    }
}
