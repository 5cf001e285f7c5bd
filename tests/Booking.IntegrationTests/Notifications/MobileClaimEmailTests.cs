using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using MimeKit;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// A client whose unproven mobile is taken over by the phone's proven owner (from Your details, or through the phone
/// new-client flow) gets an email saying so, through the outbox and Notifications, on a real SMTP server. The prover
/// gets none.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class MobileClaimEmailTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Subject = "A mobile number is no longer on your";

    private static bool IsClaimEmail(MimeMessage m) => m.Subject?.StartsWith(Subject, StringComparison.Ordinal) == true;

    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to) =>
        Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Any(IsClaimEmail),
            TimeSpan.FromSeconds(60), $"the mobile-claim email to {to}");

    private async Task<(HttpClient Http, string Email)> RegisterAsync(string slug, string first, string? mobile)
    {
        var http = fixture.App.NewClient();
        var email = $"{first.ToLowerInvariant()}-{Guid.NewGuid():N}@example.com";
        var registered = await http.RegisterAsync(slug, email, mobile: mobile, first: first);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return (http, email);
    }

    [Fact]
    public async Task The_client_who_loses_an_unproven_mobile_is_emailed_with_the_number_masked()
    {
        var biz = await fixture.App.SignUpBusinessAsync("claim");

        // Taken over from Your details by a signed-in client who proves it.
        var mobile = PortalAuthHelpers.NewMobile();
        var (_, malloryEmail) = await RegisterAsync(biz.Slug, "Mallory", mobile);
        var (olive, oliveEmail) = await RegisterAsync(biz.Slug, "Olive", null);
        var started = await olive.StartProofAsync(biz.Slug, mobile);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var attempt = (await started.JsonAsync()).GetProperty("attemptId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await olive.VerifyProofAsync(biz.Slug, attempt, await olive.CodeSentToAsync(mobile))).StatusCode);

        var email = Assert.Single(await MailAsync(malloryEmail), IsClaimEmail);
        var text = email.TextBody;
        Assert.Contains("Hi Mallory", text, StringComparison.Ordinal);
        Assert.Contains($"ending in {mobile[^3..]}", text, StringComparison.Ordinal);
        Assert.Contains("proved it", text, StringComparison.Ordinal);
        Assert.Contains($"/ol/book?name={biz.Slug}", text, StringComparison.Ordinal);
        Assert.DoesNotContain(mobile[3..], text, StringComparison.Ordinal);
        Assert.DoesNotContain(mobile[3..], email.HtmlBody, StringComparison.Ordinal);

        // Taken over through the phone new-client flow (by someone who says that account is not theirs): the same email.
        var second = PortalAuthHelpers.NewMobile();
        var (_, traceyEmail) = await RegisterAsync(biz.Slug, "Tracey", second);
        var owner = fixture.App.NewClient();
        await owner.JoinByPhoneAsync(biz.Slug, second, notThatAccount: true);
        var told = Assert.Single(await MailAsync(traceyEmail), IsClaimEmail);
        Assert.Contains($"ending in {second[^3..]}", told.TextBody, StringComparison.Ordinal);

        // The provers are told nothing of the kind.
        Assert.DoesNotContain(fixture.Smtp.MessagesTo(oliveEmail), IsClaimEmail);
    }
}
