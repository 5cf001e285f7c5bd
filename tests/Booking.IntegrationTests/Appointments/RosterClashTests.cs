using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Infrastructure;
using NodaTime;
using static Booking.IntegrationTests.Appointments.ClashScene;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Replacing a diary's weekly roster over upcoming live appointments saves and answers which of them the new hours
/// leave out (never cancelling them), as closing a day does (decision 164); the roster page lists them with links.
/// </summary>
public sealed class RosterClashTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    private BookingApp App => shared.App;

    /// <summary>The clash scene with the cancelled appointment at 16:00, inside the short day's 13:00–18:00.</summary>
    private Task<ClashScene> SceneAsync() => ClashScene.CreateAsync(App, cancelledHour: 16);

    /// <summary>Every day 00:00–23:30, except that <paramref name="date"/>'s weekday has only the blocks given.</summary>
    private static object Week(LocalDate date, params (string Start, string End)[] thatDay)
    {
        var weekday = Weekdays[(int)date.DayOfWeek - 1];
        return new
        {
            blocks = Weekdays.Where(w => w != weekday).Select(w => new { weekday = w, start = "00:00", end = "23:30", bookableOnline = true })
                .Concat(thatDay.Select(b => new { weekday, start = b.Start, end = b.End, bookableOnline = false })),
        };
    }

    private static async Task<JsonElement> PutRosterAsync(TestBusiness biz, Guid diary, object week) =>
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}/roster", week)).JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task Removing_the_hours_under_a_booking_answers_it_and_keeps_it()
    {
        var s = await SceneAsync();
        var owner = s.B.Biz.Owner;
        // Another business with a booking at the very same time, whose roster Dr Alpha's owner changes nothing of.
        var other = await App.BookableAsync();
        var stranger = await App.RegisterClientAsync(other.Biz, "Sam", "Stranger");
        var strangers = await StaffBookAsync(other.Biz, stranger.Id, other.ServiceId, other.DiaryId, At(s.Day, 11));

        // The date's weekday now works 13:00–18:00 only: Noah's 11:00 falls outside it.
        var answer = await PutRosterAsync(s.B.Biz, s.B.DiaryId, Week(s.Day, ("13:00", "18:00")));
        s.AssertNoahsClashAlone(answer); // not the cancelled one, Dr Beta's, the next day's, nor the other business's
        Assert.Equal(7, answer.GetProperty("blocks").GetArrayLength()); // saved all the same: six full days and the short one

        // With the weekday off altogether the cancelled 16:00 is outside the hours too, and still not listed.
        var closedDay = await PutRosterAsync(s.B.Biz, s.B.DiaryId, Week(s.Day));
        Assert.Equal([s.Noah], Ids(closedDay));

        // A read of the roster says nothing of clashes (only a save's answer does); nothing was cancelled.
        var read = await (await owner.GetAsync(new Uri($"/api/v1/admin/diaries/{s.B.DiaryId}/roster", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.False(read.TryGetProperty("clashes", out _));
        var appointment = await (await owner.GetAsync(new Uri($"/api/v1/admin/appointments/{s.Noah}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", appointment.GetProperty("status").GetString());

        // The other business's owner changing their own diary hears of their own booking only; Dr Alpha's diary is
        // not theirs to change.
        var theirs = await PutRosterAsync(other.Biz, other.DiaryId, Week(s.Day, ("13:00", "18:00")));
        Assert.Equal([strangers], Ids(theirs));
        using var foreign = await other.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{s.B.DiaryId}/roster", Week(s.Day));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain("clashes", await foreign.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_that_keeps_the_booking_inside_the_hours_answers_no_clashes()
    {
        var s = await SceneAsync();

        // Two blocks touching at 11:30 hold the 11:00–12:00 between them (online or not does not matter).
        var touching = await PutRosterAsync(s.B.Biz, s.B.DiaryId, Week(s.Day, ("09:00", "11:30"), ("11:30", "14:00")));
        Assert.Empty(Ids(touching));

        // The week drops the day, but a dated exception giving that date 10:00–13:00 still holds the booking.
        await (await s.B.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{s.B.DiaryId}/exceptions", new
        {
            date = Iso(s.Day), closed = false, blocks = new[] { new { start = "10:00", end = "13:00", bookableOnline = true } },
        })).JsonAsync(HttpStatusCode.Created);
        var dropped = await PutRosterAsync(s.B.Biz, s.B.DiaryId, Week(s.Day));
        // The next day's 11:00 is its own weekday's, which still works all day.
        Assert.Empty(Ids(dropped));
    }

    [Fact]
    public async Task The_roster_page_lists_the_appointments_the_new_week_leaves_out_with_their_dates_and_links()
    {
        var s = await SceneAsync();
        var page = $"/staff/setup/roster/{s.B.DiaryId}";
        var fields = new List<KeyValuePair<string, string>>();
        var weekday = Weekdays[(int)s.Day.DayOfWeek - 1];
        var row = 0;
        foreach (var w in Weekdays)
        {
            fields.Add(new($"Week[{row}].Weekday", w));
            fields.Add(new($"Week[{row}].Start", w == weekday ? "13:00" : "00:00"));
            fields.Add(new($"Week[{row}].End", w == weekday ? "18:00" : "23:30"));
            fields.Add(new($"Week[{row}].BookableOnline", "true"));
            row++;
        }

        using (var posted = await PostRosterFormAsync(s.B.Biz.Owner, page, "Roster", fields))
        {
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            Assert.Equal($"{page}#clashes", posted.Headers.Location?.OriginalString);
        }

        var after = await new HtmlParser().ParseDocumentAsync(await s.B.Biz.Owner.GetStringAsync(new Uri(page, UriKind.Relative)));
        var notice = after.QuerySelector("#clashes[role=status].notice")!;
        Assert.Contains("Weekly roster saved.", notice.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 appointment is outside this diary's hours:", notice.TextContent, StringComparison.Ordinal);
        Assert.Contains("Nothing was cancelled", notice.TextContent, StringComparison.Ordinal);
        var link = Assert.Single(notice.QuerySelectorAll("a"));
        Assert.Equal($"/staff/diary/appointments/{s.Noah}", link.GetAttribute("href"));
        var dayWords = s.Day.ToString("dddd d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture); // as staff pages write dates
        Assert.Equal($"Noah New, {dayWords}, 11:00 AM–12:00 PM Massage", link.TextContent);
    }
}
