using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
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
}
