using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Booking.Appointments.Contracts;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using MimeKit;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// The business's notification emails to its extra addresses and diary contacts carry a one-click unsubscribe (RFC 8058
/// headers and a footer link); the client's emails do not. The link's page asks first; its button, or a mail
/// provider's one-click POST, stops every notification email to the address until staff ask again and its person says
/// yes. Real SMTP on loopback (raw headers), real PostgreSQL.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class UnsubscribeTests(NotificationsFixture fixture) : IClassFixture<NotificationsFixture>
{
    private static readonly DateTimeOffset Start = new(2027, 3, 10, 23, 0, 0, TimeSpan.Zero);

    private static string NewAddress(string who) => $"{who}-{Guid.NewGuid().ToString("N")[..8]}@example.com";

    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to, int count = 1) =>
        Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} email(s) to {to}");

    /// <summary>Exactly <paramref name="count"/> emails, with time for one more to arrive if one were sent.</summary>
    private async Task<IReadOnlyList<MimeMessage>> OnlyMailAsync(string to, int count)
    {
        await MailAsync(to, count);
        await Task.Delay(1500);
        var mails = fixture.Smtp.MessagesTo(to);
        Assert.Equal(count, mails.Count);
        return mails;
    }

    /// <summary>A business whose diary contact and extra addresses are confirmed, told of new and cancelled bookings.</summary>
    private async Task<NotifyScene> SceneAsync(params string[] extras)
    {
        var s = await NotifyScene.Create(await fixture.App.SignUpBusinessAsync("unsub")).ContactConfirmedAsync(fixture.App);
        await fixture.App.ConfirmAddressesAsync(s.Business.Id, extras);
        await s.PutSettingsAsync(new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = true, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = extras, templateId = (Guid?)null },
            includeStaffChanges = false,
        });
        return s;
    }

    private static AppointmentBooked Booked(NotifyScene s, int day = 0) =>
        new(Guid.NewGuid(), s.Business.Id, Guid.NewGuid(), s.ClientId, null, s.DiaryId, s.ServiceId, Start.AddDays(day), Start.AddDays(day).AddHours(1), ChangeSources.Portal);

    /// <summary>The List-Unsubscribe address, as the raw header carries it (one address in angle brackets).</summary>
    private static Uri OneClickOf(MimeMessage mail)
    {
        var header = mail.Headers[HeaderId.ListUnsubscribe];
        Assert.NotNull(header);
        Assert.StartsWith("<", header.Trim(), StringComparison.Ordinal);
        Assert.EndsWith(">", header.Trim(), StringComparison.Ordinal);
        return new Uri(header.Trim()[1..^1]);
    }

    /// <summary>The footer's "Stop these emails to …" link, from the text part.</summary>
    private static Uri PageLinkOf(MimeMessage mail, string address)
    {
        var prefix = $"Stop these emails to {address}: ";
        var line = mail.TextBody!.ReplaceLineEndings("\n").Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return new Uri(line[prefix.Length..]);
    }

    private static string TokenOf(Uri link) => Uri.UnescapeDataString(link.Query.Split('&').Single(p => p.StartsWith("token=", StringComparison.Ordinal))["token=".Length..]);

    private async Task<HttpResponseMessage> OneClickAsync(string pathAndQuery, string body = "List-Unsubscribe=One-Click")
    {
        // As a mail provider makes it: no cookie, no antiforgery token, the RFC 8058 form body.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(pathAndQuery, UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"),
        };
        return await fixture.App.NewClient().SendAsync(request);
    }

    private static async Task<JsonElement> ExtraStateAsync(NotifyScene s, string address)
    {
        var settings = await s.Business.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/notification-settings");
        return settings.GetProperty("extraAddressesOnNew").GetProperty("addressStates").EnumerateArray()
            .Single(a => a.GetProperty("address").GetString() == address);
    }

    private Task<string?> StateOfAsync(NotifyScene s, string address) =>
        Sql.AdminScalarAsync<string>(fixture.App.Database.Database,
            "select case when declined_at is not null then 'declined' when confirmed_at is not null then 'confirmed' when unsubscribed_at is not null then 'unsubscribed' else 'waiting' end "
            + "from notifications.address_confirmations where tenant_id = @t and address = @a", ("t", s.Business.Id), ("a", address));

    [Fact]
    public async Task Emails_to_extra_addresses_and_the_diary_contact_carry_a_one_click_unsubscribe_and_the_clients_do_not()
    {
        var front = NewAddress("front");
        var s = await SceneAsync(front);
        NotificationsTestApp.Deliver(fixture.App, Booked(s));

        foreach (var address in new[] { front, s.DiaryContact })
        {
            var mail = Assert.Single(await MailAsync(address));
            var oneClick = OneClickOf(mail);
            Assert.Equal("https", oneClick.Scheme);
            Assert.Equal("booking.test", oneClick.Host);
            Assert.Equal("/api/v1/unsubscribe", oneClick.AbsolutePath);
            Assert.StartsWith($"?name={s.Business.Slug}&token=", oneClick.Query, StringComparison.Ordinal);
            Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]?.Trim());

            // The footer: the same token, to the page that asks first, in the text and the HTML part.
            var page = PageLinkOf(mail, address);
            Assert.Equal("/staff/unsubscribe", page.AbsolutePath);
            Assert.Equal(TokenOf(oneClick), TokenOf(page));
            Assert.True(TokenOf(page).Length >= 43, "32 random bytes");
            Assert.Contains($"data-role=\"unsubscribe\" style=\"color:#71717a;\">Stop these emails to {address}</a>", mail.HtmlBody, StringComparison.Ordinal);
            Assert.Contains(WebUtility.HtmlEncode(page.AbsoluteUri), mail.HtmlBody, StringComparison.Ordinal);

            // Kept as its hash only: the row holds no working link.
            var row = await Sql.AdminScalarAsync<string>(fixture.App.Database.Database,
                "select unsubscribe_token_hash || ' ' || content::text from notifications.outbound_messages where tenant_id = @t and recipient = @a", ("t", s.Business.Id), ("a", address));
            Assert.StartsWith(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(TokenOf(page)))) + " ", row, StringComparison.Ordinal);
            Assert.DoesNotContain(TokenOf(page), row!, StringComparison.Ordinal);
        }

        // Each email its own token.
        Assert.NotEqual(TokenOf(OneClickOf(Assert.Single(fixture.Smtp.MessagesTo(front)))), TokenOf(OneClickOf(Assert.Single(fixture.Smtp.MessagesTo(s.DiaryContact)))));

        // The client's confirmation is about their own booking: no unsubscribe.
        var client = Assert.Single(await MailAsync(s.ClientEmail));
        Assert.Null(client.Headers[HeaderId.ListUnsubscribe]);
        Assert.Null(client.Headers["List-Unsubscribe-Post"]);
        Assert.DoesNotContain("Stop these emails", client.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("unsubscribe", client.HtmlBody, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_one_click_post_unsubscribes_the_address_and_later_notifications_skip_it_while_the_others_get_theirs()
    {
        var front = NewAddress("front");
        var back = NewAddress("back");
        var s = await SceneAsync(front, back);
        NotificationsTestApp.Deliver(fixture.App, Booked(s));
        var oneClick = OneClickOf(Assert.Single(await MailAsync(front))).PathAndQuery;
        await MailAsync(back);
        await MailAsync(s.DiaryContact);

        // Without the RFC 8058 body: refused, naming the field; nothing changed.
        var bare = await OneClickAsync(oneClick, body: "");
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        Assert.True((await bare.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("List-Unsubscribe", out _));
        Assert.Equal("confirmed", await StateOfAsync(s, front));

        var done = await OneClickAsync(oneClick);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var answer = await done.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(front, answer.GetProperty("address").GetString());
        Assert.True(answer.GetProperty("unsubscribed").GetBoolean());
        var at = answer.GetProperty("unsubscribedAt").GetString();

        // Idempotent: again, the same answer and the first date.
        var again = await OneClickAsync(oneClick);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(at, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("unsubscribedAt").GetString());
        var state = await ExtraStateAsync(s, front);
        Assert.Equal("unsubscribed", state.GetProperty("state").GetString());
        Assert.False(state.GetProperty("confirmed").GetBoolean());
        Assert.Equal(at, state.GetProperty("unsubscribedAt").GetString());
        Assert.Equal("confirmed", (await ExtraStateAsync(s, back)).GetProperty("state").GetString());

        // The next booking: the other extra address and the contact are told; the unsubscribed one is not (no row at all).
        var second = Booked(s, day: 1);
        NotificationsTestApp.Deliver(fixture.App, second);
        await MailAsync(back, 2);
        await MailAsync(s.DiaryContact, 2);
        await OnlyMailAsync(front, 1);
        Assert.Equal(0, await Sql.AdminScalarAsync<long>(fixture.App.Database.Database,
            "select count(*) from notifications.outbound_messages where tenant_id = @t and recipient = @a and event_id = @e", ("t", s.Business.Id), ("a", front), ("e", second.EventId)));

        // A failed message to it is not sent again from the log either: 409 unsubscribed, saying since when (decision 241).
        var failedId = await Sql.AdminScalarAsync<Guid>(fixture.App.Database.Database,
            "update notifications.outbound_messages set status = 'failed' where tenant_id = @t and recipient = @a returning id", ("t", s.Business.Id), ("a", front));
        var resend = await s.Business.Owner.PostAsJsonAsync(new Uri($"/api/v1/admin/messages/{failedId}/resend", UriKind.Relative), new { to = (string?)null });
        Assert.Equal(HttpStatusCode.Conflict, resend.StatusCode);
        var problem = await resend.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("/unsubscribed", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(front, problem.GetProperty("address").GetString());
        Assert.Equal("extra-address-new", problem.GetProperty("messageKind").GetString());
        Assert.Equal(DateTimeOffset.Parse(at!, CultureInfo.InvariantCulture), problem.GetProperty("unsubscribedAt").GetDateTimeOffset());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.StartsWith($"{front} unsubscribed from this business's emails on ", detail, StringComparison.Ordinal);
        Assert.Contains("; they get no more of these emails, and this one is not sent again.", detail, StringComparison.Ordinal);
        Assert.Contains("Ask again next to the address (the extra addresses in Setup → Client Portal)", detail, StringComparison.Ordinal);
        // Sent again with its own address typed in (the page's form fills it): the same refusal.
        Assert.Equal(HttpStatusCode.Conflict, (await s.Business.Owner.PostAsJsonAsync(new Uri($"/api/v1/admin/messages/{failedId}/resend", UriKind.Relative), new { to = front.ToUpperInvariant() })).StatusCode);
        Assert.Equal("failed", await Sql.AdminScalarAsync<string>(fixture.App.Database.Database, "select status from notifications.outbound_messages where id = @id", ("id", failedId)));

        // The log says so beforehand: the list answers when, and the page offers no Resend, only why.
        var listed = (await s.Business.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?status=failed")).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("id").GetGuid() == failedId);
        Assert.Equal(DateTimeOffset.Parse(at!, CultureInfo.InvariantCulture), listed.GetProperty("unsubscribedAt").GetDateTimeOffset());
        var page = await s.Business.Owner.PageAsync("/staff/tools/messages?status=failed");
        Assert.Null(page.One($"form[action*='{failedId}']"));
        var said = page.One(".message-unsubscribed")!.TextContent;
        Assert.StartsWith($"{front} unsubscribed on ", said, StringComparison.Ordinal);
        Assert.Contains("; they get no more of these emails. To mail them again, use Ask again next to the address (Setup → Client Portal).", said, StringComparison.Ordinal);
        // A failed message to an address still subscribed keeps its Resend.
        var stillId = await Sql.AdminScalarAsync<Guid>(fixture.App.Database.Database,
            "update notifications.outbound_messages set status = 'failed' where tenant_id = @t and recipient = @a and event_id = @e returning id", ("t", s.Business.Id), ("a", back), ("e", second.EventId));
        var again2 = await s.Business.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?status=failed");
        Assert.Equal(JsonValueKind.Null, again2.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == stillId).GetProperty("unsubscribedAt").ValueKind);
        Assert.NotNull((await s.Business.Owner.PageAsync("/staff/tools/messages?status=failed")).One($"form[action*='{stillId}'] button"));
    }

    [Fact]
    public async Task The_page_asks_first_and_its_button_unsubscribes_the_diary_contact_whose_emails_then_go_to_the_stand_ins()
    {
        var front = NewAddress("front");
        var s = await SceneAsync(front);
        var booked = Booked(s);
        NotificationsTestApp.Deliver(fixture.App, booked);
        var mail = Assert.Single(await MailAsync(s.DiaryContact));
        var link = PageLinkOf(mail, s.DiaryContact).PathAndQuery;

        // A person opening the header's address is sent to the page.
        var redirect = await fixture.App.NewClient().GetAsync(new Uri(OneClickOf(mail).PathAndQuery, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal(link, redirect.Headers.Location!.OriginalString);

        // Opening the page (a mail scanner does) asks and changes nothing.
        var http = fixture.App.NewClient();
        var page = await http.PageAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal($"Stop emails from Business {s.Business.Slug} to {s.DiaryContact}?", page.One("#ask")!.TextContent.Trim());
        Assert.Contains("as the contact for one of its diaries", page.Text, StringComparison.Ordinal);
        await http.PageAsync(link);
        Assert.Equal("confirmed", await StateOfAsync(s, s.DiaryContact));

        var done = await http.SubmitAsync(page, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, done.Status);
        var said = done.One("#unsubscribed")!.TextContent;
        Assert.Contains($"{s.DiaryContact} is unsubscribed from the emails of Business {s.Business.Slug}", said, StringComparison.Ordinal);
        Assert.Contains("send you a confirmation again", done.One("#get-them-back")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("unsubscribed", await StateOfAsync(s, s.DiaryContact));

        // Opened again: it says so, with no button.
        var later = await fixture.App.NewClient().PageAsync(link);
        Assert.NotNull(later.One("#unsubscribed"));
        Assert.Null(later.One("form button"));

        // The cancellation goes to the confirmed extra address standing in, saying why; nothing more to the contact.
        NotificationsTestApp.Deliver(fixture.App, new AppointmentCancelled(Guid.NewGuid(), s.Business.Id, booked.AppointmentId, s.ClientId, s.DiaryId, s.ServiceId,
            booked.Start, booked.End, ChangeSources.Portal, "Sick"));
        var standIn = (await MailAsync(front, 2)).Single(m => m.Subject!.StartsWith("Cancellation", StringComparison.Ordinal));
        Assert.NotNull(standIn.Headers[HeaderId.ListUnsubscribe]);
        Assert.Contains("unsubscribed from this business's emails", await Sql.AdminScalarAsync<string>(fixture.App.Database.Database,
            "select note from notifications.outbound_messages where tenant_id = @t and recipient = @a and kind = 'stand-in-cancelled'", ("t", s.Business.Id), ("a", front)), StringComparison.Ordinal);
        await OnlyMailAsync(s.DiaryContact, 1);
    }

    [Fact]
    public async Task A_link_under_another_business_s_name_or_with_a_changed_token_is_refused_and_changes_nothing()
    {
        var s = await SceneAsync();
        var other = await fixture.App.SignUpBusinessAsync("other");
        NotificationsTestApp.Deliver(fixture.App, Booked(s));
        var mail = Assert.Single(await MailAsync(s.DiaryContact));
        var token = TokenOf(OneClickOf(mail));
        var tampered = (token[0] == 'A' ? "B" : "A") + token[1..];

        foreach (var (name, t) in new[] { (other.Slug, token), (s.Business.Slug, tampered), (s.Business.Slug, new string('x', 5000)) })
        {
            var query = $"?name={name}&token={Uri.EscapeDataString(t)}";
            var page = await fixture.App.NewClient().PageAsync("/staff/unsubscribe" + query);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains("is not one we sent", page.One("#link-dead")!.TextContent, StringComparison.Ordinal);
            Assert.Null(page.One("form button"));
            var posted = await OneClickAsync("/api/v1/unsubscribe" + query);
            Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
            Assert.EndsWith("/not-found", (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString(), StringComparison.Ordinal);
        }

        // No token, an unknown business: friendly pages, never an error.
        Assert.NotNull((await fixture.App.NewClient().PageAsync($"/staff/unsubscribe?name={s.Business.Slug}")).One("#link-dead"));
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.App.NewClient().PageAsync($"/staff/unsubscribe?name=nobody-{Guid.NewGuid():N}&token={token}")).Status);
        Assert.Equal("confirmed", await StateOfAsync(s, s.DiaryContact));
    }

    [Fact]
    public async Task Staff_see_the_unsubscribed_address_and_asking_again_sends_a_confirmation_its_person_must_accept()
    {
        var front = NewAddress("front");
        var s = await SceneAsync(front);
        NotificationsTestApp.Deliver(fixture.App, Booked(s));
        var mail = Assert.Single(await MailAsync(front));
        Assert.Equal(HttpStatusCode.OK, (await OneClickAsync(OneClickOf(mail).PathAndQuery)).StatusCode);

        var setup = await s.Business.Owner.PageAsync("/staff/setup/portal");
        var item = setup.One($"li[data-address='{front}']")!;
        Assert.Equal("unsubscribed", item.GetAttribute("data-state"));
        Assert.Matches(@"^Unsubscribed on \w+ \d{1,2} \w+ \d{4}$", item.QuerySelector("strong.unsubscribed")!.TextContent.Trim());
        var ask = item.QuerySelector("button[name=confirmAddress]")!;
        Assert.Equal("Ask again", ask.TextContent.Trim());

        // Ask again: one confirmation email, and the address stays unmailed until its person says yes.
        var form = setup.One("form:has(button[name=confirmAddress])")!;
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var posted = await s.Business.Owner.PostAsync(new Uri(WebUtility.HtmlDecode(ask.GetAttribute("formaction")!), UriKind.Relative),
            new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("confirmAddress", front)]));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var confirmation = (await MailAsync(front, 2)).Single(m => m.Subject!.StartsWith("Do you want booking emails", StringComparison.Ordinal));
        Assert.Null(confirmation.Headers[HeaderId.ListUnsubscribe]);
        Assert.Equal("unsubscribed", (await ExtraStateAsync(s, front)).GetProperty("state").GetString());
        NotificationsTestApp.Deliver(fixture.App, Booked(s, day: 1));
        await MailAsync(s.DiaryContact, 2);
        await OnlyMailAsync(front, 2);

        // Yes on the confirmation's page: mailed again.
        var line = confirmation.TextBody!.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).First(l => l.Contains("/staff/confirm-address?", StringComparison.Ordinal));
        var http = fixture.App.NewClient();
        var page = await http.PageAsync(new Uri(line).PathAndQuery);
        await http.SubmitAsync(page, PortalHtml.Fields(("Answer", "yes")));
        var state = await ExtraStateAsync(s, front);
        Assert.Equal("confirmed", state.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("unsubscribedAt").ValueKind);
        NotificationsTestApp.Deliver(fixture.App, Booked(s, day: 2));
        await MailAsync(front, 3);
    }
}
