using System.Net;
using System.Net.Http.Json;
using Booking.BuildingBlocks.Platform;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Setup;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// A sign-in in flight never outlives an end of all the person's sessions (decision 337; s40 races finding 1). The
/// sign-in checks the password (or code) on a row read without a lock and stores its session afterwards; before, the
/// store was a plain insert, so a sign-in whose check passed before a password change, a removal or a role change and
/// whose session was stored after it kept a working session (a removed admin made a new admin with one). Now the session
/// is stored only while the person's row still carries the security stamp read before the check, under a lock on it.
/// Each test makes the race certain, not lucky: the browser signing in already carries another person's session, which a
/// sign-in ends before storing its own (session fixation, <see cref="PostgresTicketStore.SignInAsync"/>); the test holds
/// that session's row, so the sign-in waits there, its check passed, while the securing change commits in full.
/// </summary>
public sealed class SignInInFlightTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private const string StaffPassword = "a team member's password 2026";

    private BookingApp App => fixture.App;

    /// <summary>Holds the row of <paramref name="subject"/>'s only session: a sign-in on that browser waits for it once its check has passed.</summary>
    private async Task<HeldTransaction> HoldSessionOfAsync(Guid subject)
    {
        var held = await HeldTransaction.BeginAsync(App.Database.Database);
        Assert.Equal(1, await held.ExecAsync("SELECT id FROM platform.auth_sessions WHERE subject_id = @s FOR UPDATE", ("s", subject)));
        return held;
    }

    private Task<long> SessionsOfAsync(Guid subject) =>
        Sql.AdminScalarAsync<long>(App.Database.Database, "SELECT count(*) FROM platform.auth_sessions WHERE subject_id = @s", ("s", subject));

    private static async Task AssertChangedMeanwhileAsync(HttpResponseMessage answer)
    {
        var problem = await answer.JsonAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("unauthenticated", problem.Kind());
        Assert.Equal(PostgresTicketStore.ChangedMeanwhile, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_client_sign_in_with_the_old_password_in_flight_during_a_password_change_gets_no_session()
    {
        var biz = await App.SignUpBusinessAsync("inflightpw");
        var casey = PortalAuthHelpers.NewEmail();
        var here = fixture.NewClient();
        var caseyId = (await (await here.RegisterAsync(biz.Slug, casey)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var browser = fixture.NewClient();
        var danId = (await (await browser.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail(), first: "Dan")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        await using var held = await HoldSessionOfAsync(danId);
        var signIn = browser.SignInAsync(biz.Slug, casey); // the password she has now: right when checked
        await held.WaitForBlockedAsync(1);
        const string NewPassword = "the next long sentence I will use";
        Assert.Equal(HttpStatusCode.NoContent, (await here.PostAsJsonAsync($"/api/v1/portal/auth/change-password?name={biz.Slug}",
            new { currentPassword = PortalAuthHelpers.Password, newPassword = NewPassword })).StatusCode);
        await held.CommitAsync();

        await AssertChangedMeanwhileAsync(await signIn);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.MeAsync(biz.Slug)).StatusCode);
        Assert.Equal(1, await SessionsOfAsync(caseyId)); // only the session that made the change
        Assert.Equal(HttpStatusCode.OK, (await here.MeAsync(biz.Slug)).StatusCode);

        // Signing in after the change works with the new password only.
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.NewClient().SignInAsync(biz.Slug, casey)).StatusCode);
        var again = fixture.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await again.SignInAsync(biz.Slug, casey, NewPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await again.MeAsync(biz.Slug)).StatusCode);
    }

    [Fact]
    public async Task A_phone_sign_in_in_flight_while_staff_replace_the_mobile_gets_no_session()
    {
        var biz = await App.SignUpBusinessAsync("inflightphone");
        var (lost, fresh) = (PortalAuthHelpers.NewMobile(), PortalAuthHelpers.NewMobile());
        var id = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pat", lastName = "Phone", email = (string?)null, mobile = lost })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var browser = fixture.NewClient();
        var danId = (await (await browser.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail(), first: "Dan")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var attempt = (await (await browser.StartAsync(biz.Slug, lost)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        var code = await browser.CodeSentToAsync(lost);

        await using var held = await HoldSessionOfAsync(danId);
        var verify = browser.VerifyAsync(biz.Slug, attempt, code); // the code is right, the client found by the mobile
        await held.WaitForBlockedAsync(1);
        Assert.Equal(HttpStatusCode.OK, (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/clients/{id}",
            new { firstName = "Pat", lastName = "Phone", email = (string?)null, mobile = fresh })).StatusCode);
        await held.CommitAsync();

        await AssertChangedMeanwhileAsync(await verify);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.MeAsync(biz.Slug)).StatusCode);
        Assert.Equal(0, await SessionsOfAsync(id));

        // Pat, with the number now on file, signs in as before.
        var pat = fixture.NewClient();
        var next = (await (await pat.StartAsync(biz.Slug, fresh)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        Assert.Equal("signed-in", (await (await pat.VerifyAsync(biz.Slug, next, await pat.CodeSentToAsync(fresh))).JsonAsync(HttpStatusCode.OK)).GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.OK, (await pat.MeAsync(biz.Slug)).StatusCode);
    }

    private async Task<Guid> AddStaffAsync(TestBusiness biz, string email, string role) =>
        (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", new { name = "Eve " + role, email, password = StaffPassword, role, diaryIds = Array.Empty<Guid>() }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private Task<HttpResponseMessage> StaffSignInAsync(HttpClient http, TestBusiness biz, string email) =>
        http.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email, password = StaffPassword });

    /// <summary>A browser signed in as another team member (a practitioner), whose session the test can hold.</summary>
    private async Task<(HttpClient Browser, Guid Other)> BrowserWithAnotherStaffSessionAsync(TestBusiness biz)
    {
        var email = $"dan-{Guid.NewGuid():N}@{biz.Slug}.example";
        var other = await AddStaffAsync(biz, email, "practitioner");
        var browser = App.NewClient();
        await (await StaffSignInAsync(browser, biz, email)).JsonAsync(HttpStatusCode.OK);
        return (browser, other);
    }

    [Fact]
    public async Task An_admin_removed_while_signing_in_gets_no_session()
    {
        var biz = await App.SignUpBusinessAsync("inflightremove");
        var eveEmail = $"eve@{biz.Slug}.example";
        var eve = await AddStaffAsync(biz, eveEmail, "admin");
        var (browser, other) = await BrowserWithAnotherStaffSessionAsync(biz);

        await using var held = await HoldSessionOfAsync(other);
        var signIn = StaffSignInAsync(browser, biz, eveEmail);
        await held.WaitForBlockedAsync(1);
        Assert.Equal(HttpStatusCode.NoContent, (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/staff/{eve}", UriKind.Relative))).StatusCode);
        await held.CommitAsync();

        await AssertChangedMeanwhileAsync(await signIn);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync(new Uri("/api/v1/admin/staff", UriKind.Relative))).StatusCode);
        Assert.Equal(0, await SessionsOfAsync(eve));
        Assert.Equal(HttpStatusCode.Unauthorized, (await StaffSignInAsync(App.NewClient(), biz, eveEmail)).StatusCode);
    }

    [Fact]
    public async Task An_admin_demoted_while_signing_in_gets_no_session_with_the_old_role_and_signs_in_again_as_practitioner()
    {
        var biz = await App.SignUpBusinessAsync("inflightrole");
        var eveEmail = $"eve@{biz.Slug}.example";
        var eve = await AddStaffAsync(biz, eveEmail, "admin");
        var (browser, other) = await BrowserWithAnotherStaffSessionAsync(biz);

        await using var held = await HoldSessionOfAsync(other);
        var signIn = StaffSignInAsync(browser, biz, eveEmail);
        await held.WaitForBlockedAsync(1);
        Assert.Equal(HttpStatusCode.OK, (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{eve}",
            new { name = "Eve admin", email = eveEmail, role = "practitioner", diaryIds = Array.Empty<Guid>() })).StatusCode);
        await held.CommitAsync();

        await AssertChangedMeanwhileAsync(await signIn);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync(new Uri("/api/v1/admin/staff", UriKind.Relative))).StatusCode);
        Assert.Equal(0, await SessionsOfAsync(eve));

        var again = App.NewClient();
        Assert.Equal("practitioner", (await (await StaffSignInAsync(again, biz, eveEmail)).JsonAsync(HttpStatusCode.OK)).GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await again.GetAsync(new Uri("/api/v1/admin/staff", UriKind.Relative))).StatusCode);
    }
}
