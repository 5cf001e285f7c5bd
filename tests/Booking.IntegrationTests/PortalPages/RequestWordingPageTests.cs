using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// The portal says what is true, in the emails' words: a booking request still waiting is withdrawn (not cancelled), a
/// phone new client's first booking is a request only where the business confirms new clients first, and the one
/// service a business offers shows its description as the list of several does.
/// </summary>
public sealed class RequestWordingPageTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task A_waiting_booking_request_is_withdrawn_on_the_list_the_booked_page_and_the_cancel_page()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var client = await App.RegisterClientAsync(b.Biz);
        var slug = b.Biz.Slug;
        var requested = await (await client.BookAsync(b, At(Day(4), 10))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
        var id = requested.GetProperty("id").GetGuid();

        var list = await client.Http.PageAsync($"/ol/appointments?name={slug}");
        var link = Assert.Single(list.All(".appointment a[href*='/ol/cancel']"));
        Assert.Equal("Withdraw request", link.ChildNodes[0].TextContent);

        var booked = await client.Http.PageAsync($"/ol/booked?name={slug}&id={id}");
        Assert.Equal("Withdraw request", booked.One("a.cancel")?.TextContent.Trim());

        var page = await client.Http.PageAsync($"/ol/cancel?name={slug}&id={id}");
        Assert.Equal("Withdraw a booking request", page.One("h1")?.TextContent.Trim());
        Assert.Equal("Withdraw request", page.One("main form button[type=submit]")?.TextContent.Trim());

        var posted = await client.Http.SubmitAsync(page, PortalHtml.Fields(("Input.Reason", "")), "main form");
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        var told = await client.Http.PageAsync(posted.Response.Headers.Location!.OriginalString);
        Assert.Contains("Your booking request is withdrawn.", told.One("[role=status].ok")?.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Your appointment is cancelled.", told.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_list_off_the_cancel_page_itself_says_the_request_is_withdrawn()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s =>
        {
            s["newClientsNeedApproval"] = true;
            s["accessLevels"] = new JsonObject { ["view"] = false, ["book"] = true, ["cancel"] = true };
        });
        var client = await App.RegisterClientAsync(b.Biz);
        var id = (await (await client.BookAsync(b, At(Day(4), 11))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var page = await client.Http.PageAsync($"/ol/cancel?name={b.Biz.Slug}&id={id}");
        var posted = await client.Http.SubmitAsync(page, PortalHtml.Fields(("Input.Reason", "")), "main form");
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        Assert.StartsWith("/ol/cancel", posted.Response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var told = await client.Http.PageAsync(posted.Response.Headers.Location!.OriginalString);
        Assert.Equal("Your booking request is withdrawn.", told.One("[role=status].ok")?.TextContent.Trim());
        Assert.Equal("Withdraw a booking request", told.One("h1")?.TextContent.Trim());
    }

    [Theory]
    [InlineData(false, "Once your appointment is booked, you can see your appointments here.")]
    [InlineData(true, "Once your booking request is sent, you can see your appointments here.")]
    public async Task A_phone_new_clients_welcome_speaks_of_a_request_only_where_the_business_confirms_new_clients_first(bool approval, string said)
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = approval);
        var phone = await App.VerifiedUnknownPhoneAsync(b.Biz);
        Assert.Equal(HttpStatusCode.Created, (await phone.NewClientAsync(b.Biz.Slug, new { firstName = "Pat", lastName = "Phone" })).StatusCode);

        var page = await phone.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&welcome=1");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var welcome = page.One("[role=status].ok")!.TextContent;
        Assert.StartsWith("Welcome! Choose a time for your first visit to finish joining", welcome, StringComparison.Ordinal);
        Assert.EndsWith(said, welcome, StringComparison.Ordinal);
        Assert.Equal(approval, welcome.Contains("request", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_one_service_offered_shows_its_description_encoded_with_its_line_breaks()
    {
        const string description = "Bring <b>your own towel</b> & wear loose clothes.\nArrive ten minutes early.";
        var biz = await App.SignUpBusinessAsync("desc");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var diary = await biz.DiaryAsync("Dr Alpha");
        await biz.RosterEveryDayAsync(diary, "00:00", "23:30");
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", new
        {
            name = "Massage",
            description,
            durationMinutes = 60,
            bufferAfterMinutes = 0,
            price = new { amount = "45.00", currency = "AUD" },
            bookableOnline = true,
            diaryIds = new[] { diary },
        })).JsonAsync(HttpStatusCode.Created);

        var page = await App.NewClient().PageAsync($"/ol/new-booking?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Null(page.One("input[name=service][type=radio]")); // the one service is chosen already
        var about = page.One("#chosen-about");
        Assert.NotNull(about);
        Assert.Equal(description, about.TextContent);
        Assert.Contains("pre", about.ClassList); // white-space: pre-line keeps the line break
        Assert.Contains("Bring &lt;b&gt;your own towel&lt;/b&gt; &amp; wear", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>your own towel</b>", page.Html, StringComparison.Ordinal);

        // Among several, the same description stands by its choice, its line break kept the same way.
        await biz.ServiceAsync("Consultation", 30, 0, [diary]);
        var choices = await App.NewClient().PageAsync($"/ol/new-booking?name={biz.Slug}");
        var listed = Assert.Single(choices.All(".choice .description"), e => e.TextContent == description);
        Assert.Contains("pre", listed.ClassList);
    }
}
