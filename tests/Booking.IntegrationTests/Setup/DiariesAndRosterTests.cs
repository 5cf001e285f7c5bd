using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Setup;

public sealed class DiariesAndRosterTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Diaries_are_created_read_changed_and_listed()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var response = await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Alex Chen", contactEmail = "alex@x.example" });
        var created = await response.JsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.True(created.GetProperty("active").GetBoolean());
        Assert.Equal($"/api/v1/admin/diaries/{id}", response.Headers.Location?.OriginalString);

        var put = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{id}", new { name = "Dr A. Chen", contactEmail = "chen@x.example", active = false }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.False(put.GetProperty("active").GetBoolean());

        var get = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Dr A. Chen", get.GetProperty("name").GetString());
        Assert.Equal("chen@x.example", get.GetProperty("contactEmail").GetString());
        var list = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/diaries", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Diary_put_needs_every_field_and_a_valid_email()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var id = await biz.CreateDiaryAsync();

        var problem = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{id}", new { name = "", contactEmail = "not-an-email" }))
            .JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal(new[] { "active", "contactEmail", "name" }, problem.ErrorFields().Order());
    }

    [Fact]
    public async Task The_weekly_roster_is_replaced_whole_and_read_back_in_week_order()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var id = await biz.CreateDiaryAsync();
        await biz.PutRosterAsync(id, SetupApi.Block("tuesday", "09:00", "17:00"), SetupApi.Block("monday", "13:00", "17:00"), SetupApi.Block("Monday", "09:00", "12:00", false));

        var roster = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{id}/roster", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var blocks = roster.GetProperty("blocks").EnumerateArray()
            .Select(b => $"{b.GetProperty("weekday").GetString()} {b.GetProperty("start").GetString()}-{b.GetProperty("end").GetString()} {b.GetProperty("bookableOnline").GetBoolean()}")
            .ToList();
        Assert.Equal(["monday 09:00-12:00 False", "monday 13:00-17:00 True", "tuesday 09:00-17:00 True"], blocks);

        await biz.PutRosterAsync(id, SetupApi.Block("friday", "10:00", "11:00"));
        var replaced = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{id}/roster", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("friday", Assert.Single(replaced.GetProperty("blocks").EnumerateArray()).GetProperty("weekday").GetString());
    }

    [Fact]
    public async Task Roster_times_and_overlaps_are_validated_and_nothing_is_saved()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var id = await biz.CreateDiaryAsync();
        await biz.PutRosterAsync(id, SetupApi.Block("monday", "09:00", "17:00"));

        var problem = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{id}/roster", new
        {
            blocks = new object[]
            {
                SetupApi.Block("monday", "09:00", "12:00"),
                SetupApi.Block("monday", "11:30", "13:00"),
                SetupApi.Block("tuesday", "17:00", "09:00"),
                SetupApi.Block("someday", "9:00", "10:00"),
                new { weekday = "friday", start = "09:00", end = "10:00" },
            },
        })).JsonAsync(HttpStatusCode.BadRequest);

        var fields = problem.ErrorFields();
        Assert.Equal(new[] { "blocks[1]", "blocks[2].end", "blocks[3].start", "blocks[3].weekday", "blocks[4].bookableOnline" }, fields.Order());
        Assert.Equal("Overlaps the block Monday 09:00–12:00.", problem.GetProperty("errors").GetProperty("blocks[1]")[0].GetString());

        var missing = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{id}/roster", new { })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["blocks"], missing.ErrorFields());

        var roster = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{id}/roster", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("17:00", Assert.Single(roster.GetProperty("blocks").EnumerateArray()).GetProperty("end").GetString());
    }

    [Fact]
    public async Task Exceptions_are_created_listed_validated_and_deleted()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var id = await biz.CreateDiaryAsync();

        var closed = await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{id}/exceptions", new { date = "2030-12-25", closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created);
        await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{id}/exceptions",
                new { date = "2030-12-24", closed = false, blocks = new[] { new { start = "09:00", end = "12:00", bookableOnline = true } } }))
            .JsonAsync(HttpStatusCode.Created);

        var duplicate = await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{id}/exceptions", new { date = "2030-12-25", closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["date"], duplicate.ErrorFields());

        var bad = await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{id}/exceptions",
                new { date = "2030-02-30", closed = false, blocks = new[] { new { start = "12:00", end = "10:00" }, new { start = "09:00", end = "11:00" } } }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(new[] { "blocks[0].end", "date" }, bad.ErrorFields().Order());
        var overlap = await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{id}/exceptions",
                new { date = "2030-03-01", closed = false, blocks = new[] { new { start = "09:00", end = "12:00" }, new { start = "11:00", end = "13:00" } } }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["blocks[1]"], overlap.ErrorFields());
        var openWithoutHours = await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{id}/exceptions", new { date = "2030-03-02", closed = false, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["blocks"], openWithoutHours.ErrorFields());

        var list = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{id}/exceptions", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["2030-12-24", "2030-12-25"], list.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("date").GetString()));

        // A change keeps the id; the date may move to a free one, not onto another exception's.
        var exceptionId = closed.GetProperty("id").GetGuid();
        var changeUrl = $"/api/v1/admin/diaries/{id}/exceptions/{exceptionId}";
        var changed = await (await biz.Owner.PutAsJsonAsync(changeUrl,
                new { date = "2030-12-26", closed = false, blocks = new[] { new { start = "10:00", end = "12:00", bookableOnline = false } } }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(exceptionId, changed.GetProperty("id").GetGuid());
        Assert.Equal("2030-12-26", changed.GetProperty("date").GetString());
        Assert.False(changed.GetProperty("closed").GetBoolean());
        var block = Assert.Single(changed.GetProperty("blocks").EnumerateArray());
        Assert.Equal(("10:00", "12:00", false), (block.GetProperty("start").GetString(), block.GetProperty("end").GetString(), block.GetProperty("bookableOnline").GetBoolean()));
        var onto = await (await biz.Owner.PutAsJsonAsync(changeUrl, new { date = "2030-12-24", closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["date"], onto.ErrorFields());
        var badChange = await (await biz.Owner.PutAsJsonAsync(changeUrl, new { date = "2030-12-26", closed = true, blocks = new[] { new { start = "10:00", end = "12:00" } } }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["blocks"], badChange.ErrorFields());
        var closedAgain = await (await biz.Owner.PutAsJsonAsync(changeUrl, new { date = "2030-12-25", closed = true, blocks = Array.Empty<object>() })).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(closedAgain.GetProperty("blocks").EnumerateArray());
        var listed = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{id}/exceptions", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["2030-12-24", "2030-12-25"], listed.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("date").GetString()));
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{id}/exceptions/{Guid.NewGuid()}", new { date = "2030-12-27", closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.NotFound);

        await (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/diaries/{id}/exceptions/{exceptionId}", UriKind.Relative))).JsonAsync(HttpStatusCode.NoContent);
        await (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/diaries/{id}/exceptions/{exceptionId}", UriKind.Relative))).JsonAsync(HttpStatusCode.NotFound);
        var after = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{id}/exceptions", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["2030-12-24"], after.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("date").GetString()));
    }

    [Fact]
    public async Task Another_businesss_diary_ids_answer_404_everywhere()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var other = await shared.App.SignUpBusinessAsync();
        var theirs = await other.CreateDiaryAsync("Theirs");
        var exception = await (await other.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{theirs}/exceptions", new { date = "2030-01-01", closed = true, blocks = Array.Empty<object>() }))
            .JsonAsync(HttpStatusCode.Created);
        var exceptionId = exception.GetProperty("id").GetGuid();

        foreach (var diary in new[] { theirs.ToString(), "nonsense" })
        {
            foreach (var response in new[]
                     {
                         await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{diary}", UriKind.Relative)),
                         await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}", new { name = "Mine", contactEmail = "m@x.example", active = true }),
                         await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{diary}/roster", UriKind.Relative)),
                         await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}/roster", new { blocks = Array.Empty<object>() }),
                         await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{diary}/exceptions", UriKind.Relative)),
                         await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{diary}/exceptions", new { date = "2030-01-02", closed = true, blocks = Array.Empty<object>() }),
                         await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}/exceptions/{exceptionId}", new { date = "2030-01-03", closed = true, blocks = Array.Empty<object>() }),
                         await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/diaries/{diary}/exceptions/{exceptionId}", UriKind.Relative)),
                     })
            {
                Assert.Equal("not-found", (await response.JsonAsync(HttpStatusCode.NotFound)).Kind());
            }
        }

        var still = await (await other.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{theirs}/exceptions", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Single(still.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Booking_rules_accept_only_the_allowed_values()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var defaults = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/booking-rules", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(15, defaults.GetProperty("slotIntervalMinutes").GetInt32());
        Assert.Equal(60, defaults.GetProperty("minimumNoticeMinutes").GetInt32());
        Assert.Equal(60, defaults.GetProperty("horizonDays").GetInt32());

        var bad = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/booking-rules", new { slotIntervalMinutes = 25, minimumNoticeMinutes = 43_201, horizonDays = 0 }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(new[] { "horizonDays", "minimumNoticeMinutes", "slotIntervalMinutes" }, bad.ErrorFields().Order());
        var missing = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/booking-rules", new { slotIntervalMinutes = 30 })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(new[] { "horizonDays", "minimumNoticeMinutes" }, missing.ErrorFields().Order());

        foreach (var interval in new[] { 5, 10, 15, 20, 30, 60 })
        {
            var ok = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/booking-rules", new { slotIntervalMinutes = interval, minimumNoticeMinutes = 43_200, horizonDays = 730 }))
                .JsonAsync(HttpStatusCode.OK);
            Assert.Equal(interval, ok.GetProperty("slotIntervalMinutes").GetInt32());
        }

        var read = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/booking-rules", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(60, read.GetProperty("slotIntervalMinutes").GetInt32());
        Assert.Equal(43_200, read.GetProperty("minimumNoticeMinutes").GetInt32());
        Assert.Equal(730, read.GetProperty("horizonDays").GetInt32());
    }
}
