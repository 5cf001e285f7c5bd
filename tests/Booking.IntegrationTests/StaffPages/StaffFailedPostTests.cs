using System.Net;
using AngleSharp.Dom;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.IntegrationTests.Setup;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>
/// A failed post on a staff page is announced as the portal's are (decision 85): "Error: " title, the error summary
/// first in &lt;main&gt; linking to an element that is there, and each bad field aria-invalid with its message named by
/// aria-describedby (its own or its group's). One post per kind of field: text, number, a select built in a loop,
/// a radio group, a list of checkboxes, a row of a table, a form without a session.
/// </summary>
public sealed class StaffFailedPostTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task A_service_with_a_bad_duration_and_an_unknown_diary()
    {
        var biz = await shared.App.SignUpBusinessAsync("a11y-staff");
        await biz.CreateDiaryAsync();
        var form = await GetAsync(biz.Owner, "/staff/setup/services/new");

        var duration = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Input.Name", "Massage"), ("Input.DurationMinutes", "3")), "main form");
        AssertAnnounced(duration, "Input.DurationMinutes");

        var diary = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Input.Name", "Massage"), ("Input.DurationMinutes", "60"), ("Input.DiaryIds", Guid.NewGuid().ToString())), "main form");
        AssertAnnounced(diary, "Input.DiaryIds");
    }

    [Fact]
    public async Task A_team_invite_with_a_bad_email()
    {
        var biz = await shared.App.SignUpBusinessAsync("a11y-staff");
        var form = await GetAsync(biz.Owner, "/staff/setup/team");

        var page = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Input.Name", "Pat"), ("Input.Email", "not an email"), ("Input.Password", "a team member's password 2026")), "form[action*='handler=Save']");

        AssertAnnounced(page, "Input.Email");
        Assert.Null(page.One("[name='Input.Name']")!.GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task A_booking_without_a_time_and_then_without_a_client()
    {
        var biz = await shared.App.SignUpBusinessAsync("a11y-staff");
        var diary = await biz.CreateDiaryAsync();
        await biz.CreateServiceAsync("Consultation", diary);
        await shared.App.RegisterClientAsync(biz);
        var form = await GetAsync(biz.Owner, "/staff/diary/book");

        var noTime = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Input.Time", "")), "main form[method=post]");
        AssertAnnounced(noTime, "Input.Time");

        var date = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var noClient = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Input.Date", date), ("Input.Time", "10:00")), "main form[method=post]");
        AssertAnnounced(noClient, "Input.ClientId");
    }

    [Fact]
    public async Task A_weekly_roster_row_ending_before_it_starts()
    {
        var biz = await shared.App.SignUpBusinessAsync("a11y-staff");
        var diary = await biz.CreateDiaryAsync();
        var form = await GetAsync(biz.Owner, $"/staff/setup/roster/{diary}");

        var page = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Week[0].Weekday", "monday"), ("Week[0].Start", "10:00"), ("Week[0].End", "09:00")), "form[action*='handler=Roster']");

        AssertAnnounced(page, "Week[0].End");
    }

    [Fact]
    public async Task Notification_choices_naming_a_template_that_does_not_exist()
    {
        var biz = await shared.App.SignUpBusinessAsync("a11y-staff");
        var form = await GetAsync(biz.Owner, "/staff/setup/portal");

        var template = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Notify.OnNewTemplateId", Guid.NewGuid().ToString())), "form[action*='handler=Notifications']");
        AssertAnnounced(template, "Notify.OnNewTemplateId");

        var address = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Notify.ExtraAddresses", "not an email")), "form[action*='handler=Notifications']");
        AssertAnnounced(address, "Notify.ExtraAddresses");
    }

    [Fact]
    public async Task A_sign_up_with_a_bad_booking_name_without_a_session()
    {
        var http = shared.App.NewClient();
        var form = await GetAsync(http, "/staff/sign-up");

        var page = await http.SubmitAsync(form, PortalHtml.Fields(("Input.Name", "Shop"), ("Input.Slug", "Not A Slug!")), "main form");

        AssertAnnounced(page, "Input.Slug");
    }

    private static async Task<HtmlPage> GetAsync(HttpClient http, string url)
    {
        var page = await http.PageAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.DoesNotContain("Error", page.Document.Title, StringComparison.Ordinal);
        Assert.Null(page.One("#error-summary"));
        Assert.Empty(page.All("[aria-invalid]"));
        return page;
    }

    internal static void AssertAnnounced(HtmlPage page, params string[] fields)
    {
        Assert.True(page.Status == HttpStatusCode.OK, $"{(int)page.Status}: {page.Text[..Math.Min(400, page.Text.Length)]}");
        Assert.StartsWith("Error: ", page.Document.Title, StringComparison.Ordinal);
        var summary = page.One("main > #error-summary");
        Assert.NotNull(summary);
        Assert.Same(summary, page.One("main")!.FirstElementChild);
        Assert.Equal("-1", summary.GetAttribute("tabindex"));

        // Every link of the summary leads somewhere on the page.
        var targets = summary.QuerySelectorAll("a").Select(a => a.GetAttribute("href")!).ToList();
        foreach (var href in targets)
        {
            Assert.True(page.Document.GetElementById(href.TrimStart('#')) is not null, $"The summary links to {href}, which is not on the page.\n{summary.OuterHtml}");
        }

        ErrorSummaryChecks.AssertInPageOrder(page);

        foreach (var field in fields)
        {
            Assert.True(targets.Contains("#" + IdOf(field)), $"No link to {field}:\n{summary.OuterHtml}");
            var inputs = page.All($"[name='{field}']").Where(e => e.GetAttribute("type") != "hidden").ToList();
            Assert.True(inputs.Count > 0, $"No input named {field}.");
            Assert.All(inputs, input => Assert.Equal("true", input.GetAttribute("aria-invalid")));
        }

        // Whatever is marked invalid names its message (or its group does), and the message is one the summary lists.
        var invalid = page.All("[aria-invalid='true']").ToList();
        Assert.NotEmpty(invalid);
        foreach (var element in invalid)
        {
            var message = Described(page, element, summary.TextContent) ?? Described(page, element.Closest("fieldset"), summary.TextContent);
            Assert.True(message is not null, $"{element.OuterHtml} is invalid but names none of the summary's messages.");
        }
    }

    /// <summary>The text of an element aria-describedby names that is one of the summary's messages (not a hint).</summary>
    private static string? Described(HtmlPage page, IElement? element, string summary) =>
        element?.GetAttribute("aria-describedby")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(page.Document.GetElementById)
            .Select(e => e?.TextContent.Trim() ?? "")
            .FirstOrDefault(t => t.Length > 0 && summary.Contains(t, StringComparison.Ordinal));

    /// <summary>The id MVC gives a field's input (and the summary's link): "Week[0].End" → "Week_0__End".</summary>
    private static string IdOf(string field) => field.Replace('.', '_').Replace('[', '_').Replace(']', '_');
}
