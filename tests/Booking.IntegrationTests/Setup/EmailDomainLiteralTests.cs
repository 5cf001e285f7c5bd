using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// Security review s33 #5: an address whose domain is an IP literal ("a@[127.0.0.1]") registered and was mailed, so
/// the relay could be pointed at internal hosts; one whose local part is an encoded word ("=?utf-8?q?…?=") can be
/// decoded into another address by mail software. Both are refused as not valid addresses, once per route family.
/// </summary>
public sealed class EmailDomainLiteralTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static readonly string[] Refused = ["a@[127.0.0.1]", "=?utf-8?q?pat?=@example.com"];

    private BookingApp App => shared.App;

    private static async Task<string> ErrorAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), errors.ToString());
        return messages[0].GetString()!;
    }

    [Fact]
    public async Task Register_staff_and_notification_addresses_refuse_ip_literals_and_encoded_words()
    {
        var biz = await App.SignUpBusinessAsync();
        foreach (var email in Refused)
        {
            Assert.Equal("Enter a valid email address.", await ErrorAsync(await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
                new { firstName = "Pat", lastName = "Client", email, password = "a long client password 2026!" }), "email"));
            Assert.Equal("Enter a valid email address.", await ErrorAsync(await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
                new { name = "Ada Admin", email, password = "a team member's password 2026", role = "admin", diaryIds = Array.Empty<Guid>() }), "email"));
            Assert.Contains("is not a valid email address", await ErrorAsync(await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
            {
                notifyDiaryContactOnNew = new { enabled = false, templateId = (Guid?)null },
                notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
                extraAddressesOnNew = new { addresses = new[] { email }, templateId = (Guid?)null },
                includeStaffChanges = false,
            }), "extraAddressesOnNew.addresses[0]"), StringComparison.Ordinal);
        }
    }
}
