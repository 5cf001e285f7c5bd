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
/// A client who joined through the phone new-client flow and later got an email and a password signs in with them:
/// <c>auth/sign-in</c> says where she stands, her session reaches the appointments she filed (the list and each one), and
/// the sign-in page lands where decision 159 says (booking while she owes her first request, My appointments after).
/// Staff give her email (<c>PUT /api/v1/admin/clients/{id}</c>), or she gives it in the new-client details or adds it
/// herself under Your details (<c>ClientOwnEmailChangeTests</c>); "Forgot your password?" sets the password either way,
/// since a phone client has none.
/// </summary>
public sealed class PhoneClientEmailSignInTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    [Fact]
    public async Task A_phone_client_whose_email_staff_added_sets_a_password_signs_in_with_it_and_reaches_the_booking_she_made()
    {
        var b = await App.BookableAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        var joined = fixture.NewClient();
        var clientId = await joined.JoinByPhoneAsync(b.Biz.Slug, mobile, first: "Nell");
        var me = await (await joined.MeAsync(b.Biz.Slug)).JsonAsync(HttpStatusCode.OK);
        Assert.True(!me.TryGetProperty("email", out var none) || none.ValueKind == JsonValueKind.Null);

        // The business puts her email on file, keeping her proven mobile.
        var email = PortalAuthHelpers.NewEmail();
        var changed = await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/clients/{clientId}", new { firstName = "Nell", lastName = "Phone", email, mobile });
        Assert.Equal(email, (await changed.JsonAsync(HttpStatusCode.OK)).GetProperty("email").GetString());

        // Typed by staff, the address sets no password while her mobile signs in until she confirms it (decision 301;
        // the link from Your details, PhoneClientEmailClaimTests): marked confirmed here as her link would.
        await Sql.AdminExecAsync(App.Database.Database, "update portalauth.clients set email_confirmed_at = now() where id = @id::uuid", ("id", clientId));
        await fixture.SetPasswordByResetAsync(b.Biz.Slug, email);

        // Signed in with email and password: active (the business approves nobody), and still owing her first request.
        var (first, signedIn) = await fixture.SignInFreshAsync(b.Biz.Slug, email);
        Assert.Equal(clientId, first.GetProperty("id").GetString());
        Assert.Equal("Nell", first.GetProperty("firstName").GetString());
        Assert.Equal("active", first.GetProperty("clientStatus").GetString());
        Assert.True(first.GetProperty("awaitingFirstRequest").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await ListAsync(signedIn, b.Biz.Slug)).StatusCode);
        Assert.Equal($"/ol/new-booking?name={b.Biz.Slug}", (await fixture.SignInOnThePageAsync(b.Biz.Slug, email)).Location);

        // She books from that session; an active client's booking is confirmed.
        var start = (await signedIn.SlotsAsync(b, Day(4), Day(4))).Starts()[1];
        var booked = await (await signedIn.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("confirmed", booked.GetProperty("status").GetString());
        var id = booked.GetProperty("id").GetGuid();

        // Signing in again at once (the outbox need not have come through): no longer owing, and her booking is hers to see.
        var (again, later) = await fixture.SignInFreshAsync(b.Biz.Slug, email);
        Assert.Equal("active", again.GetProperty("clientStatus").GetString());
        Assert.False(again.GetProperty("awaitingFirstRequest").GetBoolean());
        var item = Assert.Single((await (await ListAsync(later, b.Biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(id, item.GetProperty("id").GetGuid());
        Assert.Equal("confirmed", item.GetProperty("status").GetString());
        var one = await (await later.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, one.GetProperty("id").GetGuid());

        // The sign-in page lands on My appointments, which lists it; nothing waits, so no waiting note.
        var (location, browser) = await fixture.SignInOnThePageAsync(b.Biz.Slug, email);
        Assert.Equal($"/ol/appointments?name={b.Biz.Slug}", location);
        var home = await browser.PageAsync(location);
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Null(home.One("#requests-waiting"));
        Assert.StartsWith("Confirmed", Assert.Single(home.All("section[aria-labelledby=upcoming] li.appointment")).QuerySelector(".status")?.TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_phone_client_awaiting_approval_signs_in_with_her_email_and_sees_her_request_waiting()
    {
        var b = await App.BookableAsync();
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true };
        var email = PortalAuthHelpers.NewEmail();
        var clientId = await fixture.NewClient().JoinByPhoneAsync(b.Biz.Slug, PortalAuthHelpers.NewMobile(), first: "Ora", email: email);
        await App.ConfirmGivenEmailAsync(b.Biz.Slug, email); // hers once its link is confirmed (decision 301)
        await fixture.SetPasswordByResetAsync(b.Biz.Slug, email);

        var (first, signedIn) = await fixture.SignInFreshAsync(b.Biz.Slug, email);
        Assert.Equal(clientId, first.GetProperty("id").GetString());
        Assert.Equal("pending-approval", first.GetProperty("clientStatus").GetString());
        Assert.True(first.GetProperty("awaitingFirstRequest").GetBoolean());

        // Her first booking is a request; the session it was filed from opens at once.
        var start = (await signedIn.SlotsAsync(b, Day(6), Day(6))).Starts()[0];
        var requested = await (await signedIn.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
        var id = requested.GetProperty("id").GetGuid();
        Assert.Equal(id, Assert.Single((await (await ListAsync(signedIn, b.Biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());

        // A new email sign-in: still awaiting approval, no longer owing, and the request is listed as waiting.
        var (again, later) = await fixture.SignInFreshAsync(b.Biz.Slug, email);
        Assert.Equal("pending-approval", again.GetProperty("clientStatus").GetString());
        Assert.False(again.GetProperty("awaitingFirstRequest").GetBoolean());
        var item = Assert.Single((await (await ListAsync(later, b.Biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(id, item.GetProperty("id").GetGuid());
        Assert.Equal("requested", item.GetProperty("status").GetString());

        // The page: My appointments, saying the request waits.
        var (location, browser) = await fixture.SignInOnThePageAsync(b.Biz.Slug, email);
        Assert.Equal($"/ol/appointments?name={b.Biz.Slug}", location);
        var home = await browser.PageAsync(location);
        Assert.Contains($"Your request is waiting for Business {b.Biz.Slug}.", home.One("#requests-waiting")?.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("Requested", Assert.Single(home.All("section[aria-labelledby=upcoming] li.appointment")).QuerySelector(".status")?.TextContent.Trim(), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> ListAsync(HttpClient http, string slug) =>
        http.GetAsync(new Uri($"/api/v1/portal/appointments?name={slug}&when=upcoming", UriKind.Relative));
}
