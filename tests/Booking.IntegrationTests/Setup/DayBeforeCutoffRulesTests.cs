using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.IntegrationTests.StaffPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// <c>dayBeforeCutoff</c> on the booking rules (decision 290): GET and PUT carry it; a PUT that leaves it out keeps it,
/// null removes it; a bad value is <c>validation</c> naming it, nothing saved. Setup → Roster's rules form sets it.
/// </summary>
public sealed class DayBeforeCutoffRulesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static async Task<JsonElement> GetAsync(TestBusiness biz) =>
        await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/booking-rules", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static Task<HttpResponseMessage> PutAsync(TestBusiness biz, object body) => biz.Owner.PutAsJsonAsync("/api/v1/admin/booking-rules", body);

    [Fact]
    public async Task The_cut_off_round_trips_is_kept_when_left_out_and_removed_by_null()
    {
        var biz = await App.SignUpBusinessAsync("cutoff");
        Assert.Equal(JsonValueKind.Null, (await GetAsync(biz)).GetProperty("dayBeforeCutoff").ValueKind); // none by default

        var saved = await (await PutAsync(biz, new { slotIntervalMinutes = 15, minimumNoticeMinutes = 60, horizonDays = 60, dayBeforeCutoff = "20:00" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("20:00", saved.GetProperty("dayBeforeCutoff").GetString());
        Assert.Equal("20:00", (await GetAsync(biz)).GetProperty("dayBeforeCutoff").GetString());

        // A client written before the field: the other rules change, the cut-off stays.
        var older = await (await PutAsync(biz, new { slotIntervalMinutes = 30, minimumNoticeMinutes = 120, horizonDays = 90 })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("20:00", older.GetProperty("dayBeforeCutoff").GetString());
        var read = await GetAsync(biz);
        Assert.Equal((30, 120, 90, "20:00"), (read.GetProperty("slotIntervalMinutes").GetInt32(), read.GetProperty("minimumNoticeMinutes").GetInt32(),
            read.GetProperty("horizonDays").GetInt32(), read.GetProperty("dayBeforeCutoff").GetString()));

        await (await PutAsync(biz, new { slotIntervalMinutes = 30, minimumNoticeMinutes = 120, horizonDays = 90, dayBeforeCutoff = (string?)null })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, (await GetAsync(biz)).GetProperty("dayBeforeCutoff").ValueKind);
    }

    [Theory]
    [InlineData("\"8pm\"", "format")]
    [InlineData("\"20:00:00\"", "format")]
    [InlineData("\"8:00\"", "format")]
    [InlineData("\"\"", "format")]
    [InlineData("2000", "format")]
    [InlineData("true", "format")]
    [InlineData("\"24:00\"", "range")]
    [InlineData("\"25:00\"", "range")]
    [InlineData("\"19:60\"", "range")]
    [InlineData("\"00:00\"", "range")]
    public async Task A_bad_cut_off_is_a_validation_problem_naming_the_field_and_nothing_is_saved(string value, string kind)
    {
        var biz = await App.SignUpBusinessAsync("cutoff");
        await (await PutAsync(biz, new { slotIntervalMinutes = 15, minimumNoticeMinutes = 60, horizonDays = 60, dayBeforeCutoff = "18:00" })).JsonAsync(HttpStatusCode.OK);

        using var body = new StringContent(
            $$"""{"slotIntervalMinutes": 30, "minimumNoticeMinutes": 0, "horizonDays": 10, "dayBeforeCutoff": {{value}}}""",
            System.Text.Encoding.UTF8, "application/json");
        var problem = await (await biz.Owner.PutAsync(new Uri("/api/v1/admin/booking-rules", UriKind.Relative), body)).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("validation", problem.GetProperty("type").GetString()!.Split('/')[^1]);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["dayBeforeCutoff"], errors.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.StartsWith(kind == "format" ? "Give the time as \"HH:mm\"" : "Use a time from 00:01 to 23:59.", errors.GetProperty("dayBeforeCutoff")[0].GetString(), StringComparison.Ordinal);

        var read = await GetAsync(biz);
        Assert.Equal((15, "18:00"), (read.GetProperty("slotIntervalMinutes").GetInt32(), read.GetProperty("dayBeforeCutoff").GetString()));
    }

    [Fact]
    public async Task Setup_roster_s_rules_form_sets_the_cut_off_asks_for_a_time_and_switches_it_off()
    {
        var biz = await App.SignUpBusinessAsync("cutoff");
        const string rules = "form[action*='handler=Rules']";
        var form = await biz.Owner.PageAsync("/staff/setup/roster");
        Assert.True(form.One("#Rules_CutoffOn_false")!.HasAttribute("checked"));
        Assert.Equal("time", form.One("input[name='Rules.DayBeforeCutoff']")!.GetAttribute("type"));
        Assert.Contains("Same-day online booking is then off.", form.One("#cutoff-hint")!.TextContent, StringComparison.Ordinal);
        var label = form.One("label[for='Rules_DayBeforeCutoff']")!.TextContent;
        Assert.Equal("Online bookings for a day close at this time the day before", label.Trim());

        var saved = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Rules.CutoffOn", "true"), ("Rules.DayBeforeCutoff", "20:00")), rules);
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal("20:00", (await GetAsync(biz)).GetProperty("dayBeforeCutoff").GetString());
        form = await biz.Owner.PageAsync("/staff/setup/roster");
        Assert.True(form.One("#Rules_CutoffOn_true")!.HasAttribute("checked"));
        Assert.Equal("20:00", form.One("input[name='Rules.DayBeforeCutoff']")!.GetAttribute("value"));

        // "Close the day before" with no time, or midnight: said by the box, nothing saved.
        var page = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Rules.CutoffOn", "true"), ("Rules.DayBeforeCutoff", "")), rules);
        StaffFailedPostTests.AssertAnnounced(page, "Rules.DayBeforeCutoff");
        Assert.StartsWith("Enter the time online bookings close the day before", page.One("#cutoff-error")!.TextContent.Trim(), StringComparison.Ordinal);
        page = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Rules.CutoffOn", "true"), ("Rules.DayBeforeCutoff", "00:00")), rules);
        StaffFailedPostTests.AssertAnnounced(page, "Rules.DayBeforeCutoff");
        Assert.StartsWith("Use a time from 00:01 to 23:59.", page.One("#cutoff-error")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("20:00", (await GetAsync(biz)).GetProperty("dayBeforeCutoff").GetString());

        // "No cut-off" removes it, whatever the box still holds.
        saved = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Rules.CutoffOn", "false")), rules);
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal(JsonValueKind.Null, (await GetAsync(biz)).GetProperty("dayBeforeCutoff").ValueKind);
    }
}
