using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using NodaTime;

namespace Booking.IntegrationTests.Setup;

/// <summary>A roster block, and an exception's block, may end at 24:00: saved, read back, offered and booked.</summary>
public sealed class RosterMidnightTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    [Fact]
    public async Task A_weekly_block_ending_at_24_00_is_saved_and_read_back_as_24_00()
    {
        var biz = await shared.App.SignUpBusinessAsync("midnight");
        var id = await biz.CreateDiaryAsync();
        await biz.PutRosterAsync(id, SetupApi.Block("monday", "18:00", "24:00"), SetupApi.Block("tuesday", "00:00", "06:00"), SetupApi.Block("sunday", "00:00", "24:00", false));

        var roster = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{id}/roster", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

        var blocks = roster.GetProperty("blocks").EnumerateArray()
            .Select(b => $"{b.GetProperty("weekday").GetString()} {b.GetProperty("start").GetString()}-{b.GetProperty("end").GetString()}").ToList();
        Assert.Equal(["monday 18:00-24:00", "tuesday 00:00-06:00", "sunday 00:00-24:00"], blocks);
    }

    [Fact]
    public async Task Ends_past_midnight_and_a_start_at_24_00_are_validation_problems_naming_the_field()
    {
        var biz = await shared.App.SignUpBusinessAsync("midnight");
        var id = await biz.CreateDiaryAsync();

        var problem = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{id}/roster", new
        {
            blocks = new[]
            {
                SetupApi.Block("monday", "22:00", "24:01"),
                SetupApi.Block("tuesday", "24:00", "24:00"),
                SetupApi.Block("wednesday", "22:00", "25:00"),
                SetupApi.Block("thursday", "23:00", "24:00:00"),
            },
        })).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal("validation", problem.Kind());
        Assert.Equal(["blocks[0].end", "blocks[1].start", "blocks[2].end", "blocks[3].end"], problem.ErrorFields().Order());
        var exception = await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{id}/exceptions", new
        {
            date = "2030-01-07",
            closed = false,
            blocks = new[] { new { start = "24:00", end = "24:00" }, new { start = "20:00", end = "24:30" } },
        })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["blocks[0].start", "blocks[1].end"], exception.ErrorFields().Order());
    }

    [Fact]
    public async Task A_block_to_midnight_offers_the_23_30_slot_and_it_can_be_booked()
    {
        var b = await BookableToMidnightAsync();
        var day = SchedulingApi.Day(3);
        var client = await SchedulingApi.RegisterClientAsync(shared.App, b.Biz);

        var slots = await SchedulingApi.SlotsAsync(client.Http, b, day, day);

        var last = slots[^1];
        Assert.Equal(DateTimeOffset.Parse(SchedulingApi.At(day, 23, 30), null), last.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(day.PlusDays(1).AtStartOfDayInZone(SchedulingApi.Sydney).ToDateTimeOffset(), last.GetProperty("end").GetDateTimeOffset());
        var booked = await (await SchedulingApi.BookAsync(client, b, SchedulingApi.At(day, 23, 30))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(day.PlusDays(1).AtStartOfDayInZone(SchedulingApi.Sydney).ToDateTimeOffset(), booked.GetProperty("end").GetDateTimeOffset());
        Assert.DoesNotContain(DateTimeOffset.Parse(SchedulingApi.At(day, 23, 30), null), SchedulingApi.Starts(await SchedulingApi.SlotsAsync(client.Http, b, day, day)));
    }

    [Fact]
    public async Task An_exception_block_ending_at_24_00_is_saved_read_back_and_offered()
    {
        var b = await BookableToMidnightAsync(weeklyEnd: "20:00");
        var day = SchedulingApi.Day(4);
        var created = await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{b.DiaryId}/exceptions", new
        {
            date = SchedulingApi.Iso(day),
            closed = false,
            blocks = new[] { new { start = "23:00", end = "24:00", bookableOnline = true } },
        })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("24:00", created.GetProperty("blocks")[0].GetProperty("end").GetString());

        var listed = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{b.DiaryId}/exceptions", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("24:00", Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("blocks")[0].GetProperty("end").GetString());
        var client = await SchedulingApi.RegisterClientAsync(shared.App, b.Biz);
        Assert.Equal(
            [DateTimeOffset.Parse(SchedulingApi.At(day, 23, 0), null), DateTimeOffset.Parse(SchedulingApi.At(day, 23, 30), null)],
            SchedulingApi.Starts(await SchedulingApi.SlotsAsync(client.Http, b, day, day)));
        await (await SchedulingApi.BookAsync(client, b, SchedulingApi.At(day, 23, 30))).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_roster_page_takes_an_end_of_00_00_as_midnight_and_shows_a_saved_24_00_end_as_00_00()
    {
        var biz = await shared.App.SignUpBusinessAsync("midnight");
        var id = await biz.CreateDiaryAsync();
        var page = $"/staff/setup/roster/{id}";

        var week = await FormAsync(biz, page, "handler=Roster");
        var fields = Fields(week);
        Set(fields, "Week[0].Weekday", "friday");
        Set(fields, "Week[0].Start", "22:00");
        Set(fields, "Week[0].End", "00:00");
        using (var posted = await biz.Owner.PostAsync(new Uri(week.GetAttribute("action")!, UriKind.Relative), new FormUrlEncodedContent(fields)))
        {
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }

        var roster = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{id}/roster", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("24:00", Assert.Single(roster.GetProperty("blocks").EnumerateArray()).GetProperty("end").GetString());
        var shown = await FormAsync(biz, page, "handler=Roster");
        Assert.Equal("00:00", shown.QuerySelector("input[name='Week[0].End']")!.GetAttribute("value"));

        var exception = await FormAsync(biz, page, "handler=Exception");
        fields = Fields(exception);
        Set(fields, "NewException.Date", "2030-01-07");
        Set(fields, "NewException.Blocks[0].Start", "20:00");
        Set(fields, "NewException.Blocks[0].End", "00:00");
        using (var posted = await biz.Owner.PostAsync(new Uri(exception.GetAttribute("action")!, UriKind.Relative), new FormUrlEncodedContent(fields)))
        {
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }

        var listed = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{id}/exceptions", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var saved = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal("24:00", saved.GetProperty("blocks")[0].GetProperty("end").GetString());
        var editing = await FormAsync(biz, $"{page}?edit={saved.GetProperty("id").GetGuid()}", "handler=Exception");
        Assert.Equal("00:00", editing.QuerySelector("input[name='NewException.Blocks[0].End']")!.GetAttribute("value"));
    }

    [Fact]
    public async Task The_database_keeps_24_00_as_a_time_refuses_a_start_there_and_reads_exception_documents_written_before()
    {
        var biz = await shared.App.SignUpBusinessAsync("midnight");
        var id = await biz.CreateDiaryAsync();
        await biz.PutRosterAsync(id, SetupApi.Block("monday", "22:00", "24:00"));
        var exceptionId = (await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{id}/exceptions", new
        {
            date = "2030-01-07",
            closed = false,
            blocks = new[] { new { start = "22:00", end = "24:00" } },
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var database = shared.App.Database.Database;

        Assert.Equal("24:00:00", await Sql.AdminScalarAsync<string>(database, "SELECT \"end\"::text FROM roster.roster_blocks WHERE tenant_id = @t", ("t", biz.Id)));
        Assert.Equal("""[{"end": "24:00:00", "start": "22:00:00", "bookableOnline": true}]""",
            await Sql.AdminScalarAsync<string>(database, "SELECT blocks::text FROM roster.roster_exceptions WHERE id = @id", ("id", exceptionId)));
        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            Sql.AdminScalarAsync<int>(database, "UPDATE roster.roster_blocks SET start = '24:00' WHERE tenant_id = @t RETURNING 1", ("t", biz.Id)));
        Assert.Equal("ck_roster_blocks_times", refused.ConstraintName);

        // A document as blocks of TimeOnly were written before ends could be 24:00 reads as it did.
        await Sql.AdminScalarAsync<int>(database, """
            UPDATE roster.roster_exceptions SET blocks = '[{"start":"09:00:00","end":"17:30:00","bookableOnline":false}]' WHERE id = @id RETURNING 1
            """, ("id", exceptionId));
        var listed = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{id}/exceptions", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var block = Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("blocks")[0];
        Assert.Equal("09:00-17:30 False", $"{block.GetProperty("start").GetString()}-{block.GetProperty("end").GetString()} {block.GetProperty("bookableOnline").GetBoolean()}");
    }

    [Fact]
    public async Task The_openapi_document_says_a_blocks_end_may_be_24_00()
    {
        var json = await shared.App.NewClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        using var document = System.Text.Json.JsonDocument.Parse(json);

        var block = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("BlockInput").GetProperty("properties");
        Assert.Contains("\"24:00\"", block.GetProperty("end").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("23:59", block.GetProperty("start").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A Sydney business with one diary online every day from 00:00 to the given end, and a 30-min service on a 30-min grid.</summary>
    private async Task<Bookable> BookableToMidnightAsync(string weeklyEnd = "24:00")
    {
        var biz = await shared.App.SignUpBusinessAsync("midnight");
        await SchedulingApi.RulesAsync(biz, interval: 30, notice: 0, horizon: 60);
        var diary = await SchedulingApi.DiaryAsync(biz, "Dr Late");
        await biz.PutRosterAsync(diary, [.. Weekdays.Select(d => SetupApi.Block(d, "00:00", weeklyEnd))]);
        var service = await SchedulingApi.ServiceAsync(biz, "Night consult", 30, 0, [diary]);
        return new Bookable(biz, diary, service);
    }

    [Fact]
    public async Task The_roster_page_says_which_block_a_row_overlaps_in_words_not_the_api_s_json_path()
    {
        var biz = await shared.App.SignUpBusinessAsync("overlap");
        var id = await biz.CreateDiaryAsync();
        var page = $"/staff/setup/roster/{id}";

        var week = await FormAsync(biz, page, "handler=Roster");
        var fields = Fields(week);
        Set(fields, "Week[0].Weekday", "monday");
        Set(fields, "Week[0].Start", "09:00");
        Set(fields, "Week[0].End", "17:00");
        Set(fields, "Week[1].Weekday", "monday");
        Set(fields, "Week[1].Start", "16:00");
        Set(fields, "Week[1].End", "18:00");
        using var posted = await biz.Owner.PostAsync(new Uri(week.GetAttribute("action")!, UriKind.Relative), new FormUrlEncodedContent(fields));
        var html = await posted.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var document = await new HtmlParser().ParseDocumentAsync(html);
        Assert.Equal("Overlaps the block Monday 09:00–17:00.", document.QuerySelector("#week-1-start-error")!.TextContent.Trim());
        Assert.DoesNotContain("blocks[", html, StringComparison.Ordinal);

        // The API names the refused block by its path, and says the other one in the same words.
        var problem = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{id}/roster", new
        {
            blocks = new[] { new { weekday = "monday", start = "09:00", end = "17:00", bookableOnline = true }, new { weekday = "monday", start = "16:00", end = "18:00", bookableOnline = true } },
        })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Overlaps the block Monday 09:00–17:00.", problem.GetProperty("errors").GetProperty("blocks[1]")[0].GetString());
    }

    private static async Task<IHtmlFormElement> FormAsync(TestBusiness biz, string page, string handler)
    {
        var document = await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri(page, UriKind.Relative)));
        return document.QuerySelectorAll("form").OfType<IHtmlFormElement>()
            .Single(f => f.GetAttribute("action")?.Contains(handler, StringComparison.Ordinal) == true);
    }

    /// <summary>What a browser would post from the form as it is: checked boxes only, each select's chosen option.</summary>
    private static List<KeyValuePair<string, string>> Fields(IHtmlFormElement form)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.QuerySelectorAll("input[name], select[name]"))
        {
            var name = element.GetAttribute("name")!;
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" } box:
                    if (box.IsChecked)
                    {
                        fields.Add(new(name, box.Value));
                    }

                    break;
                case IHtmlSelectElement select:
                    fields.Add(new(name, select.Value ?? ""));
                    break;
                case IHtmlInputElement input:
                    fields.Add(new(name, input.Value));
                    break;
            }
        }

        return fields;
    }

    private static void Set(List<KeyValuePair<string, string>> fields, string name, string value)
    {
        var at = fields.FindIndex(f => f.Key == name);
        Assert.True(at >= 0, $"The form has no field {name}.");
        fields[at] = new(name, value);
    }
}
