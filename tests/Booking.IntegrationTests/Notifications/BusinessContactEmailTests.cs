using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using MimeKit;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Review J13 and J6 in email: a client's email answers to the business's own address (Reply-To) and says how to reach
/// it; the booking confirmation carries the cancellation policy. Real contract handlers, real SMTP.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class BusinessContactEmailTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    [Fact]
    public async Task The_client_confirmation_has_the_business_as_Reply_To_its_phone_and_email_the_policy_and_what_the_portal_offers()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var biz = await fixture.App.SignUpBusinessAsync("replyto");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        await biz.ConfirmAddressAsync($"diary-{tag}@example.com");
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Reply", contactEmail = $"diary-{tag}@example.com", active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "00:00", "23:30");
        var service = await biz.ServiceAsync("Check-up", 30, 0, [diary]);
        const string Policy = "Cancel 36 hours ahead or pay the fee.";
        var businessEmail = $"desk-{tag}@business.example";
        await biz.SettingsAsync(s =>
        {
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 36, ["text"] = Policy, ["insideWindow"] = "refuse" };
            s["contact"] = new JsonObject { ["phone"] = "02 9876 5432", ["email"] = businessEmail };
        });

        var http = fixture.App.NewClient();
        var email = $"client-{tag}@example.com";
        (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName = "Rae", lastName = "Ply", email, password = "a long client password 2026!", mobile = "+61412" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture) })).EnsureSuccessStatusCode();
        var start = DateTimeOffset.UtcNow.AddDays(3);
        start = new DateTimeOffset(start.Year, start.Month, start.Day, 2, 0, 0, TimeSpan.Zero);
        var booked = await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}",
            new { serviceId = service, diaryId = diary, start = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null });
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);

        var mail = await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count >= 1, TimeSpan.FromSeconds(60), "the confirmation");
        var message = Assert.Single(mail);
        var replyTo = Assert.Single(message.ReplyTo.Mailboxes);
        Assert.Equal(businessEmail, replyTo.Address);
        Assert.NotEqual(businessEmail, message.From.Mailboxes.Single().Address);
        Assert.Contains("Cancellation policy: " + Policy, message.TextBody, StringComparison.Ordinal);
        Assert.Matches(@"Questions\? Contact .+ on \(02\) 9876 5432 or at " + System.Text.RegularExpressions.Regex.Escape(businessEmail) + @"\.", message.TextBody);
        Assert.Contains(Policy, message.HtmlBody, StringComparison.Ordinal);
        // Every access level on: the list, and the appointment's own cancel page, then the contact.
        var id = (await booked.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        Assert.Contains($"See your appointments at https://booking.test/ol/appointments?name={biz.Slug}\nTo cancel it, visit https://booking.test/ol/cancel?name={biz.Slug}&id={id}\n\nQuestions? Contact ",
            message.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);

    }

    /// <summary>
    /// Decision 348: a business with no contact email sends its client emails From the no-reply sender with no Reply-To, so
    /// a client's reply would reach nobody. The email says so where the client reads it, with the way to reach the business
    /// it did give (its phone), or that it gave none; never another address (no staff member's own). Once it gives a contact
    /// email, replies go there and the line is gone. Real SMTP, the staff change of a mobile as the client email.
    /// </summary>
    [Fact]
    public async Task A_client_email_nobody_can_reply_to_says_replies_are_not_read_and_how_to_reach_the_business()
    {
        var biz = await fixture.App.SignUpBusinessAsync("noreply");
        var (id, email, _) = await fixture.App.SignedInClientAsync(biz);
        Assert.Equal(HttpStatusCode.OK, (await biz.ChangeClientAsync(id, email, PortalAuthHelpers.NewMobile())).StatusCode); // a first mobile: no email
        var sent = 0;

        async Task<MimeMessage> NextNoticeAsync()
        {
            Assert.Equal(HttpStatusCode.OK, (await biz.ChangeClientAsync(id, email, PortalAuthHelpers.NewMobile())).StatusCode);
            sent++;
            var all = await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count >= sent, TimeSpan.FromSeconds(60), $"notice {sent}");
            return all[sent - 1];
        }

        // No contact at all: no Reply-To, and the email says replies are not read and that the business gave no way in.
        var bare = await NextNoticeAsync();
        Assert.Empty(bare.ReplyTo.Mailboxes);
        var none = $"Replies to this email are not read. Business {biz.Slug} has not given an email address or phone number for messages.";
        Assert.Contains(none, bare.TextBody, StringComparison.Ordinal);
        Assert.True(bare.TextBody!.IndexOf(none, StringComparison.Ordinal) > bare.TextBody.LastIndexOf("\n--\n", StringComparison.Ordinal), "in the footer");
        Assert.Contains($"data-role=\"no-reply\" style=\"color:#3f3f46;\">{none}</span>", bare.HtmlBody, StringComparison.Ordinal);

        // A phone only: the line says to call it.
        await biz.SettingsAsync(s => s["contact"] = new JsonObject { ["phone"] = "02 9876 5432" });
        var phoned = await NextNoticeAsync();
        Assert.Empty(phoned.ReplyTo.Mailboxes);
        Assert.Matches($@"Replies to this email are not read\. To reach Business {biz.Slug}, call \(?02\)? 9876 5432\.", phoned.TextBody);

        // A contact email: replies go to it, and nothing says they are not read.
        var desk = $"desk-{Guid.NewGuid():N}@business.example";
        await biz.SettingsAsync(s => s["contact"] = new JsonObject { ["phone"] = "02 9876 5432", ["email"] = desk });
        var answered = await NextNoticeAsync();
        Assert.Equal(desk, Assert.Single(answered.ReplyTo.Mailboxes).Address);
        Assert.DoesNotContain("Replies to this email are not read", answered.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("no-reply", answered.HtmlBody, StringComparison.Ordinal);
    }
}
