using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Booking.IntegrationTests.PortalPages;
using MimeKit;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// A client changes (or adds) their own email from Your details: the new address is emailed a link, and only the link,
/// opened and confirmed, makes it theirs; the old address is told; staff and the booking emails follow the new one. An
/// address another client has is refused only where registration would say so, and nothing is sent to it. The whole
/// app, the emailed link followed through the real SMTP server on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class ClientOwnEmailChangeTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string ClientPassword = "a long client password 2026!"; // SchedulingApi.RegisterClientAsync's

    private NotificationsTestApp App => fixture.App;

    private static Task<HttpResponseMessage> StartAsync(HttpClient http, string slug, string email, string? currentPassword = null) =>
        http.PostAsJsonAsync($"/api/v1/portal/me/email/start?name={slug}", new { email, currentPassword });

    /// <summary>A client without a password's step: a fresh code texted to their mobile for it, given with the address.</summary>
    private static Task<HttpResponseMessage> StartWithCodeAsync(HttpClient http, string slug, string email, (string AttemptId, string Code) code) =>
        http.PostAsJsonAsync($"/api/v1/portal/me/email/start?name={slug}", new { email, attemptId = code.AttemptId, code = code.Code });

    /// <summary>
    /// A code for the email step texted to <paramref name="mobile"/> (its <paramref name="count"/>th text); the texts before
    /// it are moved a minute back, as if the 30-second spacing between codes to one number had passed (a real clock here).
    /// </summary>
    private async Task<(string AttemptId, string Code)> EmailCodeAsync(HttpClient http, string slug, string mobile, int count)
    {
        await Sql.AdminExecAsync(App.Database.Database, "update portalauth.code_sends set at = at - interval '1 minute' where mobile = @m", ("m", mobile));
        var attempt = (await (await http.PostAsync($"/api/v1/portal/me/email/code?name={slug}", null)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        return (attempt, await http.CodeSentToAsync(mobile, count));
    }

    private static async Task<string?> EmailOfAsync(HttpClient http, string slug) =>
        (await (await http.MeAsync(slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("email").GetString();

    /// <summary>The path and query of the confirmation link in the email's text.</summary>
    private static string LinkOf(MimeMessage mail)
    {
        var line = mail.TextBody!.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/ol/account/email/confirm?", StringComparison.Ordinal));
        return new Uri(line).PathAndQuery;
    }

    private static string TokenOf(string path) => path[(path.IndexOf("&token=", StringComparison.Ordinal) + "&token=".Length)..];

    [Fact]
    public async Task A_client_changes_their_email_by_the_emailed_link_the_old_address_is_told_and_staff_and_booking_emails_follow()
    {
        var b = await App.BookableAsync();
        var slug = b.Biz.Slug;
        var client = await App.RegisterClientAsync(b.Biz, "Vera");
        var old = (await EmailOfAsync(client.Http, slug))!;
        var moved = $"vera-new-{Guid.NewGuid():N}@example.com";

        // Signed in with a password: the change needs it.
        var missing = await StartAsync(client.Http, slug, moved);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.JsonAsync()).GetProperty("errors").TryGetProperty("currentPassword", out _));
        var wrong = await StartAsync(client.Http, slug, moved, "not my password at all, sorry");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.True((await wrong.JsonAsync()).GetProperty("errors").TryGetProperty("currentPassword", out _));
        var own = await StartAsync(client.Http, slug, old.ToUpperInvariant(), ClientPassword);
        Assert.Equal(HttpStatusCode.BadRequest, own.StatusCode);
        Assert.True((await own.JsonAsync()).GetProperty("errors").TryGetProperty("email", out _));

        var sent = await (await StartAsync(client.Http, slug, moved, ClientPassword)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(moved, sent.GetProperty("sentTo").GetString());
        Assert.Equal(old, await EmailOfAsync(client.Http, slug)); // nothing changes before the link

        var mail = await fixture.MailAsync(moved, $"Confirm your email for Business {slug}");
        Assert.Contains("Hi Vera", mail.TextBody, StringComparison.Ordinal);
        var path = LinkOf(mail);
        Assert.StartsWith($"/ol/account/email/confirm?name={slug}&token=", path, StringComparison.Ordinal);
        // Once sent, no table (outbox, jobs, the message row) holds the link's token.
        await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<string>(App.Database.Database,
                "select status from notifications.outbound_messages where recipient = @r and kind = 'client-email-confirmation'", ("r", moved)),
            s => s == "sent", TimeSpan.FromSeconds(60), "the confirmation marked sent");
        Assert.Equal("", await Sql.AdminScalarAsync<string>(App.Database.Database, """
            select coalesce(string_agg(format('%I.%I', table_schema, table_name), ', '), '')
              from information_schema.tables
             where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
               and query_to_xml(format('select * from %I.%I', table_schema, table_name), true, false, '')::text like '%' || @t || '%'
            """, ("t", TokenOf(path))));

        // Opened on another device, signed out: the page only asks (mail scanners open links).
        var browser = App.NewClient();
        var ask = await browser.PageAsync(path);
        Assert.Equal(HttpStatusCode.OK, ask.Status);
        Assert.Equal(moved, ask.One("#new-email")?.TextContent.Trim());
        Assert.Equal(old, await EmailOfAsync(client.Http, slug));

        var done = await browser.SubmitAsync(ask, PortalHtml.Fields(), "main form");
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Contains($"Your email is now {moved}", done.One("#email-confirmed")?.TextContent, StringComparison.Ordinal);
        Assert.Null(done.One("#set-password")); // she has a password

        // The client's own session carries on with the new address; staff see it.
        Assert.Equal(moved, await EmailOfAsync(client.Http, slug));
        Assert.Equal(moved, (await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{client.Id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("email").GetString());

        // The old address is told, in the client's words (not "the business changed it").
        var notice = await fixture.MailAsync(old, $"Your Business {slug} email was changed");
        Assert.Contains($"was changed from this address to {moved}", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains($"If you didn't do this, contact Business {slug}", notice.TextBody, StringComparison.Ordinal);

        // The link again: already done, nothing more.
        var again = await App.NewClient().PageAsync(path);
        Assert.Contains("already your email", again.One("#email-confirmed")?.TextContent, StringComparison.Ordinal);
        var repeat = await (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/confirm-email?name={slug}", new { token = TokenOf(path) }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.True(repeat.GetProperty("alreadyDone").GetBoolean());

        // Signing in: the new address, not the old one.
        Assert.Equal(HttpStatusCode.OK, (await App.NewClient().SignInAsync(slug, moved, ClientPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.NewClient().SignInAsync(slug, old, ClientPassword)).StatusCode);

        // A booking's confirmation goes to the new address; the old one had only the notice.
        Assert.Equal(HttpStatusCode.Created, (await client.BookAsync(b, At(Day(5), 10))).StatusCode);
        await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(moved)), m => m.Count >= 2, TimeSpan.FromSeconds(60), "the booking email to the new address");
        Assert.Single(fixture.Smtp.MessagesTo(old));
    }

    [Fact]
    public async Task A_phone_client_adds_an_email_by_the_link_and_an_address_another_client_has_gets_nothing()
    {
        var biz = await App.SignUpBusinessAsync("emailadd");
        var mobile = PortalAuthHelpers.NewMobile();
        Assert.Equal(HttpStatusCode.Created, (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pia", lastName = "Phone", email = (string?)null, mobile })).StatusCode);
        var http = App.NewClient();
        var attempt = (await (await http.StartAsync(biz.Slug, mobile)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await http.VerifyAsync(biz.Slug, attempt, await http.CodeSentToAsync(mobile))).StatusCode);
        Assert.Null(await EmailOfAsync(http, biz.Slug));

        // Another client's address: registration says it is taken, so this may too; nothing is sent to it. The code
        // (she has no password) stays usable after a refusal.
        var taken = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await App.NewClient().RegisterAsync(biz.Slug, taken)).StatusCode);
        var code = await EmailCodeAsync(http, biz.Slug, mobile, 2);
        var refused = await StartWithCodeAsync(http, biz.Slug, taken, code);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("This email address is already registered; use a different one.",
            (await refused.JsonAsync()).GetProperty("errors").GetProperty("email")[0].GetString());

        // Where the business takes no new clients, registration says nothing of it: neither does this, and still nothing goes.
        await biz.SettingsAsync(s => s["acceptingNewClients"] = false);
        Assert.Equal(taken, (await (await StartWithCodeAsync(http, biz.Slug, taken, code)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("sentTo").GetString());
        Assert.Equal((0, 0), await App.NoticesAsync(biz, "ClientEmailChangeRequested", "client-email-confirmation"));

        // A free address: no password asked (she has none), a fresh code instead; the link makes it hers, and no notice
        // goes anywhere (no old address).
        var added = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Accepted, (await StartWithCodeAsync(http, biz.Slug, added, await EmailCodeAsync(http, biz.Slug, mobile, 3))).StatusCode);
        var path = LinkOf(await fixture.MailAsync(added, $"Confirm your email for Business {biz.Slug}"));
        var done = await http.SubmitAsync(await http.PageAsync(path), PortalHtml.Fields(), "main form");
        Assert.Contains($"Your email is now {added}", done.One("#email-confirmed")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("you also need a password", done.One("#set-password")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(added, await EmailOfAsync(http, biz.Slug));
        Assert.Equal((0, 0), await App.NoticesAsync(biz, "ClientSignInEmailChanged", "client-sign-in-email-changed"));
        Assert.Empty(fixture.Smtp.MessagesTo(taken));

        // "Forgot your password?" with the new address sets one; she signs in with her email.
        Assert.Equal(HttpStatusCode.Accepted, (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email = added })).StatusCode);
        var token = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(added, "Set a password for"), "/ol/reset-password"); // she has none yet (decision 244)
        Assert.Equal(HttpStatusCode.NoContent, (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={biz.Slug}",
            new { token, newPassword = PortalAuthHelpers.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.NewClient().SignInAsync(biz.Slug, added)).StatusCode);
    }

    [Fact]
    public async Task A_used_link_stays_dead_when_the_email_goes_back_to_the_one_it_was_made_from()
    {
        // Review of decision 214: the link named only the email it was made from, so once the client changed it back,
        // a link left in the address they gave up worked again, and that inbox's holder could take the account.
        var biz = await App.SignUpBusinessAsync("emailback");
        var (_, original, device) = await App.SignedInClientAsync(biz);
        var work = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Accepted, (await StartAsync(device, biz.Slug, work, PortalAuthHelpers.Password)).StatusCode);
        var toWork = LinkOf(await fixture.MailAsync(work, "Confirm your email"));
        Assert.Equal(HttpStatusCode.OK, (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/confirm-email?name={biz.Slug}", new { token = TokenOf(toWork) })).StatusCode);
        Assert.Equal(work, await EmailOfAsync(device, biz.Slug));

        Assert.Equal(HttpStatusCode.Accepted, (await StartAsync(device, biz.Slug, original, PortalAuthHelpers.Password)).StatusCode);
        var back = LinkOf(await fixture.MailAsync(original, "Confirm your email"));
        Assert.Equal(HttpStatusCode.OK, (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/confirm-email?name={biz.Slug}", new { token = TokenOf(back) })).StatusCode);
        Assert.Equal(original, await EmailOfAsync(device, biz.Slug));

        // The first link names the email as it is again, but the email changed after it was made: dead, on the page and the API.
        Assert.NotNull((await App.NewClient().PageAsync(toWork)).One("#link-dead"));
        var replayed = await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/confirm-email?name={biz.Slug}", new { token = TokenOf(toWork) });
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        Assert.True((await replayed.JsonAsync()).GetProperty("errors").TryGetProperty("token", out _));
        Assert.Equal(original, await EmailOfAsync(device, biz.Slug));
    }

    [Fact]
    public async Task A_link_is_dead_once_the_email_changed_otherwise_and_for_another_business()
    {
        var biz = await App.SignUpBusinessAsync("emaildead");
        var (id, old, device) = await App.SignedInClientAsync(biz);
        var first = PortalAuthHelpers.NewEmail();
        var second = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Accepted, (await StartAsync(device, biz.Slug, first, PortalAuthHelpers.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await StartAsync(device, biz.Slug, second, PortalAuthHelpers.Password)).StatusCode);
        var firstLink = LinkOf(await fixture.MailAsync(first, "Confirm your email"));
        var secondLink = LinkOf(await fixture.MailAsync(second, "Confirm your email"));

        // Another business's portal does not take the link.
        var other = await App.SignUpBusinessAsync("emailother");
        var elsewhere = await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/confirm-email?name={other.Slug}", new { token = TokenOf(firstLink) });
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.True((await elsewhere.JsonAsync()).GetProperty("errors").TryGetProperty("token", out _));

        // The second link used: the first one no longer matches the account and changes nothing.
        Assert.Equal(HttpStatusCode.OK, (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/confirm-email?name={biz.Slug}", new { token = TokenOf(secondLink) })).StatusCode);
        var dead = await App.NewClient().PageAsync(firstLink);
        Assert.NotNull(dead.One("#link-dead"));
        Assert.Null(dead.One("main form"));
        var refused = await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/confirm-email?name={biz.Slug}", new { token = TokenOf(firstLink) });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.JsonAsync()).GetProperty("errors").TryGetProperty("token", out _));
        Assert.Equal(second, await EmailOfAsync(device, biz.Slug));

        // A forged token is dead too.
        Assert.NotNull((await App.NewClient().PageAsync($"/ol/account/email/confirm?name={biz.Slug}&token=forged")).One("#link-dead"));
        Assert.Equal(second, (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("email").GetString());
        Assert.NotEqual(old, second);
    }
}
