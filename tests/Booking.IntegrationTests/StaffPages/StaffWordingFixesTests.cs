using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>
/// Session-29 review of the staff pages (decision 232): a cancellation's reason box says the client gets it; New
/// appointment's client search says a too-long search in the page; a diary's empty contact email is asked for by name.
/// </summary>
public sealed class StaffWordingFixesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task The_cancel_box_says_the_reason_is_sent_to_the_client_as_the_requests_page_does()
    {
        var b = await App.BookableAsync();
        var client = await App.RegisterClientAsync(b.Biz, "Carl", "Cancel");
        var id = (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = client.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(3), 10), petId = (Guid?)null, note = "" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();

        var page = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}");
        Assert.Equal("Reason, sent to the client (optional)", page.One("label[for='Reason']")?.TextContent.Trim());
    }

    [Fact]
    public async Task A_client_search_over_200_characters_is_said_under_the_box_not_answered_as_json()
    {
        var biz = await App.SignUpBusinessAsync("book-search");
        var date = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd");
        var page = await biz.Owner.PageAsync($"/staff/diary/book?date={date}&search={new string('a', 201)}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("text/html", page.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Use at most 200 characters.", page.One("#search-error")?.TextContent);
        Assert.Equal("200", page.One("input#search")?.GetAttribute("maxlength"));
        Assert.Contains("search-error", page.One("input#search")?.GetAttribute("aria-describedby"), StringComparison.Ordinal);

        var fine = await biz.Owner.PageAsync($"/staff/diary/book?date={date}&search={new string('a', 200)}");
        Assert.Null(fine.One("#search-error"));
    }

    [Fact]
    public async Task An_empty_diary_contact_email_is_asked_for_by_its_labels_name()
    {
        var biz = await App.SignUpBusinessAsync("roster-contact");
        var page = await biz.Owner.PageAsync("/staff/setup/roster");
        var label = page.One("label[for='NewDiary_ContactEmail']")?.TextContent.Trim();
        var refused = await biz.Owner.SubmitAsync(page, PortalHtml.Fields(("NewDiary.Name", "Dr Alpha"), ("NewDiary.ContactEmail", "")), "form[action*='handler=AddDiary']");
        Assert.Equal("Diary contact email", label);
        Assert.Equal("Enter the diary's contact email: the address its booking emails go to.", refused.One("#new-email-error")?.TextContent);

        var bad = await biz.Owner.SubmitAsync(page, PortalHtml.Fields(("NewDiary.Name", "Dr Alpha"), ("NewDiary.ContactEmail", "not-an-email")), "form[action*='handler=AddDiary']");
        Assert.Equal("Enter a valid email address.", bad.One("#new-email-error")?.TextContent);
    }
}
