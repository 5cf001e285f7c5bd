using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using MimeKit;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// The account-change tests' setups (<see cref="ClientMobileChangeTests"/>, <see cref="ClientSignInEmailChangeTests"/>,
/// <see cref="ResetLinkSafetyTests"/>): the whole app with a real SMTP server (<see cref="RealFactsFixture"/>).
/// </summary>
internal static class AccountChangeHelpers
{
    /// <summary>The first email to <paramref name="to"/> whose subject starts so, waiting up to a minute for it.</summary>
    public static async Task<MimeMessage> MailAsync(this RealFactsFixture fixture, string to, string subjectStart) =>
        (await Eventually.ReturnsAsync(
            () => Task.FromResult(fixture.Smtp.MessagesTo(to).FirstOrDefault(m => m.Subject?.StartsWith(subjectStart, StringComparison.Ordinal) == true)),
            m => m is not null, TimeSpan.FromSeconds(60), $"\"{subjectStart}…\" to {to}"))!;

    /// <summary>The reset token of the link to <paramref name="path"/> (<c>/ol/reset-password</c>, <c>/staff/reset-password</c>) in the email's text.</summary>
    public static string ResetTokenOf(MimeMessage mail, string path)
    {
        var link = mail.TextBody!.Split('\n').Select(l => l.Trim()).First(l => l.Contains(path + "?", StringComparison.Ordinal));
        return link[(link.IndexOf("&token=", StringComparison.Ordinal) + "&token=".Length)..];
    }

    /// <summary>Staff change a client's details (<c>PUT /api/v1/admin/clients/{id}</c>), last name "Client".</summary>
    public static Task<HttpResponseMessage> ChangeClientAsync(this TestBusiness biz, string id, string? email, string? mobile = null, string first = "Emma") =>
        biz.Owner.PutAsJsonAsync($"/api/v1/admin/clients/{id}", new { firstName = first, lastName = "Client", email, mobile });

    /// <summary>A registered client (Emma) signed in on a device of theirs: the client's id, email and that device.</summary>
    public static async Task<(string Id, string Email, HttpClient Device)> SignedInClientAsync(this NotificationsTestApp app, TestBusiness biz)
    {
        var email = PortalAuthHelpers.NewEmail();
        var registered = await app.NewClient().RegisterAsync(biz.Slug, email, first: "Emma");
        var id = (await registered.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var device = app.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await device.SignInAsync(biz.Slug, email)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await device.MeAsync(biz.Slug)).StatusCode);
        return (id, email, device);
    }

    /// <summary>
    /// The business's PortalAuth outbox events whose type contains <paramref name="eventType"/> and the messages of
    /// <paramref name="kind"/> written for them: both nothing when no notice is due.
    /// </summary>
    public static async Task<(long Events, long Messages)> NoticesAsync(this NotificationsTestApp app, TestBusiness biz, string eventType, string kind) =>
        (await Sql.AdminScalarAsync<long>(app.Database.Database,
            "select count(*) from portalauth.outbox_messages where type like @e and tenant_id = @t", ("e", $"%{eventType}%"), ("t", biz.Id)),
         await Sql.AdminScalarAsync<long>(app.Database.Database,
            "select count(*) from notifications.outbound_messages where kind = @k and tenant_id = @t", ("k", kind), ("t", biz.Id)));
}
