using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Staff change a client's email (<c>PUT /api/v1/admin/clients/{id}</c>, which the staff client page sends too): the
/// client's portal sessions end, a reset link sent to the old address stops working, and the old address is told the
/// new one (kind <c>client-sign-in-email-changed</c>); the new address hears nothing of it. A change of case, a change
/// that keeps the email and a first email for a client who had none send nothing and keep sessions. The whole app with
/// the real handlers and a real SMTP server on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class ClientSignInEmailChangeTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Kind = "client-sign-in-email-changed";

    private NotificationsTestApp App => fixture.App;

    /// <summary>The notices the business's outbox holds and the messages written for them: both nothing when none is due.</summary>
    private Task<(long Events, long Messages)> NoticesAsync(TestBusiness biz) => App.NoticesAsync(biz, "ClientSignInEmailChanged", Kind);

    [Fact]
    public async Task Staff_changing_a_clients_email_ends_their_sessions_refuses_the_old_link_and_tells_the_old_address_only()
    {
        var biz = await App.SignUpBusinessAsync("clientmoved");
        var (id, old, device) = await App.SignedInClientAsync(biz);
        Assert.Equal(HttpStatusCode.Accepted,
            (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email = old })).StatusCode);
        var token = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(old, "Reset your"), "/ol/reset-password");

        var moved = $"moved-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.OK, (await biz.ChangeClientAsync(id, moved)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await device.MeAsync(biz.Slug)).StatusCode);
        var refused = await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={biz.Slug}", new { token, newPassword = "a brand new sentence for my account" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.JsonAsync()).GetProperty("errors").TryGetProperty("token", out _));

        var notice = await fixture.MailAsync(old, $"Your Business {biz.Slug} sign-in email was changed");
        Assert.Contains("Hi Emma", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Business {biz.Slug} changed the email you use to sign in to their client portal from this address to {moved}.",
            notice.TextBody, StringComparison.Ordinal);
        Assert.Contains("You have been signed out", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains($"If you didn't ask for this, contact Business {biz.Slug}", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Business {biz.Slug}", notice.HtmlBody, StringComparison.Ordinal); // the business's branded layout
        Assert.Equal((1, 1), await NoticesAsync(biz));
        Assert.Empty(fixture.Smtp.MessagesTo(moved));

        // The password went with the old address (decision 300): the new one opens with it to nobody ("Forgot password" there sets one).
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.NewClient().SignInAsync(biz.Slug, moved)).StatusCode);
    }

    [Fact]
    public async Task A_change_of_case_only_or_a_kept_email_sends_nothing_and_keeps_the_clients_sessions()
    {
        var biz = await App.SignUpBusinessAsync("clientkept");
        var (id, email, device) = await App.SignedInClientAsync(biz);

        Assert.Equal(HttpStatusCode.OK, (await biz.ChangeClientAsync(id, email.ToUpperInvariant(), first: "Emmy")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await biz.ChangeClientAsync(id, email, first: "Emma")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await device.MeAsync(biz.Slug)).StatusCode);
        Assert.Equal((0, 0), await NoticesAsync(biz));
    }

    [Fact]
    public async Task A_client_given_a_first_email_is_sent_nothing()
    {
        var biz = await App.SignUpBusinessAsync("clientfirst");
        var added = await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pia", lastName = "Phone", email = (string?)null, mobile = PortalAuthHelpers.NewMobile() });
        var view = await added.JsonAsync(HttpStatusCode.Created);
        var first = PortalAuthHelpers.NewEmail();

        var changed = await biz.ChangeClientAsync(view.GetProperty("id").GetString()!, first, view.GetProperty("mobile").GetString(), first: "Pia");
        Assert.Equal(first, (await changed.JsonAsync(HttpStatusCode.OK)).GetProperty("email").GetString());

        Assert.Equal((0, 0), await NoticesAsync(biz));
        Assert.Empty(fixture.Smtp.MessagesTo(first));
    }
    [Fact]
    public async Task A_failed_notice_is_not_sent_again_to_any_address()
    {
        var biz = await App.SignUpBusinessAsync("clientnoresend");
        var old = $"reject-{Guid.NewGuid():N}@example.com"; // the SMTP server refuses it for good (550)
        var id = (await (await App.NewClient().RegisterAsync(biz.Slug, old, first: "Emma")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var moved = $"moved-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.OK, (await biz.ChangeClientAsync(id, moved)).StatusCode);
        await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<string>(App.Database.Database,
                "select status from notifications.outbound_messages where recipient = @r and kind = @k", ("r", old), ("k", Kind)),
            s => s == "failed", TimeSpan.FromSeconds(60), "the notice failed");
        var messageId = await Sql.AdminScalarAsync<Guid>(App.Database.Database,
            "select id from notifications.outbound_messages where recipient = @r and kind = @k", ("r", old), ("k", Kind));

        var refused = await biz.Owner.PostAsJsonAsync($"/api/v1/admin/messages/{messageId}/resend", new { to = moved });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.JsonAsync();
        Assert.Equal("sign-in-email", problem.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal(Kind, problem.GetProperty("messageKind").GetString());
        Assert.Equal($"failed {old}", await Sql.AdminScalarAsync<string>(App.Database.Database,
            "select status || ' ' || recipient from notifications.outbound_messages where id = @id", ("id", messageId)));
    }
}
