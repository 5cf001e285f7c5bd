using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Two sign-ups with the same email address or mobile at the same moment: both pass the "already registered?"
/// check, and the unique index refuses the second insert. The loser must be told which field is taken (the one
/// the index guards), like a sign-up that came second by a second, and nothing of it may be written; except a
/// registration's mobile, which is never told (it registers without it, as one that came second by a second). Each
/// test holds the first client's row in an open transaction, so the app's insert waits on that index, then commits.
/// </summary>
public sealed class ClientRaceTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    [Fact]
    public async Task A_registration_that_loses_the_race_for_its_email_is_told_the_email_is_taken()
    {
        var biz = await fixture.App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        await using var first = await HoldClientAsync(biz.Id, email, null);

        var register = await first.QueueThenCommitAsync("INSERT INTO portalauth.clients", () => fixture.NewClient().RegisterAsync(biz.Slug, email, mobile: PortalAuthHelpers.NewMobile()));

        await AssertRefusedOnAsync(register[0], "email", biz.Id);
    }

    [Fact]
    public async Task A_registration_that_loses_the_race_for_its_mobile_registers_without_it_and_answers_as_any_other()
    {
        var biz = await fixture.App.SignUpBusinessAsync();
        var (email, mobile) = (PortalAuthHelpers.NewEmail(), PortalAuthHelpers.NewMobile());
        await using var first = await HoldClientAsync(biz.Id, null, mobile);

        var register = await first.QueueThenCommitAsync("INSERT INTO portalauth.clients", () => fixture.NewClient().RegisterAsync(biz.Slug, email, mobile: mobile));

        Assert.Equal(HttpStatusCode.Created, register[0].StatusCode);
        var answer = await register[0].JsonAsync();
        Assert.Equal(["id", "status", "verifyMobile"], answer.EnumerateObject().Select(p => p.Name));
        Assert.True(answer.GetProperty("verifyMobile").GetBoolean());
        // The new client has no mobile; the first keeps theirs, verified; the registration was announced once.
        Assert.Null(await Sql.AdminScalarAsync<string?>(fixture.App.Database.Database,
            "select mobile from portalauth.clients where tenant_id = @t and email = @e", ("t", biz.Id), ("e", email)));
        Assert.True(await Sql.AdminScalarAsync<bool>(fixture.App.Database.Database,
            "select mobile_verified from portalauth.clients where tenant_id = @t and mobile = @m", ("t", biz.Id), ("m", mobile)));
        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(fixture.App.Database.Database,
            "select count(*) from portalauth.outbox_messages where tenant_id = @t and type like '%ClientJoined%'", ("t", biz.Id)));
    }

    // No "email" case since decision 301: the phone flow stores no address (its link does, once confirmed), so its insert
    // never meets another client's email on the index; a link confirmed after the address was taken is refused then.
    [Theory]
    [InlineData("mobile")]
    public async Task A_new_client_by_phone_that_loses_the_race_is_told_which_field_is_taken(string field)
    {
        var biz = await fixture.App.SignUpBusinessAsync();
        var (email, mobile) = (PortalAuthHelpers.NewEmail(), PortalAuthHelpers.NewMobile());
        var client = fixture.NewClient();
        var started = await (await client.StartAsync(biz.Slug, mobile)).JsonAsync();
        var attempt = started.GetProperty("attemptId").GetString()!;
        var verified = await client.VerifyAsync(biz.Slug, attempt, await client.CodeSentToAsync(mobile));
        Assert.Equal("new-client", (await verified.JsonAsync()).GetProperty("outcome").GetString());
        await using var first = await HoldClientAsync(biz.Id, field == "email" ? email : null, field == "mobile" ? mobile : null);

        var created = await first.QueueThenCommitAsync("INSERT INTO portalauth.clients",
            () => client.PostAsJsonAsync($"/api/v1/portal/auth/new-client?name={biz.Slug}", new { firstName = "Nia", lastName = "Late", email }));

        await AssertRefusedOnAsync(created[0], field, biz.Id);
        // The refused request did not use up the verified phone (its transaction rolled back).
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(fixture.App.Database.Database,
            "select count(*) from portalauth.sign_in_attempts where id = @id::uuid and consumed_at is not null", ("id", attempt)));
    }

    [Fact]
    public async Task A_reset_link_used_twice_at_the_same_moment_sets_one_password()
    {
        var biz = await fixture.App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(biz.Slug, email)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email })).StatusCode);
        var payload = (await fixture.App.ResetEventAsync(email)).GetRawText();
        var link = new Uri(System.Text.Json.JsonDocument.Parse(payload!).RootElement.GetProperty("resetUrl").GetString()!);
        var token = System.Web.HttpUtility.ParseQueryString(link.Query)["token"]!;
        const string first = "the first new sentence for my account", second = "the second new sentence for my account";

        HttpResponseMessage[] answers;
        await using (var held = await HeldTransaction.BeginAsync(fixture.App.Database.Database))
        {
            Assert.Equal(1, await held.ExecAsync("SELECT 1 FROM portalauth.password_reset_tokens WHERE tenant_id = @t FOR UPDATE", ("t", biz.Id)));
            // The first waits on the link's row, the second on the first's lock on the client row (SELECT … FOR UPDATE).
            answers = await held.QueueThenCommitAsync("portalauth.",
                () => fixture.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={biz.Slug}", new { token, newPassword = first }),
                () => fixture.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={biz.Slug}", new { token, newPassword = second }));
        }

        // The link works once: the first reset stands, the second is told the link was used.
        Assert.Equal(HttpStatusCode.NoContent, answers[0].StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, answers[1].StatusCode);
        Assert.True((await answers[1].JsonAsync()).GetProperty("errors").TryGetProperty("token", out _));
        Assert.Equal(HttpStatusCode.OK, (await fixture.NewClient().SignInAsync(biz.Slug, email, first)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.NewClient().SignInAsync(biz.Slug, email, second)).StatusCode);
    }

    [Fact]
    public async Task Wrong_passwords_sent_all_at_once_are_checked_no_more_times_than_the_lockout_allows()
    {
        var biz = await fixture.App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(biz.Slug, email)).StatusCode);
        const int Burst = 16; // the lockout allows 10 wrong passwords in its window

        // Every try gets as far as writing down its failure before any of them is written.
        HttpResponseMessage[] answers;
        await using (var held = await HeldTransaction.BeginAsync(fixture.App.Database.Database))
        {
            await held.ExecAsync("LOCK TABLE portalauth.password_failures IN SHARE MODE");
            var tries = Enumerable.Range(0, Burst).Select(i => fixture.NewClient().SignInAsync(biz.Slug, email, "wrong password number " + i)).ToList();
            await held.WaitForWaitingAsync(Burst, "INSERT INTO portalauth.password_failures");
            await held.CommitAsync();
            answers = await Task.WhenAll(tries);
        }

        var statuses = answers.Select(a => a.StatusCode).ToList();
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.Unauthorized), 0, 10);
    }

    private async Task AssertRefusedOnAsync(HttpResponseMessage response, string field, Guid tenantId)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation", await response.KindAsync());
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains("already registered", errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);

        // Only the first client exists, and only it was announced.
        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(fixture.App.Database.Database,
            "select count(*) from portalauth.clients where tenant_id = @t", ("t", tenantId)));
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(fixture.App.Database.Database,
            "select count(*) from portalauth.outbox_messages where tenant_id = @t and type like '%ClientJoined%'", ("t", tenantId)));
    }

    /// <summary>A client row inserted in a transaction left open; its mobile, if any, proven (as a phone new-client's is).</summary>
    private async Task<HeldTransaction> HoldClientAsync(Guid tenantId, string? email, string? mobile)
    {
        var held = await HeldTransaction.BeginAsync(fixture.App.Database.Database);
        await held.ExecAsync("""
            INSERT INTO portalauth.clients (tenant_id, id, first_name, last_name, email, mobile, mobile_verified, status, created_at)
            VALUES (@t, gen_random_uuid(), 'Fay', 'First', @email, @mobile, @verified, 'active', now())
            """, ("t", tenantId), ("email", email), ("mobile", mobile), ("verified", mobile is not null));
        return held;
    }
}
