using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Booking.IntegrationTests.PortalPages;
using Booking.IntegrationTests.Setup;

namespace Booking.IntegrationTests.StaffAuth;

/// <summary>
/// Decision 248: an owner or admin adds a team member without a password; the member is emailed an invitation
/// ("Olive Owner added you to … — set your password") whose link, a 7-day staff reset link, lets them choose their
/// password and proves their address. Team shows them as "Invited — not signed in yet" until then and can send the
/// invitation again, which ends the earlier link; a used, replaced or expired link says which. Typing a password works
/// as before. Real PostgreSQL, real SMTP on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class StaffInvitationTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Chosen = "my very own staff password 2026";

    private BookingApp App => fixture.App;

    private static string Subject(TestBusiness biz) => $"Olive Owner added you to Business {biz.Slug} — set your password";

    private static async Task<JsonElement> AddAsync(HttpClient by, string email, string role = "practitioner", string? password = null) =>
        await (await by.PostAsJsonAsync("/api/v1/admin/staff", new { name = "Ivy Invited", email, password, role, diaryIds = Array.Empty<Guid>() }))
            .JsonAsync(HttpStatusCode.Created);

    private async Task<HttpStatusCode> SignInStatusAsync(TestBusiness biz, string email, string password) =>
        (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email, password })).StatusCode;

    /// <summary>The invitation tokens emailed to the address so far, in the order sent (subjects alike; links differ).</summary>
    private async Task<IReadOnlyList<string>> TokensAsync(string to, int count)
    {
        var mails = await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} invitation(s) to {to}");
        Assert.Equal(count, mails.Count);
        return mails.OrderBy(m => m.Date).Select(m => AccountChangeHelpers.ResetTokenOf(m, "/staff/accept-invitation")).ToList();
    }

    private Task<HttpResponseMessage> AcceptAsync(TestBusiness biz, string token, string password = Chosen) =>
        App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/accept-invitation?name={biz.Slug}", new { token, newPassword = password });

    private static async Task<string> TokenProblemAsync(HttpResponseMessage response)
    {
        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["token"], problem.ErrorFields());
        return problem.GetProperty("errors").GetProperty("token")[0].GetString()!;
    }

    [Fact]
    public async Task An_invited_member_sets_their_password_from_the_emailed_link_which_proves_their_address()
    {
        var biz = await App.SignUpBusinessAsync("invite");
        var email = $"ivy-{Guid.NewGuid():N}@example.com";

        // Team's add form with the password box left empty.
        var team = await biz.Owner.PageAsync("/staff/setup/team");
        var added = await biz.Owner.SubmitAsync(team,
            PortalHtml.Fields(("Input.Name", "Ivy Invited"), ("Input.Email", email), ("Input.Password", ""), ("Input.Role", "practitioner")), "form[action*='handler=Save']");
        Assert.Equal(HttpStatusCode.Redirect, added.Status);
        var after = await biz.Owner.PageAsync(added.Response.Headers.Location!.OriginalString);
        Assert.Equal($"Team member added. We emailed {email} an invitation to choose their password; its link works for 7 days.", after.One("p.notice")?.TextContent);
        var row = after.All("tbody tr").Single(r => r.TextContent.Contains(email, StringComparison.Ordinal));
        Assert.Equal("Invited — not signed in yet", row.QuerySelector("[data-invited]")?.TextContent);
        Assert.NotNull(row.QuerySelector("button[aria-label='Send the invitation again to Ivy Invited (" + email + ")']"));

        // The email: the owner's name, the business, the link, branded as the other staff emails.
        var mail = await fixture.MailAsync(email, "Olive Owner added you to");
        Assert.Equal(Subject(biz), mail.Subject);
        Assert.Contains($"Olive Owner added you to the team at Business {biz.Slug}", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Business {biz.Slug}", mail.HtmlBody, StringComparison.Ordinal);
        var token = AccountChangeHelpers.ResetTokenOf(mail, "/staff/accept-invitation");
        Assert.Contains($"/staff/accept-invitation?name={biz.Slug}&token={token}", mail.TextBody, StringComparison.Ordinal);

        // Nobody signs in as them yet, with any password.
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInStatusAsync(biz, email, TestBusiness.OwnerPassword));

        // The page: opening changes nothing; the form sets the password.
        var visitor = App.NewClient();
        var open = await visitor.PageAsync($"/staff/accept-invitation?name={biz.Slug}&token={token}");
        Assert.Contains($"Ivy Invited, you were added to the team at Business {biz.Slug}", open.Text, StringComparison.Ordinal);
        Assert.Contains(email, open.One("form")?.ParentElement?.TextContent, StringComparison.Ordinal);
        var weak = await visitor.SubmitAsync(open, PortalHtml.Fields(("Input.NewPassword", "short")));
        Assert.NotEmpty(weak.One("#password-error")?.TextContent ?? "");
        Assert.NotNull(weak.One("form")); // the form again: the link still works
        var done = await visitor.SubmitAsync(weak, PortalHtml.Fields(("Input.NewPassword", Chosen)));
        Assert.Contains("Your password is set and your email address is confirmed.", done.One("#invitation-done")?.TextContent, StringComparison.Ordinal);

        // They sign in; their address is confirmed; Team no longer shows them invited; the link is spent.
        var ivy = App.NewClient();
        await (await ivy.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email, password = Chosen })).JsonAsync(HttpStatusCode.OK);
        Assert.True((await ivy.GetFromJsonAsync<JsonElement>("/api/v1/staff/me/email-confirmation")).GetProperty("confirmed").GetBoolean());
        var list = await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/staff");
        Assert.False(list.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("email").GetString() == email).GetProperty("invited").GetBoolean());
        Assert.Null((await biz.Owner.PageAsync("/staff/setup/team")).One("[data-invited]"));
        var reopened = await App.NewClient().PageAsync($"/staff/accept-invitation?name={biz.Slug}&token={token}");
        Assert.Equal("accepted", reopened.One("#link-dead")?.GetAttribute("data-state"));
        Assert.StartsWith("You have already chosen your password with this invitation.", await TokenProblemAsync(await AcceptAsync(biz, token, "another password entirely 2026")), StringComparison.Ordinal);

        // Tools → Messages lists it like the other emails, and (a sign-in email) offers no resend.
        var log = await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages");
        var logged = log.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("to").GetString() == email);
        Assert.Equal(Subject(biz), logged.GetProperty("subject").GetString());
        Assert.Equal("staff-invitation", logged.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Sending_the_invitation_again_ends_the_earlier_link_and_only_while_it_waits()
    {
        var biz = await App.SignUpBusinessAsync("invite");
        var email = $"ivy-{Guid.NewGuid():N}@example.com";
        var id = (await AddAsync(biz.Owner, email)).GetProperty("id").GetGuid();
        var first = (await TokensAsync(email, 1))[0];

        var resent = await (await biz.Owner.PostAsync(new Uri($"/api/v1/admin/staff/{id}/send-invitation", UriKind.Relative), null)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(email, resent.GetProperty("email").GetString());
        var tokens = await TokensAsync(email, 2);
        var second = tokens.Single(t => t != first);

        Assert.StartsWith("This invitation link no longer works: a newer invitation was sent to you since.", await TokenProblemAsync(await AcceptAsync(biz, first)), StringComparison.Ordinal);
        var dead = await App.NewClient().PageAsync($"/staff/accept-invitation?name={biz.Slug}&token={first}");
        Assert.Equal("replaced", dead.One("#link-dead")?.GetAttribute("data-state"));
        Assert.Null(dead.One("form input[name='Input.NewPassword']"));
        Assert.Equal(HttpStatusCode.NoContent, (await AcceptAsync(biz, second)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(biz, email, Chosen));

        // Security review s33 #6: once the newer one is accepted, the replaced link still says it was replaced (not
        // "you have already chosen your password with this invitation"); the accepted one says accepted.
        Assert.StartsWith("This invitation link no longer works: a newer invitation was sent to you since.", await TokenProblemAsync(await AcceptAsync(biz, first)), StringComparison.Ordinal);
        Assert.Equal("replaced", (await App.NewClient().PageAsync($"/staff/accept-invitation?name={biz.Slug}&token={first}")).One("#link-dead")?.GetAttribute("data-state"));
        Assert.Equal("accepted", (await App.NewClient().PageAsync($"/staff/accept-invitation?name={biz.Slug}&token={second}")).One("#link-dead")?.GetAttribute("data-state"));

        // Accepted: nothing to send again. A practitioner may not send one at all.
        var accepted = await (await biz.Owner.PostAsync(new Uri($"/api/v1/admin/staff/{id}/send-invitation", UriKind.Relative), null)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("invitation-accepted", accepted.Kind());
        var practitioner = await App.SignInPractitionerAsync(biz);
        Assert.Equal("forbidden", (await (await practitioner.PostAsync(new Uri($"/api/v1/admin/staff/{id}/send-invitation", UriKind.Relative), null))
            .JsonAsync(HttpStatusCode.Forbidden)).Kind());
        Assert.Equal(2, fixture.Smtp.MessagesTo(email).Count);
    }

    [Fact]
    public async Task The_team_pages_button_sends_it_again_and_an_admin_may_not_invite_an_owner_again()
    {
        var biz = await App.SignUpBusinessAsync("invite");
        var email = $"ivy-{Guid.NewGuid():N}@example.com";
        await AddAsync(biz.Owner, email);
        var first = (await TokensAsync(email, 1))[0];

        var team = await biz.Owner.PageAsync("/staff/setup/team");
        var label = $"Send the invitation again to Ivy Invited ({email})";
        var form = team.All("td.actions form").Single(f => f.QuerySelector("button")?.GetAttribute("aria-label") == label);
        var sent = await biz.Owner.SubmitAsync(team, PortalHtml.Fields(), $"form[action='{form.GetAttribute("action")}']");
        Assert.Equal(HttpStatusCode.Redirect, sent.Status);
        var after = await biz.Owner.PageAsync(sent.Response.Headers.Location!.OriginalString);
        Assert.Equal($"We emailed the invitation to {email} again. Its link works for 7 days; the link in the earlier email no longer works.", after.One("p.notice")?.TextContent);
        var second = (await TokensAsync(email, 2)).Single(t => t != first);
        Assert.Equal(HttpStatusCode.BadRequest, (await AcceptAsync(biz, first)).StatusCode);

        // An invited owner (granted with the owner's password) is the owners' business: an admin may not send theirs.
        var ownerInvitee = $"oscar-{Guid.NewGuid():N}@example.com";
        var ownerId = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Oscar", email = ownerInvitee, role = "owner", diaryIds = Array.Empty<Guid>(), currentPassword = TestBusiness.OwnerPassword }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var adminEmail = $"ada-{Guid.NewGuid():N}@{biz.Slug}.example";
        await AddAsync(biz.Owner, adminEmail, "admin", TestBusiness.OwnerPassword);
        var admin = App.NewClient();
        await (await admin.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email = adminEmail, password = TestBusiness.OwnerPassword })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("forbidden", (await (await admin.PostAsync(new Uri($"/api/v1/admin/staff/{ownerId}/send-invitation", UriKind.Relative), null))
            .JsonAsync(HttpStatusCode.Forbidden)).Kind());
        Assert.Equal(HttpStatusCode.NoContent, (await AcceptAsync(biz, second)).StatusCode);
    }

    [Fact]
    public async Task An_expired_link_says_so_and_sets_nothing_and_a_typed_password_works_as_before()
    {
        var biz = await App.SignUpBusinessAsync("invite");
        var email = $"ivy-{Guid.NewGuid():N}@example.com";
        var created = await AddAsync(biz.Owner, email);
        Assert.True(created.GetProperty("invited").GetBoolean());
        var token = (await TokensAsync(email, 1))[0];
        var lifetime = await Sql.AdminScalarAsync<double>(App.Database.Database,
            "select extract(epoch from expires_at - created_at) from tenancy.staff_password_reset_tokens where staff_id = @s and invitation", ("s", created.GetProperty("id").GetGuid()));
        Assert.Equal(TimeSpan.FromDays(7).TotalSeconds, lifetime);

        await Sql.AdminExecAsync(App.Database.Database,
            "update tenancy.staff_password_reset_tokens set created_at = now() - interval '8 days', expires_at = now() - interval '1 day' where staff_id = @s",
            ("s", created.GetProperty("id").GetGuid()));
        Assert.StartsWith("This invitation link has expired. Ask the person who added you to send the invitation again", await TokenProblemAsync(await AcceptAsync(biz, token)), StringComparison.Ordinal);
        var page = await App.NewClient().PageAsync($"/staff/accept-invitation?name={biz.Slug}&token={token}");
        Assert.Equal("expired", page.One("#link-dead")?.GetAttribute("data-state"));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInStatusAsync(biz, email, Chosen));
        var member = await biz.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/admin/staff/{created.GetProperty("id").GetGuid()}");
        Assert.True(member.GetProperty("invited").GetBoolean());

        // With a password typed, as today: no invitation, signs in at once, not shown as invited.
        var typed = $"tia-{Guid.NewGuid():N}@example.com";
        var withPassword = await AddAsync(biz.Owner, typed, password: TestBusiness.OwnerPassword);
        Assert.False(withPassword.GetProperty("invited").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(biz, typed, TestBusiness.OwnerPassword));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(fixture.Smtp.MessagesTo(typed));
    }
}
