using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Booking.IntegrationTests.PortalPages;
using MimeKit;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Decision 301: an email nobody has proven is no key to an account someone has a proven way into. The product
/// review's repro at a business with both sign-ins (a phone new client gives an address; its mailbox's holder used
/// forgot-password to set a password, saw the client's appointments and took the mobile off sign-in), the confirmed
/// path, the taken address's answer, and the same rule for an address staff typed. The whole app, with the real SMTP
/// server on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class PhoneClientEmailClaimTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private NotificationsTestApp App => fixture.App;

    private static Task BothSignInsAsync(TestBusiness biz) =>
        biz.SettingsAsync(s => s["signInMethods"] = new JsonObject { ["email"] = true, ["phone"] = true });

    private static string LinkOf(MimeMessage mail)
    {
        var line = mail.TextBody!.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/ol/account/email/confirm?", StringComparison.Ordinal));
        return new Uri(line).PathAndQuery;
    }

    private static async Task<JsonElement> StaffViewAsync(TestBusiness biz, string id) =>
        await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    /// <summary>A browser signed in by a code to <paramref name="mobile"/> (its <paramref name="count"/>th text); the outcome.</summary>
    private async Task<(HttpClient Http, string Outcome)> PhoneCodeAsync(TestBusiness biz, string mobile, int count)
    {
        // The texts before are moved a minute back, as if the 30-second spacing between codes to one number had passed.
        await Sql.AdminExecAsync(App.Database.Database, "update portalauth.code_sends set at = at - interval '1 minute' where mobile = @m", ("m", mobile));
        var http = App.NewClient();
        var attempt = (await (await http.StartAsync(biz.Slug, mobile)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        var verified = await (await http.VerifyAsync(biz.Slug, attempt, await http.CodeSentToAsync(mobile, count))).JsonAsync(HttpStatusCode.OK);
        return (http, verified.GetProperty("outcome").GetString()!);
    }

    /// <summary>Forgot-password for <paramref name="email"/>, waited for until the background has answered it: the reset links it made (0 or 1).</summary>
    private async Task<long> ForgotPasswordAsync(TestBusiness biz, string email)
    {
        var links = await LinksMadeAsync(biz, email);
        var answered = await Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from portalauth.processed_events where tenant_id = @t and consumer = 'PasswordResetAskedHandler'", ("t", biz.Id));
        Assert.Equal(HttpStatusCode.Accepted, (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email })).StatusCode);
        await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<long>(App.Database.Database,
                "select count(*) from portalauth.processed_events where tenant_id = @t and consumer = 'PasswordResetAskedHandler'", ("t", biz.Id)),
            n => n > answered, what: $"the forgot-password request for {email} answered");
        return await LinksMadeAsync(biz, email) - links;
    }

    private Task<long> LinksMadeAsync(TestBusiness biz, string email) =>
        Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from portalauth.outbox_messages where type like '%PasswordResetRequested%' and tenant_id = @t and payload->>'email' = @e", ("t", biz.Id), ("e", email));

    private bool PasswordMailTo(string email) =>
        fixture.Smtp.MessagesTo(email).Any(m => (m.TextBody ?? "").Contains("/ol/reset-password?", StringComparison.Ordinal));

    [Fact]
    public async Task The_reviewers_repro_the_mailbox_holder_of_a_phone_clients_unconfirmed_email_gets_no_way_in_until_the_link_is_opened()
    {
        var biz = await App.SignUpBusinessAsync("claimfix");
        await BothSignInsAsync(biz);

        // 1) Sarah proves her mobile; 2) the new-client page, with an address (a typo, or someone else's), and joins.
        var mobile = PortalAuthHelpers.NewMobile();
        var sarah = App.NewClient();
        var attempt = (await (await sarah.StartAsync(biz.Slug, mobile)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        Assert.Equal("new-client", (await (await sarah.VerifyAsync(biz.Slug, attempt, await sarah.CodeSentToAsync(mobile))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("outcome").GetString());
        var form = await sarah.PageAsync($"/ol/new-client?name={biz.Slug}");
        Assert.Contains("It becomes your email here once you open the link and confirm.", form.One("#email-hint")?.TextContent, StringComparison.Ordinal);
        var typed = PortalAuthHelpers.NewEmail();
        var joined = await sarah.SubmitAsync(form, PortalHtml.Fields(("Input.FirstName", "Sarah"), ("Input.LastName", "O'Neill"), ("Input.Email", typed)));
        Assert.Equal(HttpStatusCode.Redirect, joined.Status);
        var me = await (await sarah.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK);
        var id = me.GetProperty("id").GetString()!;

        // Not stored: no sign-in email, nothing for booking emails to go to; Your details says it waits for its link.
        Assert.Equal(JsonValueKind.Null, me.GetProperty("email").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await StaffViewAsync(biz, id)).GetProperty("email").ValueKind);
        var details = await sarah.PageAsync($"/ol/account?name={biz.Slug}");
        Assert.Contains("it is waiting for you to confirm it: open the link we emailed to it", details.One("#email-waiting")?.TextContent, StringComparison.Ordinal);
        var link = LinkOf(await fixture.MailAsync(typed, $"Confirm your email for Business {biz.Slug}"));

        // 3) The mailbox's holder asks for a password: nothing is made or sent, Sarah stays signed in, her mobile proven.
        Assert.Equal(0L, await ForgotPasswordAsync(biz, typed));
        Assert.False(PasswordMailTo(typed));
        Assert.Equal(HttpStatusCode.OK, (await sarah.MeAsync(biz.Slug)).StatusCode);
        Assert.True((await StaffViewAsync(biz, id)).GetProperty("mobileVerified").GetBoolean());
        Assert.Equal("signed-in", (await PhoneCodeAsync(biz, mobile, 2)).Outcome);

        // The confirmed path: the link opened and confirmed makes the address Sarah's sign-in email; then forgot-password
        // sets a password, and her mobile still signs in (the proof was hers, not a claim).
        var done = await sarah.SubmitAsync(await sarah.PageAsync(link), PortalHtml.Fields(), "main form");
        Assert.Contains($"Your email is now {typed}", done.One("#email-confirmed")?.TextContent, StringComparison.Ordinal);
        Assert.True((await StaffViewAsync(biz, id)).GetProperty("emailConfirmed").GetBoolean());
        Assert.Equal(1L, await ForgotPasswordAsync(biz, typed));
        var token = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(typed, "Set a password for"), "/ol/reset-password");
        Assert.Equal(HttpStatusCode.NoContent, (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={biz.Slug}",
            new { token, newPassword = PortalAuthHelpers.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.NewClient().SignInAsync(biz.Slug, typed)).StatusCode);
        Assert.True((await StaffViewAsync(biz, id)).GetProperty("mobileVerified").GetBoolean());
        Assert.Equal("signed-in", (await PhoneCodeAsync(biz, mobile, 3)).Outcome);
    }

    [Fact]
    public async Task With_email_sign_in_on_a_taken_address_is_answered_as_a_free_one_and_stays_its_holders_alone()
    {
        var biz = await App.SignUpBusinessAsync("claimfix");
        await BothSignInsAsync(biz);
        var taken = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await App.NewClient().RegisterAsync(biz.Slug, taken)).StatusCode);

        // Decision 321: a household member with their own mobile gives the shared address; another person gives a free
        // one. The same answer (no "already registered": the form tells nobody whether an address is a client's).
        var withTaken = await App.VerifiedUnknownPhoneAsync(biz);
        var takenAnswer = await withTaken.NewClientAsync(biz.Slug, new { firstName = "Eve", lastName = "Household", email = taken });
        var free = PortalAuthHelpers.NewEmail();
        var withFree = await App.VerifiedUnknownPhoneAsync(biz);
        var freeAnswer = await withFree.NewClientAsync(biz.Slug, new { firstName = "Pat", lastName = "Free", email = free });
        Assert.Equal(HttpStatusCode.Created, takenAnswer.StatusCode);
        Assert.Equal(freeAnswer.StatusCode, takenAnswer.StatusCode);
        var (a, b) = (await takenAnswer.JsonAsync(), await freeAnswer.JsonAsync());
        Assert.Equal(b.EnumerateObject().Select(p => p.Name), a.EnumerateObject().Select(p => p.Name));
        Assert.Equal(b.GetProperty("status").GetString(), a.GetProperty("status").GetString());

        // Neither new client has an email; the taken address is still its holder's alone, who signs in with it as before,
        // and no link to it was asked for (its holder is told nothing); the free one is sent its link.
        foreach (var http in new[] { withTaken, withFree })
        {
            Assert.Equal(JsonValueKind.Null, (await (await http.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("email").ValueKind);
        }

        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from portalauth.clients where tenant_id = @t and email = @e", ("t", biz.Id), ("e", taken)));
        Assert.Equal(HttpStatusCode.OK, (await App.NewClient().SignInAsync(biz.Slug, taken)).StatusCode);
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from portalauth.outbox_messages where tenant_id = @t and type like '%ClientEmailChangeRequested%' and payload->>'newEmail' = @e",
            ("t", biz.Id), ("e", taken)));
        await fixture.MailAsync(free, $"Confirm your email for Business {biz.Slug}");
        Assert.Equal(0L, await ForgotPasswordAsync(biz, free));

        // The page says, for every address alike, what happens to one already on an account, and how its holder signs in.
        var form = await (await App.VerifiedUnknownPhoneAsync(biz)).PageAsync($"/ol/new-client?name={biz.Slug}");
        var hint = form.One("#email-hint")?.TextContent;
        Assert.Contains("An address already on a client's account here stays with that account and gets no link", hint, StringComparison.Ordinal);
        Assert.Contains("Already a client who signs in with an email? Sign in with it instead of joining again.", hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_staff_typed_sets_no_password_while_the_mobile_signs_in_until_the_client_confirms_it()
    {
        var biz = await App.SignUpBusinessAsync("claimfix");
        await BothSignInsAsync(biz);
        var typed = PortalAuthHelpers.NewEmail();
        var mobile = PortalAuthHelpers.NewMobile();

        // Staff add the client by email alone: the address is the only way in, so forgot-password works (a link is made).
        var id = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Sam", lastName = "Staffadded", email = typed, mobile = (string?)null })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        Assert.Equal(1L, await ForgotPasswordAsync(biz, typed));
        var early = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(typed, "Set a password for"), "/ol/reset-password");

        // Then staff put the client's mobile on file: now it signs in, and the unproven address is no key. The link sent
        // before is dead, a new request makes none, and the mobile keeps signing in.
        Assert.Equal(HttpStatusCode.OK, (await biz.ChangeClientAsync(id, typed, mobile, first: "Sam")).StatusCode);
        var used = await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={biz.Slug}", new { token = early, newPassword = PortalAuthHelpers.Password });
        Assert.Equal(HttpStatusCode.BadRequest, used.StatusCode);
        Assert.True((await used.JsonAsync()).GetProperty("errors").TryGetProperty("token", out _));
        Assert.Equal(0L, await ForgotPasswordAsync(biz, typed));
        var staffView = await StaffViewAsync(biz, id);
        Assert.False(staffView.GetProperty("emailConfirmed").GetBoolean());
        Assert.True(staffView.GetProperty("mobileVerified").GetBoolean());

        // The client signs in by phone; Your details says the address is not confirmed and how to confirm it.
        var (http, outcome) = await PhoneCodeAsync(biz, mobile, 1);
        Assert.Equal("signed-in", outcome);
        var details = await http.PageAsync($"/ol/account?name={biz.Slug}");
        Assert.Contains($"{typed} (not confirmed)", details.Text, StringComparison.Ordinal);
        Assert.Contains("To set a password with it, confirm it first", details.One("#email-unconfirmed")?.TextContent, StringComparison.Ordinal);

        // Giving the same address emails it a link; confirmed, forgot-password sets a password, the mobile untouched.
        await Sql.AdminExecAsync(App.Database.Database, "update portalauth.code_sends set at = at - interval '1 minute' where mobile = @m", ("m", mobile));
        var codeAttempt = (await (await http.PostAsync($"/api/v1/portal/me/email/code?name={biz.Slug}", null)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        var code = await http.CodeSentToAsync(mobile, 2);
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync($"/api/v1/portal/me/email/start?name={biz.Slug}", new { email = typed, attemptId = codeAttempt, code })).StatusCode);
        var done = await http.SubmitAsync(await http.PageAsync(LinkOf(await fixture.MailAsync(typed, $"Confirm your email for Business {biz.Slug}"))), PortalHtml.Fields(), "main form");
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.True((await StaffViewAsync(biz, id)).GetProperty("emailConfirmed").GetBoolean());
        Assert.Null((await http.PageAsync($"/ol/account?name={biz.Slug}")).One("#email-unconfirmed"));
        Assert.Equal(1L, await ForgotPasswordAsync(biz, typed));
        Assert.True((await StaffViewAsync(biz, id)).GetProperty("mobileVerified").GetBoolean());
    }
}
