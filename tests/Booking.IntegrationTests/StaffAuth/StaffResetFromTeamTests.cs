using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.IntegrationTests.Setup;

namespace Booking.IntegrationTests.StaffAuth;

/// <summary>
/// Setup → Team's "Send password reset link" (and its route): an owner or admin sends a team member the forgot-password
/// email, with a link that works; a practitioner may not; another business's staff id is not found; the address's
/// hourly limit is the forgot form's, told to the sender.
/// </summary>
public sealed class StaffResetFromTeamTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string NewPassword = "a brand new sentence for the front desk";

    private BookingApp App => shared.App;

    private static string SendUrl(Guid staffId) => $"/api/v1/admin/staff/{staffId}/send-password-reset";

    private static async Task<(Guid Id, string Email)> AddMemberAsync(TestBusiness biz, string role = "practitioner")
    {
        var email = $"member-{Guid.NewGuid():N}@{biz.Slug}.example";
        var created = await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Mia Member", email, password = TestBusiness.OwnerPassword, role, diaryIds = Array.Empty<Guid>() });
        return ((await created.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid(), email);
    }

    /// <summary>The reset link of the <paramref name="nth"/> mail to the address, once it has arrived.</summary>
    private async Task<string> EmailedLinkAsync(string email, int nth = 1)
    {
        var mails = await Eventually.ReturnsAsync(
            () => App.NewClient().GetFromJsonAsync<JsonElement>($"/dev/api/mail?to={Uri.EscapeDataString(email)}"),
            j => j.GetArrayLength() >= nth, TimeSpan.FromSeconds(60), $"{nth} mail(s) to {email}");
        var text = mails[0].GetProperty("text").GetString()!;
        return text.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/staff/reset-password?", StringComparison.Ordinal));
    }

    private static async Task<string> KindAsync(HttpResponseMessage response, HttpStatusCode expected) =>
        (await response.JsonAsync(expected)).GetProperty("type").GetString()!.Split('/')[^1];

    private Task<long> RequestsAsync(string email) =>
        Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from tenancy.staff_password_reset_requests where email = @e", ("e", email));

    private async Task<HttpStatusCode> SignInStatusAsync(string slug, string email, string password) =>
        (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={slug}", new { email, password })).StatusCode;

    [Fact]
    public async Task An_owner_sends_a_member_a_link_that_resets_their_password()
    {
        var biz = await App.SignUpBusinessAsync("team-reset");
        var (id, email) = await AddMemberAsync(biz);

        var sent = await biz.Owner.PostAsync(new Uri(SendUrl(id), UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);

        var link = await EmailedLinkAsync(email);
        Assert.Contains($"/staff/reset-password?name={biz.Slug}&token=", link, StringComparison.Ordinal);
        var token = link[(link.IndexOf("&token=", StringComparison.Ordinal) + "&token=".Length)..];
        var reset = await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/reset-password?name={biz.Slug}", new { token, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(biz.Slug, email, NewPassword));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInStatusAsync(biz.Slug, email, TestBusiness.OwnerPassword));
    }

    [Fact]
    public async Task A_practitioner_may_not_send_one_and_another_businesss_member_is_not_found()
    {
        var biz = await App.SignUpBusinessAsync("team-reset");
        var other = await App.SignUpBusinessAsync("team-reset");
        var (id, email) = await AddMemberAsync(biz);
        var (otherId, otherEmail) = await AddMemberAsync(other);

        var practitioner = await App.SignInPractitionerAsync(biz);
        Assert.Equal("forbidden", await KindAsync(await practitioner.PostAsync(new Uri(SendUrl(id), UriKind.Relative), null), HttpStatusCode.Forbidden));
        Assert.Equal("not-found", await KindAsync(await biz.Owner.PostAsync(new Uri(SendUrl(otherId), UriKind.Relative), null), HttpStatusCode.NotFound));
        Assert.Equal("not-found", await KindAsync(await biz.Owner.PostAsync(new Uri("/api/v1/admin/staff/not-a-guid/send-password-reset", UriKind.Relative), null), HttpStatusCode.NotFound));

        Assert.Equal(0, await RequestsAsync(email));
        Assert.Equal(0, await RequestsAsync(otherEmail));
        Assert.Equal(HttpStatusCode.Accepted, (await other.Owner.PostAsync(new Uri(SendUrl(otherId), UriKind.Relative), null)).StatusCode); // its own owner may
        Assert.Equal(1, await RequestsAsync(otherEmail));
    }

    [Fact]
    public async Task An_admin_may_not_send_an_owner_a_reset_link_and_nothing_is_recorded_while_an_owner_may()
    {
        var biz = await App.SignUpBusinessAsync("team-reset");
        var ownerId = (await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/staff/me")).GetProperty("id").GetGuid();
        var (adminId, adminEmail) = await AddMemberAsync(biz, "admin");
        var admin = App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}",
            new { email = adminEmail, password = TestBusiness.OwnerPassword })).StatusCode);

        var refused = await admin.PostAsync(new Uri(SendUrl(ownerId), UriKind.Relative), null);
        var problem = await refused.JsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal("forbidden", problem.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal("Only an owner can send an owner a password reset link. The owner can ask for one themselves from the staff sign-in page.",
            problem.GetProperty("detail").GetString());
        Assert.Equal(0, await RequestsAsync(biz.OwnerEmail));

        // The admin may still send one to another admin's or a practitioner's address, and the owner to the admin.
        var (_, practitionerEmail) = await AddMemberAsync(biz);
        var practitionerId = (await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/staff", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Single(m => m.GetProperty("email").GetString() == practitionerEmail).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync(new Uri(SendUrl(practitionerId), UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await biz.Owner.PostAsync(new Uri(SendUrl(adminId), UriKind.Relative), null)).StatusCode);
        Assert.Equal(1, await RequestsAsync(practitionerEmail));
        Assert.Equal(1, await RequestsAsync(adminEmail));
    }

    [Fact]
    public async Task The_address_gets_the_forgot_forms_three_links_an_hour_and_the_sender_is_told()
    {
        var biz = await App.SignUpBusinessAsync("team-reset");
        var (id, email) = await AddMemberAsync(biz);

        // The member's own request counts with the owner's sends: one address, one limit.
        Assert.Equal(HttpStatusCode.Accepted, (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/forgot-password?name={biz.Slug}", new { email })).StatusCode);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await biz.Owner.PostAsync(new Uri(SendUrl(id), UriKind.Relative), null)).StatusCode);
        }

        var limited = await biz.Owner.PostAsync(new Uri(SendUrl(id), UriKind.Relative), null);
        Assert.Equal("rate-limited", await KindAsync(limited, HttpStatusCode.TooManyRequests));
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(3, await RequestsAsync(email));
    }

    [Fact]
    public async Task The_team_page_sends_the_link_for_others_not_for_yourself()
    {
        var biz = await App.SignUpBusinessAsync("team-reset");
        var (_, email) = await AddMemberAsync(biz);

        var page = await biz.Owner.PageAsync("/staff/setup/team");
        var buttons = page.All("td.actions button").Select(b => b.GetAttribute("aria-label")).Where(l => l!.StartsWith("Send password reset link", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"Send password reset link to Mia Member ({email})"], buttons); // none for the owner's own row

        var form = page.All("td.actions form").Single(f => f.QuerySelector("button")?.GetAttribute("aria-label") == buttons[0]);
        var sent = await biz.Owner.SubmitAsync(page, PortalHtml.Fields(), $"form[action='{form.GetAttribute("action")}']");
        Assert.Equal(HttpStatusCode.Redirect, sent.Status);
        var after = await biz.Owner.PageAsync(sent.Response.Headers.Location!.OriginalString);
        Assert.Contains("A password reset link was emailed. It works for 30 minutes.", after.One("[role=status]")?.TextContent, StringComparison.Ordinal);

        var link = new Uri(await EmailedLinkAsync(email)).PathAndQuery;
        var resetPage = await App.NewClient().PageAsync(link);
        Assert.NotNull(resetPage.One("input[name='Input.NewPassword']")); // a working link
    }

    /// <summary>
    /// Decision 265: someone invited who has not chosen a password gets their invitation again from "Send password reset
    /// link" (decision 257), and the answer says so: the API's <c>sent</c>, the page's notice in "Send the invitation
    /// again"'s words. Their row offers only that button; the post is made with another row's form, as a kept form would.
    /// </summary>
    [Fact]
    public async Task Sending_an_invited_member_a_reset_says_their_invitation_went_again()
    {
        var biz = await App.SignUpBusinessAsync("team-reset");
        var (withPassword, withPasswordEmail) = await AddMemberAsync(biz);
        var invitedEmail = $"ivy-{Guid.NewGuid():N}@{biz.Slug}.example";
        var invited = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Ivy Invited", email = invitedEmail, role = "practitioner", diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // The API: what is sent, and where.
        var reset = await (await biz.Owner.PostAsync(new Uri(SendUrl(withPassword), UriKind.Relative), null)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("password-reset", reset.GetProperty("sent").GetString());
        Assert.Equal(withPasswordEmail, reset.GetProperty("email").GetString());
        var again = await (await biz.Owner.PostAsync(new Uri(SendUrl(invited), UriKind.Relative), null)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("invitation", again.GetProperty("sent").GetString());
        Assert.Equal(invitedEmail, again.GetProperty("email").GetString());
        Assert.Equal("They have not chosen a password yet, so their invitation was emailed to them again instead of a reset link.", again.GetProperty("message").GetString());

        // The page: the invited row offers the invitation again, by name; the reset post for them answers in its words.
        var page = await biz.Owner.PageAsync("/staff/setup/team");
        var row = page.All("tbody tr").Single(r => r.TextContent.Contains(invitedEmail, StringComparison.Ordinal));
        Assert.Equal([$"Send the invitation again to Ivy Invited ({invitedEmail})"], row.QuerySelectorAll("button").Select(b => b.GetAttribute("aria-label")).ToList());
        var form = page.All("td.actions form").Single(f => f.QuerySelector("button")?.GetAttribute("aria-label") == $"Send password reset link to Mia Member ({withPasswordEmail})");
        form.SetAttribute("action", form.GetAttribute("action")!.Replace(withPassword.ToString(), invited.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.Contains("handler=SendReset", form.GetAttribute("action"), StringComparison.Ordinal);
        var sent = await biz.Owner.SubmitAsync(page, PortalHtml.Fields(), $"form[action*='handler=SendReset'][action*='{invited}']");
        Assert.Equal(HttpStatusCode.Redirect, sent.Status);
        var after = await biz.Owner.PageAsync(sent.Response.Headers.Location!.OriginalString);
        Assert.Equal($"We emailed the invitation to {invitedEmail} again. Its link works for 7 days; the link in the earlier email no longer works.",
            after.One("[role=status]")?.TextContent);
        Assert.DoesNotContain("password reset link was emailed", after.Text, StringComparison.Ordinal);

        // What arrived is the invitation (three: the first and the two sent again), never a reset link.
        var mails = await Eventually.ReturnsAsync(
            () => App.NewClient().GetFromJsonAsync<JsonElement>($"/dev/api/mail?to={Uri.EscapeDataString(invitedEmail)}"),
            j => j.GetArrayLength() >= 3, TimeSpan.FromSeconds(60), $"3 mails to {invitedEmail}");
        Assert.All(mails.EnumerateArray(), m =>
        {
            Assert.Contains("/staff/accept-invitation?", m.GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("/staff/reset-password?", m.GetProperty("text").GetString(), StringComparison.Ordinal);
        });
    }
}
