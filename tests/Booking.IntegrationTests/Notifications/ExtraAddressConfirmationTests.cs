using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.Appointments.Contracts;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using MimeKit;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Extra addresses get the business's booking emails only once their person confirms: one confirmation email (our
/// words) on adding, a GET page that asks and a POST that answers, limits on sending it again, links kept to their
/// business. Real SMTP on loopback, real PostgreSQL.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class ExtraAddressConfirmationTests(NotificationsFixture fixture) : IClassFixture<NotificationsFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 23, 0, 0, TimeSpan.Zero);

    private async Task<NotifyScene> SceneAsync() => await NotifyScene.Create(await fixture.App.SignUpBusinessAsync("confirm")).ContactConfirmedAsync(fixture.App);

    /// <summary>Instants in answers carry the business's offset (Sydney's), not the database's UTC.</summary>
    internal static void InBusinessOffset(JsonElement time)
    {
        var value = DateTimeOffset.Parse(time.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var sydney = TimeZoneInfo.FindSystemTimeZoneById("Australia/Sydney").GetUtcOffset(value);
        Assert.True(value.Offset == sydney, $"{time.GetString()} is not in the business's offset {sydney}");
    }

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

    private static Task SaveExtrasAsync(NotifyScene s, params string[] extras) => s.PutSettingsAsync(new
    {
        notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
        notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
        extraAddressesOnNew = new { addresses = extras, templateId = (Guid?)null },
        includeStaffChanges = false,
    });

    /// <summary>The link's path and query, read from the email's text part.</summary>
    private static string LinkIn(MimeMessage mail)
    {
        var line = mail.TextBody!.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).First(l => l.Contains("/staff/confirm-address?", StringComparison.Ordinal));
        return new Uri(line).PathAndQuery;
    }

    private static string TokenOf(string link) => Uri.UnescapeDataString(link[(link.IndexOf("&token=", StringComparison.Ordinal) + "&token=".Length)..]);

    private static async Task<JsonElement> StateAsync(NotifyScene s, string address)
    {
        var settings = await s.Business.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/notification-settings");
        return settings.GetProperty("extraAddressesOnNew").GetProperty("addressStates").EnumerateArray()
            .Single(a => a.GetProperty("address").GetString() == address);
    }

    private static async Task<HttpResponseMessage> SendAgainAsync(NotifyScene s, string address) =>
        await s.Business.Owner.PostAsJsonAsync("/api/v1/admin/notification-settings/extra-addresses/send-confirmation", new { address });

    private AppointmentBooked Booked(NotifyScene s) =>
        new(Guid.NewGuid(), s.Business.Id, Guid.NewGuid(), s.ClientId, null, s.DiaryId, s.ServiceId, Start, Start.AddHours(1), ChangeSources.Portal);

    private Task<long> BookingRowsToAsync(string address) =>
        Sql.AdminScalarAsync<long>(fixture.App.Database.Database,
            "select count(*) from notifications.outbound_messages where recipient = @a and kind = 'extra-address-new'", ("a", address));

    [Fact]
    public async Task A_new_address_gets_one_confirmation_and_no_booking_email_until_its_person_posts_yes()
    {
        var s = await SceneAsync();
        var front = NewAddress("front");
        await SaveExtrasAsync(s, front.ToUpperInvariant());
        await SaveExtrasAsync(s, front); // saved again: still one confirmation

        var confirmation = Assert.Single(await OnlyMailAsync(front, 1));
        Assert.Equal($"Do you want booking emails from Business {s.Business.Slug}?", confirmation.Subject);
        var text = confirmation.TextBody!.ReplaceLineEndings("\n");
        Assert.Contains($"Business {s.Business.Slug}, a business that takes bookings through our booking system, added this email address", text, StringComparison.Ordinal);
        Assert.Contains("ignore this message: nothing more will be sent to this address unless you say yes.", text, StringComparison.Ordinal);
        var link = LinkIn(confirmation);
        Assert.StartsWith($"/staff/confirm-address?name={s.Business.Slug}&token=", link, StringComparison.Ordinal);
        var state = await StateAsync(s, front);
        Assert.False(state.GetProperty("confirmed").GetBoolean());
        Assert.Equal("waiting", state.GetProperty("state").GetString());
        // The row keeps no working link once it is sent (as reset links).
        var stored = await Eventually.ReturnsAsync(() => Sql.AdminScalarAsync<string>(fixture.App.Database.Database,
            "select content::text from notifications.outbound_messages where recipient = @a and kind = 'extra-address-confirmation' and status = 'sent'", ("a", front)),
            c => c is not null, TimeSpan.FromSeconds(30), "the confirmation marked sent");
        Assert.DoesNotContain(TokenOf(link), stored!, StringComparison.Ordinal);

        // A booking while waiting: the diary contact and the client are told, the address is not.
        NotificationsTestApp.Deliver(fixture.App, Booked(s));
        await MailAsync(s.DiaryContact);
        await MailAsync(s.ClientEmail);
        await OnlyMailAsync(front, 1);
        Assert.Equal(0, await BookingRowsToAsync(front));

        // Opening the link (a mail scanner does) asks and changes nothing.
        var http = fixture.App.NewClient();
        var page = await http.PageAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains($"Business {s.Business.Slug} added {front} to the addresses it emails about each new booking", page.Text, StringComparison.Ordinal);
        await http.PageAsync(link);
        Assert.False((await StateAsync(s, front)).GetProperty("confirmed").GetBoolean());

        var answered = await http.SubmitAsync(page, PortalHtml.Fields(("Answer", "yes")));
        Assert.Contains($"{front} will get an email from Business {s.Business.Slug} about each new booking", answered.One("#answered")!.TextContent, StringComparison.Ordinal);
        state = await StateAsync(s, front);
        Assert.True(state.GetProperty("confirmed").GetBoolean());
        Assert.Equal("confirmed", state.GetProperty("state").GetString());

        NotificationsTestApp.Deliver(fixture.App, Booked(s));
        var mails = await OnlyMailAsync(front, 2);
        Assert.Contains(mails, m => m.Subject!.StartsWith("New booking", StringComparison.Ordinal));

        // One use: the link changes nothing now, and says that after Yes the emails keep coming (not "nothing more is sent").
        var reopened = await fixture.App.NewClient().PageAsync(link);
        Assert.NotNull(reopened.One("#link-dead"));
        Assert.Contains($"after “Yes”, the emails of Business {s.Business.Slug} keep coming to your address", reopened.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("If you ignore it, nothing more is sent", reopened.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_forged_or_incomplete_link_is_refused_with_a_clear_page_and_confirms_nothing()
    {
        var s = await SceneAsync();
        var front = NewAddress("late");
        await SaveExtrasAsync(s, front);
        var link = LinkIn(Assert.Single(await MailAsync(front)));
        var http = fixture.App.NewClient();
        var page = await http.PageAsync(link); // the form, shown while the link still worked

        await Sql.AdminExecAsync(fixture.App.Database.Database,
            "update notifications.address_confirmations set token_expires_at = now() - interval '1 minute' where address = @a", ("a", front));
        var expired = await fixture.App.NewClient().PageAsync(link);
        Assert.Contains("This link has already been answered, has expired, or is not a link we sent, so it changes nothing now.", expired.One("#link-dead")!.TextContent, StringComparison.Ordinal);
        Assert.Null(expired.One("form[method=post]"));
        var posted = await http.SubmitAsync(page, PortalHtml.Fields(("Answer", "yes")));
        Assert.NotNull(posted.One("#link-dead"));
        Assert.Null(posted.One("#answered"));
        Assert.False((await StateAsync(s, front)).GetProperty("confirmed").GetBoolean());

        var forged = await fixture.App.NewClient().PageAsync($"/staff/confirm-address?name={s.Business.Slug}&token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        Assert.NotNull(forged.One("#link-dead"));
        var incomplete = await fixture.App.NewClient().PageAsync($"/staff/confirm-address?name={s.Business.Slug}");
        Assert.Contains("This link is incomplete.", incomplete.One("#link-dead")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_business_cannot_confirm_with_a_link_that_is_not_its_own()
    {
        var a = await SceneAsync();
        var b = await SceneAsync();
        var front = NewAddress("shared");
        await SaveExtrasAsync(a, front);
        var link = LinkIn(Assert.Single(await MailAsync(front)));
        var token = TokenOf(link);
        var http = fixture.App.NewClient();
        var form = await http.PageAsync(link); // A's page: a form and its antiforgery token

        var underB = $"/staff/confirm-address?name={b.Business.Slug}&token={Uri.EscapeDataString(token)}";
        Assert.NotNull((await http.PageAsync(underB)).One("#link-dead"));
        var antiforgery = form.One("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(underB, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", antiforgery), new("Answer", "yes")]),
        };
        var answer = await PortalHtml.ReadAsync(await http.SendAsync(post));
        Assert.NotNull(answer.One("#link-dead"));
        Assert.False((await StateAsync(a, front)).GetProperty("confirmed").GetBoolean());

        // Under its own business the same link still works.
        var yes = await http.SubmitAsync(form, PortalHtml.Fields(("Answer", "yes")));
        Assert.NotNull(yes.One("#answered"));
        Assert.True((await StateAsync(a, front)).GetProperty("confirmed").GetBoolean());
    }

    [Fact]
    public async Task Send_again_sends_a_fresh_link_at_most_three_times_a_day_and_only_to_an_address_waiting()
    {
        var s = await SceneAsync();
        var front = NewAddress("again");
        await SaveExtrasAsync(s, front);
        var first = LinkIn(Assert.Single(await MailAsync(front)));

        var again = await SendAgainAsync(s, front);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var sent = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(sent.GetProperty("confirmed").GetBoolean());
        Assert.Equal(JsonValueKind.String, sent.GetProperty("confirmationSentAt").ValueKind);
        InBusinessOffset(sent.GetProperty("confirmationSentAt"));
        InBusinessOffset((await StateAsync(s, front)).GetProperty("confirmationSentAt"));
        var links = (await MailAsync(front, 2)).Select(LinkIn).ToList();
        Assert.Equal(2, links.Distinct().Count());
        var second = links.Single(l => l != first);
        Assert.NotNull((await fixture.App.NewClient().PageAsync(first)).One("#link-dead")); // replaced by the newer one
        Assert.Null((await fixture.App.NewClient().PageAsync(second)).One("#link-dead"));

        Assert.Equal(HttpStatusCode.OK, (await SendAgainAsync(s, front)).StatusCode);
        var limited = await SendAgainAsync(s, front);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var problem = await limited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("/rate-limited", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains("At most 3 confirmation emails go to one address in 24 hours.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.FromHours(23));
        await OnlyMailAsync(front, 3);

        // Not on the list, or not an address: refused naming the field.
        var stranger = await SendAgainAsync(s, NewAddress("stranger"));
        Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);
        Assert.True((await stranger.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("address", out _));
        var blank = await SendAgainAsync(s, "");
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.True((await blank.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("address", out _));

        // Confirmed: nothing to send again.
        var confirmed = NewAddress("done");
        await fixture.App.ConfirmAddressesAsync(s.Business.Id, confirmed);
        await SaveExtrasAsync(s, front, confirmed);
        var refused = await SendAgainAsync(s, confirmed);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("already confirmed", (await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Empty(fixture.Smtp.MessagesTo(confirmed));
    }

    [Fact]
    public async Task No_on_the_page_stops_every_email_to_the_address_and_send_again_with_it()
    {
        var s = await SceneAsync();
        var front = NewAddress("no");
        await SaveExtrasAsync(s, front);
        var link = LinkIn(Assert.Single(await MailAsync(front)));
        var http = fixture.App.NewClient();
        var declined = await http.SubmitAsync(await http.PageAsync(link), PortalHtml.Fields(("Answer", "no")));
        Assert.Contains($"We won't send anything more to {front}", declined.One("#answered")!.TextContent, StringComparison.Ordinal);
        var state = await StateAsync(s, front);
        Assert.Equal("declined", state.GetProperty("state").GetString());
        Assert.False(state.GetProperty("confirmed").GetBoolean());

        Assert.Equal(HttpStatusCode.BadRequest, (await SendAgainAsync(s, front)).StatusCode);
        await SaveExtrasAsync(s); // removed
        await SaveExtrasAsync(s, front); // and added again: its answer stands, no second email
        NotificationsTestApp.Deliver(fixture.App, Booked(s));
        await MailAsync(s.DiaryContact);
        await OnlyMailAsync(front, 1);
        Assert.Equal(0, await BookingRowsToAsync(front));
    }

    [Fact]
    public async Task The_setup_page_shows_each_address_waiting_or_confirmed_and_sends_again()
    {
        var s = await SceneAsync();
        string waiting = NewAddress("wait"), confirmed = NewAddress("ok");
        await fixture.App.ConfirmAddressesAsync(s.Business.Id, confirmed);
        await SaveExtrasAsync(s, waiting, confirmed);
        await MailAsync(waiting);

        var page = await s.Business.Owner.PageAsync("/staff/setup/portal");
        var waitingRow = page.One($"li[data-address='{waiting}']")!;
        Assert.Contains("waiting for confirmation", waitingRow.TextContent, StringComparison.Ordinal);
        var button = waitingRow.QuerySelector("button[name=confirmAddress]")!;
        Assert.Equal("Send again", button.TextContent.Trim());
        var confirmedRow = page.One($"li[data-address='{confirmed}']")!;
        Assert.Contains("confirmed", confirmedRow.TextContent, StringComparison.Ordinal);
        Assert.Null(confirmedRow.QuerySelector("button"));

        var antiforgery = page.One("#notifications input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(button.GetAttribute("formaction")!, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", antiforgery), new("confirmAddress", waiting)]),
        };
        var sent = await s.Business.Owner.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var after = await s.Business.Owner.PageAsync(sent.Headers.Location!.OriginalString);
        Assert.Contains($"A new confirmation email was sent to {waiting}.", after.Text, StringComparison.Ordinal);
        await MailAsync(waiting, 2);
    }

    [Fact]
    public async Task The_sent_notice_shows_only_an_address_of_the_list_never_other_text_from_the_link()
    {
        var s = await SceneAsync();
        var waiting = NewAddress("wait");
        await SaveExtrasAsync(s, waiting);
        await MailAsync(waiting);

        var spoofed = await s.Business.Owner.PageAsync("/staff/setup/portal?sentTo=" + Uri.EscapeDataString("your bank. Call 0400 000 000 now"));
        Assert.DoesNotContain("A new confirmation email was sent", spoofed.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("0400 000 000", spoofed.Text, StringComparison.Ordinal);
        var other = await s.Business.Owner.PageAsync("/staff/setup/portal?sentTo=" + Uri.EscapeDataString(NewAddress("stranger")));
        Assert.DoesNotContain("A new confirmation email was sent", other.Text, StringComparison.Ordinal);

        var real = await s.Business.Owner.PageAsync("/staff/setup/portal?sentTo=" + Uri.EscapeDataString(waiting));
        Assert.Contains($"A new confirmation email was sent to {waiting}.", real.Text, StringComparison.Ordinal);
    }
}
