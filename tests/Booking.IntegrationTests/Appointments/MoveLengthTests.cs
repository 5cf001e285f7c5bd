using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Decision 294: a move keeps the appointment's own length (decision 282), so both move pages offer free times at that
/// length, not the service's current one, and say when the two differ; the closed-day line is one check and one wording.
/// </summary>
public sealed class MoveLengthTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    /// <summary>
    /// Consultation booked at 90 minutes (no buffer) on day 3 at 09:00, then shortened to 60; the diary works 09:00–12:00
    /// on a 30-minute grid, so on an empty day 90 minutes fit from 09:00 to 10:30, and 60 also at 11:00.
    /// </summary>
    private async Task<(Bookable B, PortalClient Mary, Guid Id)> NinetyOfSixtyAsync()
    {
        var b = await App.BookableAsync(durationMinutes: 90, bufferMinutes: 0);
        await b.Biz.RosterEveryDayAsync(b.DiaryId, "09:00", "12:00");
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = (await (await mary.BookAsync(b, At(Day(3), 9))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{b.ServiceId}", Setup.SetupApi.ServiceBody("Consultation", [b.DiaryId], duration: 60)))
            .JsonAsync(HttpStatusCode.OK);
        return (b, mary, id);
    }

    private static DateTimeOffset Parse(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_staff_move_page_offers_only_times_the_appointments_own_length_fits_and_says_the_lengths_differ()
    {
        var (b, _, id) = await NinetyOfSixtyAsync();

        var page = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}/move");
        Assert.Equal("This appointment is 90 minutes; the service is now 60. The free times below are for 90 minutes, as the move keeps its length.",
            page.One("#move-length")?.TextContent.Trim());
        var day4 = await PostButtonAsync(b.Biz.Owner, page, page.One("#free-times-next")!);
        Assert.Equal(Iso(Day(4)), day4.One("#Input_Date")?.GetAttribute("value"));
        Assert.Contains("(90 min)", day4.One("#free-times-for")?.TextContent, StringComparison.Ordinal);
        var times = day4.All("#free-times button[name=pick]").Select(x => x.TextContent.Trim()).ToList();
        Assert.Contains(times, t => t.StartsWith("10:30", StringComparison.Ordinal));
        Assert.DoesNotContain(times, t => t.StartsWith("11:00", StringComparison.Ordinal)); // 60 would fit; 90 would not

        // The move's check judges 90 minutes too: 11:00 runs past the working hours, so it is asked about.
        var late = await b.Biz.Owner.SubmitAsync(page, new Dictionary<string, string> { ["Input.Date"] = Iso(Day(4)), ["Input.Time"] = "11:00" }, "#move-form");
        Assert.Contains("working hours", late.One("#confirm-move")?.TextContent, StringComparison.Ordinal);

        // A picked time moves, keeping 90 minutes.
        var picked = await PostButtonAsync(b.Biz.Owner, day4, day4.All("#free-times button[name=pick]").First(x => x.TextContent.Trim().StartsWith("10:30", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, (await b.Biz.Owner.SubmitAsync(picked, new Dictionary<string, string>(), "#move-form")).Status);
        var moved = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(Parse(At(Day(4), 10, 30)), moved.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(Parse(At(Day(4), 12)), moved.GetProperty("end").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_portal_move_page_offers_what_the_move_books_at_the_appointments_own_length_and_says_the_lengths_differ()
    {
        var (b, mary, id) = await NinetyOfSixtyAsync();

        var page = await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}&date={Iso(Day(4))}");
        Assert.Equal("This appointment is 90 minutes; Consultation is now 60. The times below are for 90 minutes: changing the time keeps your appointment's length.",
            page.One("#move-length")?.TextContent.Trim());
        var starts = page.All("#slots a.slot time").Select(t => Parse(t.GetAttribute("datetime")!)).ToList();
        Assert.Contains(Parse(At(Day(4), 10, 30)), starts);
        Assert.DoesNotContain(Parse(At(Day(4), 11)), starts);

        // 11:00 is not asked about (the move would refuse it): refused at once, as a start never offered.
        var eleven = await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}&diary={b.DiaryId}&start={Uri.EscapeDataString(At(Day(4), 11))}");
        Assert.Null(eleven.One("#move-form"));
        Assert.Contains("not one of the times offered", eleven.One("#move-problem")?.TextContent, StringComparison.Ordinal);
        var refused = await mary.Http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/move?name={b.Biz.Slug}", new { start = At(Day(4), 11) });
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);

        // 10:30 is asked about, and the move books it, 90 minutes long.
        var confirm = await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}&diary={b.DiaryId}&start={Uri.EscapeDataString(At(Day(4), 10, 30))}");
        Assert.Equal(HttpStatusCode.Redirect, (await mary.Http.SubmitAsync(confirm, new Dictionary<string, string>(), "#move-form")).Status);
        var moved = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(Parse(At(Day(4), 10, 30)), moved.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(Parse(At(Day(4), 12)), moved.GetProperty("end").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_business_closed_day_says_so_on_the_booking_and_both_move_pages_and_an_appointment_of_the_services_length_has_no_length_note()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = (await (await mary.BookAsync(b, At(Day(3), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/closed-days", new { from = Iso(Day(5)), to = Iso(Day(5)), label = "Staff training" }))
            .JsonAsync(HttpStatusCode.Created);
        var line = $"No free times on this day. Business {b.Biz.Slug} is closed that day.";

        var booking = await mary.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&date={Iso(Day(5))}");
        Assert.Equal(line, booking.One("[data-business-closed]")?.TextContent.Trim());
        var move = await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}&date={Iso(Day(5))}");
        Assert.Equal(line, move.One("#day-empty")?.TextContent.Trim());
        Assert.DoesNotContain("Staff training", move.Text, StringComparison.Ordinal);
        Assert.Null(move.One("#move-length"));
        var open = await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}&date={Iso(Day(6))}");
        Assert.Null(open.One("#day-empty"));

        var staff = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}/move");
        Assert.Null(staff.One("#move-length"));
        var closed = await b.Biz.Owner.SubmitAsync(staff, new Dictionary<string, string> { ["Input.Date"] = Iso(Day(5)), ["Input.Time"] = "10:00" }, "#move-form");
        // Staff read the closure and its label (decision 330), not a gap in the diary's roster.
        Assert.Contains($"Business {b.Biz.Slug} is closed on ", closed.One("#confirm-move")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("(Staff training).", closed.One("#confirm-move")!.TextContent, StringComparison.Ordinal);
    }

    /// <summary>What a browser sends for a submit button of the move form: the form's fields, the button's name and value, to its formaction.</summary>
    private static async Task<HtmlPage> PostButtonAsync(HttpClient http, HtmlPage page, AngleSharp.Dom.IElement button)
    {
        var form = (IHtmlFormElement)page.One("#" + (button.GetAttribute("form") ?? "move-form"))!;
        var values = PortalHtml.FormValues(form, new HashSet<string>(StringComparer.Ordinal));
        if (button.GetAttribute("name") is { } name)
        {
            values.Add(new(name, button.GetAttribute("value")!));
        }

        var action = WebUtility.HtmlDecode(button.GetAttribute("formaction")!).Split('#')[0];
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(action, UriKind.Relative)) { Content = new FormUrlEncodedContent(values) };
        return await PortalHtml.ReadAsync(await http.SendAsync(request));
    }
}
