using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.PortalAuth.Domain;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// A client who joins through the phone new-client flow gets the portal once their booking request is filed (PRODUCT.md,
/// seed 004): until then their session opens only the booking flow, also after signing in again.
/// </summary>
public sealed class NewClientAccessTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    private static Task<HttpResponseMessage> ListAsync(HttpClient http, string slug) =>
        http.GetAsync(new Uri($"/api/v1/portal/appointments?name={slug}&when=upcoming", UriKind.Relative));

    private static async Task AssertLimitedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"Expected 403, got {(int)response.StatusCode}: {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal("forbidden", problem.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal("first-booking-request", problem.GetProperty("reason").GetString());
        Assert.Equal("Finish your booking request first", problem.GetProperty("title").GetString());
        Assert.Contains("booking request", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static Task<bool?> AwaitingAsync(BookingApp app, string clientId) =>
        Sql.AdminScalarAsync<bool?>(app.Database.Database, "select awaiting_first_request from portalauth.clients where id = @id::uuid", ("id", clientId));

    [Fact]
    public async Task After_new_client_only_the_booking_flow_answers_and_the_booking_request_opens_the_rest()
    {
        var b = await App.BookableAsync();
        var http = fixture.NewClient();
        var clientId = await http.JoinByPhoneAsync(b.Biz.Slug, PortalAuthHelpers.NewMobile());
        Assert.True(await AwaitingAsync(App, clientId));

        // Outside the booking flow: the limit, with a kind and reason a front end can act on.
        await AssertLimitedAsync(await ListAsync(http, b.Biz.Slug));
        await AssertLimitedAsync(await http.GetAsync(new Uri($"/api/v1/portal/appointments/{Guid.NewGuid()}?name={b.Biz.Slug}", UriKind.Relative)));
        await AssertLimitedAsync(await http.CancelAsync(b.Biz.Slug, Guid.NewGuid()));
        await AssertLimitedAsync(await http.PostAsJsonAsync($"/api/v1/portal/auth/change-password?name={b.Biz.Slug}",
            new { currentPassword = "x", newPassword = "a long walk on a quiet beach at dawn" }));

        // The booking flow: their details, the offer, the booking itself.
        Assert.Equal(HttpStatusCode.OK, (await http.MeAsync(b.Biz.Slug)).StatusCode);
        var start = (await http.SlotsAsync(b, Day(3), Day(3))).Starts()[0];
        var booked = await (await http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        var id = booked.GetProperty("id").GetGuid();

        // Filed: the same session opens at once (the booking's Location too), and the client's row follows.
        var listed = await (await ListAsync(http, b.Biz.Slug)).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), a => a.GetProperty("id").GetGuid() == id);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={b.Biz.Slug}", UriKind.Relative))).StatusCode);
        await Eventually.ReturnsAsync(() => AwaitingAsync(App, clientId), awaiting => awaiting == false, what: "the client's row opened");
    }

    [Fact]
    public async Task Signing_in_again_by_phone_before_filing_keeps_the_limit_and_a_request_filed_elsewhere_opens_every_session()
    {
        var b = await App.BookableAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        var first = fixture.NewClient();
        var clientId = await first.JoinByPhoneAsync(b.Biz.Slug, mobile);

        // They leave and come back later on another device: the phone is on file now, and the limit holds.
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var again = fixture.NewClient();
        var started = await again.StartAsync(b.Biz.Slug, mobile);
        var attempt = (await started.JsonAsync()).GetProperty("attemptId").GetString()!;
        var verified = await again.VerifyAsync(b.Biz.Slug, attempt, await again.CodeSentToAsync(mobile, 2));
        Assert.Equal("signed-in", (await verified.JsonAsync()).GetProperty("outcome").GetString());
        await AssertLimitedAsync(await ListAsync(again, b.Biz.Slug));
        Assert.Equal(clientId, (await (await again.MeAsync(b.Biz.Slug)).JsonAsync()).GetProperty("id").GetString());

        // The request filed from the second device opens the first device's session too, at once (Appointments has it).
        var start = (await again.SlotsAsync(b, Day(4), Day(4))).Starts()[0];
        await (await again.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        await (await ListAsync(again, b.Biz.Slug)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await ListAsync(first, b.Biz.Slug)).StatusCode);
    }

    [Fact]
    public async Task A_declined_first_request_leaves_the_client_their_portal()
    {
        var b = await App.BookableAsync();
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true };
        var mobile = PortalAuthHelpers.NewMobile();
        var http = fixture.NewClient();
        var clientId = await http.JoinByPhoneAsync(b.Biz.Slug, mobile);
        var start = (await http.SlotsAsync(b, Day(5), Day(5))).Starts()[0];
        var requested = await (await http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
        await Eventually.ReturnsAsync(() => AwaitingAsync(App, clientId), awaiting => awaiting == false, what: "the client's row opened");

        var id = requested.GetProperty("id").GetGuid();
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{id}/decline", new { reason = "Fully booked" })).JsonAsync(HttpStatusCode.OK);

        // After the decline, signed in afresh by phone: the portal is still theirs (the request was filed; its outcome is staff's).
        // The request's "received" text and the decline are texted to this phone-only client first (in the background):
        // the new code is the fourth text.
        await Eventually.ReturnsAsync(() => http.DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(mobile)}"), json => json.GetArrayLength() >= 3,
            what: "the request's and the decline's texts");
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var later = fixture.NewClient();
        var attempt = (await (await later.StartAsync(b.Biz.Slug, mobile)).JsonAsync()).GetProperty("attemptId").GetString()!;
        Assert.Equal("signed-in", (await (await later.VerifyAsync(b.Biz.Slug, attempt, await later.CodeSentToAsync(mobile, 4))).JsonAsync()).GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.OK, (await ListAsync(later, b.Biz.Slug)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await later.PageAsync($"/ol/appointments?name={b.Biz.Slug}")).Status);
    }

    [Fact]
    public async Task A_client_on_file_signing_in_by_phone_and_an_email_registered_client_are_not_limited()
    {
        var b = await App.BookableAsync();

        // On file before (staff or the seed put the mobile there): phone sign-in goes straight into the portal.
        var mobile = PortalAuthHelpers.NewMobile();
        await Sql.AdminExecAsync(App.Database.Database, """
            INSERT INTO portalauth.clients (tenant_id, id, first_name, last_name, mobile, mobile_verified, status, created_at)
            VALUES (@t, gen_random_uuid(), 'Olive', 'Onfile', @m, true, 'active', now())
            """, ("t", b.Biz.Id), ("m", mobile));
        var onFile = fixture.NewClient();
        var attempt = (await (await onFile.StartAsync(b.Biz.Slug, mobile)).JsonAsync()).GetProperty("attemptId").GetString()!;
        var verified = await onFile.VerifyAsync(b.Biz.Slug, attempt, await onFile.CodeSentToAsync(mobile));
        Assert.Equal("signed-in", (await verified.JsonAsync()).GetProperty("outcome").GetString());
        await (await ListAsync(onFile, b.Biz.Slug)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await onFile.PageAsync($"/ol/appointments?name={b.Biz.Slug}")).Status);

        // Email registration is as before: the portal at once.
        var email = PortalAuthHelpers.NewEmail();
        var registered = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await registered.RegisterAsync(b.Biz.Slug, email)).StatusCode);
        await (await ListAsync(registered, b.Biz.Slug)).JsonAsync(HttpStatusCode.OK);
        var signedIn = fixture.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await signedIn.SignInAsync(b.Biz.Slug, email)).StatusCode);
        await (await ListAsync(signedIn, b.Biz.Slug)).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_pages_send_a_new_client_to_the_booking_page_and_the_menu_offers_only_booking_until_the_request_is_filed()
    {
        var b = await App.BookableAsync();
        var http = fixture.NewClient();
        await http.JoinByPhoneAsync(b.Biz.Slug, PortalAuthHelpers.NewMobile());

        foreach (var path in new[] { "/ol/appointments", $"/ol/booked?id={Guid.NewGuid()}", $"/ol/cancel?id={Guid.NewGuid()}", $"/ol/calendar?id={Guid.NewGuid()}", "/ol/change-password", "/ol/pets", "/ol/account", "/ol/account/mobile" })
        {
            var refused = await http.PageAsync(path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"name={b.Biz.Slug}");
            Assert.Equal(HttpStatusCode.Redirect, refused.Status);
            Assert.Equal($"/ol/new-booking?name={b.Biz.Slug}", refused.Response.Headers.Location!.OriginalString);
        }

        var booking = await http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, booking.Status);
        Assert.Contains("Choose a time for your first visit to finish joining", booking.Text, StringComparison.Ordinal);
        var menu = booking.All("nav a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Contains(menu, href => href.StartsWith("/ol/new-booking", StringComparison.Ordinal));
        Assert.DoesNotContain(menu, href => href.StartsWith("/ol/appointments", StringComparison.Ordinal));
        var landing = await http.PageAsync($"/ol/book?name={b.Biz.Slug}");
        Assert.DoesNotContain(landing.All("main a"), a => a.GetAttribute("href")!.StartsWith("/ol/appointments", StringComparison.Ordinal));

        // Booked through the confirm page: its post opens the portal for this session at once.
        var start = (await http.SlotsAsync(b, Day(3), Day(3))).Starts()[0];
        var confirm = await http.PageAsync($"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary={b.DiaryId}&start={Uri.EscapeDataString(start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture))}");
        var posted = await http.SubmitAsync(confirm, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        Assert.StartsWith("/ol/booked", posted.Response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.PageAsync(posted.Response.Headers.Location!.OriginalString)).Status);
        var list = await http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Contains(list.All("nav a"), a => a.GetAttribute("href")!.StartsWith("/ol/appointments", StringComparison.Ordinal));
    }
}
