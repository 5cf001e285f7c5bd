using System.Net;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.IntegrationTests.Setup;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>
/// The setup pages' number boxes (decision 240): text that is no whole number ("abc", "1,5", "1.5") or an empty box is
/// said in the page's words, naming the field, never MVC's "The value 'abc' is not valid for …"; and the form's other
/// problems stand by their fields in the same round (the stock error used to stop the page before its checks ran).
/// Nothing is saved while a box does not read.
/// </summary>
public sealed class NumberBoxTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Duration = "Enter the duration in whole minutes, for example 30.";
    private const string Buffer = "Enter the buffer in whole minutes, for example 10, or 0 for none.";

    [Fact]
    public async Task A_service_with_text_for_its_minutes_and_no_name_or_price_shows_every_problem_at_once_and_saves_nothing()
    {
        var biz = await shared.App.SignUpBusinessAsync("numbers");
        var diary = await biz.CreateDiaryAsync();
        var form = await biz.Owner.PageAsync("/staff/setup/services/new");
        Assert.Equal("numeric", form.One("#Input_DurationMinutes")!.GetAttribute("inputmode"));

        var page = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(
            ("Input.Name", ""), ("Input.DurationMinutes", "abc"), ("Input.BufferAfterMinutes", "1,5"), ("Input.Price", ""), ("Input.DiaryIds", diary.ToString())), "main form");

        StaffFailedPostTests.AssertAnnounced(page, "Input.Name", "Input.DurationMinutes", "Input.BufferAfterMinutes", "Input.Price");
        Assert.Equal(Duration, page.One("#duration-error")!.TextContent.Trim());
        Assert.Equal(Buffer, page.One("#buffer-error")!.TextContent.Trim());
        Assert.Equal("Enter the service's name.", page.One("#name-error")!.TextContent.Trim());
        Assert.Equal("Give the price as a number, such as 45.00.", page.One("#price-error")!.TextContent.Trim());
        Assert.DoesNotContain("is not valid", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("is invalid", page.Text, StringComparison.Ordinal);
        // What was typed stays in the box to be corrected; the summary says each message once.
        Assert.Equal("abc", page.One("#Input_DurationMinutes")!.GetAttribute("value"));
        Assert.Equal(1, page.All("#error-summary li").Count(li => li.TextContent.Contains(Duration, StringComparison.Ordinal)));

        // An emptied box, a decimal, and a name that is fine: the boxes' words, and the name is no problem.
        page = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(
            ("Input.Name", "Massage"), ("Input.DurationMinutes", ""), ("Input.BufferAfterMinutes", "1.5"), ("Input.Price", "45"), ("Input.DiaryIds", diary.ToString())), "main form");
        StaffFailedPostTests.AssertAnnounced(page, "Input.DurationMinutes", "Input.BufferAfterMinutes");
        Assert.Equal(Duration, page.One("#duration-error")!.TextContent.Trim());
        Assert.Equal(Buffer, page.One("#buffer-error")!.TextContent.Trim());
        Assert.Null(page.One("#Input_Name")!.GetAttribute("aria-invalid"));

        var services = await biz.Owner.GetStringAsync(new Uri("/api/v1/admin/services", UriKind.Relative));
        Assert.DoesNotContain("Massage", services, StringComparison.Ordinal);

        // A number out of range is still the command's to refuse, beside a box that does not read.
        page = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(
            ("Input.Name", "Massage"), ("Input.DurationMinutes", "3"), ("Input.BufferAfterMinutes", "ten"), ("Input.Price", "45"), ("Input.DiaryIds", diary.ToString())), "main form");
        Assert.Equal("Use 5 to 480 minutes.", page.One("#duration-error")!.TextContent.Trim());
        // The summary names the box, which the message alone does not (decision 310).
        Assert.Equal("Duration (minutes): Use 5 to 480 minutes.", page.One("#error-summary a[href='#Input_DurationMinutes']")?.TextContent.Trim());
        Assert.Equal(Buffer, page.One("#buffer-error")!.TextContent.Trim());

        // Numbers with spaces around them read; the service is saved.
        var saved = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(
            ("Input.Name", "Massage"), ("Input.DurationMinutes", " 45 "), ("Input.BufferAfterMinutes", "0"), ("Input.Price", "45"), ("Input.DiaryIds", diary.ToString())), "main form");
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        services = await biz.Owner.GetStringAsync(new Uri("/api/v1/admin/services", UriKind.Relative));
        Assert.Contains("\"durationMinutes\":45", services, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_a_service_with_a_duration_that_does_not_read_changes_nothing()
    {
        var biz = await shared.App.SignUpBusinessAsync("numbers");
        var diary = await biz.CreateDiaryAsync();
        var service = await biz.CreateServiceAsync("Consultation", diary);
        var form = await biz.Owner.PageAsync($"/staff/setup/services/{service}");

        var page = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Input.Name", "Long consultation"), ("Input.DurationMinutes", "1,5"), ("Input.Price", "45.5678")), "main form");

        StaffFailedPostTests.AssertAnnounced(page, "Input.DurationMinutes", "Input.Price");
        Assert.Equal(Duration, page.One("#duration-error")!.TextContent.Trim());
        Assert.Equal("Use at most 2 decimals.", page.One("#price-error")!.TextContent.Trim());
        var one = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/services/{service}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Consultation", one.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Booking_rules_with_text_an_empty_box_and_a_number_out_of_range_say_so_for_each_box_and_save_nothing()
    {
        var biz = await shared.App.SignUpBusinessAsync("numbers");
        var before = (await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/booking-rules", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).ToString();
        var form = await biz.Owner.PageAsync("/staff/setup/roster");
        const string rules = "form[action*='handler=Rules']";

        var page = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Rules.MinimumNoticeMinutes", "two hours"), ("Rules.HorizonDays", "")), rules);
        StaffFailedPostTests.AssertAnnounced(page, "Rules.MinimumNoticeMinutes", "Rules.HorizonDays");
        Assert.Equal("Enter the minimum notice in whole minutes, for example 120 for two hours, or 0 for none.", page.One("#notice-error")!.TextContent.Trim());
        Assert.Equal("Enter the booking horizon in whole days, for example 60.", page.One("#horizon-error")!.TextContent.Trim());
        Assert.DoesNotContain("is not valid", page.Text, StringComparison.Ordinal);

        // The other box's range is checked in the same round, and a crafted interval is the select's words.
        page = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Rules.SlotIntervalMinutes", "x"), ("Rules.MinimumNoticeMinutes", "1,5"), ("Rules.HorizonDays", "0")), rules);
        StaffFailedPostTests.AssertAnnounced(page, "Rules.SlotIntervalMinutes", "Rules.MinimumNoticeMinutes", "Rules.HorizonDays");
        Assert.Equal("Choose the slot interval.", page.One("#interval-error")!.TextContent.Trim());
        Assert.Equal("Use 1 to 730 days.", page.One("#horizon-error")!.TextContent.Trim());

        var after = (await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/booking-rules", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).ToString();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Portal_settings_with_text_for_the_hours_an_empty_limit_and_a_bad_email_show_all_three_and_save_nothing()
    {
        var biz = await shared.App.SignUpBusinessAsync("numbers");
        var before = (await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).ToString();
        var form = await biz.Owner.PageAsync("/staff/setup/portal");

        var page = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(
            ("Settings.CancellationHours", "a day"), ("Settings.MaxUpcomingBookingsPerClient", ""), ("Settings.ContactEmail", "not an email"),
            ("Settings.BookingInstructions", "Ring the bell.")), "form[action*='handler=Settings']");

        StaffFailedPostTests.AssertAnnounced(page, "Settings.CancellationHours", "Settings.MaxUpcomingBookingsPerClient", "Settings.ContactEmail");
        Assert.Equal("Enter how many hours before the start clients may cancel, as a whole number, for example 24, or 0 for up to the start.",
            page.One("#hours-error")!.TextContent.Trim());
        Assert.Equal("Enter the most upcoming appointments one client may book online as a whole number from 1 to 100, for example 5.",
            page.One("#max-upcoming-error")!.TextContent.Trim());
        Assert.DoesNotContain("is not valid", page.Text, StringComparison.Ordinal);
        // The rest of the form shows what was typed, to send again once the boxes are right.
        Assert.Equal("a day", page.One("#Settings_CancellationHours")!.GetAttribute("value"));
        Assert.Equal("Ring the bell.", page.One("#Settings_BookingInstructions")!.TextContent.Trim());

        var after = (await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).ToString();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Roster_times_and_an_exception_date_that_do_not_read_are_said_in_the_page_s_words_with_midnight_as_00_00()
    {
        var biz = await shared.App.SignUpBusinessAsync("numbers");
        var diary = await biz.CreateDiaryAsync();
        var form = await biz.Owner.PageAsync($"/staff/setup/roster/{diary}");

        var page = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Week[0].Weekday", "monday"), ("Week[0].Start", "9am"), ("Week[0].End", "5pm")), "form[action*='handler=Roster']");
        StaffFailedPostTests.AssertAnnounced(page, "Week[0].Start", "Week[0].End");
        Assert.Equal("Enter the start time, such as 09:00.", page.One("#week-0-start-error")!.TextContent.Trim());
        Assert.Equal("Enter the end time, such as 17:00, or 00:00 for midnight.", page.One("#week-0-end-error")!.TextContent.Trim());
        Assert.DoesNotContain("24:00", page.One("#error-summary")!.TextContent, StringComparison.Ordinal);

        page = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("NewException.Date", ""), ("NewException.Closed", "true")), "form[action*='handler=Exception']");
        StaffFailedPostTests.AssertAnnounced(page, "NewException.Date");
        Assert.Equal("Choose the date.", page.One("#exception-date-error")!.TextContent.Trim());
    }
}
