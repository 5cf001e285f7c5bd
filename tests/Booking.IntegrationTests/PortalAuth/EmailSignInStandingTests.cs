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
/// Email sign-in says where the client stands as <c>phone/verify</c>'s <c>signed-in</c> does (<c>clientStatus</c>,
/// <c>awaitingFirstRequest</c>, from the same <c>ClientStanding</c>), keeping API.md's fields; the sign-in page then sends
/// the client where the phone code page would.
/// </summary>
public sealed class EmailSignInStandingTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    [Fact]
    public async Task Sign_in_keeps_its_fields_and_says_whether_the_client_still_owes_their_first_request_and_whether_they_are_approved()
    {
        var b = await App.BookableAsync();
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true };
        var mobile = PortalAuthHelpers.NewMobile();
        var email = PortalAuthHelpers.NewEmail();
        var clientId = await fixture.NewClient().JoinByPhoneAsync(b.Biz.Slug, mobile, first: "Ema", email: email);
        await App.ConfirmGivenEmailAsync(b.Biz.Slug, email); // the address is the client's once its link is confirmed (decision 301)
        await fixture.SetPasswordByResetAsync(b.Biz.Slug, email); // which ends the sessions the client had

        // Joined by phone, gave an email and confirmed it, set a password, and has sent no request yet: limited to booking, not approved.
        var (first, signedIn) = await fixture.SignInFreshAsync(b.Biz.Slug, email);
        Assert.Equal(clientId, first.GetProperty("id").GetString());
        Assert.Equal("Ema", first.GetProperty("firstName").GetString());
        Assert.Equal("Phone", first.GetProperty("lastName").GetString());
        Assert.Equal("pending-approval", first.GetProperty("clientStatus").GetString());
        Assert.True(first.GetProperty("awaitingFirstRequest").GetBoolean());

        // The request is sent and waits for the business.
        var start = (await signedIn.SlotsAsync(b, Day(4), Day(4))).Starts()[1];
        await (await signedIn.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        await OpenedAsync(clientId);
        var (waiting, _) = await fixture.SignInFreshAsync(b.Biz.Slug, email);
        Assert.Equal("pending-approval", waiting.GetProperty("clientStatus").GetString());
        Assert.False(waiting.GetProperty("awaitingFirstRequest").GetBoolean());

        // Approved.
        await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/clients/{clientId}/approve", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        var (approved, _) = await fixture.SignInFreshAsync(b.Biz.Slug, email);
        Assert.Equal("active", approved.GetProperty("clientStatus").GetString());
        Assert.False(approved.GetProperty("awaitingFirstRequest").GetBoolean());

        // An email-registered client: active where the business does not approve new clients, never limited.
        var other = await App.SignUpBusinessAsync("standing");
        var registered = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(other.Slug, registered)).StatusCode);
        var (plain, _) = await fixture.SignInFreshAsync(other.Slug, registered);
        Assert.Equal("active", plain.GetProperty("clientStatus").GetString());
        Assert.False(plain.GetProperty("awaitingFirstRequest").GetBoolean());
    }

    [Fact]
    public async Task The_email_sign_in_page_sends_a_client_who_owes_their_first_request_to_booking_and_one_whose_request_waits_to_My_appointments_which_says_so()
    {
        var b = await App.BookableAsync();
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true };
        var mobile = PortalAuthHelpers.NewMobile();
        var email = PortalAuthHelpers.NewEmail();
        var clientId = await fixture.NewClient().JoinByPhoneAsync(b.Biz.Slug, mobile, email: email);
        await App.ConfirmGivenEmailAsync(b.Biz.Slug, email);
        await fixture.SetPasswordByResetAsync(b.Biz.Slug, email);

        // No request yet: straight to booking, as the phone code page sends them.
        var (owes, joined) = await fixture.SignInOnThePageAsync(b.Biz.Slug, email);
        Assert.Equal($"/ol/new-booking?name={b.Biz.Slug}", owes);

        var start = (await joined.SlotsAsync(b, Day(5), Day(5))).Starts()[0];
        await (await joined.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        await OpenedAsync(clientId);

        // The request waits: My appointments, which says so first thing, with the request listed.
        var (waits, browser) = await fixture.SignInOnThePageAsync(b.Biz.Slug, email);
        Assert.Equal($"/ol/appointments?name={b.Biz.Slug}", waits);
        var home = await browser.PageAsync(waits);
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Contains($"Your request is waiting for Business {b.Biz.Slug}.", home.One("#requests-waiting")?.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("Requested", Assert.Single(home.All("section[aria-labelledby=upcoming] li.appointment")).QuerySelector(".status")?.TextContent.Trim(), StringComparison.Ordinal);
    }

    /// <summary>The request opens the portal through the outbox (BookingRequested → FirstRequestFiledHandler), moments later.</summary>
    private Task OpenedAsync(string clientId) =>
        Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<bool?>(App.Database.Database, "select awaiting_first_request from portalauth.clients where id = @id::uuid", ("id", clientId)),
            awaiting => awaiting == false, what: "the first request recorded");
}
