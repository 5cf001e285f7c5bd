using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Setup;

/// <summary>A staff member's createdAt carries the business's offset like every instant the API answers (it said +00:00).</summary>
public sealed class StaffApiInstantTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Theory]
    [InlineData("Australia/Sydney")]
    [InlineData("America/New_York")]
    public async Task Created_at_carries_the_businesss_offset_in_the_list_the_member_and_the_create_answer(string zone)
    {
        var biz = await shared.App.SignUpBusinessAsync(timeZone: zone);
        var created = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Casey", email = $"casey@{biz.Slug}.example", password = "a team member's password 2026", role = "practitioner", diaryIds = Array.Empty<Guid>() }))
            .JsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        var list = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/staff", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var one = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/staff/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

        var business = TimeZoneInfo.FindSystemTimeZoneById(zone);
        IEnumerable<JsonElement> answers = [created, one, .. list.GetProperty("items").EnumerateArray()];
        foreach (var member in answers)
        {
            var text = member.GetProperty("createdAt").GetString()!;
            var instant = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
            Assert.Equal(business.GetUtcOffset(instant), instant.Offset);
            Assert.NotEqual(TimeSpan.Zero, instant.Offset); // neither zone is ever at UTC, so +00:00 is the bug
            Assert.True(DateTimeOffset.UtcNow - instant < TimeSpan.FromHours(1), text);
        }
    }
}
