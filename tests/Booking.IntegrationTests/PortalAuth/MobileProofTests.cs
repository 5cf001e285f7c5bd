using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.PortalAuth.Domain;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// A signed-in client proves a mobile from the portal (<c>/api/v1/portal/me/mobile/start</c>, <c>…/verify</c>): phone
/// sign-in's codes, limits and SMS adapter; attempts bound to their kind and their client; another client's verified
/// number refused only after its code; another client's unverified claim taken over, and that client told.
/// </summary>
public sealed class MobileProofTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    /// <summary>A client registered by email (optionally claiming a mobile), signed in on the returned client; and their id.</summary>
    private async Task<(HttpClient Http, string Id, string Email)> RegisteredAsync(string slug, string? mobile = null, string first = "Robin")
    {
        var http = fixture.NewClient();
        var email = PortalAuthHelpers.NewEmail();
        var registered = await http.RegisterAsync(slug, email, mobile: mobile, first: first);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return (http, (await registered.JsonAsync()).GetProperty("id").GetString()!, email);
    }

    private static async Task<string> StartedAsync(HttpClient http, string slug, string mobile)
    {
        var started = await http.StartProofAsync(slug, mobile);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var body = await started.JsonAsync();
        Assert.Equal(30, body.GetProperty("resendAfterSeconds").GetInt32());
        return body.GetProperty("attemptId").GetString()!;
    }

    private Task<long> ClaimRemovedEventsAsync(string clientId) =>
        Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from portalauth.outbox_messages where type like '%MobileClaimRemoved%' and payload->>'clientId' = @c", ("c", clientId));

    [Fact]
    public async Task An_email_client_proves_their_mobile_and_phone_sign_in_then_opens_their_account()
    {
        var biz = await App.SignUpBusinessAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        var (http, id, _) = await RegisteredAsync(biz.Slug);
        Assert.False((await (await http.MeAsync(biz.Slug)).JsonAsync()).GetProperty("mobileVerified").GetBoolean());

        // Typed as the client would, in the business's country's own format.
        var attempt = await StartedAsync(http, biz.Slug, "0" + mobile[3..]);
        var code = await http.CodeSentToAsync(mobile);
        var texts = await http.DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(mobile)}");
        Assert.Contains("verify your mobile", texts[0].GetProperty("body").GetString(), StringComparison.Ordinal);
        var verified = await http.VerifyProofAsync(biz.Slug, attempt, code);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var answer = await verified.JsonAsync();
        Assert.Equal(id, answer.GetProperty("id").GetString());
        Assert.Equal(mobile, answer.GetProperty("mobile").GetString());
        Assert.True(answer.GetProperty("mobileVerified").GetBoolean());
        var me = await (await http.MeAsync(biz.Slug)).JsonAsync();
        Assert.Equal(mobile, me.GetProperty("mobile").GetString());
        Assert.True(me.GetProperty("mobileVerified").GetBoolean());

        // Phone sign-in now finds the number: straight into this account, not the new-client flow.
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var phone = fixture.NewClient();
        var signIn = (await (await phone.StartAsync(biz.Slug, mobile)).JsonAsync()).GetProperty("attemptId").GetString()!;
        var outcome = await phone.VerifyAsync(biz.Slug, signIn, await phone.CodeSentToAsync(mobile, 2));
        Assert.Equal("signed-in", (await outcome.JsonAsync()).GetProperty("outcome").GetString());
        Assert.Equal(id, (await (await phone.MeAsync(biz.Slug)).JsonAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Proving_the_mobile_that_is_already_your_verified_one_is_refused_and_sends_no_code()
    {
        var biz = await App.SignUpBusinessAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        var (http, _, _) = await RegisteredAsync(biz.Slug);
        var attempt = await StartedAsync(http, biz.Slug, mobile);
        Assert.Equal(HttpStatusCode.OK, (await http.VerifyProofAsync(biz.Slug, attempt, await http.CodeSentToAsync(mobile))).StatusCode);
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));

        // The same number, typed in the country's own format: nothing to prove.
        var again = await http.StartProofAsync(biz.Slug, "0" + mobile[3..]);

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("validation", await again.KindAsync());
        var errors = (await again.JsonAsync()).GetProperty("errors");
        Assert.Equal(["mobile"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains("already your verified mobile", errors.GetProperty("mobile")[0].GetString(), StringComparison.Ordinal);
        var texts = await http.DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(mobile)}");
        Assert.Equal(1, texts.GetArrayLength()); // only the first proof's code
        Assert.True((await (await http.MeAsync(biz.Slug)).JsonAsync()).GetProperty("mobileVerified").GetBoolean());
    }

    [Fact]
    public async Task A_wrong_code_says_how_many_tries_are_left_and_five_kill_the_attempt()
    {
        var biz = await App.SignUpBusinessAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        var (http, _, _) = await RegisteredAsync(biz.Slug);
        var attempt = await StartedAsync(http, biz.Slug, mobile);
        var code = await http.CodeSentToAsync(mobile);

        for (var left = 4; left >= 0; left--)
        {
            var wrong = await http.VerifyProofAsync(biz.Slug, attempt, PortalAuthHelpers.WrongCode(code));
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Equal("invalid-code", await wrong.KindAsync());
            Assert.Equal(left, (await wrong.JsonAsync()).GetProperty("attemptsLeft").GetInt32());
        }

        var dead = await http.VerifyProofAsync(biz.Slug, attempt, code);
        Assert.Equal(HttpStatusCode.Gone, dead.StatusCode);
        Assert.Equal("attempt-expired", await dead.KindAsync());
        Assert.Equal(JsonValueKind.Null, (await (await http.MeAsync(biz.Slug)).JsonAsync()).GetProperty("mobile").ValueKind);
    }

    [Fact]
    public async Task A_bad_number_is_a_validation_error_on_mobile_and_sends_nothing()
    {
        var biz = await App.SignUpBusinessAsync();
        var (http, _, _) = await RegisteredAsync(biz.Slug);
        var bad = await http.StartProofAsync(biz.Slug, "12");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["mobile"], (await bad.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from portalauth.sign_in_attempts where tenant_id = @t", ("t", biz.Id)));
    }

    [Fact]
    public async Task A_sign_in_attempt_cannot_prove_a_mobile_and_a_proof_attempt_cannot_sign_in()
    {
        var biz = await App.SignUpBusinessAsync();
        var (http, _, _) = await RegisteredAsync(biz.Slug);

        // A sign-in code, right, given to the proof route: as an unknown attempt.
        var signInMobile = PortalAuthHelpers.NewMobile();
        var signIn = (await (await http.StartAsync(biz.Slug, signInMobile)).JsonAsync()).GetProperty("attemptId").GetString()!;
        var signInCode = await http.CodeSentToAsync(signInMobile);
        var refused = await http.VerifyProofAsync(biz.Slug, signIn, signInCode);
        Assert.Equal(HttpStatusCode.Gone, refused.StatusCode);
        Assert.Equal("attempt-expired", await refused.KindAsync());
        Assert.Equal(HttpStatusCode.Gone, (await http.ResendProofAsync(biz.Slug, signIn)).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await (await http.MeAsync(biz.Slug)).JsonAsync()).GetProperty("mobile").ValueKind);

        // A proof code, right, given to phone sign-in (verify and resend): the same.
        var proofMobile = PortalAuthHelpers.NewMobile();
        var proof = await StartedAsync(http, biz.Slug, proofMobile);
        var proofCode = await http.CodeSentToAsync(proofMobile);
        var stranger = fixture.NewClient();
        var asSignIn = await stranger.VerifyAsync(biz.Slug, proof, proofCode);
        Assert.Equal(HttpStatusCode.Gone, asSignIn.StatusCode);
        Assert.Equal("attempt-expired", await asSignIn.KindAsync());
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.Gone, (await stranger.ResendAsync(biz.Slug, proof)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.MeAsync(biz.Slug)).StatusCode);

        // Neither try used up the attempts: each still works where it belongs.
        Assert.Equal(HttpStatusCode.OK, (await http.VerifyProofAsync(biz.Slug, proof, proofCode)).StatusCode);
        Assert.Equal("new-client", (await (await stranger.VerifyAsync(biz.Slug, signIn, signInCode)).JsonAsync()).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Another_clients_attempt_is_useless()
    {
        var biz = await App.SignUpBusinessAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        var (alice, _, _) = await RegisteredAsync(biz.Slug, first: "Alice");
        var (bob, _, _) = await RegisteredAsync(biz.Slug, first: "Bob");
        var attempt = await StartedAsync(alice, biz.Slug, mobile);
        var code = await alice.CodeSentToAsync(mobile);

        var stolen = await bob.VerifyProofAsync(biz.Slug, attempt, code);
        Assert.Equal(HttpStatusCode.Gone, stolen.StatusCode);
        Assert.Equal("attempt-expired", await stolen.KindAsync());
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.Gone, (await bob.ResendProofAsync(biz.Slug, attempt)).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await (await bob.MeAsync(biz.Slug)).JsonAsync()).GetProperty("mobile").ValueKind);

        Assert.Equal(HttpStatusCode.OK, (await alice.VerifyProofAsync(biz.Slug, attempt, code)).StatusCode);
    }

    [Fact]
    public async Task A_number_another_client_signs_in_with_is_refused_but_only_once_its_code_is_proven()
    {
        var biz = await App.SignUpBusinessAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        var holderId = await fixture.NewClient().JoinByPhoneAsync(biz.Slug, mobile);
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var (http, id, _) = await RegisteredAsync(biz.Slug);

        // Before the code nothing tells the number is anyone's: the same answer as for a number nobody has.
        var held = await http.StartProofAsync(biz.Slug, mobile);
        var free = await http.StartProofAsync(biz.Slug, PortalAuthHelpers.NewMobile());
        Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
        Assert.Equal(free.StatusCode, held.StatusCode);
        var heldBody = await held.JsonAsync();
        Assert.Equal((await free.JsonAsync()).EnumerateObject().Select(p => p.Name), heldBody.EnumerateObject().Select(p => p.Name));
        var attempt = heldBody.GetProperty("attemptId").GetString()!;
        var code = await http.CodeSentToAsync(mobile, 2);
        Assert.Equal("invalid-code", await (await http.VerifyProofAsync(biz.Slug, attempt, PortalAuthHelpers.WrongCode(code))).KindAsync());

        var refused = await http.VerifyProofAsync(biz.Slug, attempt, code);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("validation", await refused.KindAsync());
        Assert.Equal(["mobile"], (await refused.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name));

        // Nothing moved, nobody is emailed, and the code is used up.
        Assert.Equal(JsonValueKind.Null, (await (await http.MeAsync(biz.Slug)).JsonAsync()).GetProperty("mobile").ValueKind);
        Assert.True(await Sql.AdminScalarAsync<bool>(App.Database.Database,
            "select mobile_verified and mobile = @m from portalauth.clients where id = @id::uuid", ("m", mobile), ("id", holderId)));
        Assert.Equal(0L, await ClaimRemovedEventsAsync(holderId));
        Assert.Equal(HttpStatusCode.Gone, (await http.VerifyProofAsync(biz.Slug, attempt, code)).StatusCode);
        Assert.NotEqual(id, holderId);
    }

    [Fact]
    public async Task An_unverified_claim_is_taken_over_by_the_prover_and_the_claimant_is_told()
    {
        var biz = await App.SignUpBusinessAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        var (mallory, malloryId, malloryEmail) = await RegisteredAsync(biz.Slug, mobile: mobile, first: "Mallory");
        var (owner, ownerId, _) = await RegisteredAsync(biz.Slug, first: "Olive");

        var attempt = await StartedAsync(owner, biz.Slug, mobile);
        var verified = await owner.VerifyProofAsync(biz.Slug, attempt, await owner.CodeSentToAsync(mobile));
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal(mobile, (await verified.JsonAsync()).GetProperty("mobile").GetString());
        var malloryNow = await (await mallory.MeAsync(biz.Slug)).JsonAsync();
        Assert.Equal(JsonValueKind.Null, malloryNow.GetProperty("mobile").ValueKind);
        Assert.False(malloryNow.GetProperty("mobileVerified").GetBoolean());

        // Mallory is told, in the same save (the outbox), naming the number by its last three digits only.
        var payload = JsonDocument.Parse((await Sql.AdminScalarAsync<string>(App.Database.Database,
            "select payload::text from portalauth.outbox_messages where type like '%MobileClaimRemoved%' and payload->>'clientId' = @c", ("c", malloryId)))!).RootElement;
        Assert.Equal(malloryEmail, payload.GetProperty("email").GetString());
        Assert.Equal(mobile[^3..], payload.GetProperty("mobileEnding").GetString());
        Assert.DoesNotContain(mobile[3..], payload.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0L, await ClaimRemovedEventsAsync(ownerId));

        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var phone = fixture.NewClient();
        var signIn = (await (await phone.StartAsync(biz.Slug, mobile)).JsonAsync()).GetProperty("attemptId").GetString()!;
        Assert.Equal("signed-in", (await (await phone.VerifyAsync(biz.Slug, signIn, await phone.CodeSentToAsync(mobile, 2))).JsonAsync()).GetProperty("outcome").GetString());
        Assert.Equal(ownerId, (await (await phone.MeAsync(biz.Slug)).JsonAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_new_client_flow_taking_a_claim_over_tells_the_claimant_too()
    {
        var biz = await App.SignUpBusinessAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        var (_, malloryId, malloryEmail) = await RegisteredAsync(biz.Slug, mobile: mobile, first: "Mallory");
        await fixture.NewClient().JoinByPhoneAsync(biz.Slug, mobile, notThatAccount: true);

        var payload = JsonDocument.Parse((await Sql.AdminScalarAsync<string>(App.Database.Database,
            "select payload::text from portalauth.outbox_messages where type like '%MobileClaimRemoved%' and payload->>'clientId' = @c", ("c", malloryId)))!).RootElement;
        Assert.Equal(malloryEmail, payload.GetProperty("email").GetString());
        Assert.Equal("Mallory", payload.GetProperty("firstName").GetString());
    }

    [Fact]
    public async Task Phone_sign_ins_limits_apply()
    {
        var biz = await App.SignUpBusinessAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        var (http, _, _) = await RegisteredAsync(biz.Slug);
        var attempt = await StartedAsync(http, biz.Slug, mobile);

        // A second code to the phone inside 30 s, from either route or a resend: rate-limited.
        var again = await http.StartProofAsync(biz.Slug, mobile);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.Equal("rate-limited", await again.KindAsync());
        Assert.NotNull(again.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.ResendProofAsync(biz.Slug, attempt)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fixture.NewClient().StartAsync(biz.Slug, mobile)).StatusCode);

        // After 30 s a resend works: a new code on the same attempt; the old one stops working.
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var first = await http.CodeSentToAsync(mobile);
        Assert.Equal(HttpStatusCode.Accepted, (await http.ResendProofAsync(biz.Slug, attempt)).StatusCode);
        var second = await http.CodeSentToAsync(mobile, 2);
        if (first != second)
        {
            Assert.Equal("invalid-code", await (await http.VerifyProofAsync(biz.Slug, attempt, first)).KindAsync());
        }

        // A code lives 10 minutes.
        fixture.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(HttpStatusCode.Gone, (await http.VerifyProofAsync(biz.Slug, attempt, second)).StatusCode);
    }

    [Fact]
    public async Task Where_the_business_offers_no_phone_sign_in_no_code_is_sent()
    {
        var biz = await App.SignUpBusinessAsync();
        var (http, _, _) = await RegisteredAsync(biz.Slug);
        PortalAuthApp.Rules[biz.Id] = PortalRules.Default with { PhoneSignIn = false };
        try
        {
            var refused = await http.StartProofAsync(biz.Slug, PortalAuthHelpers.NewMobile());
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("forbidden", await refused.KindAsync());
        }
        finally
        {
            PortalAuthApp.Rules.TryRemove(biz.Id, out _);
        }
    }

    [Fact]
    public async Task Signed_out_no_route_answers()
    {
        var biz = await App.SignUpBusinessAsync();
        var anonymous = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.StartProofAsync(biz.Slug, PortalAuthHelpers.NewMobile())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.VerifyProofAsync(biz.Slug, Guid.NewGuid().ToString(), "123456")).StatusCode);
    }
}
