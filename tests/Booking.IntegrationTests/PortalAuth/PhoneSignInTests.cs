using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.PortalAuth.Domain;

namespace Booking.IntegrationTests.PortalAuth;

public sealed class PhoneSignInTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    private async Task<(string AttemptId, string Code)> StartAsync(HttpClient client, string slug, string mobile, int textsSoFar = 0)
    {
        var started = await client.StartAsync(slug, mobile);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var body = await started.JsonAsync();
        Assert.Equal(30, body.GetProperty("resendAfterSeconds").GetInt32());
        return (body.GetProperty("attemptId").GetString()!, await client.CodeSentToAsync(mobile, textsSoFar + 1));
    }

    [Fact]
    public async Task A_phone_on_file_signs_in_with_the_code()
    {
        var biz = await App.SignUpBusinessAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        var client = fixture.NewClient();
        var joined = await fixture.NewClient().JoinByPhoneAsync(biz.Slug, mobile);
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));

        var (attempt, code) = await StartAsync(client, biz.Slug, mobile, textsSoFar: 1);
        var verified = await client.VerifyAsync(biz.Slug, attempt, code);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal("signed-in", (await verified.JsonAsync()).GetProperty("outcome").GetString());
        var me = await (await client.MeAsync(biz.Slug)).JsonAsync();
        Assert.Equal(joined, me.GetProperty("id").GetString());

        // The code is stored only as a keyed hash.
        var hash = await Sql.AdminScalarAsync<string>(App.Database.Database,
            "select encode(code_hash, 'hex') from portalauth.sign_in_attempts where id = @id::uuid", ("id", attempt));
        Assert.Equal(64, hash!.Length);
        Assert.DoesNotContain(code, await Sql.AdminScalarAsync<string>(App.Database.Database,
            "select row_to_json(a)::text from portalauth.sign_in_attempts a where id = @id::uuid", ("id", attempt)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Known_and_unknown_phones_get_the_same_answer_to_start()
    {
        var biz = await App.SignUpBusinessAsync();
        var known = PortalAuthHelpers.NewMobile();
        await fixture.NewClient().JoinByPhoneAsync(biz.Slug, known);
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var a = await fixture.NewClient().StartAsync(biz.Slug, known);
        var b = await fixture.NewClient().StartAsync(biz.Slug, PortalAuthHelpers.NewMobile());
        Assert.Equal(a.StatusCode, b.StatusCode);
        var ja = await a.JsonAsync();
        var jb = await b.JsonAsync();
        Assert.Equal(ja.EnumerateObject().Select(p => p.Name), jb.EnumerateObject().Select(p => p.Name));
        Assert.Equal(ja.GetProperty("resendAfterSeconds").GetInt32(), jb.GetProperty("resendAfterSeconds").GetInt32());
    }

    [Fact]
    public async Task An_unknown_phone_goes_through_the_new_client_flow()
    {
        // Something bookable: the first-request limit below holds only while a request can be filed (decision 250).
        var biz = (await Booking.IntegrationTests.Appointments.SchedulingApi.BookableAsync(App)).Biz;
        var mobile = PortalAuthHelpers.NewMobile();
        var client = fixture.NewClient();

        // Without a verified phone there is nothing to create.
        var early = await client.PostAsJsonAsync($"/api/v1/portal/auth/new-client?name={biz.Slug}", new { firstName = "Nia", lastName = "New" });
        Assert.Equal(HttpStatusCode.Unauthorized, early.StatusCode);

        var (attempt, code) = await StartAsync(client, biz.Slug, mobile);
        var verified = await client.VerifyAsync(biz.Slug, attempt, code);
        Assert.Equal("new-client", (await verified.JsonAsync()).GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.MeAsync(biz.Slug)).StatusCode);

        var created = await client.PostAsJsonAsync($"/api/v1/portal/auth/new-client?name={biz.Slug}", new { firstName = "Nia", lastName = "New", email = (string?)null });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        Assert.Equal("active", body.GetProperty("status").GetString());
        var me = await (await client.MeAsync(biz.Slug)).JsonAsync();
        Assert.Equal(mobile, me.GetProperty("mobile").GetString());
        Assert.Equal("Nia", me.GetProperty("firstName").GetString());

        // Until their first booking request is filed only the booking flow is open (NewClientAccessTests)...
        var beforeRequest = await client.PostAsJsonAsync($"/api/v1/portal/auth/change-password?name={biz.Slug}", new { currentPassword = "anything at all here", newPassword = "a long new passphrase for nia" });
        Assert.Equal(HttpStatusCode.Forbidden, beforeRequest.StatusCode);
        Assert.Equal("first-booking-request", (await beforeRequest.JsonAsync()).GetProperty("reason").GetString());
        await Sql.AdminExecAsync(App.Database.Database, "update portalauth.clients set awaiting_first_request = false where id = @id::uuid", ("id", body.GetProperty("id").GetString()!));

        // ...then a client who signs in by phone has no password to change, and is told so on the field.
        var noPassword = await client.PostAsJsonAsync($"/api/v1/portal/auth/change-password?name={biz.Slug}", new { currentPassword = "anything at all here", newPassword = "a long new passphrase for nia" });
        Assert.Equal(HttpStatusCode.BadRequest, noPassword.StatusCode);
        Assert.Contains("no password to change", (await noPassword.JsonAsync()).GetProperty("errors").GetProperty("currentPassword")[0].GetString(), StringComparison.Ordinal);

        // The verified attempt is used up: a second new-client from the same cookie is refused.
        var twice = await client.PostAsJsonAsync($"/api/v1/portal/auth/new-client?name={biz.Slug}", new { firstName = "Nia", lastName = "Again" });
        Assert.Equal(HttpStatusCode.Unauthorized, twice.StatusCode);

        var joined = await Sql.AdminScalarAsync<string>(App.Database.Database,
            "select payload->>'via' from portalauth.outbox_messages where type like '%ClientJoined%' and payload->>'clientId' = @id", ("id", body.GetProperty("id").GetString()!));
        Assert.Equal("phone", joined);

        // Next time the phone is on file.
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var next = fixture.NewClient();
        var (attempt2, code2) = await StartAsync(next, biz.Slug, mobile, textsSoFar: 1);
        Assert.Equal("signed-in", (await (await next.VerifyAsync(biz.Slug, attempt2, code2)).JsonAsync()).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task New_clients_with_pets_wait_for_approval_when_the_business_approves_them()
    {
        var biz = await App.SignUpBusinessAsync();
        PortalAuthApp.Rules[biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true, BooksForPets = true };
        var mobile = PortalAuthHelpers.NewMobile();
        var client = fixture.NewClient();
        var (attempt, code) = await StartAsync(client, biz.Slug, mobile);
        await client.VerifyAsync(biz.Slug, attempt, code);

        var created = await client.PostAsJsonAsync($"/api/v1/portal/auth/new-client?name={biz.Slug}", new
        {
            firstName = "Pat",
            lastName = "Owner",
            email = PortalAuthHelpers.NewEmail(),
            pets = new[] { new { name = "Rex", species = "dog", breed = "Kelpie", notes = "Shy with other dogs" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("pending-approval", (await created.JsonAsync()).GetProperty("status").GetString());
        var me = await (await client.MeAsync(biz.Slug)).JsonAsync();
        Assert.Equal("pending-approval", me.GetProperty("status").GetString());
        var pet = Assert.Single(me.GetProperty("pets").EnumerateArray());
        Assert.Equal("Rex", pet.GetProperty("name").GetString());
        Assert.Equal("Kelpie", pet.GetProperty("breed").GetString());

        var registered = await fixture.NewClient().RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail());
        Assert.Equal("pending-approval", (await registered.JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_business_not_taking_new_clients_refuses_register_and_unknown_phones()
    {
        var biz = await App.SignUpBusinessAsync();
        var known = PortalAuthHelpers.NewMobile();
        await fixture.NewClient().JoinByPhoneAsync(biz.Slug, known);
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        PortalAuthApp.Rules[biz.Id] = PortalRules.Default with { AcceptingNewClients = false };

        var register = await fixture.NewClient().RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail());
        Assert.Equal(HttpStatusCode.Forbidden, register.StatusCode);
        Assert.Equal("not-accepting-new-clients", await register.KindAsync());

        var client = fixture.NewClient();
        var (attempt, code) = await StartAsync(client, biz.Slug, PortalAuthHelpers.NewMobile());
        var verified = await client.VerifyAsync(biz.Slug, attempt, code);
        Assert.Equal(HttpStatusCode.Forbidden, verified.StatusCode);
        Assert.Equal("not-accepting-new-clients", await verified.KindAsync());
        var newClient = await client.PostAsJsonAsync($"/api/v1/portal/auth/new-client?name={biz.Slug}", new { firstName = "No", lastName = "Room" });
        Assert.Equal("not-accepting-new-clients", await newClient.KindAsync());

        // Existing clients still sign in by phone.
        var (attempt2, code2) = await StartAsync(client, biz.Slug, known, textsSoFar: 1);
        Assert.Equal(HttpStatusCode.OK, (await client.VerifyAsync(biz.Slug, attempt2, code2)).StatusCode);
    }

    [Fact]
    public async Task A_code_works_once()
    {
        var biz = await App.SignUpBusinessAsync();
        var client = fixture.NewClient();
        var (attempt, code) = await StartAsync(client, biz.Slug, PortalAuthHelpers.NewMobile());
        Assert.Equal(HttpStatusCode.OK, (await client.VerifyAsync(biz.Slug, attempt, code)).StatusCode);
        var replay = await fixture.NewClient().VerifyAsync(biz.Slug, attempt, code);
        Assert.Equal(HttpStatusCode.Gone, replay.StatusCode);
        Assert.Equal("attempt-expired", await replay.KindAsync());
    }

    [Fact]
    public async Task A_code_expires_after_ten_minutes()
    {
        var biz = await App.SignUpBusinessAsync();
        var client = fixture.NewClient();
        var (attempt, code) = await StartAsync(client, biz.Slug, PortalAuthHelpers.NewMobile());
        fixture.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var late = await client.VerifyAsync(biz.Slug, attempt, code);
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Equal("attempt-expired", await late.KindAsync());
    }

    [Fact]
    public async Task A_code_in_time_at_nine_minutes_59_works()
    {
        var biz = await App.SignUpBusinessAsync();
        var client = fixture.NewClient();
        var (attempt, code) = await StartAsync(client, biz.Slug, PortalAuthHelpers.NewMobile());
        fixture.Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await client.VerifyAsync(biz.Slug, attempt, code)).StatusCode);
    }

    [Fact]
    public async Task A_code_from_another_attempt_fails()
    {
        var biz = await App.SignUpBusinessAsync();
        var client = fixture.NewClient();
        var (attemptA, codeA) = await StartAsync(client, biz.Slug, PortalAuthHelpers.NewMobile());
        var (attemptB, codeB) = await StartAsync(client, biz.Slug, PortalAuthHelpers.NewMobile());
        if (codeA == codeB)
        {
            return; // one in a million: the codes coincide, nothing to tell apart
        }

        var crossed = await client.VerifyAsync(biz.Slug, attemptB, codeA);
        Assert.Equal(HttpStatusCode.BadRequest, crossed.StatusCode);
        Assert.Equal("invalid-code", await crossed.KindAsync());
        Assert.Equal(4, (await crossed.JsonAsync()).GetProperty("attemptsLeft").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await client.VerifyAsync(biz.Slug, attemptA, codeA)).StatusCode);
    }

    [Fact]
    public async Task Five_wrong_codes_kill_the_attempt_and_the_sixth_try_fails_even_with_the_right_code()
    {
        var biz = await App.SignUpBusinessAsync();
        var client = fixture.NewClient();
        var (attempt, code) = await StartAsync(client, biz.Slug, PortalAuthHelpers.NewMobile());
        for (var i = 1; i <= 5; i++)
        {
            var wrong = await client.VerifyAsync(biz.Slug, attempt, PortalAuthHelpers.WrongCode(code));
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Equal(5 - i, (await wrong.JsonAsync()).GetProperty("attemptsLeft").GetInt32());
        }

        var sixth = await client.VerifyAsync(biz.Slug, attempt, code);
        Assert.Equal(HttpStatusCode.Gone, sixth.StatusCode);
        Assert.Equal("attempt-expired", await sixth.KindAsync());
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.Gone, (await client.ResendAsync(biz.Slug, attempt)).StatusCode);
    }

    [Fact]
    public async Task A_resend_does_not_reset_the_wrong_code_count_and_retires_the_old_code()
    {
        var biz = await App.SignUpBusinessAsync();
        var client = fixture.NewClient();
        var mobile = PortalAuthHelpers.NewMobile();
        var (attempt, first) = await StartAsync(client, biz.Slug, mobile);
        for (var i = 0; i < 3; i++)
        {
            await client.VerifyAsync(biz.Slug, attempt, PortalAuthHelpers.WrongCode(first));
        }

        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        var resent = await client.ResendAsync(biz.Slug, attempt);
        Assert.Equal(HttpStatusCode.Accepted, resent.StatusCode);
        Assert.Equal(attempt, (await resent.JsonAsync()).GetProperty("attemptId").GetString());
        var second = await client.CodeSentToAsync(mobile, 2);

        if (first != second)
        {
            var old = await client.VerifyAsync(biz.Slug, attempt, first);
            Assert.Equal("invalid-code", await old.KindAsync());
            Assert.Equal(1, (await old.JsonAsync()).GetProperty("attemptsLeft").GetInt32());
        }
        else
        {
            await client.VerifyAsync(biz.Slug, attempt, PortalAuthHelpers.WrongCode(second));
        }

        var last = await client.VerifyAsync(biz.Slug, attempt, PortalAuthHelpers.WrongCode(second));
        Assert.Equal(0, (await last.JsonAsync()).GetProperty("attemptsLeft").GetInt32());
        Assert.Equal(HttpStatusCode.Gone, (await client.VerifyAsync(biz.Slug, attempt, second)).StatusCode);
    }

    [Fact]
    public async Task A_second_code_within_30_seconds_is_rate_limited()
    {
        var biz = await App.SignUpBusinessAsync();
        var client = fixture.NewClient();
        var mobile = PortalAuthHelpers.NewMobile();
        var (attempt, _) = await StartAsync(client, biz.Slug, mobile);

        var resend = await client.ResendAsync(biz.Slug, attempt);
        Assert.Equal(HttpStatusCode.TooManyRequests, resend.StatusCode);
        Assert.Equal("rate-limited", await resend.KindAsync());
        Assert.InRange(resend.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 30);
        var restart = await fixture.NewClient().StartAsync(biz.Slug, mobile);
        Assert.Equal(HttpStatusCode.TooManyRequests, restart.StatusCode);

        fixture.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.ResendAsync(biz.Slug, attempt)).StatusCode);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Accepted, (await client.ResendAsync(biz.Slug, attempt)).StatusCode);
    }

    [Fact]
    public async Task Five_codes_per_phone_per_hour()
    {
        var biz = await App.SignUpBusinessAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await fixture.NewClient().StartAsync(biz.Slug, mobile)).StatusCode);
            fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        }

        var sixth = await fixture.NewClient().StartAsync(biz.Slug, mobile);
        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.True(sixth.Headers.RetryAfter!.Delta!.Value > TimeSpan.FromMinutes(55));
        // The texts leave in the background: wait for the five, then check no sixth follows them.
        await fixture.NewClient().CodeSentToAsync(mobile, count: 5);
        Assert.Equal(5, (await fixture.NewClient().DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(mobile)}")).GetArrayLength());

        // Another business's client with the same phone is unrelated and has its own count.
        var other = await App.SignUpBusinessAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.NewClient().StartAsync(other.Slug, mobile)).StatusCode);

        fixture.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.NewClient().StartAsync(biz.Slug, mobile)).StatusCode);
    }

    [Fact]
    public async Task Twenty_codes_per_IP_per_hour()
    {
        var biz = await App.SignUpBusinessAsync();
        var ip = $"192.0.2.{Random.Shared.Next(1, 255)}";
        var pump = fixture.NewClient(ip);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await pump.StartAsync(biz.Slug, PortalAuthHelpers.NewMobile())).StatusCode);
        }

        var blocked = await pump.StartAsync(biz.Slug, PortalAuthHelpers.NewMobile());
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.NotNull(blocked.Headers.RetryAfter);

        // Across businesses too, and another IP is unaffected.
        var other = await App.SignUpBusinessAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await pump.StartAsync(other.Slug, PortalAuthHelpers.NewMobile())).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.NewClient().StartAsync(biz.Slug, PortalAuthHelpers.NewMobile())).StatusCode);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("0412")]
    [InlineData("02 9999 9999")]
    [InlineData("+61 412 345 678 999")]
    [InlineData("")]
    public async Task Malformed_phones_are_validation_errors_naming_mobile(string mobile)
    {
        var biz = await App.SignUpBusinessAsync();
        var response = await fixture.NewClient().StartAsync(biz.Slug, mobile);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation", await response.KindAsync());
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("mobile", out _));
    }

    [Fact]
    public async Task Malformed_codes_are_validation_errors_and_unknown_attempts_are_expired()
    {
        var biz = await App.SignUpBusinessAsync();
        var client = fixture.NewClient();
        var (attempt, _) = await StartAsync(client, biz.Slug, PortalAuthHelpers.NewMobile());
        var malformed = await client.VerifyAsync(biz.Slug, attempt, "12ab");
        Assert.True((await malformed.JsonAsync()).GetProperty("errors").TryGetProperty("code", out _));
        Assert.Equal(HttpStatusCode.Gone, (await client.VerifyAsync(biz.Slug, Guid.NewGuid().ToString(), "123456")).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await client.VerifyAsync(biz.Slug, "not-a-guid", "123456")).StatusCode);

        // Another business's attempt id is unknown here.
        var other = await App.SignUpBusinessAsync();
        Assert.Equal(HttpStatusCode.Gone, (await client.VerifyAsync(other.Slug, attempt, "123456")).StatusCode);
    }
}
