using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// The review's wording on the confirm page (long windows in days, what "request" means, a service that cannot be booked),
/// the booking's diary choice, and passwords of one repeated character or short pattern.
/// </summary>
public sealed class ConfirmWordingTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string Url(Bookable b, DateTimeOffset start, string? service = null) =>
        $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={service ?? b.ServiceId.ToString()}&diary=any&start={Uri.EscapeDataString(Iso(start))}";

    [Fact]
    public async Task A_long_cancellation_window_is_written_in_days_and_a_request_window_says_what_happens_inside_it()
    {
        var b = await App.BookableAsync();
        var client = await App.RegisterClientAsync(b.Biz);
        var now = DateTimeOffset.UtcNow;
        var later = (await client.Http.SlotsAsync(b, SchedulingApi.Day(0), SchedulingApi.Day(5))).Starts().First(s => s > now.AddDays(3));

        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 720, ["text"] = "Please give us notice to cancel.", ["insideWindow"] = "refuse" });
        var month = await client.Http.PageAsync(Url(b, later));
        Assert.Equal(HttpStatusCode.OK, month.Status);
        Assert.Contains("This time is less than 30 days away, inside the cancellation window", month.One(".cancellation-policy")?.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("720", month.One(".cancellation-policy")!.TextContent, StringComparison.Ordinal);

        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Please give us notice to cancel.", ["insideWindow"] = "request" });
        var request = await client.Http.PageAsync(Url(b, later));
        Assert.Matches(@"^You can cancel online up to 2 days before the start\. After that, cancelling sends a request to .+, who decides\.$",
            request.One("#cancel-up-to")?.TextContent.Trim());

        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Please give us notice to cancel.", ["insideWindow"] = "refuse" });
        Assert.Equal("You can cancel online up to 2 days before the start.", (await client.Http.PageAsync(Url(b, later))).One("#cancel-up-to")?.TextContent.Trim());

        // Not a whole number of days, or under two: hours.
        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 36, ["text"] = "Please give us notice to cancel.", ["insideWindow"] = "refuse" });
        Assert.Equal("You can cancel online up to 36 hours before the start.", (await client.Http.PageAsync(Url(b, later))).One("#cancel-up-to")?.TextContent.Trim());
        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 24, ["text"] = "Please give us notice to cancel.", ["insideWindow"] = "refuse" });
        Assert.Equal("You can cancel online up to 24 hours before the start.", (await client.Http.PageAsync(Url(b, later))).One("#cancel-up-to")?.TextContent.Trim());
    }

    [Fact]
    public async Task An_unknown_service_is_said_to_be_the_fault_not_the_time()
    {
        var b = await App.BookableAsync();
        var client = await App.RegisterClientAsync(b.Biz);
        var start = (await client.Http.SlotsAsync(b, SchedulingApi.Day(2), SchedulingApi.Day(2))).Starts()[0];

        foreach (var service in new[] { Guid.NewGuid().ToString(), "not-a-service" })
        {
            var page = await client.Http.PageAsync(Url(b, start, service));
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Equal("That service is not available to book online. Choose a service", page.One("#service-unavailable")?.TextContent.Trim());
            Assert.DoesNotContain("That time is not available", page.Text, StringComparison.Ordinal);
            Assert.Null(page.One("main form button[type=submit]"));
        }
    }

    [Fact]
    public async Task Any_is_read_in_any_case_and_an_empty_diary_id_is_refused_on_diaryId()
    {
        var b = await App.BookableAsync();
        var client = await App.RegisterClientAsync(b.Biz);
        var starts = (await client.Http.SlotsAsync(b, SchedulingApi.Day(2), SchedulingApi.Day(2))).Starts();

        foreach (var blank in new[] { "", "   " })
        {
            var refused = await client.BookAsync(b, Iso(starts[0]), diaryId: blank);
            var problem = await refused.JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["diaryId"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        }

        // Availability reads it as booking does: the confirm page asks it with the link's diary=ANY.
        Assert.Equal(starts, (await client.Http.SlotsAsync(b, SchedulingApi.Day(2), SchedulingApi.Day(2), diary: "ANY")).Starts());
        Assert.Equal(HttpStatusCode.Created, (await client.BookAsync(b, Iso(starts[0]), diaryId: "ANY")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.BookAsync(b, Iso(starts[4]), diaryId: "Any")).StatusCode);
    }

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("abababababababababab")]
    [InlineData("Abc1abc1abc1abc1abc1")]
    public async Task A_password_of_one_repeated_character_or_short_pattern_is_refused_on_register_and_reset(string password)
    {
        var biz = await App.SignUpBusinessAsync();
        var refused = await App.NewClient().RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail(), password);
        var problem = await refused.JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["password"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Contains("short pattern", problem.GetProperty("errors").GetProperty("password")[0].GetString(), StringComparison.Ordinal);

        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await App.NewClient().RegisterAsync(biz.Slug, email)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email })).StatusCode);
        var evt = JsonDocument.Parse((await App.ResetEventAsync(email)).GetRawText()).RootElement;
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(evt.GetProperty("resetUrl").GetString()!).Query)["token"]!;
        var reset = await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={biz.Slug}", new { token, newPassword = password });
        Assert.Equal(["newPassword"], (await reset.JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }
}
