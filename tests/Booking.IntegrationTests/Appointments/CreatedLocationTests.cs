using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// API.md: "create → 201 with the new resource … and `Location`". A Location is of use only if it can be read: the
/// created exception and busy block answer GET with what the create answered.
/// </summary>
public sealed class CreatedLocationTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task A_created_roster_exception_and_busy_block_are_read_at_their_Location()
    {
        var b = await shared.App.BookableAsync();
        var owner = b.Biz.Owner;
        var day = Day(6);

        var exception = await owner.PostAsJsonAsync($"/api/v1/admin/diaries/{b.DiaryId}/exceptions",
            new { date = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), closed = true, blocks = Array.Empty<object>() });
        await AssertReadableAsync(owner, exception);

        var busy = await owner.PostAsJsonAsync("/api/v1/admin/busy-blocks",
            new { diaryId = b.DiaryId, start = At(day, 9), end = At(day, 10), note = "Lunch" });
        var location = await AssertReadableAsync(owner, busy);

        // Another business's owner, or a practitioner of another diary, finds no such busy block; nor does another diary's exception path.
        var other = await shared.App.BookableAsync();
        Assert.Equal("not-found", await (await other.Biz.Owner.GetAsync(location)).KindAsync(HttpStatusCode.NotFound));
        var otherDiary = await b.Biz.DiaryAsync("Dr Beta");
        var exceptionPath = exception.Headers.Location!.OriginalString.Replace(b.DiaryId.ToString(), otherDiary.ToString(), StringComparison.Ordinal);
        Assert.Equal("not-found", await (await owner.GetAsync(new Uri(exceptionPath, UriKind.Relative))).KindAsync(HttpStatusCode.NotFound));
        const string password = "practitioner password long enough 2026";
        var email = $"pat-{Guid.NewGuid():N}@{b.Biz.Slug}.example";
        await (await owner.PostAsJsonAsync("/api/v1/admin/staff", new { name = "Pat", email, password, role = "practitioner", diaryIds = new[] { otherDiary } }))
            .JsonAsync(HttpStatusCode.Created);
        var pat = shared.App.NewClient();
        await (await pat.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={b.Biz.Slug}", new { email, password })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("not-found", await (await pat.GetAsync(location)).KindAsync(HttpStatusCode.NotFound));
    }

    private static async Task<Uri> AssertReadableAsync(HttpClient staff, HttpResponseMessage created)
    {
        var body = await created.JsonAsync(HttpStatusCode.Created);
        var location = created.Headers.Location!;
        var read = await (await staff.GetAsync(location)).JsonAsync(HttpStatusCode.OK);

        // The save's answer adds what it clashes with (decision 164), which a read leaves out; the rest is the same.
        var saved = System.Text.Json.Nodes.JsonNode.Parse(body.GetRawText())!.AsObject();
        Assert.Equal(JsonValueKind.Array, body.GetProperty("clashes").ValueKind);
        saved.Remove("clashes");
        Assert.False(read.TryGetProperty("clashes", out _));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(saved, System.Text.Json.Nodes.JsonNode.Parse(read.GetRawText())), $"{saved.ToJsonString()} read as {read.GetRawText()}");
        Assert.Equal(JsonValueKind.String, read.GetProperty("id").ValueKind);
        return location;
    }
}
