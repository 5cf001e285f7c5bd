using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// A reset link asked for at the very moment staff change that person's sign-in email: the change cancels the links it
/// can see, but under read committed a link issued in the same instant is not among them. Each test makes that race
/// certain: the link is issued, then the test's own transaction writes the change of email as the change does (without
/// the cancelling, which could not see the link) and holds the row; the link is used while it is held. The reset waits
/// for the row (it takes the same lock), reads the new address once the change commits, and is refused: the link was
/// sent to an address that no longer signs in. For clients (PortalAuth) and staff (Tenancy).
/// </summary>
public sealed class ResetLinkEmailRaceTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string NewPassword = "a sentence only the old inbox knows";

    private BookingApp App => shared.App;

    [Fact]
    public async Task A_clients_link_used_while_staff_change_the_email_waits_for_the_change_and_is_refused()
    {
        var biz = await App.SignUpBusinessAsync("resetrace");
        var old = PortalAuthHelpers.NewEmail();
        var id = (await (await App.NewClient().RegisterAsync(biz.Slug, old)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Accepted, (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email = old })).StatusCode);
        var link = new Uri(await ResetUrlAsync("portalauth", "PasswordResetRequested", old));
        var token = QueryHelpers.ParseQuery(link.Query)["token"].ToString();
        var moved = PortalAuthHelpers.NewEmail();

        HttpResponseMessage answer;
        await using (var change = await HeldTransaction.BeginAsync(App.Database.Database))
        {
            Assert.Equal(1, await change.ExecAsync("UPDATE portalauth.clients SET email = @e WHERE id = @id", ("e", moved), ("id", id)));
            var reset = App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={biz.Slug}", new { token, newPassword = NewPassword });
            await change.WaitForBlockedAsync(1); // the reset waits on the client's row
            await change.CommitAsync();
            answer = await reset;
        }

        await AssertTokenRefusedAsync(answer);
        Assert.NotNull((await App.NewClient().PageAsync(link.PathAndQuery)).One("#link-dead")); // the page says so too
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.NewClient().SignInAsync(biz.Slug, moved, NewPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.NewClient().SignInAsync(biz.Slug, moved)).StatusCode);
    }

    [Fact]
    public async Task A_staff_link_used_while_the_email_is_changed_waits_for_the_change_and_is_refused()
    {
        var biz = await App.SignUpBusinessAsync("sresetrace");
        var old = $"staff-{Guid.NewGuid():N}@{biz.Slug}.example";
        var staff = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Gina Groomer", email = old, password = TestBusiness.OwnerPassword, role = "practitioner", diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.Created);
        var id = staff.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Accepted, (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/forgot-password?name={biz.Slug}", new { email = old })).StatusCode);
        var link = new Uri(await ResetUrlAsync("tenancy", "StaffPasswordResetRequested", old));
        var token = QueryHelpers.ParseQuery(link.Query)["token"].ToString();
        var moved = $"moved-{Guid.NewGuid():N}@{biz.Slug}.example";

        HttpResponseMessage answer;
        await using (var change = await HeldTransaction.BeginAsync(App.Database.Database))
        {
            Assert.Equal(1, await change.ExecAsync("UPDATE tenancy.staff_members SET email = @e WHERE id = @id", ("e", moved), ("id", id)));
            var reset = App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/reset-password?name={biz.Slug}", new { token, newPassword = NewPassword });
            await change.WaitForBlockedAsync(1);
            await change.CommitAsync();
            answer = await reset;
        }

        await AssertTokenRefusedAsync(answer);
        Assert.Equal(HttpStatusCode.Unauthorized, await StaffSignInAsync(biz.Slug, moved, NewPassword));
        Assert.Equal(HttpStatusCode.OK, await StaffSignInAsync(biz.Slug, moved, TestBusiness.OwnerPassword));
    }

    private async Task<HttpStatusCode> StaffSignInAsync(string slug, string email, string password) =>
        (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={slug}", new { email, password })).StatusCode;

    private static async Task AssertTokenRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("token", out _));
    }

    /// <summary>The newest reset event for <paramref name="email"/> in a module's outbox, its link decrypted as Notifications does.</summary>
    private async Task<string> ResetUrlAsync(string schema, string type, string email)
    {
        var payload = await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<string>(App.Database.Database,
                $"select payload::text from {schema}.outbox_messages where type like @type and payload->>'email' = @e order by occurred_at desc limit 1",
                ("type", $"%{type}%"), ("e", email)),
            p => p is not null, what: $"a reset link for {email}");
        var protection = App.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>();
        return Booking.BuildingBlocks.Security.ProtectedResetLinks.Unprotect(protection, (string?)JsonNode.Parse(payload!)!["protectedResetUrl"])!;
    }
}
