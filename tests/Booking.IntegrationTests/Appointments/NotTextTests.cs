using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Security review s33 #1, #2 and #7: text that is not Unicode at all (U+FFFE, half of a surrogate pair) is a wrong
/// password at sign-in and a `validation` answer everywhere else, never the 500 that normalising it threw; and every
/// free text a business sets keeps the names' and notes' rule (decision 262).
/// </summary>
public sealed class NotTextTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string NotText = "a long password \ufffe with a noncharacter";

    private const string WellFormedMessage = "Remove the characters that are not text (such as U+FFFE or half of a surrogate pair).";

    private BookingApp App => shared.App;

    private static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.EndsWith("/validation", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        return problem.GetProperty("errors").Clone();
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field, string? message = null)
    {
        var errors = await ErrorsAsync(response);
        Assert.True(errors.TryGetProperty(field, out var messages), errors.ToString());
        if (message is not null)
        {
            Assert.Contains(message, messages.EnumerateArray().Select(m => m.GetString()));
        }
    }

    [Fact]
    public async Task A_password_that_is_not_text_is_a_wrong_password_at_sign_in_and_refused_on_its_field_elsewhere()
    {
        var biz = await App.SignUpBusinessAsync();
        var alice = await App.RegisterClientAsync(biz);
        const string notTextMessage = "This password holds a character that is not text (such as U+FFFE); remove it.";

        // Sign-in: the ordinary wrong-credentials answer, for a stranger's address and for a client's alike.
        var wrong = await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/sign-in?name={biz.Slug}", new { email = "nobody@x.example", password = "a wrong password entirely" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        foreach (var email in new[] { "nobody@x.example", "nobody2@x.example" })
        {
            var answer = await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/sign-in?name={biz.Slug}", new { email, password = NotText });
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            Assert.Equal(await wrong.Content.ReadAsStringAsync(), await answer.Content.ReadAsStringAsync());
        }

        // Half a surrogate pair, as raw JSON (a serializer would not write it): refused one way or the other, never a 500.
        var lone = await App.NewClient().PostAsync(new Uri($"/api/v1/portal/auth/sign-in?name={biz.Slug}", UriKind.Relative), new StringContent(
            """{"email":"nobody@x.example","password":"a long password \ud800 with half a pair"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(lone.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, $"{(int)lone.StatusCode}: {await lone.Content.ReadAsStringAsync()}");

        var staff = await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = biz.OwnerEmail, password = NotText });
        Assert.Equal(HttpStatusCode.Unauthorized, staff.StatusCode);

        // Setting one: validation on the password's field, in words.
        await AssertRefusedAsync(await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName = "Pat", lastName = "Client", email = $"pat-{Guid.NewGuid():N}@client.example", password = NotText }), "password", notTextMessage);
        var slug = $"nottext-{Guid.NewGuid().ToString("N")[..10]}";
        var signUp = await ErrorsAsync(await App.NewClient().PostAsJsonAsync("/api/v1/tenants", new
        {
            slug, name = "Not Text", timeZone = "Australia/Sydney", countryCode = "AU",
            owner = new { name = "Olive Owner", email = $"owner@{slug}.example", password = NotText },
        }));
        Assert.Contains(signUp.EnumerateObject(), p => p.Name.EndsWith("password", StringComparison.OrdinalIgnoreCase)
            && p.Value.EnumerateArray().Any(m => m.GetString() == notTextMessage));
        await AssertRefusedAsync(await alice.Http.PostAsJsonAsync($"/api/v1/portal/auth/change-password?name={biz.Slug}",
            new { currentPassword = "a long client password 2026!", newPassword = NotText }), "newPassword", notTextMessage);
        await AssertRefusedAsync(await biz.Owner.PutAsJsonAsync("/api/v1/staff/me/password",
            new { currentPassword = TestBusiness.OwnerPassword, newPassword = NotText }), "newPassword", notTextMessage);
        await AssertRefusedAsync(await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Ada Admin", email = $"ada-{Guid.NewGuid():N}@staff.example", password = NotText, role = "admin", diaryIds = Array.Empty<Guid>() }), "password", notTextMessage);
    }

    [Fact]
    public async Task A_client_search_that_is_not_text_is_refused_on_search_and_told_on_the_page()
    {
        var biz = await App.SignUpBusinessAsync();
        await AssertRefusedAsync(await biz.Owner.GetAsync(new Uri("/api/v1/admin/clients?search=%EF%BF%BE", UriKind.Relative)), "search", WellFormedMessage);
        await AssertRefusedAsync(await biz.Owner.GetAsync(new Uri("/api/v1/admin/clients?search=zoe%EF%BF%BEadams", UriKind.Relative)), "search", WellFormedMessage);

        foreach (var url in new[] { "/staff/clients?search=%EF%BF%BE", "/staff/diary/book?search=%EF%BF%BE" })
        {
            var page = await biz.Owner.GetAsync(new Uri(url, UriKind.Relative));
            var html = await page.Content.ReadAsStringAsync();
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{url}: {(int)page.StatusCode}");
            Assert.Contains("Remove the characters that are not text", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_free_text_a_business_sets_keeps_the_names_and_notes_rule()
    {
        const string line = "Use one line, without line breaks or control characters.";
        const string format = "Remove the invisible formatting characters (such as zero-width spaces or text-direction marks).";
        const string control = "Remove the control characters (line breaks and tabs are fine).";
        var biz = await App.SignUpBusinessAsync();

        // Templates: the name and subject are one line; the body is several lines, without controls or overrides.
        Task<HttpResponseMessage> Template(string name, string subject, string body) =>
            biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name, subject, body });
        await AssertRefusedAsync(await Template("Bob\u202Egnp", "A subject", "A body"), "name", format);
        await AssertRefusedAsync(await Template("A name \ufffe", "A subject", "A body"), "name", WellFormedMessage);
        await AssertRefusedAsync(await Template("A name", "Ring\u0007 the bell", "A body"), "subject", line);
        await AssertRefusedAsync(await Template("A name", "Right \u202Eto left", "A body"), "subject", format);
        await AssertRefusedAsync(await Template("A name", "A subject", "Line one\nRing\u0007 the bell"), "body", control);
        await AssertRefusedAsync(await Template("A name", "A subject", "Line one\n\u202Eright to left"), "body", format);
        await (await Template("Several lines", "A subject", "Line one\r\nLine two\n\tindented")).JsonAsync(HttpStatusCode.Created);

        // A diary's name, a service's description.
        await AssertRefusedAsync(await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr \ufffe", contactEmail = "dr@test.example", active = true }), "name", WellFormedMessage);
        object Service(string description) => new
        {
            name = $"Service {Guid.NewGuid():N}", description, durationMinutes = 30, bufferAfterMinutes = 0,
            price = new { amount = "45.00", currency = "AUD" }, bookableOnline = false, diaryIds = Array.Empty<Guid>(),
        };
        await AssertRefusedAsync(await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", Service("Wash\u0007 and dry")), "description", control);
        await AssertRefusedAsync(await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", Service("\u202Eyrd dna hsaW")), "description", format);

        // Portal settings: the booking instructions and the cancellation policy's text.
        var settings = System.Text.Json.Nodes.JsonNode.Parse(await biz.Owner.GetStringAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative)))!.AsObject();
        settings["bookingInstructions"] = "Ring\u0007 the bell";
        settings["cancellationPolicy"]!["text"] = "Call us \u202E first";
        var refused = await ErrorsAsync(await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", settings));
        Assert.Equal(control, refused.GetProperty("bookingInstructions")[0].GetString());
        Assert.Equal(format, refused.GetProperty("cancellationPolicy.text")[0].GetString());
    }

    [Fact]
    public async Task A_services_bad_fields_are_all_answered_at_once()
    {
        var biz = await App.SignUpBusinessAsync();
        var errors = await ErrorsAsync(await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", new
        {
            name = "Wash", description = "", durationMinutes = 30, bufferAfterMinutes = -5,
            price = new { amount = "-1.00", currency = "USD" }, bookableOnline = false, diaryIds = new[] { Guid.NewGuid() },
        }));
        foreach (var field in new[] { "bufferAfterMinutes", "price.amount", "price.currency", "diaryIds[0]" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field}: {errors}");
        }
    }
}
