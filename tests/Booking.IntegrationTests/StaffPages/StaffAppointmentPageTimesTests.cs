using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>
/// The staff appointment page writes its times as the diary does (decision 78): on New York's change days each names
/// its zone, so the two 1:30s of the fall-back night differ and no span ends before it starts (a zone both ends share is
/// written once, at the end: decision 205); past midnight, both days.
/// </summary>
public sealed class StaffAppointmentPageTimesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Theory]
    [InlineData("2027-11-07T01:30:00-04:00", "Sunday 7 November 2027, 01:30 EDT–01:00 EST", "01:30 EDT")]
    [InlineData("2027-11-07T01:30:00-05:00", "Sunday 7 November 2027, 01:30–02:00 EST", "01:30 EST")]
    [InlineData("2027-03-14T01:45:00-05:00", "Sunday 14 March 2027, 01:45 EST–03:15 EDT", "01:45 EST")]
    [InlineData("2027-11-06T23:45:00-04:00", "Saturday 6 November 2027, 23:45 – Sunday 7 November 2027, 00:15 EDT", "23:45")]
    [InlineData("2027-11-10T23:45:00-05:00", "Wednesday 10 November 2027, 23:45 – Thursday 11 November 2027, 00:15", "23:45")]
    [InlineData("2027-11-10T10:00:00-05:00", "Wednesday 10 November 2027, 10:00–10:30", "10:00")]
    public async Task The_appointment_page_names_the_zone_on_change_days_and_both_days_past_midnight(string start, string when, string startText)
    {
        var biz = await shared.App.SignUpBusinessAsync("ny-page", "America/New_York");
        await biz.SettingsAsync(s => s["timeFormat"] = "24h"); // this test is about zones; TimeFormatTests is about clocks
        var diary = await biz.DiaryAsync("Dr Night");
        var service = await biz.ServiceAsync("Check", 30, 0, [diary]);
        var alice = await shared.App.RegisterClientAsync(biz);
        var id = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = service, diaryId = diary, start, petId = (Guid?)null, note = "" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var page = $"/staff/diary/appointments/{id}";

        Assert.Equal($"{when} (America/New_York)", await WhenAsync(biz.Owner, page));

        // The cancel notice names the same time, and lands on the start's day.
        var cancelled = await StaffDiaryTests.PostPageAsync(biz.Owner, page, new Dictionary<string, string> { ["Reason"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        Assert.Contains($"date={start[..10]}", cancelled.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var diaryPage = WebUtility.HtmlDecode(await biz.Owner.GetStringAsync(cancelled.Headers.Location));
        Assert.Contains($"Cancelled Alice Client's Check at {startText}.", diaryPage, StringComparison.Ordinal);
    }

    private static async Task<string> WhenAsync(HttpClient staff, string page)
    {
        var document = await new HtmlParser().ParseDocumentAsync(await staff.GetStringAsync(new Uri(page, UriKind.Relative)));
        var term = document.QuerySelectorAll("dl.facts dt").Single(dt => dt.TextContent == "When");
        return System.Text.RegularExpressions.Regex.Replace(term.NextElementSibling!.TextContent, @"\s+", " ").Trim();
    }
}
