using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.BuildingBlocks.Web;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Booking.IntegrationTests.PortalPages;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.StaffAuth;

/// <summary>
/// Staff forgot/reset password (review J18): the emailed link over HTTP, the same answer and work for an address that
/// is not staff, single use, expiry, another business's link, the password rules, and the other sessions ending.
/// </summary>
public sealed class StaffPasswordResetTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string NewPassword = "a fresh sentence for the grooming van";

    private BookingApp App => shared.App;

    private static string ForgotUrl(string slug) => $"/api/v1/staff/auth/forgot-password?name={slug}";

    private static string ResetUrl(string slug) => $"/api/v1/staff/auth/reset-password?name={slug}";

    /// <summary>A practitioner added by the owner; returns their (lower-case) email.</summary>
    private static async Task<string> AddStaffAsync(TestBusiness biz, string name = "Gina Groomer")
    {
        var email = $"staff-{Guid.NewGuid():N}@{biz.Slug}.example";
        var created = await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name, email, password = TestBusiness.OwnerPassword, role = "practitioner", diaryIds = Array.Empty<Guid>() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return email;
    }

    private Task<JsonElement> MailsAsync(string to, int atLeast = 1) =>
        Eventually.ReturnsAsync(
            () => App.NewClient().GetFromJsonAsync<JsonElement>($"/dev/api/mail?to={Uri.EscapeDataString(to)}"),
            j => j.GetArrayLength() >= atLeast, TimeSpan.FromSeconds(60), $"{atLeast} mail(s) to {to}");

    private Task<long> MailCountAsync(string to) =>
        Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from notifications.dev_mail where \"to\" = @t", ("t", to));

    /// <summary>Asks for a link and reads the token out of the email that arrives (the <paramref name="nth"/> one to the address).</summary>
    private async Task<(string Link, string Token)> EmailedLinkAsync(string slug, string email, int nth = 1)
    {
        var asked = await App.NewClient().PostAsJsonAsync(ForgotUrl(slug), new { email });
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var mail = (await MailsAsync(email, nth))[0];
        var text = mail.GetProperty("text").GetString()!;
        var link = text.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/staff/reset-password?", StringComparison.Ordinal));
        var token = link[(link.IndexOf("&token=", StringComparison.Ordinal) + "&token=".Length)..];
        return (link, token);
    }

    private async Task<HttpResponseMessage> ResetAsync(string slug, string token, string password = NewPassword) =>
        await App.NewClient().PostAsJsonAsync(ResetUrl(slug), new { token, newPassword = password });

    private async Task<HttpStatusCode> SignInStatusAsync(string slug, string email, string password) =>
        (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={slug}", new { email, password })).StatusCode;

    private static async Task AssertTokenRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal("validation", json.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.True(json.GetProperty("errors").TryGetProperty("token", out _), json.GetRawText());
    }

    [Fact]
    public async Task A_staff_member_resets_a_forgotten_password_through_the_emailed_link()
    {
        var biz = await App.SignUpBusinessAsync("sreset");
        var email = await AddStaffAsync(biz);

        var asked = await App.NewClient().PostAsJsonAsync(ForgotUrl(biz.Slug.ToUpperInvariant()), new { email = " " + email.ToUpperInvariant() + " " });
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);

        var mail = (await MailsAsync(email))[0];
        Assert.Equal(biz.Slug, mail.GetProperty("tenant").GetString());
        Assert.Equal($"Reset your Business {biz.Slug} staff password", mail.GetProperty("subject").GetString());
        var text = mail.GetProperty("text").GetString()!;
        Assert.Contains("Hi Gina Groomer", text, StringComparison.Ordinal);
        var origin = App.Services.GetRequiredService<PublicOrigin>().Value;
        var link = text.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/staff/reset-password?", StringComparison.Ordinal));
        Assert.StartsWith($"{origin}/staff/reset-password?name={biz.Slug}&token=", link, StringComparison.Ordinal);
        Assert.Contains($"href=\"{WebUtility.HtmlEncode(link)}\"", mail.GetProperty("html").GetString(), StringComparison.Ordinal); // the button

        var token = link[(link.IndexOf("&token=", StringComparison.Ordinal) + "&token=".Length)..];
        Assert.Equal(HttpStatusCode.NoContent, (await ResetAsync(biz.Slug, token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(biz.Slug, email, NewPassword));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInStatusAsync(biz.Slug, email, TestBusiness.OwnerPassword));
    }

    [Fact]
    public async Task An_address_that_is_not_staff_gets_the_same_answer_and_no_mail()
    {
        var biz = await App.SignUpBusinessAsync("sreset");
        var staff = await AddStaffAsync(biz);
        var client = PortalAuthHelpers.NewEmail(); // a client of the business, not staff
        Assert.Equal(HttpStatusCode.Created, (await App.NewClient().RegisterAsync(biz.Slug, client)).StatusCode);
        var stranger = $"nobody-{Guid.NewGuid():N}@example.com";

        var answers = new List<(HttpStatusCode, string)>();
        foreach (var email in new[] { stranger, client, staff })
        {
            var response = await App.NewClient().PostAsJsonAsync(ForgotUrl(biz.Slug), new { email });
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        Assert.All(answers, a => Assert.Equal(answers[^1], a));
        Assert.Equal(HttpStatusCode.Accepted, answers[0].Item1);
        await MailsAsync(staff); // the staff member's mail came, through the same queue the others would have used
        foreach (var email in new[] { stranger, client })
        {
            Assert.Equal(0, await MailCountAsync(email));
            Assert.Equal(0, await Sql.AdminScalarAsync<long>(App.Database.Database,
                "select count(*) from tenancy.outbox_messages where type like '%StaffPasswordResetRequested%' and payload->>'email' = @e", ("e", email)));
        }

        // The same work in the request: each was recorded and handed on alike.
        Assert.Equal(3, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from tenancy.outbox_messages where type like '%StaffPasswordResetAsked%' and payload->>'email' = any(@e)", ("e", new[] { stranger, client, staff })));
    }

    [Fact]
    public async Task A_link_works_once_and_not_once_it_has_expired()
    {
        var biz = await App.SignUpBusinessAsync("sreset");
        var email = await AddStaffAsync(biz);

        var (_, first) = await EmailedLinkAsync(biz.Slug, email);
        Assert.Equal(HttpStatusCode.NoContent, (await ResetAsync(biz.Slug, first)).StatusCode);
        await AssertTokenRefusedAsync(await ResetAsync(biz.Slug, first, "somebody else tries the same link again"));
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(biz.Slug, email, NewPassword));

        var (_, second) = await EmailedLinkAsync(biz.Slug, email, nth: 2);
        await Sql.AdminExecAsync(App.Database.Database,
            "update tenancy.staff_password_reset_tokens set expires_at = now() - interval '1 second' where used_at is null and staff_id = (select id from tenancy.staff_members where email = @e)", ("e", email));
        await AssertTokenRefusedAsync(await ResetAsync(biz.Slug, second, "too late for this particular link"));
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(biz.Slug, email, NewPassword));
    }

    [Fact]
    public async Task Another_businesss_link_is_refused()
    {
        var mine = await App.SignUpBusinessAsync("sreset");
        var other = await App.SignUpBusinessAsync("sreset");
        var email = await AddStaffAsync(mine);
        var (_, token) = await EmailedLinkAsync(mine.Slug, email);

        await AssertTokenRefusedAsync(await ResetAsync(other.Slug, token));
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(mine.Slug, email, TestBusiness.OwnerPassword));
        Assert.Equal(HttpStatusCode.NoContent, (await ResetAsync(mine.Slug, token)).StatusCode); // still good where it belongs
    }

    [Theory]
    [InlineData("too short")]
    [InlineData("1qaz2wsx3edc4rfv")] // on the common-password list, 16 characters
    public async Task A_weak_password_is_refused_naming_the_field_and_the_link_lives_on(string weak)
    {
        var biz = await App.SignUpBusinessAsync("sreset");
        var email = await AddStaffAsync(biz);
        var (_, token) = await EmailedLinkAsync(biz.Slug, email);

        var refused = await ResetAsync(biz.Slug, token, weak);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.JsonAsync()).GetProperty("errors");
        Assert.Equal(["newPassword"], errors.EnumerateObject().Select(p => p.Name));

        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(biz.Slug, email, TestBusiness.OwnerPassword));
        Assert.Equal(HttpStatusCode.NoContent, (await ResetAsync(biz.Slug, token)).StatusCode);
    }

    [Fact]
    public async Task Resetting_ends_the_staff_members_other_sessions()
    {
        var biz = await App.SignUpBusinessAsync("sreset");
        var email = await AddStaffAsync(biz);
        var device = App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await device.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email, password = TestBusiness.OwnerPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await device.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode);

        var (_, token) = await EmailedLinkAsync(biz.Slug, email);
        Assert.Equal(HttpStatusCode.NoContent, (await ResetAsync(biz.Slug, token)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await device.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await biz.Owner.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).StatusCode); // only hers
    }

    [Fact]
    public async Task Requests_are_limited_per_address_and_per_ip_as_the_portals()
    {
        var biz = await App.SignUpBusinessAsync("sreset");
        var email = await AddStaffAsync(biz);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await App.NewClient().PostAsJsonAsync(ForgotUrl(biz.Slug), new { email })).StatusCode);
        }

        await MailsAsync(email, 3);
        Assert.Equal(3, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from tenancy.staff_password_reset_tokens where staff_id = (select id from tenancy.staff_members where email = @e)", ("e", email)));

        // 20 recorded an hour from one IP in one business (three so far: the fourth was not recorded), then rate-limited.
        for (var i = 3; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await App.NewClient().PostAsJsonAsync(ForgotUrl(biz.Slug), new { email = $"n{i}-{Guid.NewGuid():N}@example.com" })).StatusCode);
        }

        var limited = await App.NewClient().PostAsJsonAsync(ForgotUrl(biz.Slug), new { email = $"last-{Guid.NewGuid():N}@example.com" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("rate-limited", await limited.KindAsync());
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    [Fact]
    public async Task The_pages_lead_from_sign_in_to_a_new_password()
    {
        var biz = await App.SignUpBusinessAsync("sreset");
        var email = await AddStaffAsync(biz);
        var http = App.NewClient();

        var signIn = await http.PageAsync($"/staff/sign-in?name={biz.Slug}");
        var forgotLink = signIn.All("a").Single(a => a.TextContent.Trim() == "Forgot your password?").GetAttribute("href");
        Assert.Equal($"/staff/forgot-password?name={biz.Slug}", forgotLink);

        var forgot = await http.PageAsync(forgotLink!);
        Assert.Equal(HttpStatusCode.OK, forgot.Status);
        var bad = await http.SubmitAsync(forgot, PortalHtml.Fields(("Input.Email", "not an email")));
        Assert.Equal("Enter a valid email address.", bad.One("#email-error")?.TextContent.Trim());
        Assert.Equal("true", bad.One("#Input_Email")?.GetAttribute("aria-invalid"));
        var sent = await http.SubmitAsync(bad, PortalHtml.Fields(("Input.Email", email)));
        Assert.Contains("we have emailed it a link", sent.One("[role=status]")?.TextContent, StringComparison.Ordinal);

        var mail = (await MailsAsync(email))[0].GetProperty("text").GetString()!;
        var link = new Uri(mail.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/staff/reset-password?", StringComparison.Ordinal))).PathAndQuery;
        var form = await http.PageAsync(link);
        Assert.NotNull(form.One("input[name='Input.NewPassword']"));
        var weak = await http.SubmitAsync(form, PortalHtml.Fields(("Input.NewPassword", "too short")));
        Assert.StartsWith("Use at least 15 characters", weak.One("#password-error")?.TextContent.Trim(), StringComparison.Ordinal);
        Assert.StartsWith("Error: ", weak.One("title")?.TextContent, StringComparison.Ordinal);
        var done = await http.SubmitAsync(weak, PortalHtml.Fields(("Input.NewPassword", NewPassword)));
        Assert.Contains("Your password is changed", done.One("[role=status]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(biz.Slug, email, NewPassword));

        var again = await App.NewClient().PageAsync(link);
        Assert.Null(again.One("input[name='Input.NewPassword']"));
        Assert.Contains(again.All("#link-dead a"), a => a.GetAttribute("href") == $"/staff/forgot-password?name={biz.Slug}");
    }
}
