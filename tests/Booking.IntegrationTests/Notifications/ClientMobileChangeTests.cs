using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Staff change or remove a client's mobile (<c>PUT /api/v1/admin/clients/{id}</c>, which the staff client page sends
/// too): in the same transaction the client's portal sessions end and the codes in flight for the old number stop
/// working; the old number is texted and the client's email told (kind <c>client-mobile-changed</c>), both showing the
/// new number's last three digits only. The same number typed another way is no change; another business's client with
/// the same number is untouched. The whole app with the real handlers, the development SMS sink and a real SMTP server.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class ClientMobileChangeTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Kind = "client-mobile-changed";

    private NotificationsTestApp App => fixture.App;

    /// <summary>The texts to <paramref name="mobile"/>, newest first, once there are at least <paramref name="atLeast"/>.</summary>
    private Task<List<string>> TextsAsync(string mobile, int atLeast) => App.NewClient().TextsToAsync(mobile, atLeast);

    /// <summary>The notices the business's outbox holds and the emails written for them: both nothing when none is due.</summary>
    private Task<(long Events, long Messages)> NoticesAsync(TestBusiness biz) => App.NoticesAsync(biz, "ClientMobileChanged", Kind);

    /// <summary>+614xxxxxxxx as an Australian would type it: 04xx xxx xxx.</summary>
    private static string National(string e164) => $"0{e164[3..6]} {e164[6..9]} {e164[9..]}";

    /// <summary>
    /// A registered client signed in by email on a device of theirs, to whom staff then gave a mobile (verified: staff
    /// vouch for it; a first mobile tells nobody and keeps the session).
    /// </summary>
    private async Task<(string Id, string Email, string Mobile, HttpClient Device)> ClientWithMobileAsync(TestBusiness biz, string? mobile = null)
    {
        var (id, email, device) = await App.SignedInClientAsync(biz);
        mobile ??= PortalAuthHelpers.NewMobile();
        var view = await (await biz.ChangeClientAsync(id, email, mobile)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(mobile, view.GetProperty("mobile").GetString());
        Assert.Equal(HttpStatusCode.OK, (await device.MeAsync(biz.Slug)).StatusCode);
        return (id, email, mobile, device);
    }

    /// <summary>A phone sign-in started on <paramref name="mobile"/> and its code, not yet given.</summary>
    private async Task<(HttpClient Http, string AttemptId, string Code)> PendingCodeAsync(TestBusiness biz, string mobile, int textsSoFar = 0)
    {
        var http = App.NewClient();
        var started = await http.StartAsync(biz.Slug, mobile);
        var attemptId = (await started.JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        return (http, attemptId, await http.CodeSentToAsync(mobile, textsSoFar + 1));
    }

    [Fact]
    public async Task Staff_changing_a_clients_mobile_ends_their_sessions_refuses_the_old_code_and_tells_the_old_number_and_the_email()
    {
        var biz = await App.SignUpBusinessAsync("mobilemoved");
        var (id, email, old, device) = await ClientWithMobileAsync(biz);
        Assert.Equal((0, 0), await NoticesAsync(biz)); // a first mobile tells nobody
        var (http, attemptId, code) = await PendingCodeAsync(biz, old);

        var moved = PortalAuthHelpers.NewMobile();
        Assert.Equal(moved, (await (await biz.ChangeClientAsync(id, email, moved)).JsonAsync(HttpStatusCode.OK)).GetProperty("mobile").GetString());

        Assert.Equal(HttpStatusCode.Unauthorized, (await device.MeAsync(biz.Slug)).StatusCode);
        var refused = await http.VerifyAsync(biz.Slug, attemptId, code);
        Assert.Equal(HttpStatusCode.Gone, refused.StatusCode);
        Assert.Equal("attempt-expired", await refused.KindAsync());

        // The code, then the notice (newest first).
        var text = (await TextsAsync(old, 2))[0];
        Assert.StartsWith($"Business {biz.Slug} changed the mobile number on your client account from this one to a number ending in {moved[^3..]}, "
            + $"and signed you out. If you didn't ask for this, contact Business {biz.Slug}", text, StringComparison.Ordinal);
        Assert.DoesNotContain(moved[3..^3], text, StringComparison.Ordinal);

        var notice = await fixture.MailAsync(email, $"The mobile number on your Business {biz.Slug} account was changed");
        Assert.Contains("Hi Emma", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Business {biz.Slug} changed the mobile number on your client portal account to a number ending in {moved[^3..]}.",
            notice.TextBody, StringComparison.Ordinal);
        Assert.Contains("you have been signed out", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains($"If you didn't ask for this, contact Business {biz.Slug}", notice.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(moved[3..^3], notice.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(moved[3..^3], notice.HtmlBody, StringComparison.Ordinal);
        Assert.Equal((1, 1), await NoticesAsync(biz));
        Assert.Equal(0, (await App.NewClient().DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(moved)}")).GetArrayLength()); // nothing to the new number

        // The client signs in again with their password.
        Assert.Equal(HttpStatusCode.OK, (await App.NewClient().SignInAsync(biz.Slug, email)).StatusCode);
    }

    [Fact]
    public async Task Staff_removing_a_clients_mobile_ends_their_phone_session_and_tells_the_old_number_and_the_email()
    {
        var biz = await App.SignUpBusinessAsync("mobilegone");
        var (id, email, old, _) = await ClientWithMobileAsync(biz);
        var (phone, attemptId, code) = await PendingCodeAsync(biz, old);
        Assert.Equal("signed-in", (await (await phone.VerifyAsync(biz.Slug, attemptId, code)).JsonAsync(HttpStatusCode.OK)).GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.OK, (await phone.MeAsync(biz.Slug)).StatusCode);

        var view = await (await biz.ChangeClientAsync(id, email, null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("mobile").ValueKind);

        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.MeAsync(biz.Slug)).StatusCode);
        Assert.StartsWith($"Business {biz.Slug} removed this mobile number from your client account, and signed you out. If you didn't ask for this, contact Business {biz.Slug}",
            (await TextsAsync(old, 2))[0], StringComparison.Ordinal);
        var notice = await fixture.MailAsync(email, $"The mobile number on your Business {biz.Slug} account was removed");
        Assert.Contains($"Business {biz.Slug} removed the mobile number from your client portal account, so it no longer signs you in. You have been signed out",
            notice.TextBody, StringComparison.Ordinal);
        Assert.Equal((1, 1), await NoticesAsync(biz));
    }

    [Fact]
    public async Task The_same_number_typed_another_way_sends_nothing_and_keeps_the_sessions_and_codes()
    {
        var biz = await App.SignUpBusinessAsync("mobilekept");
        var (id, email, mobile, device) = await ClientWithMobileAsync(biz);
        var (phone, attemptId, code) = await PendingCodeAsync(biz, mobile);

        var view = await (await biz.ChangeClientAsync(id, email, National(mobile), first: "Emmy")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(mobile, view.GetProperty("mobile").GetString());
        Assert.Equal("Emmy", view.GetProperty("firstName").GetString());

        Assert.Equal(HttpStatusCode.OK, (await device.MeAsync(biz.Slug)).StatusCode);
        Assert.Equal("signed-in", (await (await phone.VerifyAsync(biz.Slug, attemptId, code)).JsonAsync(HttpStatusCode.OK)).GetProperty("outcome").GetString());
        Assert.Equal((0, 0), await NoticesAsync(biz));
        Assert.Single(await TextsAsync(mobile, 1)); // the code only
    }

    [Fact]
    public async Task Another_businesss_client_with_the_same_number_keeps_their_session_and_code()
    {
        var mine = await App.SignUpBusinessAsync("mobilemine");
        var theirs = await App.SignUpBusinessAsync("mobiletheirs");
        var (id, email, shared, _) = await ClientWithMobileAsync(mine);
        var (_, _, _, theirDevice) = await ClientWithMobileAsync(theirs, shared);
        var (theirPhone, attemptId, code) = await PendingCodeAsync(theirs, shared);

        Assert.Equal(HttpStatusCode.OK, (await mine.ChangeClientAsync(id, email, PortalAuthHelpers.NewMobile())).StatusCode);
        await Eventually.ReturnsAsync(() => Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from portalauth.outbox_messages where type like '%ClientMobileChanged%' and tenant_id = @t and dispatched_at is not null",
            ("t", mine.Id)), n => n == 1, what: "the change's delivery");
        // The code only: the number never had a code from the business that changed it, so it is not texted (decision 304).
        Assert.Single(await TextsAsync(shared, 1));

        Assert.Equal(HttpStatusCode.OK, (await theirDevice.MeAsync(theirs.Slug)).StatusCode);
        Assert.Equal("signed-in", (await (await theirPhone.VerifyAsync(theirs.Slug, attemptId, code)).JsonAsync(HttpStatusCode.OK)).GetProperty("outcome").GetString());
        Assert.Equal((0, 0), await NoticesAsync(theirs));
        Assert.Equal(shared, await Sql.AdminScalarAsync<string>(App.Database.Database,
            "select mobile from portalauth.clients where tenant_id = @t", ("t", theirs.Id)));
    }

    /// <summary>
    /// Decision 304: a number staff typed and nobody ever used (no code sent to it, no sign-in with it) is not texted
    /// when staff remove it: the text warns of a takeover, and its holder never had the account. Once a sign-in code went
    /// to a staff-typed number, removing it is texted as before.
    /// </summary>
    [Fact]
    public async Task Removing_a_staff_typed_number_nobody_ever_used_texts_nobody_but_one_that_had_a_code_is_texted()
    {
        var biz = await App.SignUpBusinessAsync("mobileunused");
        var (unusedId, unusedEmail, unused, _) = await ClientWithMobileAsync(biz);
        Assert.Equal(HttpStatusCode.OK, (await biz.ChangeClientAsync(unusedId, unusedEmail, null)).StatusCode);
        await fixture.MailAsync(unusedEmail, $"The mobile number on your Business {biz.Slug} account was removed"); // the email still goes
        await Eventually.ReturnsAsync(() => Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from portalauth.outbox_messages where type like '%ClientMobileChanged%' and tenant_id = @t and dispatched_at is not null",
            ("t", biz.Id)), n => n == 1, what: "the first removal's delivery");

        var (usedId, usedEmail, used, _) = await ClientWithMobileAsync(biz);
        var (phone, attemptId, code) = await PendingCodeAsync(biz, used);
        Assert.Equal("signed-in", (await (await phone.VerifyAsync(biz.Slug, attemptId, code)).JsonAsync(HttpStatusCode.OK)).GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.OK, (await biz.ChangeClientAsync(usedId, usedEmail, null)).StatusCode);
        Assert.StartsWith($"Business {biz.Slug} removed this mobile number from your client account",
            (await TextsAsync(used, 2))[0], StringComparison.Ordinal);

        // Delivered in order after the first: had the unused number been texted, it would be there by now.
        Assert.Equal(0, (await App.NewClient().DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(unused)}")).GetArrayLength());
    }

    /// <summary>
    /// Decision 348: the client replaces their own verified mobile (Your details: the password, then a code to the new
    /// number). A sign-in factor changed, so the old number (proven theirs: they proved it with a code) and the email on
    /// file are told, in words that say it was done from their account, not by the business; once, through the outbox;
    /// nothing goes to the new number but its code.
    /// </summary>
    [Fact]
    public async Task A_client_replacing_their_own_proven_mobile_tells_the_old_number_and_the_email_in_their_own_words()
    {
        var biz = await App.SignUpBusinessAsync("ownmobile");
        var (_, email, device) = await App.SignedInClientAsync(biz);
        var (old, fresh) = (PortalAuthHelpers.NewMobile(), PortalAuthHelpers.NewMobile());
        var first = (await (await device.StartProofAsync(biz.Slug, old)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await device.VerifyProofAsync(biz.Slug, first, await device.CodeSentToAsync(old))).StatusCode);
        Assert.Equal((0, 0), await NoticesAsync(biz)); // a first mobile tells nobody

        var started = await device.PostAsJsonAsync($"/api/v1/portal/me/mobile/start?name={biz.Slug}",
            new { mobile = fresh, currentPassword = PortalAuthHelpers.Password });
        var attempt = (await started.JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        Assert.Equal(fresh, (await (await device.VerifyProofAsync(biz.Slug, attempt, await device.CodeSentToAsync(fresh))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("mobile").GetString());

        // The old number: its code, then the notice (newest first).
        var text = (await TextsAsync(old, 2))[0];
        Assert.StartsWith($"The mobile number on your client account with Business {biz.Slug} was changed from this one to a number ending in {fresh[^3..]}, "
            + $"from your signed-in account. This number no longer signs you in. If this wasn't you, contact Business {biz.Slug}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("changed the mobile number", text, StringComparison.Ordinal);
        Assert.DoesNotContain(fresh[3..^3], text, StringComparison.Ordinal);

        var notice = await fixture.MailAsync(email, $"The mobile number on your Business {biz.Slug} account was changed");
        Assert.Contains("Hi Emma", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains($"The mobile number on your Business {biz.Slug} client portal account was changed to a number ending in {fresh[^3..]}. "
            + "It was changed from your signed-in account, and the new number was confirmed with a code sent to it by SMS.", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains($"If you didn't do this, someone else may be using your account: contact Business {biz.Slug}", notice.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain($"Business {biz.Slug} changed", notice.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(fresh[3..^3], notice.TextBody, StringComparison.Ordinal);
        Assert.Equal((1, 1), await NoticesAsync(biz));
        Assert.Single(await TextsAsync(fresh, 1)); // the new number: its code only
        Assert.Equal(HttpStatusCode.OK, (await device.MeAsync(biz.Slug)).StatusCode); // the session the change was made from stays
    }

    /// <summary>
    /// Decision 348 with decision 304: a number staff typed and nobody ever used may be a stranger's, so when the client
    /// replaces it themselves only their email is told; a client with no email and such a number is told nothing.
    /// </summary>
    [Fact]
    public async Task A_client_replacing_a_staff_typed_number_nobody_used_tells_only_the_email()
    {
        var biz = await App.SignUpBusinessAsync("ownunused");
        var (_, email, unused, device) = await ClientWithMobileAsync(biz);
        var fresh = PortalAuthHelpers.NewMobile();
        var started = await device.PostAsJsonAsync($"/api/v1/portal/me/mobile/start?name={biz.Slug}",
            new { mobile = fresh, currentPassword = PortalAuthHelpers.Password });
        var attempt = (await started.JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await device.VerifyProofAsync(biz.Slug, attempt, await device.CodeSentToAsync(fresh))).StatusCode);

        await fixture.MailAsync(email, $"The mobile number on your Business {biz.Slug} account was changed");
        var changed = JsonSerializer.Deserialize<Booking.PortalAuth.Contracts.ClientMobileChanged>(
            (await Sql.AdminScalarAsync<string>(App.Database.Database,
                "select payload::text from portalauth.outbox_messages where type like '%ClientMobileChanged%' and tenant_id = @t", ("t", biz.Id)))!,
            Booking.BuildingBlocks.Outbox.OutboxMessage.Json)!;
        Assert.True(changed.ByClient);
        Assert.False(changed.OldMobileProven);
        await EventJobs.ConsumedAsync(App, changed.EventId, "the change's delivery"); // the text's handler included
        Assert.Equal(0, (await App.NewClient().DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(unused)}")).GetArrayLength());
        Assert.Equal((1, 1), await NoticesAsync(biz));
    }
}
