using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// Setup → Services tells the truth about switched-off diaries: the Client Portal column marks each one, and a service
/// whose diaries are all switched off says it is not bookable online (the portal has dropped it). The service's own page
/// (and Add a service) marks them in the same words among its diary checkboxes and says what switched off means.
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
        // The diary, chosen on its own, is headed in the same words.
        var diaryPage = await biz.Owner.PageAsync($"/staff/diary?diary={bookable.DiaryId}");
        Assert.Equal("Dr Alpha (switched off)", diaryPage.One($"#diary-{bookable.DiaryId}")!.TextContent.Trim());

        // With both diaries off, Check-up is gone from the portal too, and the page says so.
        await SwitchOffAsync(biz, beta, "Dr Beta");
        Assert.Equal(0, (await (await shared.App.NewClient().GetAsync(new Uri($"/api/v1/portal/services?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").GetArrayLength());
        page = await biz.Owner.PageAsync("/staff/setup/services");
        Assert.Equal("Not bookable online: all its diaries are switched off. Dr Alpha (switched off), Dr Beta (switched off)", PortalCell(page, "Check-up"));
    }

    [Fact]
    public async Task The_service_page_marks_switched_off_diaries_in_the_lists_words_and_says_what_that_means_for_online_booking()
    {
        var bookable = await shared.App.BookableAsync();
        var biz = bookable.Biz;
        await biz.DiaryAsync("Dr Beta");
        var consultation = $"/staff/setup/services/{bookable.ServiceId}";

        // Every diary on: plain names, nothing to explain.
        var page = await biz.Owner.PageAsync(consultation);
        Assert.Equal(["Dr Alpha", "Dr Beta"], DiaryLabels(page));
        Assert.Null(page.One("#diaries-hint"));
        Assert.Null(page.One("#diaries-off"));

        await SwitchOffAsync(biz, bookable.DiaryId, "Dr Alpha");

        // Consultation's only diary is off: named as the services list names it, the list's sentence, and what it means.
        page = await biz.Owner.PageAsync(consultation);
        Assert.Equal(["Dr Alpha (switched off)", "Dr Beta"], DiaryLabels(page));
        Assert.Equal(
            "A switched-off diary takes no online bookings: clients can book this service online only with a ticked diary that is switched on. Switch a diary back on from its page in Setup → Roster.",
            Collapsed(page.One("#diaries-hint")!.TextContent));
        Assert.Equal("/staff/setup/roster", page.One("#diaries-hint a")!.GetAttribute("href"));
        var list = await biz.Owner.PageAsync("/staff/setup/services");
        Assert.StartsWith(page.One("#diaries-off")!.TextContent, PortalCell(list, "Consultation"), StringComparison.Ordinal);
        Assert.Equal("Not bookable online: its only diary is switched off.", page.One("#diaries-off")!.TextContent);
        Assert.Equal("diaries-hint diaries-off diaries-error", page.One("fieldset#Input_DiaryIds")!.GetAttribute("aria-describedby"));

        // A failed save says it again, for the diaries ticked in the post (Dr Alpha only, as saved).
        var failed = await biz.Owner.SubmitAsync(page, new Dictionary<string, string> { ["Input.Price"] = "lots" }, "main form");
        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.Equal(["Dr Alpha (switched off)", "Dr Beta"], DiaryLabels(failed));
        Assert.NotNull(failed.One("#diaries-hint"));
        Assert.NotNull(failed.One("#diaries-off"));

        // Add a service: the same marks; nothing ticked yet, so no warning.
        var added = await biz.Owner.PageAsync("/staff/setup/services/new");
        Assert.Equal(["Dr Alpha (switched off)", "Dr Beta"], DiaryLabels(added));
        Assert.NotNull(added.One("#diaries-hint"));
        Assert.Null(added.One("#diaries-off"));
    }

    private static List<string> DiaryLabels(HtmlPage page) =>
        page.All("fieldset#Input_DiaryIds label").Select(l => Collapsed(l.TextContent)).ToList();

    private static string Collapsed(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

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
