using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// A security review's findings: a reset link's token rested in plain text in the outbox, Hangfire's job arguments and
/// the sent message's content; staff could send a failed reset email again to an address of their choosing; a staff
/// member's reset link outlived a change of their email, and the change went unnoticed. The whole app with the real
/// handlers and a real SMTP server on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class ResetLinkSafetyTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string NewPassword = "a brand new sentence for my account";

    private NotificationsTestApp App => fixture.App;

    private Task WaitForStatusAsync(string recipient, string kind, string status) =>
        Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<string>(App.Database.Database,
                "select status from notifications.outbound_messages where recipient = @r and kind = @k", ("r", recipient), ("k", kind)),
            s => s == status, TimeSpan.FromSeconds(60), $"the {kind} message to {recipient} {status}");

    /// <summary>Every table of the database (outbox, Hangfire's jobs and states, messages, all of them) that holds <paramref name="text"/>.</summary>
    private Task<string?> TablesHoldingAsync(string text) =>
        Sql.AdminScalarAsync<string>(App.Database.Database, """
            select coalesce(string_agg(format('%I.%I', table_schema, table_name), ', '), '')
              from information_schema.tables
             where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
               and query_to_xml(format('select * from %I.%I', table_schema, table_name), true, false, '')::text like '%' || @t || '%'
            """, ("t", text));

    private Task<string?> ContentAsync(string recipient, string kind) =>
        Sql.AdminScalarAsync<string>(App.Database.Database,
            "select content::text from notifications.outbound_messages where recipient = @r and kind = @k", ("r", recipient), ("k", kind));

    [Fact]
    public async Task After_forgot_password_no_table_holds_the_token_and_the_emailed_link_still_works()
    {
        var biz = await App.SignUpBusinessAsync("atrest");
        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await App.NewClient().RegisterAsync(biz.Slug, email)).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted,
            (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email })).StatusCode);
        var token = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(email, "Reset your"), "/ol/reset-password");
        await WaitForStatusAsync(email, "client-password-reset", "sent");

        Assert.Equal("", await TablesHoldingAsync(token));
        Assert.Contains("[link removed after sending]", await ContentAsync(email, "client-password-reset"), StringComparison.Ordinal);
        // The event went through the outbox and a Hangfire job, carrying the link encrypted.
        var payload = await Sql.AdminScalarAsync<string>(App.Database.Database,
            "select payload->>'protectedResetUrl' from portalauth.outbox_messages where type like '%PasswordResetRequested%' and payload->>'email' = @e", ("e", email));
        Assert.False(string.IsNullOrEmpty(payload));

        var reset = await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={biz.Slug}", new { token, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.NewClient().SignInAsync(biz.Slug, email, NewPassword)).StatusCode);
    }

    [Fact]
    public async Task After_a_staff_forgot_password_no_table_holds_the_token_and_the_emailed_link_still_works()
    {
        var biz = await App.SignUpBusinessAsync("atrest");
        var (_, email) = await AddStaffAsync(biz);

        Assert.Equal(HttpStatusCode.Accepted,
            (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/forgot-password?name={biz.Slug}", new { email })).StatusCode);
        var token = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(email, "Reset your"), "/staff/reset-password");
        await WaitForStatusAsync(email, "staff-password-reset", "sent");

        Assert.Equal("", await TablesHoldingAsync(token));
        Assert.Contains("[link removed after sending]", await ContentAsync(email, "staff-password-reset"), StringComparison.Ordinal);
        var reset = await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/reset-password?name={biz.Slug}", new { token, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
    }

    [Fact]
    public async Task A_failed_reset_email_is_not_sent_again_to_any_address_and_keeps_no_link()
    {
        var biz = await App.SignUpBusinessAsync("noresend");
        var email = $"reject-{Guid.NewGuid():N}@example.com"; // the SMTP server refuses it for good (550)
        Assert.Equal(HttpStatusCode.Created, (await App.NewClient().RegisterAsync(biz.Slug, email)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted,
            (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email })).StatusCode);
        await WaitForStatusAsync(email, "client-password-reset", "failed");

        var list = await biz.Owner.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/admin/messages?status=failed", UriKind.Relative));
        var id = list.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("kind").GetString() == "client-password-reset").GetProperty("id").GetString();

        foreach (var body in new object?[] { new { to = "someone-else@example.com" }, new { to = (string?)null } })
        {
            var refused = await biz.Owner.PostAsJsonAsync($"/api/v1/admin/messages/{id}/resend", body);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var problem = await refused.JsonAsync();
            Assert.Equal("sign-in-email", problem.GetProperty("type").GetString()!.Split('/')[^1]);
            Assert.Equal("client-password-reset", problem.GetProperty("messageKind").GetString());
            Assert.Contains("fresh password reset", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal($"failed {email}", await Sql.AdminScalarAsync<string>(App.Database.Database,
            "select status || ' ' || recipient from notifications.outbound_messages where id = @id::uuid", ("id", id!))); // neither requeued nor moved
        var content = await ContentAsync(email, "client-password-reset");
        Assert.Contains("[link removed: the email could not be sent]", content, StringComparison.Ordinal);
        var encrypted = await Sql.AdminScalarAsync<string>(App.Database.Database,
            "select payload->>'protectedResetUrl' from portalauth.outbox_messages where type like '%PasswordResetRequested%' and payload->>'email' = @e", ("e", email));
        Assert.False(string.IsNullOrEmpty(encrypted));
        Assert.DoesNotContain(encrypted!, content, StringComparison.Ordinal); // not even encrypted, once it will not be sent
        Assert.DoesNotContain("reset-password", content, StringComparison.Ordinal);

        // Tools → Sent messages offers no Resend for it, and says what to do instead.
        var page = await biz.Owner.GetStringAsync(new Uri("/staff/tools/messages?status=failed", UriKind.Relative));
        Assert.Contains("send a fresh password reset instead", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"id=\"to-{id}\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_a_staff_members_email_refuses_their_old_reset_link_ends_their_sessions_and_tells_the_old_address()
    {
        var biz = await App.SignUpBusinessAsync("newemail");
        var (id, old) = await AddStaffAsync(biz);
        var device = App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await device.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = old, password = TestBusiness.OwnerPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await device.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted,
            (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/forgot-password?name={biz.Slug}", new { email = old })).StatusCode);
        var token = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(old, "Reset your"), "/staff/reset-password");

        var changed = $"moved-{Guid.NewGuid():N}@example.com";
        var put = await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{id}",
            new { name = "Gina Groomer", email = changed, role = "practitioner", diaryIds = Array.Empty<Guid>() });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        // The change waits for the new address (decision 232): once its link is followed, it is made.
        var confirm = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(changed, "Confirm your"), "/staff/confirm-email");
        Assert.Equal(HttpStatusCode.OK, (await device.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/confirm-email?name={biz.Slug}", new { token = confirm })).StatusCode);

        var refused = await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/reset-password?name={biz.Slug}", new { token, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.JsonAsync()).GetProperty("errors").TryGetProperty("token", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, (await device.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await biz.Owner.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode); // only hers

        var notice = await fixture.MailAsync(old, $"Your Business {biz.Slug} sign-in email was changed");
        Assert.Contains("Hi Gina Groomer", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains($"is now {changed} instead of this address", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Business {biz.Slug}", notice.HtmlBody, StringComparison.Ordinal); // the business's branded layout
        Assert.Single(fixture.Smtp.MessagesTo(changed)); // the link, nothing else

        // A change that keeps the address (a new name) sends nothing more and leaves sessions alone.
        var again = App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await again.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = changed, password = TestBusiness.OwnerPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{id}",
            new { name = "Gina G.", email = changed.ToUpperInvariant(), role = "practitioner", diaryIds = Array.Empty<Guid>() })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode);
        Assert.Equal(1, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from notifications.outbound_messages where kind = 'staff-sign-in-email-changed' and tenant_id = @t", ("t", biz.Id)));
    }

    /// <summary>A practitioner added by the owner (the owner's password); their id and lower-case email.</summary>
    private static async Task<(string Id, string Email)> AddStaffAsync(TestBusiness biz)
    {
        var email = $"staff-{Guid.NewGuid():N}@example.com";
        var created = await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Gina Groomer", email, password = TestBusiness.OwnerPassword, role = "practitioner", diaryIds = Array.Empty<Guid>() });
        return ((await created.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!, email);
    }
}
