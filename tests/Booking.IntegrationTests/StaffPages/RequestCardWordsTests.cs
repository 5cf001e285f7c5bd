using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Booking.BuildingBlocks.Time;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>
/// The Requests page's words say what is true (decision 302): a note staff typed when booking is labelled as staff's, not
/// as the client's, and staff's Book page says who sees that note; a booking request on a day the business has closed
/// since (decision 289) names the closure, in the API's 409 and on the card, not a change of the diary's hours.
/// </summary>
public sealed class RequestCardWordsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static async Task<IHtmlDocument> PageAsync(TestBusiness biz, string path) =>
        await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri(path, UriKind.Relative)));

    private static IElement Card(IHtmlDocument page, Guid id) => page.GetElementById($"request-{id}")!.Closest("section")!;

    [Theory]
    [InlineData(24, 19, "Asked 19 hours before the start: 5 hours inside the 24-hour window.")]
    [InlineData(1, 0, "Asked after the start: 1 hour inside the 1-hour window.")]
    [InlineData(72, 80, "Asked 3 days 8 hours before the start, outside the 3-day window.")]
    public void The_window_is_named_as_one_length_24_hour_or_2_day_not_24_hours_window(int windowHours, int hoursBefore, string expected)
    {
        var start = new DateTimeOffset(2026, 12, 10, 10, 0, 0, TimeSpan.Zero);
        var words = Booking.Host.Pages.Staff.Requests.RequestCardWords.InsideWindow(start.AddHours(-hoursBefore), start, windowHours);
        Assert.Equal(expected, words);
    }

    [Fact]
    public async Task A_cancellation_requests_note_is_labelled_by_who_wrote_it_and_the_book_page_says_who_sees_staffs_note()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject
        {
            ["hours"] = 24 * 30, ["text"] = "A month's notice.", ["insideWindow"] = "request",
        });
        var cas = await App.RegisterClientAsync(b.Biz, "Cas", "Cancel");
        var staffs = (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
                new { clientId = cas.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(3), 10), note = "Exam cram" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var own = (await (await cas.BookAsync(b, At(Day(4), 10), note: "Side door, please")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        foreach (var id in new[] { staffs, own })
        {
            await (await cas.Http.CancelAsync(b.Biz.Slug, id, "Moving house")).JsonAsync(HttpStatusCode.Accepted);
        }

        var page = await PageAsync(b.Biz, "/staff/requests");
        Assert.Equal("Note (from staff)", Card(page, staffs).QuerySelector($"#request-{staffs}-note-label")!.TextContent);
        Assert.Equal("Exam cram", Card(page, staffs).QuerySelector($"#request-{staffs}-note-label")!.NextElementSibling!.TextContent);
        Assert.DoesNotContain("Client's note", Card(page, staffs).TextContent, StringComparison.Ordinal);
        Assert.Equal("Client's note", Card(page, own).QuerySelector($"#request-{own}-note-label")!.TextContent);

        // Staff's Book page: the note's label and hint say who sees it (the team; never the client).
        var book = await PageAsync(b.Biz, $"/staff/diary/book?diary={b.DiaryId}&date={Iso(Day(3))}");
        var note = book.QuerySelector("textarea[name='Input.Note']")!;
        Assert.Equal("Note for your team (optional)", book.QuerySelector($"label[for={note.Id}]")!.TextContent.Trim());
        Assert.Contains("note-hint", note.GetAttribute("aria-describedby"), StringComparison.Ordinal);
        Assert.Equal("Shown in the diary and in your team's booking emails. The client never sees it.", book.GetElementById("note-hint")!.TextContent);
    }

    [Fact]
    public async Task Accepting_a_request_on_a_day_the_business_closed_since_names_the_closure_in_the_409_and_on_the_card()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var nina = await App.RegisterClientAsync(b.Biz, "Nina", "New");
        var day = Day(6);
        var booked = await (await nina.BookAsync(b, At(day, 10))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", booked.GetProperty("status").GetString());
        var id = booked.GetProperty("id").GetGuid();
        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/closed-days", new { from = Iso(day), to = Iso(day), label = "Christmas" }))
            .JsonAsync(HttpStatusCode.Created);

        var refused = await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{id}/accept", UriKind.Relative), null)).JsonAsync(HttpStatusCode.Conflict);
        var detail = refused.GetProperty("detail").GetString()!;
        var date = DateStyle.DayFirst.Long(day); // AU: "Saturday 12 December 2026"
        Assert.StartsWith($"The business is closed on {date} (Christmas): the requested time is no longer open.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("changed after the request was made", detail, StringComparison.Ordinal);

        var page = await PageAsync(b.Biz, "/staff/requests");
        Assert.Equal($"Outside the diary's hours now: the business is closed on {date} (Christmas).", page.GetElementById($"request-{id}-outside")!.TextContent);
        Assert.DoesNotContain("working hours were changed", Card(page, id).TextContent, StringComparison.Ordinal);
    }
}
