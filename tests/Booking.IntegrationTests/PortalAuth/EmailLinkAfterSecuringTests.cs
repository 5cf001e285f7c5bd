using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// An email-change link asked for before the account was secured is dead after it (decision 328, s39 security review
/// finding 1): every change that ends the client's sessions for security (staff replacing the mobile, the client's own
/// password change or mobile replacement, a reset) raises the client's security stamp, which the link carries. Whoever
/// asked for the link from a session that change ended (a lost phone, an old password) could otherwise still move the
/// account to their address and set its password there by forgot-password. Refused as an outdated link is
/// (<c>validation</c> on <c>token</c>, the page's <c>#link-dead</c>); a link made after the change, or one with nothing
/// secured meanwhile, still works.
/// </summary>
public sealed class EmailLinkAfterSecuringTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    private static async Task<string> AttemptOf(HttpResponseMessage answer) =>
        (await answer.JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;

    /// <summary>The token of the newest email-change link PortalAuth wrote to its outbox for <paramref name="email"/> (decrypted as Notifications does).</summary>
    private async Task<string> LinkTokenAsync(string email)
    {
        var payload = await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<string>(App.Database.Database,
                "select payload::text from portalauth.outbox_messages where type like '%ClientEmailChangeRequested%' and payload->>'newEmail' = @e order by occurred_at desc limit 1", ("e", email)),
            p => p is not null,
            what: $"a confirmation link for {email}");
        var protection = App.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>();
        var url = Booking.BuildingBlocks.Security.ProtectedResetLinks.Unprotect(protection, (string?)System.Text.Json.Nodes.JsonNode.Parse(payload!)!["protectedConfirmUrl"])!;
        return url[(url.IndexOf("&token=", StringComparison.Ordinal) + "&token=".Length)..];
    }

    private Task<HttpResponseMessage> ConfirmAsync(string slug, string token) =>
        fixture.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/confirm-email?name={slug}", new { token });

    /// <summary>The answer an outdated link gets: 400 <c>validation</c> on <c>token</c>, and the page (mail scanners open it) offers nothing.</summary>
    private async Task AssertDeadAsync(string slug, string token)
    {
        var page = await fixture.NewClient().PageAsync($"/ol/account/email/confirm?name={slug}&token={token}");
        Assert.NotNull(page.One("#link-dead"));
        Assert.Null(page.One("main form"));
        var answer = await ConfirmAsync(slug, token);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("validation", await answer.KindAsync());
        Assert.Equal("This link has expired or was already used. Nothing was changed. Ask for a new one under Your details.",
            (await answer.JsonAsync()).GetProperty("errors").GetProperty("token")[0].GetString());
    }

    private async Task<string?> StaffSeeEmailAsync(TestBusiness biz, string id) =>
        (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("email").GetString();

    private async Task<HttpClient> PhoneSessionAsync(TestBusiness biz, string mobile, int textsSoFar)
    {
        var http = fixture.NewClient();
        var attempt = await AttemptOf(await http.StartAsync(biz.Slug, mobile));
        Assert.Equal("signed-in", (await (await http.VerifyAsync(biz.Slug, attempt, await http.CodeSentToAsync(mobile, textsSoFar + 1))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("outcome").GetString());
        return http;
    }

    /// <summary>A phone client's email step: a code texted to the mobile for it (the <paramref name="count"/>th text), given with the address.</summary>
    private async Task<HttpResponseMessage> StartWithCodeAsync(HttpClient http, string slug, string mobile, string email, int count)
    {
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var attempt = await AttemptOf(await http.PostAsync($"/api/v1/portal/me/email/code?name={slug}", null));
        return await http.PostAsJsonAsync($"/api/v1/portal/me/email/start?name={slug}", new { email, attemptId = attempt, code = await http.CodeSentToAsync(mobile, count) });
    }

    [Fact]
    public async Task A_link_asked_from_a_lost_phone_is_dead_once_staff_replace_the_mobile()
    {
        // The review's (a): a phone-only client lost her phone; whoever has it signs in by phone and asks for their own email.
        var biz = await App.SignUpBusinessAsync("lostphone");
        var (lost, fresh) = (PortalAuthHelpers.NewMobile(), PortalAuthHelpers.NewMobile());
        var id = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pat", lastName = "Phone", email = (string?)null, mobile = lost })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var thief = await PhoneSessionAsync(biz, lost, textsSoFar: 0);
        var evil = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Accepted, (await StartWithCodeAsync(thief, biz.Slug, lost, evil, count: 2)).StatusCode);
        var token = await LinkTokenAsync(evil);

        // Staff replace the mobile: the thief's session ends (decision 300), and so does the link.
        Assert.Equal(HttpStatusCode.OK, (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/clients/{id}",
            new { firstName = "Pat", lastName = "Phone", email = (string?)null, mobile = fresh })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.MeAsync(biz.Slug)).StatusCode);
        await AssertDeadAsync(biz.Slug, token);
        Assert.Null(await StaffSeeEmailAsync(biz, id));

        // So forgot-password at that address opens nothing: it is nobody's here.
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email = evil })).StatusCode);
        Assert.Null(await StaffSeeEmailAsync(biz, id));

        // Pat, with her new phone, asks for her own address: a link made after the change works.
        var pat = await PhoneSessionAsync(biz, fresh, textsSoFar: 0);
        var own = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Accepted, (await StartWithCodeAsync(pat, biz.Slug, fresh, own, count: 2)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ConfirmAsync(biz.Slug, await LinkTokenAsync(own))).StatusCode);
        Assert.Equal(own, await StaffSeeEmailAsync(biz, id));
    }

    [Fact]
    public async Task A_link_asked_with_the_old_password_is_dead_once_the_client_changes_it_and_so_is_an_earlier_reset_link()
    {
        // The review's (b): someone who knows Casey's old password asks for their address; Casey changes her password.
        var biz = await App.SignUpBusinessAsync("oldpassword");
        var casey = PortalAuthHelpers.NewEmail();
        var here = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await here.RegisterAsync(biz.Slug, casey)).StatusCode);
        var (_, intruder) = await fixture.SignInFreshAsync(biz.Slug, casey);
        var evil = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Accepted, (await intruder.PostAsJsonAsync($"/api/v1/portal/me/email/start?name={biz.Slug}",
            new { email = evil, currentPassword = PortalAuthHelpers.Password })).StatusCode);
        var token = await LinkTokenAsync(evil);

        // A reset link asked before the change (someone reading her mail then) must not set the password after it either.
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email = casey })).StatusCode);
        var resetToken = QueryHelpers.ParseQuery(new Uri((await App.ResetEventAsync(casey)).GetProperty("resetUrl").GetString()!).Query)["token"].ToString();

        const string NewPassword = "the next long sentence I will use";
        Assert.Equal(HttpStatusCode.NoContent, (await here.PostAsJsonAsync($"/api/v1/portal/auth/change-password?name={biz.Slug}",
            new { currentPassword = PortalAuthHelpers.Password, newPassword = NewPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await intruder.MeAsync(biz.Slug)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.MeAsync(biz.Slug)).StatusCode); // the session that changed it stays

        await AssertDeadAsync(biz.Slug, token);
        var reset = await fixture.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={biz.Slug}", new { token = resetToken, newPassword = "a password of the intruder's own" });
        Assert.Equal(HttpStatusCode.BadRequest, reset.StatusCode);
        Assert.True((await reset.JsonAsync()).GetProperty("errors").TryGetProperty("token", out _));
        Assert.Equal(casey, (await (await here.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.OK, (await fixture.NewClient().SignInAsync(biz.Slug, casey, NewPassword)).StatusCode);

        // Her own change asked now, from the session she kept, works.
        var work = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Accepted, (await here.PostAsJsonAsync($"/api/v1/portal/me/email/start?name={biz.Slug}",
            new { email = work, currentPassword = NewPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ConfirmAsync(biz.Slug, await LinkTokenAsync(work))).StatusCode);
    }

    [Fact]
    public async Task The_clients_own_mobile_replacement_and_a_password_reset_end_pending_links_too()
    {
        var biz = await App.SignUpBusinessAsync("ownmobile");
        var email = PortalAuthHelpers.NewEmail();
        var (old, fresh) = (PortalAuthHelpers.NewMobile(), PortalAuthHelpers.NewMobile());
        var here = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await here.RegisterAsync(biz.Slug, email)).StatusCode);
        var first = await AttemptOf(await here.StartProofAsync(biz.Slug, old));
        Assert.Equal(HttpStatusCode.OK, (await here.VerifyProofAsync(biz.Slug, first, await here.CodeSentToAsync(old))).StatusCode);

        // A link asked while the first mobile is on file, then the mobile replaced from this very session.
        var before = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Accepted, (await here.PostAsJsonAsync($"/api/v1/portal/me/email/start?name={biz.Slug}",
            new { email = before, currentPassword = PortalAuthHelpers.Password })).StatusCode);
        var beforeToken = await LinkTokenAsync(before);
        var change = await AttemptOf(await here.PostAsJsonAsync($"/api/v1/portal/me/mobile/start?name={biz.Slug}",
            new { mobile = fresh, currentPassword = PortalAuthHelpers.Password }));
        Assert.Equal(HttpStatusCode.OK, (await here.VerifyProofAsync(biz.Slug, change, await here.CodeSentToAsync(fresh))).StatusCode);
        await AssertDeadAsync(biz.Slug, beforeToken); // decision 320's change ends the link with the other sessions

        // A reset (forgot-password's link used) ends a link asked before it too.
        var again = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Accepted, (await here.PostAsJsonAsync($"/api/v1/portal/me/email/start?name={biz.Slug}",
            new { email = again, currentPassword = PortalAuthHelpers.Password })).StatusCode);
        var againToken = await LinkTokenAsync(again);
        await fixture.SetPasswordByResetAsync(biz.Slug, email);
        await AssertDeadAsync(biz.Slug, againToken);
        var (_, signedIn) = await fixture.SignInFreshAsync(biz.Slug, email);
        Assert.Equal(email, (await (await signedIn.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("email").GetString());
    }

    [Fact]
    public async Task A_link_still_works_when_nothing_secured_the_account_meanwhile()
    {
        var biz = await App.SignUpBusinessAsync("stillworks");
        var email = PortalAuthHelpers.NewEmail();
        var here = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await here.RegisterAsync(biz.Slug, email)).StatusCode);
        var moved = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Accepted, (await here.PostAsJsonAsync($"/api/v1/portal/me/email/start?name={biz.Slug}",
            new { email = moved, currentPassword = PortalAuthHelpers.Password })).StatusCode);
        var token = await LinkTokenAsync(moved);

        // Meanwhile: another sign-in, a new name, a wrong password at sign-in. None of them ends a session.
        Assert.Equal(HttpStatusCode.OK, (await fixture.NewClient().SignInAsync(biz.Slug, email)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.PutAsJsonAsync($"/api/v1/portal/me/name?name={biz.Slug}", new { firstName = "Robin", lastName = "Renamed" })).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await fixture.NewClient().SignInAsync(biz.Slug, email, "not my password at all, sorry")).StatusCode);

        var page = await fixture.NewClient().PageAsync($"/ol/account/email/confirm?name={biz.Slug}&token={token}");
        Assert.Equal(moved, page.One("#new-email")?.TextContent.Trim());
        Assert.Equal(HttpStatusCode.OK, (await ConfirmAsync(biz.Slug, token)).StatusCode);
        Assert.Equal(moved, (await (await here.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("email").GetString());
    }
}
