using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.BuildingBlocks.Security;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// The session-26 review's findings: a far exception date, invisible names, a partial national mobile in the client
/// search, conflicts logged as errors, validation wording and keys, the diary's impossible date, and the confirm page's
/// offset-less start.
/// </summary>
public sealed class ReviewFixesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static List<string> Fields(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();

    private static string Error(JsonElement problem, string field) =>
        problem.GetProperty("errors").GetProperty(field)[0].GetString()!;

    [Fact]
    public async Task An_exception_date_outside_ten_years_is_refused_naming_date_and_nothing_is_saved()
    {
        var b = await App.BookableAsync();
        var url = $"/api/v1/admin/diaries/{b.DiaryId}/exceptions";
        foreach (var date in new[] { "9999-12-31", "0001-01-01" })
        {
            var refused = await (await b.Biz.Owner.PostAsJsonAsync(url, new { date, closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["date"], Fields(refused));
            Assert.Contains("within 10 years of today", Error(refused, "date"), StringComparison.Ordinal);
        }

        Assert.Equal(0, await Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from roster.roster_exceptions where tenant_id = @t", ("t", b.Biz.Id)));

        // A change to such a date is refused the same way and leaves the exception as it was.
        var day = Iso(Day(5));
        var created = await (await b.Biz.Owner.PostAsJsonAsync(url, new { date = day, closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        var changed = await (await b.Biz.Owner.PutAsJsonAsync($"{url}/{id}", new { date = "9999-12-31", closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["date"], Fields(changed));
        var kept = await (await b.Biz.Owner.GetAsync(new Uri($"{url}/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(day, kept.GetProperty("date").GetString());
    }

    [Fact]
    public async Task An_exception_with_hours_at_the_calendars_end_is_refused_naming_date_not_a_500()
    {
        // Security review s33 #3: with hours, the clock-change rule asked about the day after 9999-12-31 and threw.
        var b = await App.BookableAsync();
        var url = $"/api/v1/admin/diaries/{b.DiaryId}/exceptions";
        object[] blocks = [new { start = "09:00", end = "10:00", bookableOnline = true }];
        foreach (var date in new[] { "9999-12-31", "0001-01-01" })
        {
            var refused = await (await b.Biz.Owner.PostAsJsonAsync(url, new { date, closed = false, blocks })).JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["date"], Fields(refused));
        }

        var day = Iso(Day(5));
        var created = await (await b.Biz.Owner.PostAsJsonAsync(url, new { date = day, closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.Created);
        var changed = await (await b.Biz.Owner.PutAsJsonAsync($"{url}/{created.GetProperty("id").GetGuid()}", new { date = "9999-12-31", closed = false, blocks }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["date"], Fields(changed));

        var range = await (await b.Biz.Owner.PostAsJsonAsync($"{url}/range", new { from = "9999-12-30", to = "9999-12-31", closed = false, blocks }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["from", "to"], Fields(range).Order());
    }

    [Fact]
    public async Task Invisible_and_direction_changing_text_is_refused_in_names_and_pet_fields_and_joiners_in_words_are_kept()
    {
        var biz = await App.SignUpBusinessAsync("invisible");
        async Task<JsonElement> RegisterAsync(string firstName, string lastName, HttpStatusCode expected) =>
            await (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}", new
            {
                firstName, lastName, email = $"i-{Guid.NewGuid():N}@client.example", password = "a long client password 2026!",
                mobile = "+61412" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture),
            })).JsonAsync(expected);

        var blank = await RegisterAsync("\u200b", "\u3164", HttpStatusCode.BadRequest);
        Assert.Equal(["firstName", "lastName"], Fields(blank).Order(StringComparer.Ordinal));
        Assert.Contains("invisible", Error(blank, "firstName"), StringComparison.Ordinal);
        Assert.Contains("visible text", Error(blank, "lastName"), StringComparison.Ordinal);
        var reversed = await RegisterAsync("Bob\u202egnp.exe", "Filler\u115f", HttpStatusCode.BadRequest);
        Assert.Equal(["firstName"], Fields(reversed)); // a filler beside letters hides nothing
        foreach (var filler in new[] { "\u1160", "\uffa0", "\u2800", " \u3164 " })
        {
            Assert.Equal(["lastName"], Fields(await RegisterAsync("Ann", filler, HttpStatusCode.BadRequest)));
        }

        // Persian with a zero-width non-joiner inside a word, and an emoji family joined by zero-width joiners, are names.
        await RegisterAsync("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\U0001F468\u200d\U0001F469\u200d\U0001F467", HttpStatusCode.Created);
        Assert.Equal(["lastName"], Fields(await RegisterAsync("Ann", "Lee\u200d", HttpStatusCode.BadRequest))); // a joiner joining nothing

        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(biz);
        var pet = await (await alice.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={biz.Slug}", new { name = "Rex\u200b", species = "\u200b" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["name", "species"], Fields(pet).Order(StringComparer.Ordinal));

        // Staff, service and diary names follow the same rule.
        var staff = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", new
        {
            name = "\u3164", email = $"s-{Guid.NewGuid():N}@example.com", password = TestBusiness.OwnerPassword, role = "practitioner", diaryIds = Array.Empty<Guid>(),
        })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["name"], Fields(staff));
        var diary = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr\u202e Alpha", contactEmail = "diary@test.example", active = true })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["name"], Fields(diary));
    }

    [Theory]
    [InlineData("Ann", null)]
    [InlineData("\U0001F469\U0001F3FD\u200d\U0001F4BB", null)] // woman, skin tone, ZWJ, laptop
    [InlineData("\u2764\ufe0f\u200d\U0001F525", null)] // heart, variation selector, ZWJ, fire
    [InlineData("\u0915\u094d\u200d\u0937", null)] // Devanagari ka, virama, ZWJ, ssa
    [InlineData("\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F", null)] // England's flag
    [InlineData("\U000E0067Ann", OneLineText.FormatMessage)] // a tag with no flag
    [InlineData("Ann\u200e", OneLineText.FormatMessage)]
    [InlineData("\u2066Ann\u2069", OneLineText.FormatMessage)]
    [InlineData("An\u00adn", OneLineText.FormatMessage)]
    [InlineData("\ufeffAnn", OneLineText.FormatMessage)]
    [InlineData("Ann \u200d Lee", OneLineText.FormatMessage)]
    [InlineData("Ann\nLee", OneLineText.LineMessage)]
    [InlineData("\u0301\u3164", OneLineText.BlankMessage)]
    [InlineData("   ", null)] // left to the field's own "enter …" rule
    public void One_line_text_refuses_invisible_formatting_except_joiners_inside_words_and_emoji(string text, string? problem) =>
        Assert.Equal(problem, OneLineText.Problem(text));

    [Fact]
    public async Task A_mobile_typed_from_its_start_as_shown_finds_the_client()
    {
        var biz = await App.SignUpBusinessAsync("mobile-start");
        var casey = await App.RegisterClientAsync(biz, "Casey", "Mobile");
        await App.RegisterClientAsync(biz, "Other", "Person");
        var mobile = (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{casey.Id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("mobile").GetString()!; // +61412xxxxxx, shown 0412 xxx xxx
        foreach (var typed in new[] { "0" + mobile[3..6], $"0{mobile[3..6]} {mobile[6..9]}", $"+61 {mobile[3..6]}" })
        {
            var page = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/clients?search=" + Uri.EscapeDataString(typed), UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
            Assert.Contains("Casey Mobile", page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        }

        var html = await biz.Owner.PageAsync($"/staff/clients?search={Uri.EscapeDataString($"0{mobile[3..6]} {mobile[6..9]}")}");
        Assert.Contains("Casey Mobile", html.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_name_or_staff_email_already_taken_is_a_400_that_logs_no_error()
    {
        var biz = await App.SignUpBusinessAsync("no-err");
        var template = new { name = "T1", subject = "Hello", body = "Hello there." };
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", template)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(["name"], Fields(await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", template)).JsonAsync(HttpStatusCode.BadRequest)));

        async Task<string> AddStaffAsync(string email) =>
            (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", new
            {
                name = "Gina Groomer", email, password = TestBusiness.OwnerPassword, role = "practitioner", diaryIds = Array.Empty<Guid>(),
            })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var taken = $"taken-{Guid.NewGuid():N}@example.com";
        await AddStaffAsync(taken);
        var id = await AddStaffAsync($"other-{Guid.NewGuid():N}@example.com");
        var put = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{id}",
            new { name = "Gina Groomer", email = taken, role = "practitioner", diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["email"], Fields(put));

        Assert.Empty(App.Logs.Of(biz.Slug));
    }

    [Fact]
    public async Task Validation_says_lengths_in_the_apps_words_and_names_the_header_and_every_missing_field()
    {
        var biz = await App.SignUpBusinessAsync("wording");
        var longName = await (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}", new
        {
            firstName = new string('a', 101), lastName = "Lee", email = $"l-{Guid.NewGuid():N}@client.example", password = "a long client password 2026!",
        })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Use at most 100 characters.", Error(longName, "firstName"));

        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}", UriKind.Relative))
        {
            Content = JsonContent.Create(new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(3), 10) }),
        };
        request.Headers.Add("Idempotency-Key", new string('k', 201));
        var key = await (await alice.Http.SendAsync(request)).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["Idempotency-Key"], Fields(key));

        var block = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/busy-blocks", new { end = (string?)null })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["diaryId", "end", "start"], Fields(block).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_diary_says_when_the_date_asked_for_is_no_date()
    {
        var biz = await App.SignUpBusinessAsync("diary-date");
        var page = await biz.Owner.PageAsync("/staff/diary?date=2026-13-45");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("is not a date the diary can show", page.Text, StringComparison.Ordinal);
        var fine = await biz.Owner.PageAsync("/staff/diary");
        Assert.DoesNotContain("is not a date the diary can show", fine.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_confirm_page_reads_a_start_without_an_offset_in_the_businesss_zone()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var start = (await alice.Http.SlotsAsync(b, Day(2), Day(2))).Starts()[10];
        var local = start.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture); // Sydney wall-clock time, no offset

        var page = await alice.Http.PageAsync($"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&start={local}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var shown = DateTimeOffset.Parse(page.One("dd time")!.GetAttribute("datetime")!, CultureInfo.InvariantCulture);
        Assert.Equal(start, shown);
        Assert.Equal(start.Offset, shown.Offset);

        // Year 1 east of UTC has no instant a DateTimeOffset holds: no time, never a 500.
        var first = await alice.Http.PageAsync($"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&start=0001-01-01T00:00:00");
        Assert.True((int)first.Status < 500, first.Status.ToString());
    }
}
