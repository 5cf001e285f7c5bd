using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Booking.IntegrationTests.PortalPages;
using MimeKit;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Decision 272: at a business without email sign-in, the email a new client gives in the phone flow goes through Your
/// details' confirmation link (decision 214) whether or not another client of the business has it: a free address is
/// emailed the link, a taken one nothing, the answers (API and page) and Your details afterwards are alike, and a link
/// whose address another client took meanwhile is refused in a dead link's words. The whole app, the link followed
/// through the real SMTP server on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class PhoneOnlyNewClientEmailTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private NotificationsTestApp App => fixture.App;

    private static Task PhoneOnlyAsync(TestBusiness biz) =>
        biz.SettingsAsync(s => s["signInMethods"] = new JsonObject { ["email"] = false, ["phone"] = true });

    private static string LinkOf(MimeMessage mail)
    {
        var line = mail.TextBody!.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/ol/account/email/confirm?", StringComparison.Ordinal));
        return new Uri(line).PathAndQuery;
    }

    private static string TokenOf(string path) => path[(path.IndexOf("&token=", StringComparison.Ordinal) + "&token=".Length)..];

    private Task<long> LinksSentAsync(TestBusiness biz, string to) =>
        Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from notifications.outbound_messages where kind = 'client-email-confirmation' and tenant_id = @t and recipient = @a",
            ("t", biz.Id), ("a", to));

    [Fact]
    public async Task A_new_clients_email_goes_by_the_link_a_taken_one_gets_nothing_and_both_are_answered_alike()
    {
        var biz = await App.SignUpBusinessAsync("phone-mail");
        var taken = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await App.NewClient().RegisterAsync(biz.Slug, taken)).StatusCode);
        await PhoneOnlyAsync(biz);

        // The API: the same answer, and neither client has an email yet.
        var withTaken = await App.VerifiedUnknownPhoneAsync(biz);
        var takenAnswer = await withTaken.NewClientAsync(biz.Slug, new { firstName = "Pat", lastName = "Same", email = taken });
        var free = PortalAuthHelpers.NewEmail();
        var withFree = await App.VerifiedUnknownPhoneAsync(biz);
        var freeAnswer = await withFree.NewClientAsync(biz.Slug, new { firstName = "Pat", lastName = "Same", email = free });
        Assert.Equal(HttpStatusCode.Created, takenAnswer.StatusCode);
        Assert.Equal(freeAnswer.StatusCode, takenAnswer.StatusCode);
        var (a, b) = (await takenAnswer.JsonAsync(), await freeAnswer.JsonAsync());
        Assert.Equal(b.EnumerateObject().Select(p => p.Name), a.EnumerateObject().Select(p => p.Name));
        Assert.Equal(b.GetProperty("status").GetString(), a.GetProperty("status").GetString());

        // The pages: the same form answers alike (the same place to go next), each with the hint about the link.
        var takenPage = await App.VerifiedUnknownPhoneAsync(biz);
        var freePage = await App.VerifiedUnknownPhoneAsync(biz);
        var pageFree = PortalAuthHelpers.NewEmail();
        var form = await takenPage.PageAsync($"/ol/new-client?name={biz.Slug}");
        Assert.Contains("We'll email this address a link", form.One("#email-hint")?.TextContent, StringComparison.Ordinal);
        var takenSent = await takenPage.SubmitAsync(form, PortalHtml.Fields(("Input.FirstName", "Pat"), ("Input.LastName", "Same"), ("Input.Email", taken)));
        var freeSent = await freePage.SubmitAsync(await freePage.PageAsync($"/ol/new-client?name={biz.Slug}"),
            PortalHtml.Fields(("Input.FirstName", "Pat"), ("Input.LastName", "Same"), ("Input.Email", pageFree)));
        Assert.Equal(HttpStatusCode.Redirect, takenSent.Status);
        Assert.Equal(freeSent.Status, takenSent.Status);
        Assert.Equal(freeSent.Response.Headers.Location, takenSent.Response.Headers.Location);

        // Your details says the same for all four: no email on file until a link is confirmed.
        var details = new List<string>();
        foreach (var http in new[] { withTaken, withFree, takenPage, freePage })
        {
            Assert.Equal(JsonValueKind.Null, (await (await http.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("email").ValueKind);
            var page = await http.PageAsync($"/ol/account?name={biz.Slug}");
            details.Add(string.Join("|", page.All("dt").Select(dt => dt.TextContent.Trim() + "=" + (dt.NextElementSibling?.TextContent.Trim() ?? ""))
                .Where(row => row.StartsWith("Email=", StringComparison.Ordinal) || row.StartsWith("Name=", StringComparison.Ordinal))));
        }

        Assert.Single(details.Distinct());
        Assert.Contains("Email=None on file", details[0], StringComparison.Ordinal);

        // The free addresses get the link; it makes the address the client's.
        var link = LinkOf(await fixture.MailAsync(free, $"Confirm your email for Business {biz.Slug}"));
        await fixture.MailAsync(pageFree, $"Confirm your email for Business {biz.Slug}");
        var done = await withFree.SubmitAsync(await withFree.PageAsync(link), PortalHtml.Fields(), "main form");
        Assert.Contains($"Your email is now {free}", done.One("#email-confirmed")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(free, (await (await withFree.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("email").GetString());

        // Nothing went to the taken address for either join (its owner's registration wrote no link either), and no
        // link event was written for it: two events in all, the two free addresses'.
        Assert.Equal(0L, await LinksSentAsync(biz, taken));
        Assert.Equal(1L, await LinksSentAsync(biz, free));
        Assert.DoesNotContain(fixture.Smtp.MessagesTo(taken), m => (m.Subject ?? "").StartsWith("Confirm your email for", StringComparison.Ordinal)
            && (m.TextBody ?? "").Contains("/ol/account/email/confirm?", StringComparison.Ordinal));
        Assert.Equal((2L, 2L), await App.NoticesAsync(biz, "ClientEmailChangeRequested", "client-email-confirmation"));
        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from portalauth.clients where email = @e", ("e", taken)));
    }

    [Fact]
    public async Task A_link_whose_address_another_client_took_meanwhile_is_refused_in_a_dead_links_words()
    {
        var biz = await App.SignUpBusinessAsync("phone-mail");
        await PhoneOnlyAsync(biz);
        var address = PortalAuthHelpers.NewEmail();
        var joined = await App.VerifiedUnknownPhoneAsync(biz);
        Assert.Equal(HttpStatusCode.Created, (await joined.NewClientAsync(biz.Slug, new { firstName = "Pat", lastName = "Later", email = address })).StatusCode);
        var link = LinkOf(await fixture.MailAsync(address, $"Confirm your email for Business {biz.Slug}"));

        // Staff give the address to another client before the link is opened.
        Assert.Equal(HttpStatusCode.Created, (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Other", lastName = "Client", email = address, mobile = (string?)null })).StatusCode);

        var collided = await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/confirm-email?name={biz.Slug}", new { token = TokenOf(link) });
        var forged = await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/confirm-email?name={biz.Slug}", new { token = TokenOf(link)[..^4] + "AAAA" });
        Assert.Equal(HttpStatusCode.BadRequest, collided.StatusCode);
        Assert.Equal(forged.StatusCode, collided.StatusCode);
        Assert.Equal((await forged.JsonAsync()).GetProperty("errors").ToString(), (await collided.JsonAsync()).GetProperty("errors").ToString());

        // The page: the same words as a link that died between opening and confirming.
        var page = await joined.SubmitAsync(await joined.PageAsync(link), PortalHtml.Fields(), "main form");
        Assert.Contains("This link has expired or was already used. Nothing was changed.", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("another client", page.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(JsonValueKind.Null, (await (await joined.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("email").ValueKind);
    }
}
