using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// A client without a password (one who joined by phone) adds or changes their email only with a fresh code texted to
/// their verified mobile for that step (<c>POST /api/v1/portal/me/email/code</c>), given with the address to
/// <c>POST /api/v1/portal/me/email/start</c>: a session alone (a phone left signed in) cannot attach someone else's
/// email. A sign-in code, a mobile-proving code, a used or a 10-minute-old code does not do.
/// </summary>
public sealed class EmailChangeCodeTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private static Task<HttpResponseMessage> StartEmailAsync(HttpClient http, string slug, string email, string? attemptId = null, string? code = null) =>
        http.PostAsJsonAsync($"/api/v1/portal/me/email/start?name={slug}", new { email, attemptId, code });

    private static async Task<string> EmailCodeAttemptAsync(HttpClient http, string slug) =>
        (await (await http.PostAsync($"/api/v1/portal/me/email/code?name={slug}", null)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;

    /// <summary>
    /// A client staff added with <paramref name="mobile"/> and no email (so no password), signed in by phone in
    /// <paramref name="http"/>: the first text to the mobile is that sign-in's code.
    /// </summary>
    private static async Task PhoneClientAsync(TestBusiness biz, HttpClient http, string mobile)
    {
        Assert.Equal(HttpStatusCode.Created, (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pia", lastName = "Phone", email = (string?)null, mobile })).StatusCode);
        var attempt = (await (await http.StartAsync(biz.Slug, mobile)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        Assert.Equal("signed-in", (await (await http.VerifyAsync(biz.Slug, attempt, await http.CodeSentToAsync(mobile))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("outcome").GetString());
    }

    /// <summary>The email-change links PortalAuth asked Notifications to send (its outbox).</summary>
    private async Task<long> LinksAskedAsync(Guid tenantId) =>
        await Sql.AdminScalarAsync<long>(fixture.App.Database.Database,
            "select count(*) from portalauth.outbox_messages where tenant_id = @t and type like '%.ClientEmailChangeRequested,%'", ("t", tenantId));

    private static async Task AssertFieldAsync(HttpResponseMessage answer, string field, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal(message, (await answer.JsonAsync()).GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task A_phone_client_adds_an_email_only_with_a_fresh_code_texted_to_their_verified_mobile_for_that_step()
    {
        var biz = await fixture.App.SignUpBusinessAsync("emailcode");
        var mobile = PortalAuthHelpers.NewMobile();
        var http = fixture.NewClient();
        await PhoneClientAsync(biz, http, mobile);
        var email = PortalAuthHelpers.NewEmail();

        // The session alone: refused, naming what is missing; nothing is asked of Notifications.
        await AssertFieldAsync(await StartEmailAsync(http, biz.Slug, email), "attemptId",
            "Ask for a code to your mobile first (POST /api/v1/portal/me/email/code), then give it with its attempt id.");

        // A sign-in code for the same mobile (someone holding the phone's texts signs in elsewhere) is no code for this.
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var other = fixture.NewClient();
        var signIn = (await (await other.StartAsync(biz.Slug, mobile)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        Assert.Equal("attempt-expired", await (await StartEmailAsync(http, biz.Slug, email, signIn, await http.CodeSentToAsync(mobile, 2))).KindAsync());

        // Nor is the code that proves the current mobile before a change of it, nor a code proving another mobile for the
        // same client: an attempt made for another purpose is an unknown one here (decision 237).
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var current = (await (await http.PostAsync($"/api/v1/portal/me/mobile/current-code?name={biz.Slug}", null)).JsonAsync(HttpStatusCode.Accepted))
            .GetProperty("attemptId").GetString()!;
        var currentCode = await http.CodeSentToAsync(mobile, 3);
        Assert.Equal("attempt-expired", await (await StartEmailAsync(http, biz.Slug, email, current, currentCode)).KindAsync());
        var second = PortalAuthHelpers.NewMobile();
        var proof = (await (await http.PostAsJsonAsync($"/api/v1/portal/me/mobile/start?name={biz.Slug}",
            new { mobile = second, currentMobileAttemptId = current, currentMobileCode = currentCode })).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        Assert.Equal("attempt-expired", await (await StartEmailAsync(http, biz.Slug, email, proof, await http.CodeSentToAsync(second))).KindAsync());

        // The step's own code, texted to the verified mobile and saying what it is for.
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var attempt = await EmailCodeAttemptAsync(http, biz.Slug);
        var texts = await http.TextsToAsync(mobile, 4);
        Assert.StartsWith($"{texts[0][..6]} is your code to add or change the email address on your account with Business {biz.Slug}. It expires in 10 minutes.",
            texts[0], StringComparison.Ordinal);
        var code = texts[0][..6];
        Assert.Equal("invalid-code", await (await StartEmailAsync(http, biz.Slug, email, attempt, PortalAuthHelpers.WrongCode(code))).KindAsync());
        await AssertFieldAsync(await StartEmailAsync(http, biz.Slug, email, attempt, code[..5] + "x"), "code", "The code is 6 digits.");

        // Not fresh: the code is older than its 10 minutes.
        fixture.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        Assert.Equal("attempt-expired", await (await StartEmailAsync(http, biz.Slug, email, attempt, code)).KindAsync());
        Assert.Equal(0L, await LinksAskedAsync(biz.Id));

        // A fresh one (typed in full-width digits, as a phone keyboard may): the link goes out, and the code is used up.
        attempt = await EmailCodeAttemptAsync(http, biz.Slug);
        code = await http.CodeSentToAsync(mobile, 5);
        var fullWidth = string.Concat(code.Select(c => (char)(0xFF10 + (c - '0'))));
        Assert.Equal(email, (await (await StartEmailAsync(http, biz.Slug, email, attempt, fullWidth)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("sentTo").GetString());
        Assert.Equal(1L, await LinksAskedAsync(biz.Id));
        Assert.Equal("attempt-expired", await (await StartEmailAsync(http, biz.Slug, PortalAuthHelpers.NewEmail(), attempt, code)).KindAsync());
        Assert.Equal(1L, await LinksAskedAsync(biz.Id));
    }

    [Fact]
    public async Task A_code_is_used_only_when_the_link_goes_and_a_client_with_a_password_is_texted_no_code()
    {
        var biz = await fixture.App.SignUpBusinessAsync("emailcode");
        var mobile = PortalAuthHelpers.NewMobile();
        var http = fixture.NewClient();
        await PhoneClientAsync(biz, http, mobile);

        // An address registration would refuse: refused, and the same code then works with another address.
        var taken = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(biz.Slug, taken)).StatusCode);
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var attempt = await EmailCodeAttemptAsync(http, biz.Slug);
        var code = await http.CodeSentToAsync(mobile, 2);
        await AssertFieldAsync(await StartEmailAsync(http, biz.Slug, taken, attempt, code), "email", "This email address is already registered; use a different one.");
        Assert.Equal(HttpStatusCode.Accepted, (await StartEmailAsync(http, biz.Slug, PortalAuthHelpers.NewEmail(), attempt, code)).StatusCode);

        // Another client's code is no code for this client.
        var otherMobile = PortalAuthHelpers.NewMobile();
        var other = fixture.NewClient();
        await PhoneClientAsync(biz, other, otherMobile);
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var theirs = await EmailCodeAttemptAsync(other, biz.Slug);
        Assert.Equal("attempt-expired", await (await StartEmailAsync(http, biz.Slug, PortalAuthHelpers.NewEmail(), theirs, await other.CodeSentToAsync(otherMobile, 2))).KindAsync());

        // A client with a password gives it instead: no code is texted.
        var emailClient = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await emailClient.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);
        Assert.Equal("forbidden", await (await emailClient.PostAsync($"/api/v1/portal/me/email/code?name={biz.Slug}", null)).KindAsync());
    }
}
