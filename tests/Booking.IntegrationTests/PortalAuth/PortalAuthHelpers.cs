using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.PortalAuth;

internal static class PortalAuthHelpers
{
    public const string Password = "a long walk on a quiet beach at dawn";

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static async Task<string> KindAsync(this HttpResponseMessage response)
    {
        var json = await response.JsonAsync();
        return json.TryGetProperty("type", out var type) ? type.GetString()!.Split('/')[^1] : "";
    }

    public static async Task<HttpResponseMessage> RegisterAsync(this HttpClient client, string slug, string email, string password = Password, string? mobile = null, string first = "Robin") =>
        await client.PostAsJsonAsync($"/api/v1/portal/auth/register?name={slug}", new { firstName = first, lastName = "Client", email, password, mobile });

    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string slug, string email, string password = Password) =>
        await client.PostAsJsonAsync($"/api/v1/portal/auth/sign-in?name={slug}", new { email, password });

    public static Task<HttpResponseMessage> MeAsync(this HttpClient client, string slug) =>
        client.GetAsync(new Uri($"/api/v1/portal/me?name={slug}", UriKind.Relative));

    public static string NewEmail() => $"client-{Guid.NewGuid():N}@example.com";

    /// <summary>A random Australian mobile in E.164 (04xx xxx xxx).</summary>
    public static string NewMobile() => "+6140" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<HttpResponseMessage> StartAsync(this HttpClient client, string slug, string mobile) =>
        await client.PostAsJsonAsync($"/api/v1/portal/auth/phone/start?name={slug}", new { mobile });

    public static async Task<HttpResponseMessage> ResendAsync(this HttpClient client, string slug, string attemptId) =>
        await client.PostAsJsonAsync($"/api/v1/portal/auth/phone/resend?name={slug}", new { attemptId });

    public static async Task<HttpResponseMessage> VerifyAsync(this HttpClient client, string slug, string attemptId, string code) =>
        await client.PostAsJsonAsync($"/api/v1/portal/auth/phone/verify?name={slug}", new { attemptId, code });

    /// <summary>A signed-in client asks for a code to prove <paramref name="mobile"/> (Your details).</summary>
    public static async Task<HttpResponseMessage> StartProofAsync(this HttpClient client, string slug, string mobile) =>
        await client.PostAsJsonAsync($"/api/v1/portal/me/mobile/start?name={slug}", new { mobile });

    public static async Task<HttpResponseMessage> ResendProofAsync(this HttpClient client, string slug, string attemptId) =>
        await client.PostAsJsonAsync($"/api/v1/portal/me/mobile/resend?name={slug}", new { attemptId });

    public static async Task<HttpResponseMessage> VerifyProofAsync(this HttpClient client, string slug, string attemptId, string code) =>
        await client.PostAsJsonAsync($"/api/v1/portal/me/mobile/verify?name={slug}", new { attemptId, code });

    /// <summary>
    /// The texts to <paramref name="mobile"/> (the development SMS sink), newest first, once at least
    /// <paramref name="atLeast"/> went there.
    /// </summary>
    public static async Task<List<string>> TextsToAsync(this HttpClient client, string mobile, int atLeast) =>
        (await Eventually.ReturnsAsync(
            async () => await client.DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(mobile)}"),
            json => json.GetArrayLength() >= atLeast,
            what: $"{atLeast} text(s) to {mobile}"))
        .EnumerateArray().Select(t => t.GetProperty("body").GetString()!).ToList();

    /// <summary>The code of the newest text to <paramref name="mobile"/>, once at least <paramref name="count"/> texts went there.</summary>
    public static async Task<string> CodeSentToAsync(this HttpClient client, string mobile, int count = 1)
    {
        var texts = await client.TextsToAsync(mobile, count);
        // The newest text that starts with a code: a booking or decision text (phone-only clients get those too) may
        // arrive after it.
        var body = texts.FirstOrDefault(b => b.Length >= 6 && b[..6].All(char.IsAsciiDigit)) ?? texts[0];
        return body[..6];
    }

    /// <summary>
    /// A client who joined through the phone new-client flow (the mobile proven by a code, so on file for phone
    /// sign-in); returns their id. <paramref name="textsSoFar"/>: texts already sent to the mobile.
    /// </summary>
    public static async Task<string> JoinByPhoneAsync(this HttpClient client, string slug, string mobile, string first = "Pia", string? email = null, int textsSoFar = 0, bool notThatAccount = false)
    {
        var started = await client.StartAsync(slug, mobile);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var attempt = (await started.JsonAsync()).GetProperty("attemptId").GetString()!;
        var verified = await client.VerifyAsync(slug, attempt, await client.CodeSentToAsync(mobile, textsSoFar + 1));
        Assert.Equal("new-client", (await verified.JsonAsync()).GetProperty("outcome").GetString());
        var created = await client.PostAsJsonAsync($"/api/v1/portal/auth/new-client?name={slug}", new { firstName = first, lastName = "Phone", email, notThatAccount });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.JsonAsync()).GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Confirms the email a client gave in the phone new-client flow: the link the flow wrote to the outbox for
    /// <paramref name="email"/> (decrypted with the app's keys, as Notifications does), confirmed as its page does. Until
    /// then the client has no email (decisions 272 and 301).
    /// </summary>
    public static async Task ConfirmGivenEmailAsync(this BookingApp app, string slug, string email)
    {
        var payload = await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<string>(app.Database.Database,
                "select payload::text from portalauth.outbox_messages where type like '%ClientEmailChangeRequested%' and payload->>'newEmail' = @e order by occurred_at desc limit 1", ("e", email)),
            p => p is not null,
            what: $"a confirmation link for {email}");
        var protection = app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>();
        var url = Booking.BuildingBlocks.Security.ProtectedResetLinks.Unprotect(protection, (string?)System.Text.Json.Nodes.JsonNode.Parse(payload!)!["protectedConfirmUrl"])!;
        var token = url[(url.IndexOf("&token=", StringComparison.Ordinal) + "&token=".Length)..];
        var confirmed = await app.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/confirm-email?name={slug}", new { token });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
    }

    /// <summary>
    /// The newest PasswordResetRequested event for <paramref name="email"/>, its link decrypted as <c>resetUrl</c>, once a forgot-password request has been
    /// answered in the background (the request only hands it on).
    /// </summary>
    public static async Task<JsonElement> ResetEventAsync(this BookingApp app, string email)
    {
        var payload = await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<string>(app.Database.Database,
                "select payload::text from portalauth.outbox_messages where type like '%PasswordResetRequested%' and payload->>'email' = @e order by occurred_at desc limit 1", ("e", email)),
            p => p is not null,
            what: $"a reset link for {email}");
        // The event carries the link encrypted (no working link rests in the outbox): decrypted here with the app's keys,
        // as Notifications does when it renders the email, and added to the answer as "resetUrl".
        var evt = System.Text.Json.Nodes.JsonNode.Parse(payload!)!.AsObject();
        var protection = app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>();
        evt["resetUrl"] = Booking.BuildingBlocks.Security.ProtectedResetLinks.Unprotect(protection, (string?)evt["protectedResetUrl"]);
        return JsonDocument.Parse(evt.ToJsonString()).RootElement.Clone();
    }

    /// <summary>The client sets a password through "Forgot your password?" (a phone new client has none); ends her sessions.</summary>
    public static async Task SetPasswordByResetAsync(this PortalAuthApp fixture, string slug, string email)
    {
        var asked = await fixture.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={slug}", new { email });
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var link = new Uri((await fixture.App.ResetEventAsync(email)).GetProperty("resetUrl").GetString()!);
        var token = QueryHelpers.ParseQuery(link.Query)["token"].ToString();
        var reset = await fixture.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={slug}", new { token, newPassword = Password });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
    }

    /// <summary><c>auth/sign-in</c> in a fresh client: the answer, and the signed-in client.</summary>
    public static async Task<(JsonElement Answer, HttpClient Http)> SignInFreshAsync(this PortalAuthApp fixture, string slug, string email)
    {
        var http = fixture.NewClient();
        var response = await http.SignInAsync(slug, email);
        return (await response.JsonAsync(HttpStatusCode.OK), http);
    }

    /// <summary>The email sign-in page's post in a fresh browser: where it sends the client, and that browser.</summary>
    public static async Task<(string Location, HttpClient Browser)> SignInOnThePageAsync(this PortalAuthApp fixture, string slug, string email)
    {
        var browser = fixture.NewClient();
        var page = await browser.PageAsync($"/ol/sign-in?name={slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var signedIn = await browser.SubmitAsync(page, PortalHtml.Fields(("Input.Email", email), ("Input.Password", Password)));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        return (signedIn.Response.Headers.Location!.OriginalString, browser);
    }

    /// <summary>
    /// A phone new client who has filed her first request signs in on a new device through the code page, 31 s after
    /// the last code: she lands on My appointments, which says her request waits and lists it as requested.
    /// <paramref name="textsSoFar"/>: the texts her mobile had before this code (her join's code, and the request's
    /// "received" text where the app runs its jobs: wait for it first, so the newest text is the new code).
    /// </summary>
    public static async Task AssertPhoneSignInShowsTheWaitingRequestAsync(this PortalAuthApp fixture, string slug, string mobile, int textsSoFar = 1)
    {
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var browser = fixture.NewClient();
        var phone = await browser.PageAsync($"/ol/phone?name={slug}");
        var sent = await browser.SubmitAsync(phone, PortalHtml.Fields(("Input.Mobile", mobile)));
        var codePage = await browser.PageAsync(sent.Response.Headers.Location!.OriginalString);
        var signedIn = await browser.SubmitAsync(codePage, PortalHtml.Fields(("Input.Code", await browser.CodeSentToAsync(mobile, textsSoFar + 1))));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        Assert.Equal($"/ol/appointments?name={slug}", signedIn.Response.Headers.Location!.OriginalString);

        var home = await browser.PageAsync(signedIn.Response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Contains($"Your request is waiting for Business {slug}.", home.One("#requests-waiting")?.TextContent, StringComparison.Ordinal);
        var listed = Assert.Single(home.All("section[aria-labelledby=upcoming] li.appointment"));
        Assert.StartsWith("Requested", listed.QuerySelector(".status")?.TextContent.Trim(), StringComparison.Ordinal);
    }

    public static string WrongCode(string code) => code == "000000" ? "111111" : "000000";
}
