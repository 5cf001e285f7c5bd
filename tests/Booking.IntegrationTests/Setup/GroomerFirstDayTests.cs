using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// Review s42, a new pet groomer's first day (decision 354). #8: sign-up asks whether appointments are for pets, and
/// Setup → Client Portal gives pets a heading of their own. #10: with one diary, Add a service ticks it already. #13:
/// the weekly roster's spare rows follow on from the day above, and "Same hours on several days" adds Monday to
/// Saturday 09:00–17:00 in one post, without script.
/// </summary>
public sealed class GroomerFirstDayTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Sign_up_with_appointments_for_pets_ticked_starts_the_portal_with_pets_on_and_unticked_leaves_it_off()
    {
        var pets = await SignUpOnPageAsync(ticked: true);
        var portal = await pets.PageAsync("/staff/setup/portal");
        Assert.Equal(HttpStatusCode.OK, portal.Status);
        Assert.True(((IHtmlInputElement)portal.One("#Settings_BooksForPets")!).IsChecked);
        // Pets have a heading of their own, not a line under "New clients and prices".
        Assert.Equal("Pets", portal.One("fieldset#pets > legend")?.TextContent.Trim());
        Assert.NotNull(portal.One("fieldset#pets #Settings_BooksForPets"));
        Assert.True((await SettingsAsync(pets)).GetProperty("booksForPets").GetBoolean());

        var plain = await SignUpOnPageAsync(ticked: false);
        Assert.False(((IHtmlInputElement)(await plain.PageAsync("/staff/setup/portal")).One("#Settings_BooksForPets")!).IsChecked);
        Assert.False((await SettingsAsync(plain)).GetProperty("booksForPets").GetBoolean());
    }

    [Fact]
    public async Task The_api_takes_books_for_pets_at_sign_up()
    {
        var slug = $"pets-{Guid.NewGuid().ToString("N")[..10]}";
        var client = shared.App.NewClient();
        var response = await client.PostAsJsonAsync("/api/v1/tenants", new
        {
            slug,
            name = "Pawfect Grooming",
            timeZone = "Australia/Sydney",
            countryCode = "AU",
            booksForPets = true,
            owner = new { name = "Olive Owner", email = $"owner@{slug}.example", password = TestBusiness.OwnerPassword },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var settings = await SettingsAsync(client);
        Assert.True(settings.GetProperty("booksForPets").GetBoolean());
        // The rest are the defaults a business without a settings row reads.
        Assert.True(settings.GetProperty("enabled").GetBoolean());
        Assert.Equal(["AU"], settings.GetProperty("smsCountries").EnumerateArray().Select(c => c.GetString() ?? "").ToArray());
    }

    [Fact]
    public async Task Add_a_service_ticks_the_only_diary_and_none_of_several()
    {
        var biz = await shared.App.SignUpBusinessAsync("groom");
        var gina = await biz.DiaryAsync("Gina");
        var one = await biz.Owner.PageAsync("/staff/setup/services/new");
        Assert.True(((IHtmlInputElement)one.One($"#diary-{gina}")!).IsChecked);

        var second = await biz.DiaryAsync("Harry");
        var two = await biz.Owner.PageAsync("/staff/setup/services/new");
        Assert.False(((IHtmlInputElement)two.One($"#diary-{gina}")!).IsChecked);
        Assert.False(((IHtmlInputElement)two.One($"#diary-{second}")!).IsChecked);
    }

    [Fact]
    public async Task A_new_diary_s_spare_rows_are_Monday_Tuesday_Wednesday_and_then_follow_the_last_block()
    {
        var biz = await shared.App.SignUpBusinessAsync("groom");
        var diary = await biz.DiaryAsync("Gina");
        Assert.Equal(["monday", "tuesday", "wednesday"], Days(await biz.Owner.PageAsync($"/staff/setup/roster/{diary}")));

        await biz.PutRosterAsync(diary, SetupApi.Block("monday", "09:00", "17:00"), SetupApi.Block("saturday", "09:00", "12:00"));
        Assert.Equal(["monday", "saturday", "sunday", "monday", "tuesday"], Days(await biz.Owner.PageAsync($"/staff/setup/roster/{diary}")));
    }

    [Fact]
    public async Task Same_hours_on_several_days_adds_Monday_to_Saturday_in_one_post()
    {
        var biz = await shared.App.SignUpBusinessAsync("groom");
        var diary = await biz.DiaryAsync("Gina");
        var page = await biz.Owner.PageAsync($"/staff/setup/roster/{diary}");
        // An empty week: the form starts on Monday to Friday, 09:00–17:00, online.
        Assert.Equal(["monday", "tuesday", "wednesday", "thursday", "friday"],
            page.All("#same-hours input[name='SameHours.Days']").OfType<IHtmlInputElement>().Where(i => i.IsChecked).Select(i => i.Value).ToArray());
        Assert.Equal("09:00", ((IHtmlInputElement)page.One("#SameHours_Start")!).Value);
        Assert.Equal("17:00", ((IHtmlInputElement)page.One("#SameHours_End")!).Value);
        Assert.True(((IHtmlInputElement)page.One("#SameHours_BookableOnline")!).IsChecked);

        ((IHtmlInputElement)page.One("#same-hours-saturday")!).IsChecked = true;
        var done = await biz.Owner.SubmitAsync(page, new Dictionary<string, string>(), "#same-hours");
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        Assert.Equal(
            ["monday 09:00-17:00 True", "tuesday 09:00-17:00 True", "wednesday 09:00-17:00 True", "thursday 09:00-17:00 True", "friday 09:00-17:00 True", "saturday 09:00-17:00 True"],
            await BlocksAsync(biz, diary));
        var after = await biz.Owner.PageAsync($"/staff/setup/roster/{diary}");
        Assert.Contains("Added 09:00–17:00 on Monday, Tuesday, Wednesday, Thursday, Friday and Saturday.", after.One("main")!.TextContent, StringComparison.Ordinal);
        // A week with hours: nothing is ticked or filled in for the next use.
        Assert.DoesNotContain(after.All("#same-hours input[name='SameHours.Days']").OfType<IHtmlInputElement>(), i => i.IsChecked);
    }

    [Fact]
    public async Task Same_hours_that_overlap_a_day_s_block_or_have_no_day_save_nothing_and_say_why_once()
    {
        var biz = await shared.App.SignUpBusinessAsync("groom");
        var diary = await biz.DiaryAsync("Gina");
        await biz.PutRosterAsync(diary, SetupApi.Block("tuesday", "13:00", "15:00"));
        var page = await biz.Owner.PageAsync($"/staff/setup/roster/{diary}");
        foreach (var day in new[] { "monday", "tuesday" })
        {
            ((IHtmlInputElement)page.One($"#same-hours-{day}")!).IsChecked = true;
        }

        var refused = await biz.Owner.SubmitAsync(page, PortalHtml.Fields(("SameHours.Start", "09:00"), ("SameHours.End", "17:00")), "#same-hours");
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal("Overlaps the block Tuesday 13:00–15:00.", refused.One("#same-hours-days-error")?.TextContent.Trim());
        Assert.Equal(["tuesday 13:00-15:00 True"], await BlocksAsync(biz, diary));

        var noTimes = await biz.Owner.SubmitAsync(page, PortalHtml.Fields(("SameHours.Start", ""), ("SameHours.End", "")), "#same-hours");
        Assert.Equal("Enter the start time, such as 09:00.", noTimes.One("#same-hours-start-error")?.TextContent.Trim());
        Assert.Equal("Enter the end time, such as 17:00, or 00:00 for midnight.", noTimes.One("#same-hours-end-error")?.TextContent.Trim());

        var fresh = await biz.Owner.PageAsync($"/staff/setup/roster/{diary}");
        var noDays = await biz.Owner.SubmitAsync(fresh, PortalHtml.Fields(("SameHours.Start", "09:00"), ("SameHours.End", "17:00")), "#same-hours");
        Assert.Equal("Tick the days these hours are for.", noDays.One("#same-hours-days-error")?.TextContent.Trim());
        Assert.Equal(["tuesday 13:00-15:00 True"], await BlocksAsync(biz, diary));
    }

    private async Task<HttpClient> SignUpOnPageAsync(bool ticked)
    {
        var slug = $"pets-{Guid.NewGuid().ToString("N")[..10]}";
        var browser = shared.App.NewClient();
        var form = await browser.PageAsync("/staff/sign-up");
        Assert.False(((IHtmlInputElement)form.One("#Input_BooksForPets")!).IsChecked);
        ((IHtmlInputElement)form.One("#Input_BooksForPets")!).IsChecked = ticked;
        var done = await browser.SubmitAsync(form, PortalHtml.Fields(("Input.Name", "Pawfect Grooming"), ("Input.Slug", slug), ("Input.TimeZone", "Australia/Sydney"),
            ("Input.CountryCode", "AU"), ("Input.Owner.Name", "Olive Owner"), ("Input.Owner.Email", $"owner@{slug}.example"), ("Input.Owner.Password", TestBusiness.OwnerPassword)), "main form");
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        return browser;
    }

    private static async Task<System.Text.Json.JsonElement> SettingsAsync(HttpClient owner) =>
        await (await owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static string[] Days(HtmlPage page) =>
        page.All("[data-roster-row] select").OfType<IHtmlSelectElement>().Select(s => s.Value ?? "").ToArray();

    private static async Task<string[]> BlocksAsync(TestBusiness biz, Guid diary) =>
        (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{diary}/roster", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("blocks").EnumerateArray()
            .Select(b => $"{b.GetProperty("weekday").GetString()} {b.GetProperty("start").GetString()}-{b.GetProperty("end").GetString()} {b.GetProperty("bookableOnline").GetBoolean()}")
            .ToArray();
}
