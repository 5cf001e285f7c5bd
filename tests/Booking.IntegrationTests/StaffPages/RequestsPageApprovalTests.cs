using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>
/// Review J17: a booking request of a client awaiting approval says so on the Requests page, "Confirm booking and approve
/// client" accepts it and approves the client in one go (their next booking is confirmed), and an approved client is emailed.
/// </summary>
public sealed class RequestsPageApprovalTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static async Task<IHtmlDocument> RequestsPageAsync(TestBusiness biz) =>
        await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri("/staff/requests", UriKind.Relative)));

    private static IElement Card(IHtmlDocument page, Guid id) => page.GetElementById($"request-{id}")!.Closest("section")!;

    private static async Task<Guid> RequestAsync(PortalClient client, Bookable b, string start)
    {
        var booked = await (await client.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", booked.GetProperty("status").GetString());
        return booked.GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> ClientAsync(TestBusiness biz, Guid id) =>
        await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private Task<JsonElement> MailsAsync(string to, int atLeast = 1) =>
        Eventually.ReturnsAsync(
            () => App.NewClient().GetFromJsonAsync<JsonElement>($"/dev/api/mail?to={Uri.EscapeDataString(to)}"),
            j => j.GetArrayLength() >= atLeast, TimeSpan.FromSeconds(60), $"{atLeast} mail(s) to {to}");

    private Task<Guid> ApprovedEventAsync(Guid clientId) => Sql.AdminScalarAsync<Guid>(App.Database.Database,
        "select (payload->>'eventId')::uuid from portalauth.outbox_messages where type like '%ClientApproved%' and payload->>'clientId' = @id",
        ("id", clientId.ToString()));

    [Fact]
    public async Task A_request_card_says_the_client_is_new_and_not_yet_approved_with_a_link_and_only_while_they_are()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var nina = await App.RegisterClientAsync(b.Biz, "Nina", "New");
        var olga = await App.RegisterClientAsync(b.Biz, "Olga", "Old");
        var ninas = await RequestAsync(nina, b, At(Day(3), 10));
        var olgas = await RequestAsync(olga, b, At(Day(3), 14));
        // Olga is approved after filing her request: the card tells her standing now, not when she booked.
        await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/clients/{olga.Id}/approve", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);

        var page = await RequestsPageAsync(b.Biz);

        var pending = Card(page, ninas).QuerySelector($"#request-{ninas}-pending")!;
        Assert.StartsWith("New client, not yet approved.", pending.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal($"/staff/clients/{nina.Id}", pending.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("Confirm booking and approve client", Card(page, ninas).QuerySelector($"#accept-approve-{ninas}")!.TextContent.Trim());
        Assert.Null(Card(page, olgas).QuerySelector($"#request-{olgas}-pending"));
        Assert.DoesNotContain("not yet approved", Card(page, olgas).TextContent, StringComparison.Ordinal);
        Assert.Null(Card(page, olgas).QuerySelector($"#accept-approve-{olgas}"));

        // The API says the same, for other front ends.
        var items = (await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/requests", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetGuid(), i => i.GetProperty("clientStatus").GetString());
        Assert.Equal("pending-approval", items[ninas]);
        Assert.Equal("active", items[olgas]);
    }

    [Fact]
    public async Task Accept_and_approve_client_confirms_the_request_makes_the_client_active_and_the_next_booking_is_direct()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var nina = await App.RegisterClientAsync(b.Biz, "Nina", "New");
        var id = await RequestAsync(nina, b, At(Day(4), 10));
        Assert.Equal("pending-approval", (await ClientAsync(b.Biz, nina.Id)).GetProperty("status").GetString());

        var page = await RequestsPageAsync(b.Biz);
        var form = (IHtmlFormElement)page.GetElementById($"accept-approve-{id}")!.Closest("form")!;
        var fields = form.QuerySelectorAll("input[type=hidden][name]")
            .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? "")).ToList();
        var posted = await b.Biz.Owner.PostAsync(new Uri(form.GetAttribute("action")!, UriKind.Relative), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);

        var after = await new HtmlParser().ParseDocumentAsync(await b.Biz.Owner.GetStringAsync(posted.Headers.Location!));
        Assert.Contains("approved", after.QuerySelector("p.notice")!.TextContent, StringComparison.Ordinal);
        Assert.Null(after.GetElementById($"request-{id}"));
        var appointment = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", appointment.GetProperty("status").GetString());
        Assert.Equal("active", (await ClientAsync(b.Biz, nina.Id)).GetProperty("status").GetString());

        var next = await (await nina.BookAsync(b, At(Day(5), 10))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("confirmed", next.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_approved_client_is_emailed_once_that_they_can_book_directly_and_not_texted()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var nina = await App.RegisterClientAsync(b.Biz, "Nina", "New");
        var client = await ClientAsync(b.Biz, nina.Id);
        var email = client.GetProperty("email").GetString()!;
        var mobile = client.GetProperty("mobile").GetString()!;

        await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/clients/{nina.Id}/approve", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/clients/{nina.Id}/approve", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);

        var mail = (await MailsAsync(email))[0];
        Assert.Equal($"You can now book directly with Business {b.Biz.Slug}", mail.GetProperty("subject").GetString());
        var text = mail.GetProperty("text").GetString()!;
        Assert.Contains("Hi Nina,", text, StringComparison.Ordinal);
        Assert.Contains("your bookings are confirmed straight away", text, StringComparison.Ordinal);
        Assert.Contains("/ol", text, StringComparison.Ordinal);

        // One email for the approval (the repeat approved nothing), and no text to a client who has an email.
        await EventJobs.ConsumedAsync(App, await ApprovedEventAsync(nina.Id), "the approval's consumers run");
        await Task.Delay(1500);
        Assert.Equal(1, (await MailsAsync(email)).EnumerateArray().Count(m => m.GetProperty("subject").GetString()!.StartsWith("You can now book directly", StringComparison.Ordinal)));
        Assert.Equal(0, (await App.NewClient().GetFromJsonAsync<JsonElement>($"/dev/api/sms?to={Uri.EscapeDataString(mobile)}")).GetArrayLength());
    }
}
