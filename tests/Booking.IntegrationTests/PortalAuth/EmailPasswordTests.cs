using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.PortalAuth;

public sealed class EmailPasswordTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Register_me_sign_out_and_sign_in_again()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var client = shared.App.NewClient();
        var email = PortalAuthHelpers.NewEmail();

        var registered = await client.RegisterAsync(biz.Slug, email, mobile: "0491 570 156");
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var body = await registered.JsonAsync();
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal("active", body.GetProperty("status").GetString());
        Assert.NotNull(registered.Headers.Location);

        var me = await (await client.MeAsync(biz.Slug)).JsonAsync();
        Assert.Equal(id, me.GetProperty("id").GetString());
        Assert.Equal(email, me.GetProperty("email").GetString());
        // The mobile is kept as an unproven claim (the business sees it); the client's own view shows only a verified one.
        Assert.Equal(System.Text.Json.JsonValueKind.Null, me.GetProperty("mobile").ValueKind);
        Assert.Equal("+61491570156", await Sql.AdminScalarAsync<string>(shared.App.Database.Database,
            "select mobile from portalauth.clients where id = @id::uuid", ("id", id)));
        Assert.Equal(0, me.GetProperty("pets").GetArrayLength());

        // The new client is announced through the outbox, in the same transaction.
        var joined = await Sql.AdminScalarAsync<long>(shared.App.Database.Database,
            "select count(*) from portalauth.outbox_messages where type like '%ClientJoined%' and payload->>'clientId' = @id", ("id", id));
        Assert.Equal(1, joined);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync(new Uri($"/api/v1/portal/auth/sign-out?name={biz.Slug}", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.MeAsync(biz.Slug)).StatusCode);
        var sessions = await Sql.AdminScalarAsync<long>(shared.App.Database.Database,
            "select count(*) from platform.auth_sessions where subject_id = @id::uuid", ("id", id));
        Assert.Equal(0, sessions);

        var signedIn = await client.SignInAsync(biz.Slug, email.ToUpperInvariant());
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var who = await signedIn.JsonAsync();
        Assert.Equal(id, who.GetProperty("id").GetString());
        Assert.Equal("Robin", who.GetProperty("firstName").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.MeAsync(biz.Slug)).StatusCode);
    }

    [Fact]
    public async Task Stolen_cookie_is_dead_after_sign_out()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var client = shared.App.NewClient();
        var registered = await client.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail());
        var cookie = registered.Headers.GetValues("Set-Cookie").First(c => c.StartsWith($"booking-portal.{biz.Slug}=", StringComparison.Ordinal)).Split(';')[0];
        await client.PostAsync(new Uri($"/api/v1/portal/auth/sign-out?name={biz.Slug}", UriKind.Relative), null);

        var thief = shared.App.CreateClient(new() { HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/portal/me?name={biz.Slug}");
        request.Headers.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Signing_in_again_gives_a_new_session_id_and_ends_the_old_one()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        var client = shared.App.NewClient();
        var registered = await client.RegisterAsync(biz.Slug, email);
        var first = registered.Headers.GetValues("Set-Cookie").First(c => c.StartsWith($"booking-portal.{biz.Slug}=", StringComparison.Ordinal)).Split(';')[0];
        var again = await client.SignInAsync(biz.Slug, email);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.MeAsync(biz.Slug)).StatusCode);

        var old = shared.App.CreateClient(new() { HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/portal/me?name={biz.Slug}");
        request.Headers.Add("Cookie", first);
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.SendAsync(request)).StatusCode);
        var id = (await (await client.MeAsync(biz.Slug)).JsonAsync()).GetProperty("id").GetString()!;
        Assert.Equal(1, await Sql.AdminScalarAsync<long>(shared.App.Database.Database,
            "select count(*) from platform.auth_sessions where subject_id = @id::uuid", ("id", id)));
    }

    [Fact]
    public async Task Email_already_on_file_and_malformed_fields_are_validation_errors_naming_the_field()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await shared.App.NewClient().RegisterAsync(biz.Slug, email)).StatusCode);

        var again = await shared.App.NewClient().RegisterAsync(biz.Slug, email.ToUpperInvariant());
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.True((await again.JsonAsync()).GetProperty("errors").TryGetProperty("email", out _));

        foreach (var bad in new[] { "not-an-email", "a@b", "two@@example.com", "Name <x@example.com>" }) // " padded@example.com" is trimmed now (PortalPages.NamesAndEmailsTests)
        {
            foreach (var response in new[]
                     {
                         await shared.App.NewClient().RegisterAsync(biz.Slug, bad),
                         await shared.App.NewClient().SignInAsync(biz.Slug, bad),
                         await shared.App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email = bad }),
                     })
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.Equal("validation", await response.KindAsync());
                Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("email", out _), bad);
            }
        }

        foreach (var bad in new[] { "12", "hello", "02 9999 9999", "+61 4", "0412 345 678 999" })
        {
            var response = await shared.App.NewClient().RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail(), mobile: bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("mobile", out _), bad);
        }

        var shortPassword = await shared.App.NewClient().RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail(), password: "too short pass");
        Assert.True((await shortPassword.JsonAsync()).GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task A_128_character_Unicode_password_is_accepted_and_verified_after_NFKC()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        // Composed (é as one code point, full-width Ｐ) at registration; decomposed and half-width at sign-in.
        var phrase = string.Concat(Enumerable.Repeat("Ｐâté café naïve Grüße ﬁne ", 10));
        var composed = phrase.Normalize(NormalizationForm.FormC)[..120] + "ÉÉÉÉÉÉÉÉ";
        Assert.Equal(128, composed.Length);
        var decomposed = composed.Normalize(NormalizationForm.FormKD);
        Assert.NotEqual(composed, decomposed);

        Assert.Equal(HttpStatusCode.Created, (await shared.App.NewClient().RegisterAsync(biz.Slug, email, composed)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await shared.App.NewClient().SignInAsync(biz.Slug, email, decomposed)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await shared.App.NewClient().SignInAsync(biz.Slug, email, decomposed[..^1])).StatusCode);

        var hash = await Sql.AdminScalarAsync<string>(shared.App.Database.Database,
            "select password_hash from portalauth.clients where email = @e", ("e", email));
        Assert.False(string.IsNullOrEmpty(hash));
        Assert.DoesNotContain("café", hash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reset_link_points_to_the_public_origin_whatever_Host_the_request_names()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await shared.App.NewClient().RegisterAsync(biz.Slug, email)).StatusCode);
        var publicOrigin = shared.App.Services.GetRequiredService<Booking.BuildingBlocks.Web.PublicOrigin>().Value;
        Assert.DoesNotContain("evil.example", publicOrigin, StringComparison.Ordinal);

        // Reset poisoning: the attacker asks for the victim's reset naming their own host; the victim gets the email.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/portal/auth/forgot-password?name={biz.Slug}")
        {
            Content = JsonContent.Create(new { email }),
        };
        request.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.Accepted, (await shared.App.NewClient().SendAsync(request)).StatusCode);

        var payload = (await shared.App.ResetEventAsync(email)).GetRawText();
        var link = JsonDocument.Parse(payload!).RootElement.GetProperty("resetUrl").GetString()!;
        Assert.StartsWith(publicOrigin + "/ol/reset-password?name=", link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forgot_and_reset_password_with_the_link_from_the_event()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        var device = shared.App.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(biz.Slug, email)).StatusCode);

        var unknown = await shared.App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email = PortalAuthHelpers.NewEmail() });
        var known = await shared.App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email });
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await known.Content.ReadAsStringAsync());

        var payload = (await shared.App.ResetEventAsync(email)).GetRawText();
        var evt = JsonDocument.Parse(payload!).RootElement;
        var url = new Uri(evt.GetProperty("resetUrl").GetString()!);
        Assert.Equal("/ol/reset-password", url.AbsolutePath);
        var token = System.Web.HttpUtility.ParseQueryString(url.Query)["token"]!;
        Assert.True(evt.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(29));
        Assert.True(evt.GetProperty("expiresAt").GetDateTimeOffset() < DateTimeOffset.UtcNow.AddMinutes(31));
        var stored = await Sql.AdminScalarAsync<long>(shared.App.Database.Database,
            "select count(*) from portalauth.password_reset_tokens where encode(token_hash, 'escape') like '%' || @t || '%'", ("t", token));
        Assert.Equal(0, stored); // only the hash is kept

        const string newPassword = "a brand new sentence for my account";
        var reset = await shared.App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={biz.Slug}", new { token, newPassword });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await device.MeAsync(biz.Slug)).StatusCode); // sessions ended
        Assert.Equal(HttpStatusCode.Unauthorized, (await shared.App.NewClient().SignInAsync(biz.Slug, email)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await shared.App.NewClient().SignInAsync(biz.Slug, email, newPassword)).StatusCode);

        var replay = await shared.App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={biz.Slug}", new { token, newPassword = "yet another sentence for my account" });
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.True((await replay.JsonAsync()).GetProperty("errors").TryGetProperty("token", out _));
    }

    [Fact]
    public async Task Change_password_needs_the_current_one_and_ends_other_sessions()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        var here = shared.App.NewClient();
        await here.RegisterAsync(biz.Slug, email);
        var elsewhere = shared.App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.SignInAsync(biz.Slug, email)).StatusCode);

        var wrong = await here.PostAsJsonAsync($"/api/v1/portal/auth/change-password?name={biz.Slug}", new { currentPassword = "not my password at all, sorry", newPassword = "the next long sentence I will use" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.True((await wrong.JsonAsync()).GetProperty("errors").TryGetProperty("currentPassword", out _));

        var changed = await here.PostAsJsonAsync($"/api/v1/portal/auth/change-password?name={biz.Slug}", new { currentPassword = PortalAuthHelpers.Password, newPassword = "the next long sentence I will use" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.MeAsync(biz.Slug)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.MeAsync(biz.Slug)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await shared.App.NewClient().SignInAsync(biz.Slug, email, "the next long sentence I will use")).StatusCode);
    }

    [Fact]
    public async Task A_password_change_clears_earlier_wrong_passwords_from_the_lockout_count()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        var me = shared.App.NewClient();
        await me.RegisterAsync(biz.Slug, email);
        var guesser = shared.App.NewClient();
        for (var i = 0; i < 9; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.SignInAsync(biz.Slug, email, "wrong password number " + i)).StatusCode);
        }

        const string NewPassword = "the next long sentence I will use";
        var changed = await me.PostAsJsonAsync($"/api/v1/portal/auth/change-password?name={biz.Slug}", new { currentPassword = PortalAuthHelpers.Password, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        // Counted with the nine before the change this would be the tenth failure and lock the address.
        Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.SignInAsync(biz.Slug, email, "one more wrong password")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await shared.App.NewClient().SignInAsync(biz.Slug, email, NewPassword)).StatusCode);
    }

    [Fact]
    public async Task Ten_failures_lock_password_sign_in_even_with_the_right_password()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        await shared.App.NewClient().RegisterAsync(biz.Slug, email);
        var client = shared.App.NewClient();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SignInAsync(biz.Slug, email, "wrong password number " + i)).StatusCode);
        }

        var locked = await client.SignInAsync(biz.Slug, email);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Equal("rate-limited", await locked.KindAsync());
        var retryAfter = locked.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter.TotalMinutes, 14, 15.01);

        // An unknown address is counted and locked the same way.
        var nobody = PortalAuthHelpers.NewEmail();
        for (var i = 0; i < 10; i++)
        {
            await client.SignInAsync(biz.Slug, nobody, "wrong password number " + i);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SignInAsync(biz.Slug, nobody)).StatusCode);
    }

    [Fact]
    public async Task A_session_of_one_business_is_refused_on_another()
    {
        var a = await shared.App.SignUpBusinessAsync();
        var b = await shared.App.SignUpBusinessAsync();
        var client = shared.App.NewClient();
        await client.RegisterAsync(a.Slug, PortalAuthHelpers.NewEmail());

        // The browser holds no session of B (a session is kept per business: J27); A's cookie moved under B's name is
        // refused as tenant-mismatch (PortalSessionsPerBusinessTests).
        var elsewhere = await client.MeAsync(b.Slug);
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        var signOut = await client.PostAsync(new Uri($"/api/v1/portal/auth/sign-out?name={b.Slug}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Unauthorized, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.MeAsync(a.Slug)).StatusCode);

        // The same email at B is a separate, unrelated client.
        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await shared.App.NewClient().RegisterAsync(a.Slug, email)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await shared.App.NewClient().RegisterAsync(b.Slug, email, "another client with its own words")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await shared.App.NewClient().SignInAsync(b.Slug, email)).StatusCode);
    }

}
