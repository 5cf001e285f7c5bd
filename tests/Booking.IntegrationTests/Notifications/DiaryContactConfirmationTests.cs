using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using MimeKit;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// A diary's contact email is confirmed by its person before the business's emails go to it, through the extra
/// addresses' machinery (one confirmation email, the /staff/confirm-address page, Send again and its limits). Until
/// then the diary's emails go to the business's confirmed extra addresses. Everything through the HTTP API and the
/// pages, with the real modules; real PostgreSQL, real SMTP on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class DiaryContactConfirmationTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private static string NewAddress(string who) => $"{who}-{Guid.NewGuid().ToString("N")[..8]}@example.com";

    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to, int count = 1) =>
        Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} email(s) to {to}");

    /// <summary>Exactly <paramref name="count"/> emails, with time for one more to arrive if one were sent.</summary>
    private async Task<IReadOnlyList<MimeMessage>> OnlyMailAsync(string to, int count)
    {
        if (count > 0)
        {
            await MailAsync(to, count);
        }

        await Task.Delay(1500);
        var mails = fixture.Smtp.MessagesTo(to);
        Assert.Equal(count, mails.Count);
        return mails;
    }

    private static string LinkIn(MimeMessage mail)
    {
        var line = mail.TextBody!.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).First(l => l.Contains("/staff/confirm-address?", StringComparison.Ordinal));
        return new Uri(line).PathAndQuery;
    }

    private static async Task<JsonElement> CreateDiaryAsync(TestBusiness biz, string contact, string name = "Dr Lee") =>
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name, contactEmail = contact, active = true })).JsonAsync(HttpStatusCode.Created);

    private static async Task<JsonElement> DiaryAsync(TestBusiness biz, Guid id) =>
        await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static Task<HttpResponseMessage> SendAgainAsync(TestBusiness biz, Guid id) =>
        biz.Owner.PostAsync(new Uri($"/api/v1/admin/diaries/{id}/contact-email/send-confirmation", UriKind.Relative), null);

    private Task<long> RowsToAsync(string address, string kind) =>
        Sql.AdminScalarAsync<long>(fixture.App.Database.Database,
            "select count(*) from notifications.outbound_messages where recipient = @a and kind = @k", ("a", address), ("k", kind));

    private static async Task NotifyAsync(TestBusiness biz, params string[] extras) =>
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = true, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = extras, templateId = (Guid?)null },
            includeStaffChanges = false,
        })).JsonAsync(HttpStatusCode.OK);

    /// <summary>A client awaiting approval asks for a time: a booking request, which emails the diary contact.</summary>
    private async Task RequestAsync(TestBusiness biz, Guid diary, Guid service, int day)
    {
        var http = fixture.App.NewClient();
        var tag = Guid.NewGuid().ToString("N")[..8];
        await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName = "Pat", lastName = "Pending", email = $"client-{tag}@example.com", password = "a long client password 2026!" })).JsonAsync(HttpStatusCode.Created);
        var start = DateTimeOffset.UtcNow.Date.AddDays(day).AddHours(10);
        var requested = await (await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}",
            new { serviceId = service, diaryId = diary, start = new DateTimeOffset(start, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_new_contact_gets_one_confirmation_and_no_request_until_its_person_says_yes_while_confirmed_extra_addresses_stand_in()
    {
        var biz = await fixture.App.SignUpBusinessAsync("contact", "Europe/London");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        await biz.SettingsAsync(x => x["newClientsNeedApproval"] = true);
        var front = NewAddress("front");
        await fixture.App.ConfirmAddressesAsync(biz.Id, front);
        await NotifyAsync(biz, front);
        var contact = NewAddress("contact");

        var created = await CreateDiaryAsync(biz, contact.ToUpperInvariant());
        Assert.Equal("waiting", created.GetProperty("contactEmailState").GetString());
        Assert.Equal(JsonValueKind.String, created.GetProperty("contactEmailConfirmationSentAt").ValueKind);
        var diary = created.GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        var service = await biz.ServiceAsync("Consultation", 45, 0, [diary]);

        var confirmation = Assert.Single(await MailAsync(contact));
        Assert.Equal($"Do you want booking emails from Business {biz.Slug}?", confirmation.Subject);
        var text = confirmation.TextBody!.ReplaceLineEndings("\n");
        Assert.Contains($"Business {biz.Slug}, a business that takes bookings through our booking system, made this email address the contact for one of its diaries", text, StringComparison.Ordinal);
        Assert.Contains("ignore this message: nothing more will be sent to this address unless you say yes.", text, StringComparison.Ordinal);

        // A booking request while the contact waits: the contact is sent nothing; the confirmed extra address is told instead.
        await RequestAsync(biz, diary, service, 3);
        var stoodIn = Assert.Single(await MailAsync(front));
        Assert.Equal("Booking request: Pat Pending", stoodIn.Subject);
        await OnlyMailAsync(contact, 1);
        Assert.Equal(0, await RowsToAsync(contact, "diary-contact-booking-request"));

        // The link's page speaks of the diary; opening it changes nothing, the posted yes confirms.
        var link = LinkIn(confirmation);
        var http = fixture.App.NewClient();
        var page = await http.PageAsync(link);
        Assert.Contains($"Business {biz.Slug} made {contact} the contact for one of its diaries", page.Text, StringComparison.Ordinal);
        Assert.Equal("waiting", (await DiaryAsync(biz, diary)).GetProperty("contactEmailState").GetString());
        var answered = await http.SubmitAsync(page, PortalHtml.Fields(("Answer", "yes")));
        Assert.Contains($"{contact} will get emails from Business {biz.Slug} about its diary's bookings, cancellations and booking requests", answered.One("#answered")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("confirmed", (await DiaryAsync(biz, diary)).GetProperty("contactEmailState").GetString());

        // Confirmed: the next request goes to the contact, and the extra address no longer stands in.
        await RequestAsync(biz, diary, service, 4);
        var mails = await MailAsync(contact, 2);
        Assert.Contains(mails, m => m.Subject == "Booking request: Pat Pending");
        await OnlyMailAsync(front, 1);
    }

    [Fact]
    public async Task A_failed_staff_email_is_sent_again_to_another_address_only_once_that_address_is_confirmed()
    {
        var biz = await fixture.App.SignUpBusinessAsync("contact", "Europe/London");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        await biz.SettingsAsync(x => x["newClientsNeedApproval"] = true);
        var refused = $"reject-{Guid.NewGuid().ToString("N")[..8]}@example.com"; // the SMTP sink refuses it for good
        await fixture.App.ConfirmAddressesAsync(biz.Id, refused);
        await NotifyAsync(biz, refused);
        var diary = (await CreateDiaryAsync(biz, NewAddress("unsure"))).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        var service = await biz.ServiceAsync("Consultation", 45, 0, [diary]);
        await RequestAsync(biz, diary, service, 3); // the contact waits: the request goes to the extra address, and fails
        var failed = await Eventually.ReturnsAsync(
            async () => await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?status=failed"),
            j => j.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("to").GetString() == refused), TimeSpan.FromSeconds(60), "the request email failed");
        var id = failed.GetProperty("items").EnumerateArray().First(i => i.GetProperty("to").GetString() == refused).GetProperty("id").GetGuid();
        var uri = new Uri($"/api/v1/admin/messages/{id}/resend", UriKind.Relative);

        var stranger = NewAddress("stranger");
        var notConfirmed = await biz.Owner.PostAsJsonAsync(uri, new { to = stranger });
        Assert.Equal(HttpStatusCode.BadRequest, notConfirmed.StatusCode);
        Assert.True((await notConfirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("to", out _));

        var boss = NewAddress("boss");
        await fixture.App.ConfirmAddressesAsync(biz.Id, boss);
        Assert.Equal(HttpStatusCode.OK, (await biz.Owner.PostAsJsonAsync(uri, new { to = boss })).StatusCode);
        Assert.Equal("Booking request: Pat Pending", Assert.Single(await MailAsync(boss)).Subject);
        await OnlyMailAsync(stranger, 0);
    }

    [Fact]
    public async Task A_changed_contact_is_asked_again_and_send_again_is_limited_to_three_a_day_and_to_contacts_waiting()
    {
        var biz = await fixture.App.SignUpBusinessAsync("contact");
        var first = NewAddress("first");
        var diary = (await CreateDiaryAsync(biz, first)).GetProperty("id").GetGuid();
        await MailAsync(first);

        // The same address in other letters is no change: nothing more is sent.
        var same = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}", new { name = "Dr Lee", contactEmail = first.ToUpperInvariant(), active = true })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("waiting", same.GetProperty("contactEmailState").GetString());
        var second = NewAddress("second");
        var changed = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}", new { name = "Dr Lee", contactEmail = second, active = true })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("waiting", changed.GetProperty("contactEmailState").GetString());
        ExtraAddressConfirmationTests.InBusinessOffset(changed.GetProperty("contactEmailConfirmationSentAt")); // Sydney's, not UTC
        var firstLink = LinkIn(Assert.Single(await MailAsync(second)));
        await OnlyMailAsync(first, 1);

        // Send again: a fresh link (the earlier one stops working), three emails in all, then rate-limited.
        var again = await SendAgainAsync(biz, diary);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("waiting", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactEmailState").GetString());
        var links = (await MailAsync(second, 2)).Select(LinkIn).ToList();
        Assert.Equal(2, links.Distinct().Count());
        Assert.NotNull((await fixture.App.NewClient().PageAsync(firstLink)).One("#link-dead"));
        Assert.Equal(HttpStatusCode.OK, (await SendAgainAsync(biz, diary)).StatusCode);
        var limited = await SendAgainAsync(biz, diary);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var problem = await limited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("/rate-limited", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains("At most 3 confirmation emails go to one address in 24 hours.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.FromHours(23));
        await OnlyMailAsync(second, 3);
        Assert.Equal(3, await RowsToAsync(second, "diary-contact-confirmation"));

        // A contact already confirmed (here as an extra address first) is sent nothing, and Send again names the field.
        var known = NewAddress("known");
        await fixture.App.ConfirmAddressesAsync(biz.Id, known);
        var other = await CreateDiaryAsync(biz, known, "Dr Known");
        Assert.Equal("confirmed", other.GetProperty("contactEmailState").GetString());
        var refused = await SendAgainAsync(biz, other.GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("contactEmail", out _));
        await OnlyMailAsync(known, 0);

        // Another business's diary, or none: not found.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAgainAsync(await fixture.App.SignUpBusinessAsync("contact"), diary)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAgainAsync(biz, Guid.NewGuid())).StatusCode);
    }

    [Fact]
    public async Task Send_again_requests_at_the_same_instant_count_each_other_and_never_pass_the_limit()
    {
        var biz = await fixture.App.SignUpBusinessAsync("contact");
        var contact = NewAddress("race");
        var diary = (await CreateDiaryAsync(biz, contact)).GetProperty("id").GetGuid();
        await MailAsync(contact);

        // One email sent, two more allowed: of eight at once, exactly two send.
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => SendAgainAsync(biz, diary))));
        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(6, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(3, await RowsToAsync(contact, "diary-contact-confirmation"));
        await OnlyMailAsync(contact, 3);
    }

    [Fact]
    public async Task The_diary_page_shows_the_contact_waiting_and_sends_again()
    {
        var biz = await fixture.App.SignUpBusinessAsync("contact");
        var contact = NewAddress("page");
        var diary = (await CreateDiaryAsync(biz, contact)).GetProperty("id").GetGuid();
        await MailAsync(contact);

        var list = await biz.Owner.PageAsync("/staff/setup/roster");
        Assert.Contains("waiting for confirmation", list.One("td[data-contact-state]")!.TextContent, StringComparison.Ordinal);
        var page = await biz.Owner.PageAsync($"/staff/setup/roster/{diary}");
        var state = page.One("#details-email-state")!;
        Assert.Contains($"{contact}: waiting for confirmation", System.Text.RegularExpressions.Regex.Replace(state.TextContent, @"\s+", " "), StringComparison.Ordinal);
        var button = state.QuerySelector("button")!;
        Assert.Equal("Send again", button.TextContent.Trim());

        var antiforgery = page.One("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(button.GetAttribute("formaction")!, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", antiforgery)]),
        };
        var sent = await biz.Owner.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var after = await biz.Owner.PageAsync(sent.Headers.Location!.OriginalString);
        Assert.Contains($"A new confirmation email was sent to {contact}.", after.Text, StringComparison.Ordinal);
        await MailAsync(contact, 2);

        // Confirmed: the page says so and offers no Send again.
        await fixture.App.ConfirmAddressesAsync(biz.Id, contact);
        var confirmed = (await biz.Owner.PageAsync($"/staff/setup/roster/{diary}")).One("#details-email-state")!;
        Assert.Contains("confirmed", confirmed.TextContent, StringComparison.Ordinal);
        Assert.Null(confirmed.QuerySelector("button"));
    }
}
