using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// "Forgot password" for a client who has no password yet (added by staff, or joined by phone): the link sets their
/// first one, so the email says that, not "your password stays as it is", which would mislead them. A client with a
/// password still gets the reset email. The whole app with the real handlers and a real SMTP server on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class FirstPasswordEmailTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private NotificationsTestApp App => fixture.App;

    [Fact]
    public async Task A_client_without_a_password_is_asked_to_set_one_and_a_client_with_one_to_reset_it()
    {
        var biz = await App.SignUpBusinessAsync("firstpw");
        var added = $"added-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Nora", lastName = "New", email = added, mobile = (string?)null })).StatusCode);
        var registered = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await App.NewClient().RegisterAsync(biz.Slug, registered)).StatusCode);

        foreach (var email in new[] { added, registered })
        {
            Assert.Equal(HttpStatusCode.Accepted,
                (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email })).StatusCode);
        }

        var first = await fixture.MailAsync(added, $"Set a password for Business {biz.Slug}");
        Assert.Contains("set a password for your", first.TextBody, StringComparison.Ordinal);
        Assert.Contains("nothing changes, and you sign in as before", first.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("your password stays as it is", first.TextBody, StringComparison.Ordinal);
        Assert.Contains("/ol/reset-password?", first.TextBody, StringComparison.Ordinal);

        var reset = await fixture.MailAsync(registered, $"Reset your Business {biz.Slug} password");
        Assert.Contains("your password stays as it is", reset.TextBody, StringComparison.Ordinal);
    }
}
