using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Booking.Appointments.Features.Scheduling;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// A client chose a time with one person (a diary), and the business took the service off that diary before they
/// confirmed, or a link names a diary that does not offer the service: the confirm page says so by the person's name,
/// offers anyone available or the services, and books nothing, on GET and on a form shown before the change. It never
/// says "Anyone available" in the diary's place, and the API refuses such a booking in the same words.
/// </summary>
public sealed class DiaryNoLongerOffersTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task A_diary_the_service_was_taken_off_is_named_and_a_form_shown_before_books_nothing()
    {
        var b = await shared.App.BookableAsync();
        var beta = await b.Biz.DiaryAsync("Dr Beta");
        await b.Biz.RosterEveryDayAsync(beta, "00:00", "23:30");
        await PutDiariesAsync(b, b.DiaryId, beta);
        var alice = await shared.App.RegisterClientAsync(b.Biz);
        var start = (await alice.Http.SlotsAsync(b, SchedulingApi.Day(3), SchedulingApi.Day(3), diary: beta.ToString())).Starts()[4];
        var url = ConfirmUrl(b, beta, start);
        var form = await alice.Http.PageAsync(url);
        Assert.Null(form.One("#diary-gone"));
        Assert.Contains("Dr Beta", form.One("dl.summary")!.TextContent, StringComparison.Ordinal);

        await PutDiariesAsync(b, b.DiaryId); // Consultation is taken off Dr Beta's diary

        var posted = await alice.Http.SubmitAsync(form, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, posted.Status);
        AssertDiaryGone(posted, "Dr Beta", b, start);
        Assert.Empty(await AppointmentsAtAsync(b, start));

        var again = await alice.Http.PageAsync(url);
        AssertDiaryGone(again, "Dr Beta", b, start);
        Assert.DoesNotContain("Anyone available", again.One("main")!.TextContent, StringComparison.Ordinal);
        Assert.Null(again.One("main form[method=post]"));
    }

    [Fact]
    public async Task A_link_naming_a_diary_that_does_not_offer_the_service_is_refused_on_the_page_and_by_the_api()
    {
        var b = await shared.App.BookableAsync();
        var other = await b.Biz.DiaryAsync("Dr Other");
        await b.Biz.RosterEveryDayAsync(other, "00:00", "23:30");
        var alice = await shared.App.RegisterClientAsync(b.Biz);
        var start = (await alice.Http.SlotsAsync(b, SchedulingApi.Day(3), SchedulingApi.Day(3))).Starts()[4];

        AssertDiaryGone(await alice.Http.PageAsync(ConfirmUrl(b, other, start)), "Dr Other", b, start);
        var unknown = await alice.Http.PageAsync(ConfirmUrl(b, Guid.NewGuid(), start));
        AssertDiaryGone(unknown, "The person you chose", b, start);

        var iso = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var refused = await alice.BookAsync(b, iso, diaryId: other);
        var problem = await refused.JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("slot-unavailable", problem.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal(BookingDesk.DiaryNotOffering, problem.GetProperty("detail").GetString());
        Assert.Empty(await AppointmentsAtAsync(b, start));
    }

    private static void AssertDiaryGone(HtmlPage page, string who, Bookable b, DateTimeOffset start)
    {
        Assert.Equal($"{who} does not offer Consultation online, so this time can't be booked with them. Nothing has been booked.",
            page.One("#diary-gone")?.TextContent.Trim());
        var anyone = page.One("#choose-anyone")!.GetAttribute("href")!;
        Assert.Equal($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&date={start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", anyone);
        Assert.Equal($"/ol/new-booking?name={b.Biz.Slug}", page.One("#back-to-services")!.GetAttribute("href"));
        Assert.Null(page.One("main button[type=submit]"));
    }

    private static string ConfirmUrl(Bookable b, Guid diary, DateTimeOffset start) =>
        $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary={diary}&start={Uri.EscapeDataString(start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))}";

    private static async Task PutDiariesAsync(Bookable b, params Guid[] diaries) =>
        await (await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{b.ServiceId}", Setup.SetupApi.ServiceBody("Consultation", diaries))).JsonAsync(HttpStatusCode.OK);

    private static async Task<List<System.Text.Json.JsonElement>> AppointmentsAtAsync(Bookable b, DateTimeOffset start)
    {
        var day = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var diary = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={day}&to={day}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        return [.. diary.GetProperty("appointments").EnumerateArray().Where(a => a.GetProperty("start").GetDateTimeOffset() == start)];
    }
}
