using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.StaffAuth;

/// <summary>
/// Decision 236: one mechanism for staff email links. The link that proves a sign-in email (sign-up's, decision 233) and
/// the link that changes it (decision 232) are rows of one table with one lifetime, redeemed by one command at either
/// route and opened on one page; a change waiting for its link can be called off (the account page's button, the API
/// for oneself or a colleague), and its link then says it was called off. Real PostgreSQL, real SMTP on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class StaffEmailLinkTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Password = "a team member's password 2026";

    private NotificationsTestApp App => fixture.App;

    private async Task<HttpStatusCode> SignInAsync(TestBusiness biz, string email, string password) =>
        (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email, password })).StatusCode;

    private static async Task<Guid> OwnerIdAsync(TestBusiness biz) =>
        (await (await biz.Owner.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("id").GetGuid();

    private Task<long> CountAsync(TestBusiness biz, string table, string sentTo) =>
        Sql.AdminScalarAsync<long>(App.Database.Database, $"select count(*) from tenancy.{table} where tenant_id = @t and sent_to = @s", ("t", biz.Id), ("s", sentTo));

    private async Task<JsonElement> ConfirmAsync(TestBusiness biz, string route, string token, HttpStatusCode expected) =>
        await (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/{route}?name={biz.Slug}", new { token })).JsonAsync(expected);

    [Fact]
    public async Task A_waiting_change_of_ones_own_email_is_called_off_on_the_account_page_and_its_link_then_says_so()
    {
        var biz = await App.SignUpBusinessAsync("calloff");
        var ownerId = await OwnerIdAsync(biz);
        var moved = $"olive-{Guid.NewGuid():N}@example.com";
        var put = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{ownerId}",
            new { name = "Olive Owner", email = moved, role = "owner", diaryIds = Array.Empty<Guid>(), currentPassword = TestBusiness.OwnerPassword })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(moved, put.GetProperty("pendingEmail").GetString());
        var token = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(moved, "Confirm your"), "/staff/confirm-email");

        // The account page names the address the change waits on, with a button that calls it off; /me says it too.
        Assert.Equal(moved, (await (await biz.Owner.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("pendingEmail").GetString());
        var account = await biz.Owner.PageAsync("/staff/account");
        Assert.Contains($"Changing to {moved}", account.One("[data-pending-email]")?.TextContent, StringComparison.Ordinal);
        var button = account.One("#pending-email form button");
        Assert.Equal("Call off this change", button?.TextContent.Trim());
        Assert.Equal($"Call off the change of your sign-in email to {moved}", button?.GetAttribute("aria-label"));

        var calledOff = await biz.Owner.SubmitAsync(account, PortalHtml.Fields(), "#pending-email form");
        Assert.Equal(HttpStatusCode.Redirect, calledOff.Status);
        var after = await biz.Owner.PageAsync(calledOff.Response.Headers.Location!.OriginalString);
        Assert.Contains($"Called off: your sign-in email stays as it is, and the link we sent to {moved} no longer works.", after.One("p.notice")?.TextContent, StringComparison.Ordinal);
        Assert.Null(after.One("[data-pending-email]"));
        Assert.Equal(JsonValueKind.Null, (await (await biz.Owner.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("pendingEmail").ValueKind);

        // The link ends at once, and says why: on its page and from the API, which changes nothing.
        var page = await App.NewClient().PageAsync($"/staff/confirm-email?name={biz.Slug}&token={token}");
        Assert.Contains("This change of sign-in email was called off, so its link no longer works. Nothing was changed.",
            page.One("#link-dead[data-called-off]")?.TextContent, StringComparison.Ordinal);
        Assert.Null(page.One("form button[type=submit]"));
        var refused = await ConfirmAsync(biz, "confirm-email", token, HttpStatusCode.BadRequest);
        Assert.Equal("validation", refused.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal("This change of sign-in email was called off, so its link no longer works. Nothing was changed.",
            Assert.Single(refused.GetProperty("errors").GetProperty("token").EnumerateArray()).GetString());
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(biz, biz.OwnerEmail, TestBusiness.OwnerPassword));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(biz, moved, TestBusiness.OwnerPassword));
        Assert.Equal(HttpStatusCode.OK, (await biz.Owner.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode); // calling off signs nobody out

        // Nothing left to call off: the API says 204 all the same.
        Assert.Equal(HttpStatusCode.NoContent, (await biz.Owner.DeleteAsync(new Uri("/api/v1/staff/me/pending-email", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task An_owner_calls_off_a_colleagues_waiting_change_and_a_practitioner_may_not_use_the_team_route()
    {
        var biz = await App.SignUpBusinessAsync("calloff");
        var old = $"gina-{Guid.NewGuid():N}@example.com";
        var gina = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Gina Groomer", email = old, password = Password, role = "practitioner", diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var moved = $"moved-{Guid.NewGuid():N}@example.com";
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{gina}",
            new { name = "Gina Groomer", email = moved, role = "practitioner", diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.OK);
        var token = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(moved, "Confirm your"), "/staff/confirm-email");

        // Gina, a practitioner, may not use Team's route (hers is /api/v1/staff/me/pending-email).
        var practitioner = App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await practitioner.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = old, password = Password })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await practitioner.DeleteAsync(new Uri($"/api/v1/admin/staff/{gina}/pending-email", UriKind.Relative))).StatusCode);
        Assert.Equal(moved, (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/staff/{gina}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("pendingEmail").GetString());

        // The owner calls it off: 204, nothing waits, the link is refused as called off.
        Assert.Equal(HttpStatusCode.NoContent, (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/staff/{gina}/pending-email", UriKind.Relative))).StatusCode);
        Assert.Equal(JsonValueKind.Null,
            (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/staff/{gina}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("pendingEmail").ValueKind);
        var refused = await ConfirmAsync(biz, "confirm-email", token, HttpStatusCode.BadRequest);
        Assert.Contains("called off", Assert.Single(refused.GetProperty("errors").GetProperty("token").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(biz, old, Password));
        Assert.Equal(HttpStatusCode.NotFound, (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/staff/{Guid.NewGuid()}/pending-email", UriKind.Relative))).StatusCode);
    }

    /// <summary>Setup → Team shows a colleague's waiting change with "Call off this change", which ends its link.</summary>
    [Fact]
    public async Task An_owner_calls_off_a_colleagues_waiting_change_on_the_team_page()
    {
        var biz = await App.SignUpBusinessAsync("teamcalloff");
        var old = $"gina-{Guid.NewGuid():N}@example.com";
        var gina = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Gina Groomer", email = old, password = Password, role = "practitioner", diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var moved = $"moved-{Guid.NewGuid():N}@example.com";
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{gina}",
            new { name = "Gina Groomer", email = moved, role = "practitioner", diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.OK);
        var token = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(moved, "Confirm your"), "/staff/confirm-email");

        var team = await biz.Owner.PageAsync("/staff/setup/team");
        var form = $"form[action*='handler=CallOff'][action*='{gina}']";
        Assert.Equal($"Call off the change of Gina Groomer's email to {moved}", team.One(form + " button")?.GetAttribute("aria-label"));
        var calledOff = await biz.Owner.SubmitAsync(team, PortalHtml.Fields(), form);
        Assert.Equal(HttpStatusCode.Redirect, calledOff.Status);
        var after = await biz.Owner.PageAsync(calledOff.Response.Headers.Location!.OriginalString);
        Assert.Equal($"Called off: the link we sent to {moved} no longer works, and the sign-in email stays as it is.", after.One("p.notice")?.TextContent.Trim());
        Assert.Null(after.One("[data-pending-email]"));
        Assert.Null(after.One("form[action*='handler=CallOff']"));
        var refused = await ConfirmAsync(biz, "confirm-email", token, HttpStatusCode.BadRequest);
        Assert.Contains("called off", Assert.Single(refused.GetProperty("errors").GetProperty("token").EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proving_and_changing_an_address_are_one_kind_of_link_one_table_one_lifetime_redeemed_at_either_route()
    {
        var biz = await App.SignUpBusinessAsync("onelink");
        var ownerId = await OwnerIdAsync(biz);
        var proof = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(biz.OwnerEmail, "Confirm your email for"), "/staff/verify-email");
        var moved = $"olive-{Guid.NewGuid():N}@example.com";
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{ownerId}",
            new { name = "Olive Owner", email = moved, role = "owner", diaryIds = Array.Empty<Guid>(), currentPassword = TestBusiness.OwnerPassword })).JsonAsync(HttpStatusCode.OK);
        var change = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(moved, "Confirm your"), "/staff/confirm-email");

        // Both links are rows of the one table of staff email links, and live alike (a day); no email link is a reset link row.
        Assert.Equal(1, await CountAsync(biz, "staff_email_confirmations", biz.OwnerEmail));
        Assert.Equal(1, await CountAsync(biz, "staff_email_confirmations", moved));
        Assert.Equal(0, await CountAsync(biz, "staff_password_reset_tokens", moved));
        Assert.Equal(2, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from tenancy.staff_email_confirmations where tenant_id = @t and expires_at - created_at = interval '24 hours'", ("t", biz.Id)));

        // The proof through the change's route (one redeem), while the change waits: proving leaves the change alone.
        var proven = await ConfirmAsync(biz, "confirm-email", proof, HttpStatusCode.OK);
        Assert.Equal(biz.OwnerEmail, proven.GetProperty("email").GetString());
        Assert.False(proven.GetProperty("alreadyDone").GetBoolean());
        Assert.False(proven.GetProperty("changed").GetBoolean());
        Assert.Equal(moved, (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/staff/{ownerId}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("pendingEmail").GetString());

        // The change through the proof's route and page: the same page asks what this link does, and does it.
        var visitor = App.NewClient();
        var open = await visitor.PageAsync($"/staff/verify-email?name={biz.Slug}&token={change}");
        Assert.Contains($"Make {moved} the email you sign in to", open.Text, StringComparison.Ordinal);
        var done = await visitor.SubmitAsync(open, new Dictionary<string, string>());
        Assert.Contains($"You now sign in to the staff pages of Business {biz.Slug} with {moved}.", done.One("#confirmed")?.TextContent, StringComparison.Ordinal);
        var again = await ConfirmAsync(biz, "verify-email", change, HttpStatusCode.OK);
        Assert.True(again.GetProperty("alreadyDone").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(biz, moved, TestBusiness.OwnerPassword));

        // The used proof of the old address, now that it is no longer the sign-in email, does nothing (never a change back).
        Assert.Equal("validation", (await ConfirmAsync(biz, "confirm-email", proof, HttpStatusCode.BadRequest)).GetProperty("type").GetString()!.Split('/')[^1]);
    }

    [Fact]
    public async Task A_change_link_moved_from_the_reset_links_table_with_its_old_hash_still_works()
    {
        var biz = await App.SignUpBusinessAsync("movedlink");
        var ownerId = await OwnerIdAsync(biz);
        var moved = $"olive-{Guid.NewGuid():N}@example.com";
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        // As migration UnifyStaffEmailLinks moves an open change link made before it: the hash decision 232 took.
        await Sql.AdminExecAsync(App.Database.Database, """
            insert into tenancy.staff_email_confirmations (tenant_id, id, staff_id, token_hash, created_at, expires_at, used_at, sent_to)
            values (@t, @id, @s, @h, now(), now() + interval '20 hours', null, @to)
            """, ("t", biz.Id), ("id", Guid.CreateVersion7()), ("s", ownerId), ("h", SHA256.HashData(Encoding.UTF8.GetBytes("staff-email-change:" + token))), ("to", moved));
        Assert.Equal(moved, (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/staff/{ownerId}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("pendingEmail").GetString());

        var done = await ConfirmAsync(biz, "confirm-email", token, HttpStatusCode.OK);
        Assert.True(done.GetProperty("changed").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(biz, moved, TestBusiness.OwnerPassword));
    }
}
