using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>
/// The staff menu counts the requests waiting ("Requests (2)", read as "Requests (2 waiting)"), as does the Requests
/// page's heading; the page's buttons say what happens: "Confirm booking" / "Decline" on a booking request, "Cancel the
/// appointment" / "Keep the appointment" on a cancellation request.
/// </summary>
public sealed class RequestsCountAndWordingTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static async Task<IHtmlDocument> PageAsync(TestBusiness biz, string path) =>
        await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri(path, UriKind.Relative)));

    private static IElement Card(IHtmlDocument page, Guid id) => page.GetElementById($"request-{id}")!.Closest("section")!;

    private static async Task<Guid> BookAsync(PortalClient client, Bookable b, string start, string status)
    {
        var booked = await (await client.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(status, booked.GetProperty("status").GetString());
        return booked.GetProperty("id").GetGuid();
    }

    /// <summary>Posts the form of the button with this id, as a browser would (its hidden fields, the button's page).</summary>
    private static async Task<IHtmlDocument> PressAsync(TestBusiness biz, IHtmlDocument page, string buttonId)
    {
        var form = (IHtmlFormElement)page.GetElementById(buttonId)!.Closest("form")!;
        var fields = form.QuerySelectorAll("input[name]")
            .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? "")).ToList();
        var posted = await biz.Owner.PostAsync(new Uri(form.GetAttribute("action")!, UriKind.Relative), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        return await PageAsync(biz, posted.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_menu_and_the_requests_heading_count_this_business_s_waiting_requests_in_words_too()
    {
        var b = await App.BookableAsync();
        var other = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        await other.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);

        var before = await PageAsync(b.Biz, "/staff/diary");
        Assert.Equal("Requests", before.GetElementById("nav-requests")!.TextContent);
        Assert.Equal("Requests", (await PageAsync(b.Biz, "/staff/requests")).QuerySelector("h1")!.TextContent);

        var nina = await App.RegisterClientAsync(b.Biz, "Nina", "New");
        var first = await BookAsync(nina, b, At(Day(3), 10), "requested");
        await BookAsync(nina, b, At(Day(3), 14), "requested");
        // Another business's request is not this one's to count.
        await BookAsync(await App.RegisterClientAsync(other.Biz, "Olga", "Other"), other, At(Day(3), 10), "requested");

        var diary = await PageAsync(b.Biz, "/staff/diary");
        var link = diary.GetElementById("nav-requests")!;
        Assert.Equal("/staff/requests", link.GetAttribute("href"));
        Assert.Equal("Requests (2 waiting)", link.TextContent); // what a screen reader reads
        Assert.Equal(" waiting", Assert.Single(link.QuerySelectorAll(".visually-hidden")).TextContent); // seen: "Requests (2)"
        var requests = await PageAsync(b.Biz, "/staff/requests");
        Assert.Equal("Requests (2 waiting)", requests.QuerySelector("h1")!.TextContent);
        Assert.StartsWith("Requests (2 waiting) · ", requests.Title, StringComparison.Ordinal);
        Assert.Equal("Requests (2 waiting)", requests.GetElementById("nav-requests")!.TextContent);

        var after = await PressAsync(b.Biz, requests, $"accept-{first}");
        Assert.Equal("Requests (1 waiting)", after.QuerySelector("h1")!.TextContent);
        Assert.Equal("Requests (1 waiting)", after.GetElementById("nav-requests")!.TextContent);
        Assert.Equal("Requests (1 waiting)", (await PageAsync(other.Biz, "/staff/clients")).GetElementById("nav-requests")!.TextContent);
    }

    [Fact]
    public async Task Each_request_s_buttons_say_what_happens_to_the_appointment_and_the_notice_says_what_was_done()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject
        {
            ["hours"] = 24 * 30, ["text"] = "A month's notice.", ["insideWindow"] = "request",
        });
        var cas = await App.RegisterClientAsync(b.Biz, "Cas", "Cancel");
        var kept = await BookAsync(cas, b, At(Day(3), 10), "confirmed");
        var cancelled = await BookAsync(cas, b, At(Day(4), 10), "confirmed");
        foreach (var id in new[] { kept, cancelled })
        {
            await (await cas.Http.CancelAsync(b.Biz.Slug, id, "Moving house")).JsonAsync(HttpStatusCode.Accepted);
        }

        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var nina = await App.RegisterClientAsync(b.Biz, "Nina", "New");
        var confirmed = await BookAsync(nina, b, At(Day(3), 14), "requested");
        var declined = await BookAsync(nina, b, At(Day(4), 14), "requested");

        var page = await PageAsync(b.Biz, "/staff/requests");
        string Button(Guid id, string which) => Card(page, id).QuerySelector($"#{which}-{id}")!.TextContent.Trim();
        string Label(Guid id) => Card(page, id).QuerySelector($"label[for=reason-{id}]")!.TextContent.Trim();
        Assert.Equal("Cancel the appointment", Button(kept, "accept"));
        Assert.Equal("Keep the appointment", Button(kept, "decline"));
        Assert.Equal("Reason for keeping it, sent to the client (optional)", Label(kept));
        Assert.Equal("Confirm booking", Button(confirmed, "accept"));
        Assert.Equal("Confirm booking and approve client", Button(confirmed, "accept-approve"));
        Assert.Equal("Decline", Button(confirmed, "decline"));
        Assert.Equal("Reason for declining, sent to the client (optional)", Label(confirmed));
        Assert.DoesNotContain(">Accept<", page.QuerySelector("main")!.InnerHtml, StringComparison.Ordinal);

        async Task<string> StatusAsync(Guid id) =>
            (await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("status").GetString()!;
        foreach (var (id, button, notice, status) in new[]
                 {
                     (kept, "decline", "Kept Cas Cancel's appointment: their request to cancel is declined.", "confirmed"),
                     (cancelled, "accept", "Cancelled Cas Cancel's appointment, as they asked.", "cancelled"),
                     (confirmed, "accept", "Confirmed Nina New's booking.", "confirmed"),
                     (declined, "decline", "Declined Nina New's booking request.", "declined"),
                 })
        {
            var after = await PressAsync(b.Biz, page, $"{button}-{id}");
            Assert.Equal(notice, after.QuerySelector("p.notice")!.TextContent);
            Assert.Equal(status, await StatusAsync(id));
        }
    }

    [Fact]
    public async Task A_booking_request_is_confirmed_or_declined_in_one_verb_on_the_diary_the_appointment_the_requests_page_and_a_refusal()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var nina = await App.RegisterClientAsync(b.Biz, "Nina", "New");
        var id = await BookAsync(nina, b, At(Day(3), 10), "requested");

        var diary = await PageAsync(b.Biz, $"/staff/diary?date={Iso(Day(3))}&view=day&diary={b.DiaryId}");
        var appointment = await PageAsync(b.Biz, $"/staff/diary/appointments/{id}");
        var client = await PageAsync(b.Biz, $"/staff/clients/{nina.Id}");
        foreach (var page in new[] { diary, appointment, client })
        {
            Assert.Equal("Requested, awaiting confirmation", page.QuerySelector("main .status-requested")!.TextContent);
            Assert.DoesNotContain("accept", page.QuerySelector("main")!.TextContent, StringComparison.OrdinalIgnoreCase);
        }

        var requests = await PageAsync(b.Biz, "/staff/requests");
        Assert.Equal("Confirm booking", Card(requests, id).QuerySelector($"#accept-{id}")!.TextContent.Trim());
        Assert.Equal("Decline", Card(requests, id).QuerySelector($"#decline-{id}")!.TextContent.Trim());

        // A practitioner sent to Requests (by a diary contact's request email) is told in the same words.
        var practitioner = await Booking.IntegrationTests.Setup.Staff.SignInPractitionerAsync(App, b.Biz);
        var refused = await new HtmlParser().ParseDocumentAsync(await (await practitioner.GetAsync(new Uri("/staff/requests", UriKind.Relative))).Content.ReadAsStringAsync());
        var said = refused.QuerySelector("main")!.TextContent;
        Assert.Contains("Booking requests are confirmed or declined, and cancellation requests decided, by the business's owner or an admin.", said, StringComparison.Ordinal);
        Assert.DoesNotContain("accept", said, StringComparison.OrdinalIgnoreCase);
    }
}
