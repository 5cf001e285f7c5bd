using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Pre-registration hijacking (security review s32 #1): someone registers a victim's email without its mail, attaches a
/// mobile of their own, and waits. The victim's first password reset is a claim of the account by the email's owner
/// (decision 262): the mobile's verification the holder made, their open phone codes and their sessions go, and the
/// reset page says which mobile was taken off. Once the email is proven, a later reset changes nothing.
/// </summary>
public sealed class AccountClaimTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    /// <summary>Reset links already taken from the outbox in this test: a new request waits for a new one.</summary>
    private readonly HashSet<string> usedTokens = [];

    private BookingApp App => fixture.App;

    private async Task<string> ResetTokenAsync(string slug, string email)
    {
        var asked = await fixture.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={slug}", new { email });
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        // The newest link for the address once it is not one used before (the background makes it after the 202).
        return await Eventually.ReturnsAsync(
            async () => QueryHelpers.ParseQuery(new Uri((await fixture.App.ResetEventAsync(email)).GetProperty("resetUrl").GetString()!).Query)["token"].ToString(),
            token => usedTokens.Add(token), what: $"a new reset link for {email}");
    }

    /// <summary>The victim sets a password on the reset page the emailed link opens; the page after.</summary>
    private async Task<HtmlPage> ResetOnThePageAsync(string slug, string email)
    {
        var token = await ResetTokenAsync(slug, email);
        var browser = fixture.NewClient();
        var page = await browser.PageAsync($"/ol/reset-password?name={slug}&token={token}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var done = await browser.SubmitAsync(page, PortalHtml.Fields(("Input.NewPassword", "the victim's own long sentence 2026")));
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.NotNull(done.One("#sign-in-after-reset"));
        return done;
    }

    /// <summary>A phone sign-in with <paramref name="mobile"/> from a fresh device, 31 s after the last code: its outcome.</summary>
    private async Task<JsonElement> PhoneSignInAsync(string slug, string mobile, int textsSoFar)
    {
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var phone = fixture.NewClient();
        var started = await phone.StartAsync(slug, mobile);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var attempt = (await started.JsonAsync()).GetProperty("attemptId").GetString()!;
        return await (await phone.VerifyAsync(slug, attempt, await phone.CodeSentToAsync(mobile, textsSoFar + 1))).JsonAsync(HttpStatusCode.OK);
    }

    private static async Task<JsonElement> StaffViewAsync(TestBusiness biz, string id) =>
        await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task An_attacker_who_registered_the_victims_email_and_proved_his_mobile_no_longer_signs_in_once_the_victim_resets()
    {
        var biz = await App.SignUpBusinessAsync("claim");
        var email = PortalAuthHelpers.NewEmail();
        var mobile = PortalAuthHelpers.NewMobile();

        // The attacker registers the victim's address with his own password and proves his own mobile on it.
        var attacker = fixture.NewClient();
        var id = (await (await attacker.RegisterAsync(biz.Slug, email, first: "Mallory")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var proof = (await (await attacker.StartProofAsync(biz.Slug, mobile)).JsonAsync()).GetProperty("attemptId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await attacker.VerifyProofAsync(biz.Slug, proof, await attacker.CodeSentToAsync(mobile))).StatusCode);
        Assert.Equal("signed-in", (await PhoneSignInAsync(biz.Slug, mobile, 1)).GetProperty("outcome").GetString());

        // Staff see the address as typed, not confirmed.
        var before = await StaffViewAsync(biz, id);
        Assert.False(before.GetProperty("emailConfirmed").GetBoolean());
        Assert.True(before.GetProperty("mobileVerified").GetBoolean());

        // A phone sign-in the attacker has under way when the victim resets.
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var waiting = fixture.NewClient();
        var open = (await (await waiting.StartAsync(biz.Slug, mobile)).JsonAsync()).GetProperty("attemptId").GetString()!;
        var openCode = await waiting.CodeSentToAsync(mobile, 3);

        // The victim: forgot-password, the emailed link, a new password. The page names the mobile taken off.
        var done = await ResetOnThePageAsync(biz.Slug, email);
        var removed = done.One("#mobile-removed")?.TextContent ?? "";
        Assert.Contains($"We removed the mobile ending {mobile[^3..]} from signing in to this account", removed, StringComparison.Ordinal);
        Assert.Contains("add it again under Your details", removed, StringComparison.Ordinal);

        // The attacker's session ended, his open code is dead, and his phone no longer signs in to the account.
        Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.MeAsync(biz.Slug)).StatusCode);
        Assert.Equal("attempt-expired", await (await waiting.VerifyAsync(biz.Slug, open, openCode)).KindAsync());
        var again = await PhoneSignInAsync(biz.Slug, mobile, 3);
        Assert.Equal("new-client", again.GetProperty("outcome").GetString());
        Assert.True(!again.TryGetProperty("clientId", out var signedInAs) || signedInAs.ValueKind == JsonValueKind.Null);

        var after = await StaffViewAsync(biz, id);
        Assert.True(after.GetProperty("emailConfirmed").GetBoolean());
        Assert.False(after.GetProperty("mobileVerified").GetBoolean());
    }

    [Fact]
    public async Task A_phone_new_client_who_gives_the_victims_email_never_gets_it_so_the_victim_registers_with_it()
    {
        // Decision 301: the phone flow stores no address until its link is confirmed, so the attack of decision 262 (2)
        // attaches nothing; the victim's address stays free and registers.
        var biz = await App.SignUpBusinessAsync("claim");
        var email = PortalAuthHelpers.NewEmail();
        var mobile = PortalAuthHelpers.NewMobile();
        var attacker = fixture.NewClient();
        await attacker.JoinByPhoneAsync(biz.Slug, mobile, first: "Mallory", email: email);
        Assert.Equal(JsonValueKind.Null, (await (await attacker.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("email").ValueKind);
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(biz.Slug, email, first: "Vera")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await attacker.MeAsync(biz.Slug)).StatusCode);
        Assert.Equal("signed-in", (await PhoneSignInAsync(biz.Slug, mobile, 1)).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Once_the_email_is_proven_a_later_reset_leaves_the_clients_own_mobile_signing_in()
    {
        var biz = await App.SignUpBusinessAsync("claim");
        var email = PortalAuthHelpers.NewEmail();
        var mobile = PortalAuthHelpers.NewMobile();
        var client = fixture.NewClient();
        var id = (await (await client.RegisterAsync(biz.Slug, email, first: "Emma")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

        // Her first reset proves the email (nothing of hers to take off yet); she then proves her mobile.
        Assert.Null((await ResetOnThePageAsync(biz.Slug, email)).One("#mobile-removed"));
        Assert.True((await StaffViewAsync(biz, id)).GetProperty("emailConfirmed").GetBoolean());
        var device = fixture.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await device.SignInAsync(biz.Slug, email, "the victim's own long sentence 2026")).StatusCode);
        var proof = (await (await device.StartProofAsync(biz.Slug, mobile)).JsonAsync()).GetProperty("attemptId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await device.VerifyProofAsync(biz.Slug, proof, await device.CodeSentToAsync(mobile))).StatusCode);

        // A second reset: the mobile stays hers and the page says nothing of it.
        Assert.Null((await ResetOnThePageAsync(biz.Slug, email)).One("#mobile-removed"));
        Assert.Equal("signed-in", (await PhoneSignInAsync(biz.Slug, mobile, 1)).GetProperty("outcome").GetString());
        Assert.True((await StaffViewAsync(biz, id)).GetProperty("mobileVerified").GetBoolean());
    }
}
