using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// Setup → Services tells the truth about switched-off diaries: the Client Portal column marks each one, and a service
/// whose diaries are all switched off says it is not bookable online (the portal has dropped it).
/// </summary>
public sealed class SwitchedOffDiaryServicesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task A_service_whose_only_diary_is_switched_off_is_shown_as_not_bookable_online()
    {
        var bookable = await shared.App.BookableAsync();
        var biz = bookable.Biz;
        var beta = await biz.DiaryAsync("Dr Beta");
        await biz.ServiceAsync("Check-up", 30, 0, [bookable.DiaryId, beta]);
        await SwitchOffAsync(biz, bookable.DiaryId, "Dr Alpha");

        // The portal has dropped Consultation (its only diary is off) and still offers Check-up (Dr Beta is on).
        var portal = await (await shared.App.NewClient().GetAsync(new Uri($"/api/v1/portal/services?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Check-up"], portal.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("name").GetString()));

        var page = await biz.Owner.PageAsync("/staff/setup/services");
        var consultation = PortalCell(page, "Consultation");
        Assert.Equal("Not bookable online: its only diary is switched off. Dr Alpha (switched off)", consultation);
        var checkUp = PortalCell(page, "Check-up");
        Assert.Equal("Dr Alpha (switched off), Dr Beta", checkUp);

        // With both diaries off, Check-up is gone from the portal too, and the page says so.
        await SwitchOffAsync(biz, beta, "Dr Beta");
        Assert.Equal(0, (await (await shared.App.NewClient().GetAsync(new Uri($"/api/v1/portal/services?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").GetArrayLength());
        page = await biz.Owner.PageAsync("/staff/setup/services");
        Assert.Equal("Not bookable online: all its diaries are switched off. Dr Alpha (switched off), Dr Beta (switched off)", PortalCell(page, "Check-up"));
    }

    private static async Task SwitchOffAsync(TestBusiness biz, Guid diary, string name) =>
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}", new { name, contactEmail = "diary@test.example", active = false }))
            .JsonAsync(HttpStatusCode.OK);

    /// <summary>The Client Portal cell of the service's row, its whitespace collapsed.</summary>
    private static string PortalCell(HtmlPage page, string service)
    {
        var row = page.All("tbody tr").Single(r => r.QuerySelector("td a")!.TextContent == service);
        return string.Join(' ', row.QuerySelectorAll("td")[3].TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
