using System.Net;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Booking.PortalAuth.Domain;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// The landing page (/ol/book) tells a signed-in client whose booking requests wait for the business that they wait, in
/// My appointments' words (one partial), and still offers booking: a filed request opens the portal for good.
/// </summary>
public sealed class LandingRequestsWaitingTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    [Fact]
    public async Task The_landing_page_says_a_request_waits_as_My_appointments_does_and_still_offers_booking()
    {
        var b = await App.BookableAsync();
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true };
        var http = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await http.RegisterAsync(b.Biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);
        var landingUrl = $"/ol/book?name={b.Biz.Slug}";

        // Nothing sent yet: nothing said.
        var before = await http.PageAsync(landingUrl);
        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Null(before.One("#requests-waiting"));

        var starts = (await http.SlotsAsync(b, Day(3), Day(3))).Starts();
        await RequestAsync(http, b, starts[0]);
        var landing = await http.PageAsync(landingUrl);
        var waiting = landing.One("#requests-waiting");
        Assert.Contains($"Your request is waiting for Business {b.Biz.Slug}.", waiting?.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/ol/appointments?name={b.Biz.Slug}", waiting!.QuerySelector("a")?.GetAttribute("href"));
        // Booking is still offered: the request opened the portal; a client not yet approved may ask for more times.
        Assert.Contains(landing.All("main a.button"), a => a.GetAttribute("href") == $"/ol/new-booking?name={b.Biz.Slug}");

        // The same words as My appointments.
        var list = await http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Equal(list.One("#requests-waiting strong")?.TextContent, waiting.QuerySelector("strong")?.TextContent);

        await RequestAsync(http, b, starts[3]);
        landing = await http.PageAsync(landingUrl);
        Assert.Contains($"Your 2 requests are waiting for Business {b.Biz.Slug}.", landing.One("#requests-waiting")?.TextContent, StringComparison.Ordinal);

        // Where clients may not see their appointments, the page does not point to them.
        await b.Biz.SettingsAsync(s => s["accessLevels"] = new JsonObject { ["view"] = false, ["book"] = true, ["cancel"] = true });
        landing = await http.PageAsync(landingUrl);
        Assert.Equal(HttpStatusCode.OK, landing.Status);
        Assert.Null(landing.One("#requests-waiting"));
    }

    [Fact]
    public async Task A_confirmed_booking_is_not_said_to_wait_and_another_clients_request_is_not_counted()
    {
        var b = await App.BookableAsync();
        var mine = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await mine.RegisterAsync(b.Biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);
        var starts = (await mine.SlotsAsync(b, Day(4), Day(4))).Starts();
        var booked = await RequestAsync(mine, b, starts[0]);
        Assert.Equal("confirmed", booked);

        // Another client of the business, not approved, whose request waits.
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true };
        var theirs = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await theirs.RegisterAsync(b.Biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);
        Assert.Equal("requested", await RequestAsync(theirs, b, starts[3]));

        var landing = await mine.PageAsync($"/ol/book?name={b.Biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, landing.Status);
        Assert.Null(landing.One("#requests-waiting"));
        Assert.NotNull((await theirs.PageAsync($"/ol/book?name={b.Biz.Slug}")).One("#requests-waiting"));
    }

    /// <summary>Books <paramref name="start"/> for the signed-in client; the appointment's status.</summary>
    private static async Task<string?> RequestAsync(HttpClient http, Bookable b, DateTimeOffset start)
    {
        var answer = await (await http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        return answer.GetProperty("status").GetString();
    }
}
