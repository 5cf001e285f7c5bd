using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// A client sees the note they wrote when booking in the portal (the API's <c>note</c>, "Your note" on My appointments,
/// the appointment's page and the Cancel page), and never the note staff wrote on an appointment they booked for the client.
/// </summary>
public sealed class PortalBookingNoteTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static JsonElement Item(JsonElement list, Guid id) =>
        list.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == id);

    [Fact]
    public async Task A_client_sees_their_own_booking_note_in_the_api_and_on_the_pages_and_never_staffs_note()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz, "Alice", "Noteworthy");
        var slug = b.Biz.Slug;
        const string Mine = "Please use the side door.\nThe bell is broken.";
        const string Staffs = "STAFF ONLY: owes for the last visit";

        var booked = await (await alice.BookAsync(b, At(Day(3), 10), note: "  " + Mine + "  ")).JsonAsync(HttpStatusCode.Created);
        var own = booked.GetProperty("id").GetGuid();
        Assert.Equal(Mine, booked.GetProperty("note").GetString()); // as saved: trimmed
        var plain = (await (await alice.BookAsync(b, At(Day(3), 14))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var cancelled = (await (await alice.BookAsync(b, At(Day(4), 10), note: "Cancelled one's note")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var cancel = await (await alice.Http.CancelAsync(slug, cancelled)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Cancelled one's note", cancel.GetProperty("note").GetString());
        var staffMade = (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(5), 10), note = Staffs })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();

        // The API: the client's own note; null for none and for the appointment staff booked, whose note is staff's.
        var upcoming = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={slug}&when=upcoming", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(Mine, Item(upcoming, own).GetProperty("note").GetString());
        Assert.Equal(JsonValueKind.Null, Item(upcoming, plain).GetProperty("note").ValueKind);
        Assert.Equal(JsonValueKind.Null, Item(upcoming, staffMade).GetProperty("note").ValueKind);
        var past = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={slug}&when=past", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Cancelled one's note", Item(past, cancelled).GetProperty("note").GetString());
        var one = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{own}?name={slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(Mine, one.GetProperty("note").GetString());
        var staffOne = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{staffMade}?name={slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, staffOne.GetProperty("note").ValueKind);

        // My appointments: "Your note: …" under the booking it belongs to, with its line break kept; not on the others.
        var list = await alice.Http.PageAsync($"/ol/appointments?name={slug}");
        var note = list.One($"#appointment-{own} .appointment-note")!;
        Assert.Equal("Your note: " + Mine, note.TextContent);
        Assert.Equal("pre", note.QuerySelector("span")!.GetAttribute("class"));
        Assert.Null(list.One($"#appointment-{plain} .appointment-note"));
        Assert.Null(list.One($"#appointment-{staffMade} .appointment-note"));
        Assert.Contains("Your note: Cancelled one's note", list.Text, StringComparison.Ordinal);
        Assert.Equal(2, list.All(".appointment-note").Length); // the own one and the cancelled one
        Assert.DoesNotContain(Staffs, list.Html, StringComparison.Ordinal);

        // The appointment's page.
        var page = await alice.Http.PageAsync($"/ol/booked?name={slug}&id={own}");
        Assert.Equal("Your note", page.One("#your-note")!.PreviousElementSibling!.TextContent);
        Assert.Equal(Mine, page.One("#your-note")!.TextContent);
        var staffPage = await alice.Http.PageAsync($"/ol/booked?name={slug}&id={staffMade}");
        Assert.Equal(HttpStatusCode.OK, staffPage.Status);
        Assert.Null(staffPage.One("#your-note"));
        Assert.DoesNotContain(Staffs, staffPage.Html, StringComparison.Ordinal);

        // Staff still see both notes.
        var forStaff = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{staffMade}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(Staffs, forStaff.GetProperty("note").GetString());
    }

    [Fact]
    public async Task The_cancel_page_shows_the_clients_own_note_and_pet_on_what_they_cancel_also_while_a_request_waits_and_never_staffs_note()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s =>
        {
            s["booksForPets"] = true;
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Two days' notice, please.", ["insideWindow"] = "request" };
        });
        var alice = await App.RegisterClientAsync(b.Biz, "Alice", "Cancelling");
        var slug = b.Biz.Slug;
        var rex = (await (await alice.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={slug}", new { name = "Rex", species = "dog" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        const string Mine = "Bring the blue lead.\nHe pulls.";
        const string Asked = "Please keep it if you can't fill the slot.";
        const string Staffs = "STAFF ONLY: bites the vet";

        async Task<Guid> BookAsync(string start, string note) =>
            (await (await alice.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = rex, acceptedTermsVersion = (int?)null, note }))
                .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // Outside the window: the page with the cancel form names the pet and shows the client's note in its summary.
        var own = await BookAsync(At(Day(4), 10), Mine);
        var page = await alice.Http.PageAsync($"/ol/cancel?name={slug}&id={own}");
        Assert.Equal("Cancel an appointment", page.One("h1")!.TextContent);
        var note = page.One("dl.summary #your-note")!;
        Assert.Equal("Your note", note.PreviousElementSibling!.TextContent);
        Assert.Equal(Mine, note.TextContent);
        Assert.Equal("pre", note.GetAttribute("class"));
        Assert.EndsWith(" for Rex", page.All("dl.summary dd")[1].TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.One("textarea[name='Input.Reason']"));

        // Inside the window the client asked to cancel: the page that offers "Keep my appointment" shows the note too.
        var asked = await BookAsync(At(Day(1), 12), Asked);
        Assert.Equal("cancellation-requested", (await (await alice.Http.CancelAsync(slug, asked, "Sick")).JsonAsync(HttpStatusCode.Accepted)).GetProperty("status").GetString());
        var waiting = await alice.Http.PageAsync($"/ol/cancel?name={slug}&id={asked}");
        Assert.Equal("Your request to cancel", waiting.One("h1")!.TextContent);
        Assert.NotNull(waiting.One("#keep"));
        Assert.Equal(Asked, waiting.One("dl.summary #your-note")!.TextContent);

        // An appointment staff booked with their own note: no note on the page, and never staff's words.
        var staffMade = (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(5), 10), petId = rex, note = Staffs })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var staffPage = await alice.Http.PageAsync($"/ol/cancel?name={slug}&id={staffMade}");
        Assert.Equal(HttpStatusCode.OK, staffPage.Status);
        Assert.NotNull(staffPage.One("dl.summary"));
        Assert.Null(staffPage.One("#your-note"));
        Assert.DoesNotContain(Staffs, staffPage.Html, StringComparison.Ordinal);
    }
}
