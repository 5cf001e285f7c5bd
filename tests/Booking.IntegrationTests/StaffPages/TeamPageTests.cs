using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>Two team members may share a name; a screen reader must still tell their Edit and Remove apart.</summary>
public sealed class TeamPageTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Edit_and_remove_name_the_member_by_name_and_email()
    {
        var biz = await shared.App.SignUpBusinessAsync("team-names");
        var tag = Guid.NewGuid().ToString("N")[..8];
        string[] emails = [$"sam.one-{tag}@example.com", $"sam.two-{tag}@example.com"];
        foreach (var email in emails)
        {
            var created = await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
                new { name = "Sam Lee", email, password = "a team member's password 2026", role = "practitioner", diaryIds = Array.Empty<Guid>() });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var page = await biz.Owner.PageAsync("/staff/setup/team");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var edits = page.All("td.actions a:not(.danger)").Select(a => a.GetAttribute("aria-label")).ToList();
        var removes = page.All("td.actions a.danger").Select(b => b.GetAttribute("aria-label")).ToList();
        foreach (var email in emails)
        {
            Assert.Contains($"Edit Sam Lee ({email})", edits);
            Assert.Contains($"Remove Sam Lee ({email})…", removes);
        }

        Assert.Equal(edits.Count, edits.Distinct().Count());
        Assert.Equal(removes.Count, removes.Distinct().Count());
    }
}
