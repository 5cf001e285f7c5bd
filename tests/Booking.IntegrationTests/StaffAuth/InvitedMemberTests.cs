using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Booking.IntegrationTests.PortalPages;
using Booking.IntegrationTests.Setup;

namespace Booking.IntegrationTests.StaffAuth;

/// <summary>
/// Decision 257: the three places that treated an invited team member (decision 248: no password chosen yet) like one
/// with a password. A change of their email moves the invitation to the new address; "Forgot your password?" sends them
/// the invitation again; a failed sign-in's one answer tells them what to do, without telling anyone that the address is
/// invited. Each with the email really received over SMTP on loopback and its link used. Real PostgreSQL.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class InvitedMemberTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Chosen = "my very own staff password 2026";

    private const string Hint = "If you were invited to the team and haven't chosen a password yet, use the link in your invitation email, "
        + "or \"Forgot your password?\" to get a new invitation.";

    private BookingApp App => fixture.App;

    private static string Subject(TestBusiness biz) => $"Olive Owner added you to Business {biz.Slug} — set your password";

    private static async Task<Guid> InviteAsync(TestBusiness biz, string email) =>
        (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", new { name = "Ivy Invited", email, role = "practitioner", diaryIds = Array.Empty<Guid>() }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    /// <summary>The invitation tokens emailed to the address so far, in the order sent; every mail there is an invitation.</summary>
    private async Task<IReadOnlyList<string>> InvitationTokensAsync(string to, int count, string? subject = null)
    {
        var mails = await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} mail(s) to {to}");
        Assert.Equal(count, mails.Count);
        if (subject is not null)
        {
            Assert.All(mails, m => Assert.Equal(subject, m.Subject));
        }

        return mails.OrderBy(m => m.Date).Select(m => AccountChangeHelpers.ResetTokenOf(m, "/staff/accept-invitation")).ToList();
    }

    private Task<HttpResponseMessage> AcceptAsync(TestBusiness biz, string token) =>
        App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/accept-invitation?name={biz.Slug}", new { token, newPassword = Chosen });

    private Task<HttpResponseMessage> SignInAsync(TestBusiness biz, string email, string password) =>
        App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email, password });

    private static async Task<string> TokenProblemAsync(HttpResponseMessage response)
    {
        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        return problem.GetProperty("errors").GetProperty("token")[0].GetString()!;
    }

    private async Task<double> LatestLinkLifetimeSecondsAsync(Guid staffId) =>
        await Sql.AdminScalarAsync<double>(App.Database.Database,
            "select extract(epoch from expires_at - created_at) from tenancy.staff_password_reset_tokens where staff_id = @s and invitation order by created_at desc limit 1",
            ("s", staffId));

    [Fact]
    public async Task Changing_an_invited_members_email_sends_the_invitation_to_the_new_address_and_ends_the_old_link()
    {
        var biz = await App.SignUpBusinessAsync("invmove");
        var typo = $"ivy-typo-{Guid.NewGuid():N}@example.com";
        var right = $"ivy-{Guid.NewGuid():N}@example.com";
        var id = await InviteAsync(biz, typo);
        var first = (await InvitationTokensAsync(typo, 1, Subject(biz)))[0];

        // Team: an invited row offers the invitation again, not a password reset; the edit form says what a new address does.
        var team = await biz.Owner.PageAsync("/staff/setup/team");
        var row = team.All("tbody tr").Single(r => r.TextContent.Contains(typo, StringComparison.Ordinal));
        Assert.NotNull(row.QuerySelector("button[aria-label^='Send the invitation again']"));
        Assert.Null(row.QuerySelector("button[aria-label^='Send password reset link']"));
        var edit = await biz.Owner.PageAsync($"/staff/setup/team?edit={id}");
        Assert.StartsWith("They haven't chosen a password yet: a new address replaces this one at once", edit.One("#m-email-hint")?.TextContent, StringComparison.Ordinal);

        // The page's edit: the new address at once, still invited, a new invitation there.
        var saved = await biz.Owner.SubmitAsync(edit, PortalHtml.Fields(("Input.Email", right)), "form[action*='handler=Save']");
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var after = await biz.Owner.PageAsync(saved.Response.Headers.Location!.OriginalString);
        Assert.Equal($"Saved. We emailed the invitation to {right}: its link works for 7 days. The link sent to the earlier address no longer works, and nothing was sent there.",
            after.One("p.notice")?.TextContent);
        var moved = after.All("tbody tr").Single(r => r.TextContent.Contains(right, StringComparison.Ordinal));
        Assert.Equal("Invited — not signed in yet", moved.QuerySelector("[data-invited]")?.TextContent);
        Assert.Null(moved.QuerySelector("[data-pending-email]"));
        Assert.DoesNotContain(after.All("tbody tr"), r => r.TextContent.Contains(typo, StringComparison.Ordinal));

        // The new address got the invitation itself (its wording, 7 days), not an email-change link; the old link is dead.
        var second = (await InvitationTokensAsync(right, 1, Subject(biz)))[0];
        Assert.Equal(TimeSpan.FromDays(7).TotalSeconds, await LatestLinkLifetimeSecondsAsync(id));
        Assert.StartsWith("This invitation link no longer works", await TokenProblemAsync(await AcceptAsync(biz, first)), StringComparison.Ordinal);

        // The API: the answer is the member with the new address, invited, nothing pending; again to a third address.
        var final = $"ivy-final-{Guid.NewGuid():N}@example.com";
        var answer = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{id}",
            new { name = "Ivy Invited", email = final.ToUpperInvariant(), role = "practitioner", diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(final, answer.GetProperty("email").GetString());
        Assert.True(answer.GetProperty("invited").GetBoolean());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("pendingEmail").ValueKind);
        var third = (await InvitationTokensAsync(final, 1, Subject(biz)))[0];
        Assert.StartsWith("This invitation link no longer works", await TokenProblemAsync(await AcceptAsync(biz, second)), StringComparison.Ordinal);

        // The last link works: the password is set, the address proven, sign-in with it.
        Assert.Equal(HttpStatusCode.NoContent, (await AcceptAsync(biz, third)).StatusCode);
        var ivy = App.NewClient();
        await (await ivy.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = final, password = Chosen })).JsonAsync(HttpStatusCode.OK);
        Assert.True((await ivy.GetFromJsonAsync<JsonElement>("/api/v1/staff/me/email-confirmation")).GetProperty("confirmed").GetBoolean());
        Assert.False((await biz.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/admin/staff/{id}")).GetProperty("invited").GetBoolean());

        // Nothing more to any of the three addresses: no confirmation link, no notice to the old ones.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(fixture.Smtp.MessagesTo(typo));
        Assert.Single(fixture.Smtp.MessagesTo(right));
        Assert.Single(fixture.Smtp.MessagesTo(final));
    }

    [Fact]
    public async Task Forgot_your_password_sends_an_invited_member_the_invitation_again_with_the_same_answer_as_for_anyone()
    {
        var biz = await App.SignUpBusinessAsync("invforgot");
        var email = $"ivy-{Guid.NewGuid():N}@example.com";
        var stranger = $"nobody-{Guid.NewGuid():N}@example.com";
        var id = await InviteAsync(biz, email);
        var first = (await InvitationTokensAsync(email, 1, Subject(biz)))[0];

        // The page answers the invited address and an unknown one in the same words (only the address differs).
        async Task<string> ForgotAsync(string address)
        {
            var http = App.NewClient();
            var sent = await http.SubmitAsync(await http.PageAsync($"/staff/forgot-password?name={biz.Slug}"), PortalHtml.Fields(("Input.Email", address)));
            return sent.One("[role=status]")!.TextContent.Replace(address, "ADDRESS", StringComparison.Ordinal);
        }

        var forInvited = await ForgotAsync(email);
        Assert.Equal(forInvited, await ForgotAsync(stranger));
        Assert.Contains("If you were invited and haven't chosen a password yet, we have emailed you a new invitation instead: its link works for 7 days", forInvited, StringComparison.Ordinal);

        // The email is the invitation (who added them, its link, 7 days), not a reset; the earlier link ends.
        var second = (await InvitationTokensAsync(email, 2, Subject(biz))).Single(t => t != first);
        Assert.Equal(TimeSpan.FromDays(7).TotalSeconds, await LatestLinkLifetimeSecondsAsync(id));
        Assert.StartsWith("This invitation link no longer works", await TokenProblemAsync(await AcceptAsync(biz, first)), StringComparison.Ordinal);
        var log = await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages");
        Assert.All(log.GetProperty("items").EnumerateArray().Where(m => m.GetProperty("to").GetString() == email),
            m => Assert.Equal("staff-invitation", m.GetProperty("kind").GetString()));

        // An invitation from before the inviter's name was kept: the same invitation, without the name.
        await Sql.AdminExecAsync(App.Database.Database, "update tenancy.staff_members set invited_by = null where id = @s", ("s", id));
        await ForgotAsync(email);
        var mails = await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count >= 3, TimeSpan.FromSeconds(60), "the third invitation");
        // The new one by its link, not by its Date header: two mails in one second keep no order.
        var unnamed = mails.Single(m => AccountChangeHelpers.ResetTokenOf(m, "/staff/accept-invitation") is var t && t != first && t != second);
        Assert.Equal($"You were added to Business {biz.Slug} — set your password", unnamed.Subject);
        var third = AccountChangeHelpers.ResetTokenOf(unnamed, "/staff/accept-invitation");
        Assert.StartsWith("This invitation link no longer works", await TokenProblemAsync(await AcceptAsync(biz, second)), StringComparison.Ordinal);

        // Its link sets the password; they sign in. Nothing reached the unknown address.
        var page = await App.NewClient().PageAsync($"/staff/accept-invitation?name={biz.Slug}&token={third}");
        Assert.NotNull(page.One("form input[name='Input.NewPassword']"));
        Assert.Equal(HttpStatusCode.NoContent, (await AcceptAsync(biz, third)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(biz, email, Chosen)).StatusCode);
        Assert.Empty(fixture.Smtp.MessagesTo(stranger));
    }

    [Fact]
    public async Task A_failed_sign_in_gives_everyone_the_invitation_hint_so_it_tells_nobody_who_is_invited()
    {
        var biz = await App.SignUpBusinessAsync("invsignin");
        var email = $"ivy-{Guid.NewGuid():N}@example.com";
        await InviteAsync(biz, email);
        var token = (await InvitationTokensAsync(email, 1, Subject(biz)))[0];

        // The invited address, an unknown one and a wrong password for someone with one: one answer, with the hint.
        async Task<JsonElement> RefusedAsync(string address, string password)
        {
            var problem = await (await SignInAsync(biz, address, password)).JsonAsync(HttpStatusCode.Unauthorized);
            Assert.Equal("unauthenticated", problem.Kind());
            return problem;
        }

        var invited = await RefusedAsync(email, "any password at all, really 2026");
        Assert.Equal($"The email or password is not right. {Hint}", invited.GetProperty("detail").GetString());
        var unknown = await RefusedAsync($"nobody-{Guid.NewGuid():N}@example.com", "any password at all, really 2026");
        var wrong = await RefusedAsync(biz.OwnerEmail, "not the owner's password at all 2026");
        Assert.Equal(invited.GetProperty("detail").GetString(), unknown.GetProperty("detail").GetString());
        Assert.Equal(invited.GetProperty("detail").GetString(), wrong.GetProperty("detail").GetString());
        Assert.Equal(invited.GetProperty("title").GetString(), unknown.GetProperty("title").GetString());

        // The page says it too, and leads to "Forgot your password?".
        var http = App.NewClient();
        var signIn = await http.PageAsync($"/staff/sign-in?name={biz.Slug}");
        var refused = await http.SubmitAsync(signIn, PortalHtml.Fields(("Input.Email", email), ("Input.Password", "any password at all, really 2026")));
        Assert.Contains(Hint, refused.Text, StringComparison.Ordinal);
        Assert.NotNull(refused.All("a").SingleOrDefault(a => a.TextContent.Trim() == "Forgot your password?"));

        // Following the hint: the invitation's link sets the password and sign-in works.
        Assert.Equal(HttpStatusCode.NoContent, (await AcceptAsync(biz, token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(biz, email, Chosen)).StatusCode);
    }
}
