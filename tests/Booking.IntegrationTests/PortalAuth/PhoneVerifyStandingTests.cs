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
/// <c>phone/verify</c>'s <c>signed-in</c> says where the client stands (<c>clientStatus</c>, <c>awaitingFirstRequest</c>), so a
/// front end can send a new client to book first, or tell one whose request waits that it waits; the portal says so.
/// </summary>
public sealed class PhoneVerifyStandingTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    [Fact]
    public async Task Signed_in_says_whether_the_client_still_owes_their_first_request_and_whether_the_business_has_approved_them()
    {
        var b = await App.BookableAsync();
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true };
        var mobile = PortalAuthHelpers.NewMobile();
        var clientId = await fixture.NewClient().JoinByPhoneAsync(b.Biz.Slug, mobile);

        // Back before sending the first request: limited to booking, and not approved.
        var (first, _) = await SignInAgainAsync(b, mobile, textsSoFar: 1);
        Assert.Equal("signed-in", first.GetProperty("outcome").GetString());
        Assert.Equal("pending-approval", first.GetProperty("clientStatus").GetString());
        Assert.True(first.GetProperty("awaitingFirstRequest").GetBoolean());
        Assert.False(first.TryGetProperty("claimedByEmail", out _));

        // The request is sent and waits for the business: the portal is open, the client still not approved.
        var (_, http) = await SignInAgainAsync(b, mobile, textsSoFar: 2);
        var start = (await http.SlotsAsync(b, Day(4), Day(4))).Starts()[2];
        var requested = await (await http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());

        // Signed in again at once, whether or not the request's event has reached PortalAuth yet (FirstRequestAtOnceTests).
        // The request's "received" text (this client has no email) arrives first, so the newest text is the code.
        await Eventually.ReturnsAsync(
            async () => await http.DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(mobile)}"),
            texts => texts.GetArrayLength() >= 4, what: "the request's received text (after three codes)");
        var (waiting, _) = await SignInAgainAsync(b, mobile, textsSoFar: 4);
        Assert.Equal("signed-in", waiting.GetProperty("outcome").GetString());
        Assert.Equal("pending-approval", waiting.GetProperty("clientStatus").GetString());
        Assert.False(waiting.GetProperty("awaitingFirstRequest").GetBoolean());

        // Approved: nothing limits them any more.
        await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/clients/{clientId}/approve", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        // A phone-only client hears of the approval by text (decision 148): let it arrive first, so the newest text is the code.
        await Eventually.ReturnsAsync(
            async () => await http.DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(mobile)}"),
            texts => texts.GetArrayLength() >= 6, what: "the approval text (after four codes and the request's text)");
        var (approved, _) = await SignInAgainAsync(b, mobile, textsSoFar: 6);
        Assert.Equal("active", approved.GetProperty("clientStatus").GetString());
        Assert.False(approved.GetProperty("awaitingFirstRequest").GetBoolean());
    }

    [Fact]
    public async Task A_new_client_whose_request_waits_signs_in_on_the_phone_pages_and_is_told_it_waits_with_the_request_listed()
    {
        var b = await App.BookableAsync();
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true };
        var mobile = PortalAuthHelpers.NewMobile();
        var joined = fixture.NewClient();
        await joined.JoinByPhoneAsync(b.Biz.Slug, mobile);
        var start = (await joined.SlotsAsync(b, Day(5), Day(5))).Starts()[1];
        await (await joined.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);

        // At once: the request is Appointments' the moment it is filed (FirstRequestAtOnceTests holds its event back).
        // Its "received" text (no email on file) arrives first, so the newest text is the new code.
        await joined.TextsToAsync(mobile, 2);
        await fixture.AssertPhoneSignInShowsTheWaitingRequestAsync(b.Biz.Slug, mobile, textsSoFar: 2);
    }

    [Fact]
    public async Task A_client_with_nothing_waiting_is_not_told_a_request_waits()
    {
        var b = await App.BookableAsync();
        var client = await App.RegisterClientAsync(b.Biz);
        var start = (await client.Http.SlotsAsync(b, Day(6), Day(6))).Starts()[0];
        Assert.Equal(HttpStatusCode.Created, (await client.BookAsync(b, start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture))).StatusCode);

        var home = await client.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Null(home.One("#requests-waiting"));
        Assert.Single(home.All("section[aria-labelledby=upcoming] li.appointment"));
    }

    /// <summary>Phone sign-in again on a new device, 31 s after the last code: the verify answer and the signed-in browser.</summary>
    private async Task<(JsonElement Answer, HttpClient Http)> SignInAgainAsync(Bookable b, string mobile, int textsSoFar)
    {
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var http = fixture.NewClient();
        var attempt = (await (await http.StartAsync(b.Biz.Slug, mobile)).JsonAsync()).GetProperty("attemptId").GetString()!;
        var verified = await http.VerifyAsync(b.Biz.Slug, attempt, await http.CodeSentToAsync(mobile, textsSoFar + 1));
        return (await verified.JsonAsync(HttpStatusCode.OK), http);
    }
}
