using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Decision 232 (session-29 review, security): a staff sign-in email changes only once the new address follows the link
/// emailed to it, and changing one's own needs the current password; the address signed in with until then is told how
/// to stop it. Before, anyone at an owner's open session could move the owner's sign-in to their own inbox from
/// Setup → Team (no password, no proof), then reset the password there and own the business. Real SMTP on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class StaffEmailChangeTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Password = "a team member's password 2026";

    private NotificationsTestApp App => fixture.App;

    private static async Task<Guid> IdOfAsync(TestBusiness biz, string email) =>
        (await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/staff", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Single(m => m.GetProperty("email").GetString() == email).GetProperty("id").GetGuid();

    private async Task<HttpStatusCode> SignInAsync(TestBusiness biz, string email, string password) =>
        (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email, password })).StatusCode;

    private async Task<JsonElement> MemberAsync(TestBusiness biz, Guid id) =>
        await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/staff/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task An_owners_own_email_change_needs_the_current_password_and_takes_effect_only_once_the_new_address_confirms()
    {
        var biz = await App.SignUpBusinessAsync("selfmail");
        var ownerId = await IdOfAsync(biz, biz.OwnerEmail);
        var attacker = $"attacker-{Guid.NewGuid():N}@evil.example";

        // The reviewer's takeover: the owner's open session, Team's edit of themselves, a new address, no password.
        var edit = await biz.Owner.PageAsync($"/staff/setup/team?edit={ownerId}");
        Assert.NotNull(edit.One("input[name='Input.CurrentPassword'][type=password]"));
        var refused = await biz.Owner.SubmitAsync(edit, PortalHtml.Fields(("Input.Email", attacker), ("Input.Role", "owner")), "form[action*='handler=Save']");
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal("Enter your current password to change your email.", refused.One("#m-current-error")?.TextContent);

        // The API behind it: a wrong current password is refused on its field; nothing is sent, nothing changes.
        var wrong = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{ownerId}",
            new { name = "Olive Owner", email = attacker, role = "owner", diaryIds = Array.Empty<Guid>(), currentPassword = "not my password at all 2026" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["currentPassword"], wrong.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(biz.OwnerEmail, (await MemberAsync(biz, ownerId)).GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.Null, (await MemberAsync(biz, ownerId)).GetProperty("pendingEmail").ValueKind);

        // With it, from the page: a link goes to the new address, the old one is told how to stop it, nothing changes yet.
        var moved = $"olive-{Guid.NewGuid():N}@example.com";
        var saved = await biz.Owner.SubmitAsync(edit,
            PortalHtml.Fields(("Input.Email", moved), ("Input.Role", "owner"), ("Input.CurrentPassword", TestBusiness.OwnerPassword)), "form[action*='handler=Save']");
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var team = await biz.Owner.PageAsync(saved.Response.Headers.Location!.OriginalString);
        Assert.Contains($"We emailed a link to {moved}: your sign-in email changes to it once you open that link", team.One("p.notice")?.TextContent, StringComparison.Ordinal);
        Assert.Contains($"Changing to {moved}", team.One("[data-pending-email]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(moved, (await MemberAsync(biz, ownerId)).GetProperty("pendingEmail").GetString());

        var asked = await fixture.MailAsync(biz.OwnerEmail, "Change of your");
        Assert.Contains($"from this address to {moved}. The change takes effect only if {moved} confirms it", asked.TextBody, StringComparison.Ordinal);
        Assert.Matches($"If this wasn't you, reset your password now at https?://[^ ]+/staff/forgot-password\\?name={biz.Slug} with this address: the reset stops the change",
            asked.TextBody);
        Assert.DoesNotContain("contact the business's owner", asked.TextBody, StringComparison.Ordinal);
        var confirmation = await fixture.MailAsync(moved, "Confirm your");
        var token = AccountChangeHelpers.ResetTokenOf(confirmation, "/staff/confirm-email");
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(biz, biz.OwnerEmail, TestBusiness.OwnerPassword));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(biz, moved, TestBusiness.OwnerPassword));
        Assert.Empty(fixture.Smtp.MessagesTo(attacker));

        // Opening the link asks and changes nothing (mail scanners open links); confirming makes the change.
        var visitor = App.NewClient();
        var open = await visitor.PageAsync($"/staff/confirm-email?name={biz.Slug}&token={token}");
        Assert.Contains($"Make {moved} the email you sign in to", open.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(biz, biz.OwnerEmail, TestBusiness.OwnerPassword));
        var done = await visitor.SubmitAsync(open, new Dictionary<string, string>());
        Assert.Contains($"You now sign in to the staff pages of Business {biz.Slug} with {moved}.", done.One("#confirmed")?.TextContent, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await SignInAsync(biz, moved, TestBusiness.OwnerPassword));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(biz, biz.OwnerEmail, TestBusiness.OwnerPassword));
        Assert.Equal(HttpStatusCode.Unauthorized, (await biz.Owner.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode); // signed out everywhere
        var told = await fixture.MailAsync(biz.OwnerEmail, $"Your Business {biz.Slug} sign-in email was changed");
        Assert.Contains($"is now {moved} instead of this address", told.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("contact the business's owner", told.TextBody, StringComparison.Ordinal);

        // Reopened, the link says it was used and the address is the sign-in email; the API says the same.
        var again = await App.NewClient().PageAsync($"/staff/confirm-email?name={biz.Slug}&token={token}");
        Assert.Contains($"{moved} is already the email you sign in", again.One("#confirmed")?.TextContent, StringComparison.Ordinal);
        var api = await (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/confirm-email?name={biz.Slug}", new { token })).JsonAsync(HttpStatusCode.OK);
        Assert.True(api.GetProperty("alreadyDone").GetBoolean());
    }

    [Fact]
    public async Task An_owner_moving_a_colleagues_email_waits_for_the_new_address_and_a_reset_from_the_old_one_stops_it()
    {
        var biz = await App.SignUpBusinessAsync("theirmail");
        var old = $"gina-{Guid.NewGuid():N}@example.com";
        var id = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Gina Groomer", email = old, password = Password, role = "practitioner", diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // No password of the owner's is asked for a colleague's email; the answer names the address it waits on.
        var moved = $"moved-{Guid.NewGuid():N}@example.com";
        var put = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{id}",
            new { name = "Gina Groomer", email = moved, role = "practitioner", diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(old, put.GetProperty("email").GetString());
        Assert.Equal(moved, put.GetProperty("pendingEmail").GetString());
        var token = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(moved, "Confirm your"), "/staff/confirm-email");
        await fixture.MailAsync(old, "Change of your");
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(biz, old, Password));

        // The link's token is not a reset link, nor the other way round.
        Assert.Equal(HttpStatusCode.BadRequest,
            (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/reset-password?name={biz.Slug}", new { token, newPassword = "a brand new sentence for my account" })).StatusCode);

        // Gina did not ask for it: a reset from her address stops the change.
        Assert.Equal(HttpStatusCode.Accepted,
            (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/forgot-password?name={biz.Slug}", new { email = old })).StatusCode);
        var reset = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(old, "Reset your"), "/staff/reset-password");
        var resetRefusedAsConfirmation = await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/confirm-email?name={biz.Slug}", new { token = reset });
        Assert.Equal(HttpStatusCode.BadRequest, resetRefusedAsConfirmation.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent,
            (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/reset-password?name={biz.Slug}", new { token = reset, newPassword = "a brand new sentence for my account" })).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await MemberAsync(biz, id)).GetProperty("pendingEmail").ValueKind);

        var dead = await (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/confirm-email?name={biz.Slug}", new { token })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(dead.GetProperty("errors").TryGetProperty("token", out _));
        var page = await App.NewClient().PageAsync($"/staff/confirm-email?name={biz.Slug}&token={token}");
        Assert.NotNull(page.One("#link-dead"));
        Assert.Equal(old, (await MemberAsync(biz, id)).GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(biz, moved, "a brand new sentence for my account"));
    }
    [Fact]
    public async Task A_password_change_ends_a_pending_sign_in_email_change_and_unused_reset_links()
    {
        // Decision 331 (session-39 security review): someone at the owner's open session, knowing the password, asks to
        // move the sign-in to their inbox; the owner changes the password (their session ends); the link must not work after.
        var biz = await App.SignUpBusinessAsync("pwdstops");
        var ownerId = await IdOfAsync(biz, biz.OwnerEmail);
        var attacker = $"attacker-{Guid.NewGuid():N}@evil.example";
        var put = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{ownerId}",
            new { name = "Olive Owner", email = attacker, role = "owner", diaryIds = Array.Empty<Guid>(), currentPassword = TestBusiness.OwnerPassword })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(attacker, put.GetProperty("pendingEmail").GetString());
        var token = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(attacker, "Confirm your"), "/staff/confirm-email");
        Assert.Equal(HttpStatusCode.Accepted,
            (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/forgot-password?name={biz.Slug}", new { email = biz.OwnerEmail })).StatusCode);
        var reset = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(biz.OwnerEmail, "Reset your"), "/staff/reset-password");

        const string NewPassword = "the owner's own new sentence 2026";
        Assert.Equal(HttpStatusCode.NoContent, (await biz.Owner.PutAsJsonAsync("/api/v1/staff/me/password",
            new { currentPassword = TestBusiness.OwnerPassword, newPassword = NewPassword })).StatusCode);

        Assert.Equal(JsonValueKind.Null, (await MemberAsync(biz, ownerId)).GetProperty("pendingEmail").ValueKind);
        var dead = await (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/confirm-email?name={biz.Slug}", new { token })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(dead.GetProperty("errors").TryGetProperty("token", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/reset-password?name={biz.Slug}",
            new { token = reset, newPassword = "someone else's sentence for it 2026" })).StatusCode);
        Assert.Equal(biz.OwnerEmail, (await MemberAsync(biz, ownerId)).GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(biz, biz.OwnerEmail, NewPassword));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(biz, attacker, NewPassword));
    }

    [Fact]
    public async Task A_role_change_ends_the_persons_sessions_their_pending_sign_in_email_change_and_unused_reset_links()
    {
        // As decision 331 for a password change: someone at an admin's open session, knowing the password, asks to move the
        // admin's sign-in to their own inbox and has a reset link sent; the owner then makes the admin a practitioner
        // (their sessions end, decision 271). Neither link may work after it, nor the old role's session.
        var biz = await App.SignUpBusinessAsync("rolestops");
        var old = $"ada-{Guid.NewGuid():N}@example.com";
        var id = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Ada Admin", email = old, password = Password, role = "admin", diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var ada = App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await ada.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = old, password = Password })).StatusCode);
        var attacker = $"attacker-{Guid.NewGuid():N}@evil.example";
        var put = await (await ada.PutAsJsonAsync($"/api/v1/admin/staff/{id}",
            new { name = "Ada Admin", email = attacker, role = "admin", diaryIds = Array.Empty<Guid>(), currentPassword = Password })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(attacker, put.GetProperty("pendingEmail").GetString());
        var token = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(attacker, "Confirm your"), "/staff/confirm-email");
        Assert.Equal(HttpStatusCode.Accepted,
            (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/forgot-password?name={biz.Slug}", new { email = old })).StatusCode);
        var reset = AccountChangeHelpers.ResetTokenOf(await fixture.MailAsync(old, "Reset your"), "/staff/reset-password");

        var demoted = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{id}",
            new { name = "Ada Admin", email = old, role = "practitioner", diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("practitioner", demoted.GetProperty("role").GetString());

        // The admin's session is over (the role was carried in it); the pending change and the reset link are dead.
        Assert.Equal(HttpStatusCode.Unauthorized, (await ada.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await MemberAsync(biz, id)).GetProperty("pendingEmail").ValueKind);
        var dead = await (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/confirm-email?name={biz.Slug}", new { token })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(dead.GetProperty("errors").TryGetProperty("token", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/reset-password?name={biz.Slug}",
            new { token = reset, newPassword = "someone else's sentence for it 2026" })).StatusCode);
        Assert.Equal(old, (await MemberAsync(biz, id)).GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(biz, attacker, Password));

        // Ada signs in again, as a practitioner, with her own address and password; a reset asked now works.
        var again = App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await again.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = old, password = Password })).StatusCode);
        Assert.Equal("practitioner", (await (await again.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Accepted,
            (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/forgot-password?name={biz.Slug}", new { email = old })).StatusCode);
        var fresh = await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(old).Where(m => m.Subject?.StartsWith("Reset your", StringComparison.Ordinal) == true).ToList()),
            m => m.Count >= 2, TimeSpan.FromSeconds(60), "the second reset email");
        var works = fresh.Select(m => AccountChangeHelpers.ResetTokenOf(m, "/staff/reset-password")).Single(t => t != reset); // the files come in no order
        Assert.Equal(HttpStatusCode.NoContent, (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/reset-password?name={biz.Slug}",
            new { token = works, newPassword = "ada's own new sentence 2026" })).StatusCode);
    }
}
