using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// Review s42 #10 (decision 354): with one diary offering the service, the new-booking page has no "With" select (its
/// only choice and "Anyone available" were the same), it names the diary instead, and the confirm page says "With: Dr
/// Alpha" as the booked page does, not "Anyone available". With two, the choice and "Anyone available" stay.
/// </summary>
public sealed class OneDiaryBookingTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    [Fact]
    public async Task One_diary_no_choice_and_the_confirm_page_names_it()
    {
        var b = await shared.App.BookableAsync();
        var alice = await shared.App.RegisterClientAsync(b.Biz);

        var pick = await alice.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}");
        Assert.Equal(HttpStatusCode.OK, pick.Status);
        Assert.Null(pick.One("#diary"));
        Assert.Equal("With: Dr Alpha", pick.One("#only-diary")?.TextContent.Trim());
        var slot = pick.One("a.slot")!.GetAttribute("href")!;
        Assert.Contains("diary=any", slot, StringComparison.Ordinal);

        var confirm = await alice.Http.PageAsync(System.Net.WebUtility.HtmlDecode(slot));
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        var summary = confirm.One("dl.summary")!;
        Assert.Equal(["Service", "With", "When"], summary.QuerySelectorAll("dt").Take(3).Select(d => d.TextContent.Trim()).ToArray());
        Assert.Equal("Dr Alpha", summary.QuerySelectorAll("dd")[1].TextContent.Trim());
        Assert.DoesNotContain("Anyone available", confirm.One("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_diaries_keep_the_choice_and_anyone_available()
    {
        var b = await shared.App.BookableAsync();
        var beta = await b.Biz.DiaryAsync("Dr Beta");
        await b.Biz.RosterEveryDayAsync(beta, "00:00", "23:30");
        await (await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{b.ServiceId}", Setup.SetupApi.ServiceBody("Consultation", [b.DiaryId, beta]))).JsonAsync(HttpStatusCode.OK);
        var alice = await shared.App.RegisterClientAsync(b.Biz);

        var pick = await alice.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}");
        Assert.Null(pick.One("#only-diary"));
        Assert.Equal(["Anyone available", "Dr Alpha", "Dr Beta"], pick.All("#diary option").Select(o => o.TextContent.Trim()).ToArray());

        var start = (await alice.Http.SlotsAsync(b, SchedulingApi.Day(3), SchedulingApi.Day(3))).Starts()[2];
        var confirm = await alice.Http.PageAsync($"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&start={Uri.EscapeDataString(Iso(start))}");
        Assert.Equal("Anyone available", confirm.One("dl.summary")!.QuerySelectorAll("dd")[1].TextContent.Trim());
    }
}
