using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using Booking.Host.Pages.Staff.Setup;
using Booking.Host.Pages.Staff.Setup.Services;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// Setup pages posted with what they never offer (a value no select holds, a box left out, an id that is no id, a
/// huge text): each refusal is a sentence for a person by its field, never the API's words or a 500, and nothing of
/// the post is saved (decision 260).
/// </summary>
public sealed class TamperedSetupPostTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Hours = "Enter how many hours before the start clients may cancel, as a whole number, for example 24, or 0 for up to the start.";
    private const string MaxUpcoming = "Enter the most upcoming appointments one client may book online as a whole number from 1 to 100, for example 5.";

    /// <summary>Words meant for API users, which a page never shows.</summary>
    private static readonly string[] ApiWords = ["\"refuse\"", "#rrggbb", "\"12h\"", "null", "is not valid", "Give the", "must be one of", "templateId", "cancellationPolicy"];

    [Theory]
    [InlineData("Settings.InsideWindow", "xyz", "#window-error", PortalModel.SettingsInput.PageBadInsideWindow)]
    [InlineData("Settings.InsideWindow", null, "#window-error", PortalModel.SettingsInput.PageBadInsideWindow)]
    [InlineData("Settings.CancellationHours", "-5", "#hours-error", "Use 0 to 720 hours.")]
    [InlineData("Settings.CancellationHours", "99999", "#hours-error", "Use 0 to 720 hours.")]
    [InlineData("Settings.CancellationHours", "abc", "#hours-error", Hours)]
    [InlineData("Settings.CancellationHours", null, "#hours-error", Hours)]
    [InlineData("Settings.Colour", "red", "#colour-error", PortalModel.SettingsInput.PageBadColour)]
    [InlineData("Settings.Colour", null, "#colour-error", PortalModel.SettingsInput.PageBadColour)]
    [InlineData("Settings.TimeFormat", "25h", "#time-format-error", PortalModel.SettingsInput.PageBadTimeFormat)]
    [InlineData("Settings.TimeFormat", null, "#time-format-error", PortalModel.SettingsInput.PageBadTimeFormat)]
    [InlineData("Settings.MaxUpcomingBookingsPerClient", null, "#max-upcoming-error", MaxUpcoming)]
    [InlineData("Settings.SmsCountries", "ZZ", "#sms-countries-error", "\"ZZ\" is not a country code we can text. Use two-letter ISO 3166 codes, e.g. GB for the United Kingdom or IE for Ireland.")]
    public async Task A_portal_settings_field_the_page_never_offers_is_refused_in_page_words_by_its_field_and_nothing_is_saved(
        string field, string? value, string errorId, string words)
    {
        var biz = await shared.App.SignUpBusinessAsync("tamper-settings");
        var before = await SettingsAsync(biz);
        var form = await biz.Owner.PageAsync("/staff/setup/portal");

        // The post also changes a box that reads, which must not be saved either.
        var page = await PostAsync(biz.Owner, form, "form[action*='handler=Settings']", field, value, ("Settings.BookingInstructions", "Changed by a refused post"));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(words, page.One(errorId)?.TextContent.Trim());
        Assert.Contains(words, page.One("#error-summary")!.TextContent, StringComparison.Ordinal);
        AssertNoApiWords(page);
        Assert.Equal(before, await SettingsAsync(biz));
    }

    [Fact]
    public async Task A_huge_text_is_refused_by_its_box_and_a_form_too_large_to_read_gets_a_page_that_says_so()
    {
        var biz = await shared.App.SignUpBusinessAsync("tamper-huge");
        var before = await SettingsAsync(biz);
        var form = await biz.Owner.PageAsync("/staff/setup/portal");

        var long1 = await PostAsync(biz.Owner, form, "form[action*='handler=Settings']", "Settings.BookingInstructions", new string('x', 100_000));
        Assert.Equal("Use at most 4000 characters.", long1.One("#instructions-error")?.TextContent.Trim());

        // Beyond what a settings form is read with (1 MB a body, decisions 298 and 309: only the logo form takes 8 MB):
        // refused before the page's handler, with words, not a blank 413.
        var huge = await PostAsync(biz.Owner, form, "form[action*='handler=Settings']", "Settings.BookingInstructions", new string('x', 5_000_000));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);
        Assert.Contains("The form was larger than 1 MB", huge.Text, StringComparison.Ordinal);
        Assert.Equal(before, await SettingsAsync(biz));
    }

    [Theory]
    [InlineData("Notify.OnNewTemplateId", "abc")]
    [InlineData("Notify.OnNewTemplateId", "6f0c1f8e-1111-4222-8333-444455556666")]
    [InlineData("Notify.OnNewTemplateId", null)]
    [InlineData("Notify.ExtraTemplateId", "xyz")]
    public async Task A_template_the_list_never_offered_is_refused_by_its_picker_and_the_chosen_template_stays(string field, string? value)
    {
        var biz = await shared.App.SignUpBusinessAsync("tamper-notify");
        var template = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates",
            new { name = "Ours", subject = "New: {ClientFullName}", body = "Booked." })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = template },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = template },
            includeStaffChanges = false,
        })).JsonAsync(HttpStatusCode.OK);
        var before = await NotificationsAsync(biz);
        var form = await biz.Owner.PageAsync("/staff/setup/portal");

        var page = await PostAsync(biz.Owner, form, "form[action*='handler=Notifications']", field, value, ("Notify.IncludeStaffChanges", "true"));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(PortalModel.PageBadTemplate, page.One($"#{field.Replace('.', '_')}-error")?.TextContent.Trim());
        AssertNoApiWords(page);
        Assert.Equal(before, await NotificationsAsync(biz));
    }

    [Theory]
    [InlineData("Input.DurationMinutes", null, "#duration-error", "Enter the duration in whole minutes, for example 30.")]
    [InlineData("Input.BufferAfterMinutes", null, "#buffer-error", "Enter the buffer in whole minutes, for example 10, or 0 for none.")]
    [InlineData("Input.Price", null, "#price-error", "Enter the price, or 0 if it is free.")]
    [InlineData("Input.DiaryIds", "abc", "#diaries-error", EditModel.PageBadDiaries)]
    [InlineData("Input.DiaryIds", "6f0c1f8e-1111-4222-8333-444455556666", "#diaries-error", EditModel.PageBadDiaries)]
    public async Task A_service_post_without_a_box_or_with_a_diary_the_page_never_listed_is_refused_and_the_service_stays(
        string field, string? value, string errorId, string words)
    {
        var biz = await shared.App.SignUpBusinessAsync("tamper-service");
        var diary = await biz.CreateDiaryAsync();
        var service = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services",
            SetupApi.ServiceBody("Massage", [diary], amount: "45.00", duration: 30))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var before = await ServiceAsync(biz, service);
        var form = await biz.Owner.PageAsync($"/staff/setup/services/{service}");

        var page = await PostAsync(biz.Owner, form, null, field, value, ("Input.Name", "Renamed by a refused post"));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(words, page.One(errorId)?.TextContent.Trim());
        AssertNoApiWords(page);
        Assert.Equal(before, await ServiceAsync(biz, service));
    }

    private static void AssertNoApiWords(HtmlPage page)
    {
        var main = page.One("main")!.TextContent;
        foreach (var words in ApiWords)
        {
            Assert.DoesNotContain(words, main, StringComparison.Ordinal);
        }
    }

    private static async Task<string> SettingsAsync(TestBusiness biz) =>
        (await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetRawText();

    private static async Task<string> NotificationsAsync(TestBusiness biz) =>
        (await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/notification-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetRawText();

    private static async Task<string> ServiceAsync(TestBusiness biz, Guid id) =>
        (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/services/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetRawText();

    /// <summary>
    /// Posts the form as a browser would, with <paramref name="field"/> set to <paramref name="value"/> (left out of
    /// the post when null: what no browser does) and the other changes given.
    /// </summary>
    private static async Task<HtmlPage> PostAsync(HttpClient http, HtmlPage page, string? formSelector, string field, string? value, params (string Name, string Value)[] changes)
    {
        var form = (formSelector is null
            ? page.All("form").OfType<IHtmlFormElement>().First(f => f.QuerySelector("input[name=__RequestVerificationToken]") is not null && f.QuerySelector("[name='" + field + "']") is not null)
            : (IHtmlFormElement)page.One(formSelector)!);
        var replaced = changes.Select(c => c.Name).Append(field).ToHashSet(StringComparer.Ordinal);
        var values = PortalHtml.FormValues(form, replaced);
        values.AddRange(changes.Select(c => new KeyValuePair<string, string>(c.Name, c.Value)));
        if (value is not null)
        {
            values.Add(new(field, value));
        }

        var action = form.GetAttribute("action") is { } given ? WebUtility.HtmlDecode(given) : page.Response.RequestMessage!.RequestUri!.PathAndQuery;
        using var content = new FormUrlEncodedContent(values);
        return await PortalHtml.ReadAsync(await http.PostAsync(new Uri(action, UriKind.Relative), content));
    }
}
