using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Replacing a verified mobile from the portal needs proof of the current one (decision 237): the current password
/// (a client with one), or a code texted first to the current mobile (<c>POST /api/v1/portal/me/mobile/current-code</c>,
/// one without). A session alone sends nothing to the new number. Every code route takes only attempts made for its own
/// purpose: the others answer as unknown attempts.
/// </summary>
public sealed class MobileChangeProofTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    private static Task<HttpResponseMessage> StartAsync(HttpClient http, string slug, string mobile, string? currentPassword = null, string? currentMobileAttemptId = null,
        string? currentMobileCode = null) =>
        http.PostAsJsonAsync($"/api/v1/portal/me/mobile/start?name={slug}", new { mobile, currentPassword, currentMobileAttemptId, currentMobileCode });

    private static Task<HttpResponseMessage> CurrentCodeAsync(HttpClient http, string slug) =>
        http.PostAsync($"/api/v1/portal/me/mobile/current-code?name={slug}", null);

    private static async Task<string> AttemptOf(HttpResponseMessage answer) =>
        (await answer.JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;

    /// <summary>A client staff added with <paramref name="mobile"/> and no email (so no password), signed in by phone: one text so far.</summary>
    private async Task<HttpClient> PhoneClientAsync(TestBusiness biz, string mobile)
    {
        Assert.Equal(HttpStatusCode.Created, (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pia", lastName = "Phone", email = (string?)null, mobile })).StatusCode);
        var http = fixture.NewClient();
        var attempt = await AttemptOf(await http.StartAsync(biz.Slug, mobile));
        Assert.Equal("signed-in", (await (await http.VerifyAsync(biz.Slug, attempt, await http.CodeSentToAsync(mobile))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("outcome").GetString());
        return http;
    }

    private static async Task<int> TextsAsync(HttpClient http, string mobile) =>
        (await http.DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(mobile)}")).GetArrayLength();

    private static async Task AssertFieldAsync(HttpResponseMessage answer, string field, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal(message, (await answer.JsonAsync()).GetProperty("errors").GetProperty(field)[0].GetString());
    }

    private async Task<string?> MobileOnFileAsync(TestBusiness biz) =>
        await Sql.AdminScalarAsync<string>(App.Database.Database,
            "select mobile from portalauth.clients where tenant_id = @t and mobile_verified", ("t", biz.Id));

    [Fact]
    public async Task A_phone_client_replaces_their_verified_mobile_only_with_a_code_texted_first_to_it()
    {
        var biz = await App.SignUpBusinessAsync();
        var (old, fresh) = (PortalAuthHelpers.NewMobile(), PortalAuthHelpers.NewMobile());
        var http = await PhoneClientAsync(biz, old);
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));

        // The session alone: refused, naming what is missing; nothing goes to the new number.
        await AssertFieldAsync(await StartAsync(http, biz.Slug, fresh), "currentMobileAttemptId",
            "To change a verified mobile, ask for a code to it first (POST /api/v1/portal/me/mobile/current-code), then give it with its attempt id.");
        Assert.Equal(0, await TextsAsync(http, fresh));

        // The code to the current mobile, saying what it is for.
        var current = await AttemptOf(await CurrentCodeAsync(http, biz.Slug));
        var texts = await http.TextsToAsync(old, 2);
        Assert.StartsWith($"{texts[0][..6]} is your code to change the mobile number on your account with Business {biz.Slug} from this one to another.",
            texts[0], StringComparison.Ordinal);
        var code = texts[0][..6];
        await AssertFieldAsync(await StartAsync(http, biz.Slug, fresh, currentMobileAttemptId: current), "currentMobileCode", "Enter the code we texted to your current mobile.");
        Assert.Equal("invalid-code", await (await StartAsync(http, biz.Slug, fresh, currentMobileAttemptId: current, currentMobileCode: PortalAuthHelpers.WrongCode(code))).KindAsync());
        Assert.Equal(0, await TextsAsync(http, fresh));

        // A sign-in code to the current mobile (whoever holds the phone's texts) is no proof for this.
        var other = fixture.NewClient();
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var signIn = await AttemptOf(await other.StartAsync(biz.Slug, old));
        Assert.Equal("attempt-expired", await (await StartAsync(http, biz.Slug, fresh, currentMobileAttemptId: signIn,
            currentMobileCode: await http.CodeSentToAsync(old, 3))).KindAsync());

        // The right code: now the new number gets its code, and only its code puts it on the account.
        var proof = await AttemptOf(await StartAsync(http, biz.Slug, fresh, currentMobileAttemptId: current, currentMobileCode: code));
        Assert.Equal(old, await MobileOnFileAsync(biz));
        var verified = await http.VerifyProofAsync(biz.Slug, proof, await http.CodeSentToAsync(fresh));
        Assert.Equal(fresh, (await verified.JsonAsync(HttpStatusCode.OK)).GetProperty("mobile").GetString());
        Assert.Equal(fresh, await MobileOnFileAsync(biz));

        // The current mobile's code worked once.
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("attempt-expired", await (await StartAsync(http, biz.Slug, PortalAuthHelpers.NewMobile(), currentMobileAttemptId: current, currentMobileCode: code)).KindAsync());
    }

    [Fact]
    public async Task A_client_with_a_password_replaces_their_verified_mobile_only_with_it()
    {
        var biz = await App.SignUpBusinessAsync();
        var (first, second) = (PortalAuthHelpers.NewMobile(), PortalAuthHelpers.NewMobile());
        var http = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await http.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);

        // A first mobile needs the session only.
        var attempt = await AttemptOf(await StartAsync(http, biz.Slug, first));
        Assert.Equal(HttpStatusCode.OK, (await http.VerifyProofAsync(biz.Slug, attempt, await http.CodeSentToAsync(first))).StatusCode);

        // Replacing it: the password, not a code (the client has a password).
        await AssertFieldAsync(await StartAsync(http, biz.Slug, second), "currentPassword", "Enter your current password.");
        await AssertFieldAsync(await StartAsync(http, biz.Slug, second, currentPassword: "not-the-password"), "currentPassword", "Your current password is not right.");
        var noCode = await CurrentCodeAsync(http, biz.Slug);
        Assert.Equal(HttpStatusCode.Forbidden, noCode.StatusCode);
        Assert.Equal(0, await TextsAsync(http, second));
        Assert.Equal(1, await TextsAsync(http, first));

        attempt = await AttemptOf(await StartAsync(http, biz.Slug, second, currentPassword: PortalAuthHelpers.Password));
        Assert.Equal(HttpStatusCode.OK, (await http.VerifyProofAsync(biz.Slug, attempt, await http.CodeSentToAsync(second))).StatusCode);
        Assert.Equal(second, await MobileOnFileAsync(biz));
    }

    [Fact]
    public async Task Proving_one_mobile_ends_the_clients_other_proofs_under_way_so_none_replaces_it_without_proof()
    {
        var biz = await App.SignUpBusinessAsync();
        var (mine, stranger) = (PortalAuthHelpers.NewMobile(), PortalAuthHelpers.NewMobile());
        var http = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await http.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);

        // Both asked for while the account has no verified mobile (no proof needed then).
        var other = await AttemptOf(await StartAsync(http, biz.Slug, stranger));
        var own = await AttemptOf(await StartAsync(http, biz.Slug, mine));
        Assert.Equal(HttpStatusCode.OK, (await http.VerifyProofAsync(biz.Slug, own, await http.CodeSentToAsync(mine))).StatusCode);

        // The other one would now replace a verified mobile with the session alone: it is gone.
        Assert.Equal("attempt-expired", await (await http.VerifyProofAsync(biz.Slug, other, await http.CodeSentToAsync(stranger))).KindAsync());
        Assert.Equal(mine, await MobileOnFileAsync(biz));
    }

    [Fact]
    public async Task The_mobile_proof_routes_take_only_the_clients_own_mobile_proof_attempts()
    {
        var biz = await App.SignUpBusinessAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        var http = await PhoneClientAsync(biz, mobile);

        // The email step's code (texted to the verified mobile): not a mobile proof, to resend or to verify.
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var emailStep = await AttemptOf(await http.PostAsync($"/api/v1/portal/me/email/code?name={biz.Slug}", null));
        var emailCode = await http.CodeSentToAsync(mobile, 2);
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var resent = await http.ResendProofAsync(biz.Slug, emailStep);
        Assert.Equal(HttpStatusCode.Gone, resent.StatusCode);
        Assert.Equal("attempt-expired", await resent.KindAsync());
        Assert.Equal(2, await TextsAsync(http, mobile)); // nothing sent
        Assert.Equal("attempt-expired", await (await http.VerifyProofAsync(biz.Slug, emailStep, emailCode)).KindAsync());

        // The current mobile's code: neither.
        var current = await AttemptOf(await CurrentCodeAsync(http, biz.Slug));
        var currentCode = await http.CodeSentToAsync(mobile, 3);
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("attempt-expired", await (await http.ResendProofAsync(biz.Slug, current)).KindAsync());
        Assert.Equal("attempt-expired", await (await http.VerifyProofAsync(biz.Slug, current, currentCode)).KindAsync());
        Assert.Equal(3, await TextsAsync(http, mobile));

        // Neither was counted as a wrong code: both still do their own step.
        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(email, (await (await http.PostAsJsonAsync($"/api/v1/portal/me/email/start?name={biz.Slug}", new { email, attemptId = emailStep, code = emailCode }))
            .JsonAsync(HttpStatusCode.Accepted)).GetProperty("sentTo").GetString());
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "select coalesce(sum(wrong_codes), 0) from portalauth.sign_in_attempts where tenant_id = @t", ("t", biz.Id)));
        Assert.Equal(HttpStatusCode.Accepted, (await StartAsync(http, biz.Slug, PortalAuthHelpers.NewMobile(), currentMobileAttemptId: current, currentMobileCode: currentCode)).StatusCode);
    }
}
