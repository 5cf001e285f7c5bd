using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Booking.IntegrationTests.PortalPages;
using MimeKit;

namespace Booking.IntegrationTests.StaffAuth;

/// <summary>
/// A new business's owner is emailed a link that confirms their sign-in email. Until it is used, the owner's booking
/// and cancellation request emails are held back (written "withheld", decision 206) and Setup → Client Portal and
/// Requests say so with "Send the link again"; opening the link changes nothing, its Confirm button proves the address
/// (as a used reset link does), after which request emails reach the owner and the held-back one can be sent from the
/// log. Used, replaced, expired and tampered links are refused with a friendly page. Through the HTTP API and the
/// pages, with the real modules; real PostgreSQL, real SMTP on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class OwnerEmailConfirmationTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private BookingApp App => fixture.App;

    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to, int count = 1) =>
        Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} email(s) to {to}");

    /// <summary>
    /// The confirmation link (path and query) of the <paramref name="nth"/> confirmation email to the address, once it
    /// has arrived: the one not among the links of the emails before it (the sink's files come in no set order).
    /// </summary>
    private async Task<string> LinkAsync(string to, int nth = 1)
    {
        await MailAsync(to, nth);
        var links = await Eventually.ReturnsAsync(() => Task.FromResult(ConfirmationLinks(to)), l => l.Count >= nth, TimeSpan.FromSeconds(60), $"{nth} confirmation link(s) to {to}");
        Assert.Equal(nth, links.Count);
        var known = seen.TryGetValue(to, out var list) ? list : seen[to] = [];
        var link = links.Except(known).Single();
        known.Add(link);
        return link;
    }

    private readonly Dictionary<string, List<string>> seen = [];

    private List<string> ConfirmationLinks(string to) =>
        fixture.Smtp.MessagesTo(to).Where(m => m.Subject!.StartsWith("Confirm your email for ", StringComparison.Ordinal))
            .Select(m => new Uri(m.TextBody!.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim())
                .First(l => l.Contains("/staff/verify-email?", StringComparison.Ordinal))).PathAndQuery)
            .ToList();

    private static string TokenOf(string link) => link[(link.IndexOf("&token=", StringComparison.Ordinal) + "&token=".Length)..];

    private async Task<HttpResponseMessage> ConfirmByApiAsync(string slug, string token) =>
        await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/verify-email?name={slug}", new { token });

    private static async Task<string> KindAsync(HttpResponseMessage response, HttpStatusCode expected) =>
        (await response.JsonAsync(expected)).GetProperty("type").GetString()!.Split('/')[^1];

    /// <summary>The notice on a staff page while the signed-in person's address is unproven (null when there is none).</summary>
    private static async Task<string?> NoticeAsync(HttpClient staff, string page) =>
        (await staff.PageAsync(page)).One("#email-unconfirmed")?.TextContent;

    private Task<long> ProvenAsync(TestBusiness biz) =>
        Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from tenancy.staff_members where tenant_id = @t and role = 'owner' and email_proven_at is not null", ("t", biz.Id));

    private static async Task<Guid> DiaryAsync(TestBusiness biz, string contact)
    {
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Lee", contactEmail = contact, active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        return diary;
    }

    /// <summary>A client awaiting approval asks for a time: a booking request, emailed to the diary contact and the owners and admins.</summary>
    private async Task RequestAsync(TestBusiness biz, Guid diary, Guid service, int day, string lastName)
    {
        var http = App.NewClient();
        var tag = Guid.NewGuid().ToString("N")[..8];
        await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName = "Pat", lastName, email = $"client-{tag}@example.com", password = "a long client password 2026!" })).JsonAsync(HttpStatusCode.Created);
        var start = DateTimeOffset.UtcNow.Date.AddDays(day).AddHours(10);
        var requested = await (await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}",
            new { serviceId = service, diaryId = diary, start = new DateTimeOffset(start, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
    }

    private static async Task<JsonElement> RowAsync(TestBusiness biz, string to, string kind) =>
        (await Eventually.ReturnsAsync(
            async () => (await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?limit=100")).GetProperty("items").EnumerateArray()
                .Where(i => i.GetProperty("to").GetString() == to && i.GetProperty("kind").GetString() == kind).ToList(),
            rows => rows.Count == 1, TimeSpan.FromSeconds(60), $"a {kind} row to {to}")).Single();

    [Fact]
    public async Task Sign_up_emails_the_owner_a_link_whose_confirm_button_proves_the_address_and_request_emails_then_reach_them()
    {
        var biz = await App.SignUpBusinessAsync("confirm", "Europe/London");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        await biz.SettingsAsync(x => x["newClientsNeedApproval"] = true);
        var contact = $"contact-{Guid.NewGuid().ToString("N")[..8]}@example.com";
        await App.ConfirmAddressesAsync(biz.Id, contact);
        var diary = await DiaryAsync(biz, contact);
        var service = await biz.ServiceAsync("Consultation", 45, 0, [diary]);

        // The sign-up's email: our words, a link on the public origin to this business's confirm page.
        var mail = Assert.Single(await MailAsync(biz.OwnerEmail));
        Assert.Equal($"Confirm your email for Business {biz.Slug}", mail.Subject);
        Assert.Contains("Hi Olive Owner,", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("we hold back the booking and cancellation request emails meant for you", mail.TextBody, StringComparison.Ordinal);
        var link = await LinkAsync(biz.OwnerEmail);
        Assert.StartsWith($"/staff/verify-email?name={biz.Slug}&token=", link, StringComparison.Ordinal);
        Assert.Equal("staff-email-verification", (await RowAsync(biz, biz.OwnerEmail, "staff-email-verification")).GetProperty("kind").GetString());

        // Unproven: the owner's request email is withheld, and both pages say so, naming the address.
        await RequestAsync(biz, diary, service, 3, "One");
        var withheld = await RowAsync(biz, biz.OwnerEmail, "staff-booking-request");
        Assert.Equal("withheld", withheld.GetProperty("status").GetString());
        foreach (var page in new[] { "/staff/setup/portal", "/staff/requests" })
        {
            var notice = await NoticeAsync(biz.Owner, page);
            Assert.NotNull(notice);
            Assert.Contains($"We haven't confirmed {biz.OwnerEmail} yet, so booking and cancellation request emails are held back from it.", notice, StringComparison.Ordinal);
            Assert.Contains("spam or junk", notice, StringComparison.Ordinal);
        }

        // Opening the link (a browser, a mail scanner) changes nothing; it asks.
        var browser = App.NewClient();
        var opened = await browser.PageAsync(link);
        Assert.Equal(HttpStatusCode.OK, opened.Status);
        Assert.Contains(biz.OwnerEmail, opened.One("main")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(opened.One("form button[type=submit]"));
        Assert.Equal(0, await ProvenAsync(biz));
        Assert.NotNull(await NoticeAsync(biz.Owner, "/staff/setup/portal"));

        // Its button proves the address; the page says so and where the held-back email is.
        var confirmed = await browser.SubmitAsync(opened, PortalHtml.Fields());
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.Contains($"Thank you. {biz.OwnerEmail} is confirmed.", confirmed.One("#confirmed")?.TextContent, StringComparison.Ordinal);
        Assert.NotNull(confirmed.One("a[href='/staff/tools/messages?status=withheld']"));
        Assert.Equal(1, await ProvenAsync(biz));
        Assert.Null(await NoticeAsync(biz.Owner, "/staff/setup/portal"));
        Assert.Null(await NoticeAsync(biz.Owner, "/staff/requests"));

        // Released: the next request reaches the owner, and the held-back one is sent from the log.
        await RequestAsync(biz, diary, service, 4, "Two");
        Assert.Contains(await MailAsync(biz.OwnerEmail, 2), m => m.Subject == "Booking request: Pat Two");
        await (await biz.Owner.PostAsJsonAsync(new Uri($"/api/v1/admin/messages/{withheld.GetProperty("id").GetGuid()}/resend", UriKind.Relative), new { to = (string?)null }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Contains(await MailAsync(biz.OwnerEmail, 3), m => m.Subject == "Booking request: Pat One");

        // The used link again: it says the address is confirmed, and changes nothing.
        Assert.NotNull((await App.NewClient().PageAsync(link)).One("#confirmed"));
        var again = await (await ConfirmByApiAsync(biz.Slug, TokenOf(link))).JsonAsync(HttpStatusCode.OK);
        Assert.True(again.GetProperty("alreadyDone").GetBoolean());
        Assert.Equal(biz.OwnerEmail, again.GetProperty("email").GetString());
    }

    [Fact]
    public async Task An_expired_a_replaced_a_tampered_or_another_businesss_link_is_refused_with_a_friendly_page_and_proves_nothing()
    {
        var biz = await App.SignUpBusinessAsync("confirm");
        var other = await App.SignUpBusinessAsync("confirm");
        var link = await LinkAsync(biz.OwnerEmail);
        var token = TokenOf(link);

        // Tampered, or under another business's name: the page says so, the API is validation on token.
        var tampered = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        foreach (var dead in new[] { $"/staff/verify-email?name={biz.Slug}&token={tampered}", $"/staff/verify-email?name={other.Slug}&token={token}" })
        {
            var page = await App.NewClient().PageAsync(dead);
            Assert.Contains("This link has expired, was replaced by a newer one, or is not a link we sent. Nothing was changed.",
                page.One("#link-dead")?.TextContent, StringComparison.Ordinal);
            Assert.Null(page.One("form button[type=submit]"));
        }

        var refused = await ConfirmByApiAsync(biz.Slug, tampered);
        Assert.Equal("validation", await KindAsync(refused, HttpStatusCode.BadRequest));
        Assert.Equal("validation", await KindAsync(await ConfirmByApiAsync(other.Slug, token), HttpStatusCode.BadRequest));

        // Expired while the page was open: the button's post is refused on the same page.
        var browser = App.NewClient();
        var opened = await browser.PageAsync(link);
        await Sql.AdminExecAsync(App.Database.Database,
            "update tenancy.staff_email_confirmations set expires_at = now() - interval '1 minute' where tenant_id = @t", ("t", biz.Id));
        var late = await browser.SubmitAsync(opened, PortalHtml.Fields());
        Assert.NotNull(late.One("#link-dead"));
        Assert.NotNull((await App.NewClient().PageAsync(link)).One("#link-dead"));
        Assert.Equal("validation", await KindAsync(await ConfirmByApiAsync(biz.Slug, token), HttpStatusCode.BadRequest));
        Assert.Equal(0, await ProvenAsync(biz));

        // Replaced: a link sent again ends the one before; the new one works.
        await (await biz.Owner.PostAsync(new Uri("/api/v1/staff/me/email-confirmation/send", UriKind.Relative), null)).JsonAsync(HttpStatusCode.Accepted);
        var fresh = await LinkAsync(biz.OwnerEmail, 2);
        await Sql.AdminExecAsync(App.Database.Database,
            "update tenancy.staff_email_confirmations set expires_at = now() + interval '1 day' where tenant_id = @t", ("t", biz.Id)); // the first one un-expired: still dead, as replaced
        Assert.NotNull((await App.NewClient().PageAsync(link)).One("#link-dead"));
        Assert.Equal(0, await ProvenAsync(biz));
        var confirmed = await (await ConfirmByApiAsync(biz.Slug, TokenOf(fresh))).JsonAsync(HttpStatusCode.OK);
        Assert.False(confirmed.GetProperty("alreadyDone").GetBoolean());
        Assert.Equal(1, await ProvenAsync(biz));
    }

    [Fact]
    public async Task Send_the_link_again_goes_back_to_its_page_sends_only_to_ones_own_address_and_stops_at_three_a_day()
    {
        var biz = await App.SignUpBusinessAsync("confirm");
        await LinkAsync(biz.OwnerEmail);

        // From Setup → Client Portal: back there, saying it was sent.
        var setup = await biz.Owner.PageAsync("/staff/setup/portal");
        Assert.Equal("Send the link again", setup.One("#email-unconfirmed form button")?.TextContent.Trim());
        var sent = await biz.Owner.SubmitAsync(setup, PortalHtml.Fields(), "#email-unconfirmed form");
        Assert.Equal(HttpStatusCode.Redirect, sent.Status);
        Assert.Equal("/staff/setup/portal#email-unconfirmed", sent.Response.Headers.Location!.OriginalString);
        var back = await biz.Owner.PageAsync("/staff/setup/portal");
        Assert.Contains($"We've sent a new link to {biz.OwnerEmail}.", back.One("#email-link-sent")?.TextContent, StringComparison.Ordinal);
        await LinkAsync(biz.OwnerEmail, 2);

        // From Requests: back to Requests. A return address typed in goes nowhere else.
        var requests = await biz.Owner.PageAsync("/staff/requests");
        var fromRequests = await biz.Owner.SubmitAsync(requests, PortalHtml.Fields(), "#email-unconfirmed form");
        Assert.Equal("/staff/requests#email-unconfirmed", fromRequests.Response.Headers.Location!.OriginalString);
        var third = await LinkAsync(biz.OwnerEmail, 3);

        // Three in 24 hours, the sign-up's included: the fourth is refused, on the page and by the API, and nothing is sent.
        var fourth = await biz.Owner.SubmitAsync(await biz.Owner.PageAsync("/staff/requests"), PortalHtml.Fields(("returnTo", "https://evil.example/")), "#email-unconfirmed form");
        Assert.Equal("/staff/email-confirmation#email-unconfirmed", fourth.Response.Headers.Location!.OriginalString);
        var told = await biz.Owner.PageAsync("/staff/email-confirmation");
        Assert.Contains($"We have sent 3 links to {biz.OwnerEmail} in the last 24 hours.", told.One("#email-link-problem")?.TextContent, StringComparison.Ordinal);
        var limited = await biz.Owner.PostAsync(new Uri("/api/v1/staff/me/email-confirmation/send", UriKind.Relative), null);
        Assert.Equal("rate-limited", await KindAsync(limited, HttpStatusCode.TooManyRequests));
        Assert.NotNull(limited.Headers.RetryAfter);
        await Task.Delay(1500);
        Assert.Equal(3, fixture.Smtp.MessagesTo(biz.OwnerEmail).Count);
        Assert.Equal(3, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from tenancy.staff_email_confirmations where tenant_id = @t", ("t", biz.Id)));

        // The newest link still works; once confirmed, there is nothing to send and the page says it is confirmed.
        await (await ConfirmByApiAsync(biz.Slug, TokenOf(third))).JsonAsync(HttpStatusCode.OK);
        var state = await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/staff/me/email-confirmation");
        Assert.True(state.GetProperty("confirmed").GetBoolean());
        var already = await (await biz.Owner.PostAsync(new Uri("/api/v1/staff/me/email-confirmation/send", UriKind.Relative), null)).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(already.GetProperty("errors").TryGetProperty("email", out _));
        Assert.NotNull((await biz.Owner.PageAsync("/staff/email-confirmation")).One("#email-confirmed"));
    }

    /// <summary>
    /// s42 review #12: the owner who confirms their address from the browser they signed up in is already signed in, so
    /// the page offers Setup, not "Sign in"; a browser without that session is still offered "Sign in".
    /// </summary>
    [Fact]
    public async Task An_owner_already_signed_in_is_offered_Setup_after_confirming_not_sign_in()
    {
        var biz = await App.SignUpBusinessAsync("confirm-in");
        var link = await LinkAsync(biz.OwnerEmail);

        var confirmed = await biz.Owner.SubmitAsync(await biz.Owner.PageAsync(link), PortalHtml.Fields());
        Assert.Contains($"Thank you. {biz.OwnerEmail} is confirmed.", confirmed.One("#confirmed")?.TextContent, StringComparison.Ordinal);
        var next = confirmed.One("#signed-in-next");
        Assert.Equal("Go to Setup", next?.TextContent);
        Assert.Equal("/staff/setup/portal", next!.GetAttribute("href"));
        Assert.Null(confirmed.One("main a[href^='/staff/sign-in']"));

        // The used link again: confirmed already, and Setup again for the owner; Sign in for anyone else.
        var again = await biz.Owner.PageAsync(link);
        Assert.NotNull(again.One("#confirmed"));
        Assert.Equal("Go to Setup", again.One("#signed-in-next")?.TextContent);
        var elsewhere = await App.NewClient().PageAsync(link);
        Assert.NotNull(elsewhere.One("#confirmed"));
        Assert.Null(elsewhere.One("#signed-in-next"));
        Assert.Equal("Sign in", elsewhere.One("main a[href^='/staff/sign-in']")?.TextContent);
    }
}
