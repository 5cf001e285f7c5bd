using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>
/// Session 39's review of the staff Book and Move pages (decision 330): a repeated post of one form (a double click) gets
/// the first post's booking or move and its redirect, never "… holds that time" or "That is the appointment's current
/// time"; a day the business is closed is named with its label, not blamed on the diary's roster; "Any diary" books a
/// diary free at that time (through the API's "any" since decision 333); and the admin API names an id field given "any".
/// </summary>
public sealed class StaffBookAndMoveGuardsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static string Long(LocalDate day) => day.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    private static async Task<List<JsonElement>> AppointmentsAsync(TestBusiness biz, LocalDate day) =>
        [.. (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={Iso(day)}&to={Iso(day)}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("appointments").EnumerateArray()];

    private static Dictionary<string, string> BookFields(Guid client, Guid service, Guid? diary, LocalDate day, string time) =>
        PortalHtml.Fields(("Input.ClientId", client.ToString()), ("Input.ServiceId", service.ToString()), ("Input.DiaryId", diary?.ToString() ?? ""),
            ("Input.Date", Iso(day)), ("Input.Time", time));

    [Fact]
    public async Task The_same_Book_form_sent_twice_books_once_and_both_posts_go_to_the_booking()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz, "Alice", "Twice");
        var day = Day(3);
        var form = await b.Biz.Owner.PageAsync($"/staff/diary/book?date={Iso(day)}");
        Assert.NotNull(form.One("#book-form[data-once] input[name='Input.FormKey']"));
        var fields = BookFields(alice.Id, b.ServiceId, b.DiaryId, day, "11:00");

        var first = await b.Biz.Owner.SubmitAsync(form, fields, "#book-form");
        var second = await b.Biz.Owner.SubmitAsync(form, fields, "#book-form");

        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        Assert.True(second.Status == HttpStatusCode.Redirect, "The repeat was not sent to the booking:\n" + second.Text);
        Assert.Equal(first.Response.Headers.Location, second.Response.Headers.Location);
        Assert.Single(await AppointmentsAsync(b.Biz, day));

        // Two at once (a double click): one booking, both answered with it.
        var again = await b.Biz.Owner.PageAsync($"/staff/diary/book?date={Iso(day)}");
        var both = await Task.WhenAll(
            b.Biz.Owner.SubmitAsync(again, BookFields(alice.Id, b.ServiceId, b.DiaryId, day, "14:00"), "#book-form"),
            b.Biz.Owner.SubmitAsync(again, BookFields(alice.Id, b.ServiceId, b.DiaryId, day, "14:00"), "#book-form"));
        Assert.All(both, p => Assert.Equal(HttpStatusCode.Redirect, p.Status));
        Assert.Equal(2, (await AppointmentsAsync(b.Biz, day)).Count);

        // A form shown again has a new key: the same time from it is another request, refused as taken.
        var fresh = await b.Biz.Owner.PageAsync($"/staff/diary/book?date={Iso(day)}");
        Assert.NotEqual(form.One("input[name='Input.FormKey']")!.GetAttribute("value"), fresh.One("input[name='Input.FormKey']")!.GetAttribute("value"));
        var refused = await b.Biz.Owner.SubmitAsync(fresh, fields, "#book-form");
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("holds that time", refused.One("#error-summary")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_Move_form_sent_twice_moves_once_and_both_posts_go_to_the_appointment()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = (await (await mary.BookAsync(b, At(Day(3), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var page = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}/move");
        Assert.NotNull(page.One("#move-form[data-once] input[name='Input.FormKey']"));
        var fields = new Dictionary<string, string> { ["Input.Date"] = Iso(Day(4)), ["Input.Time"] = "11:00" };

        var first = await b.Biz.Owner.SubmitAsync(page, fields, "#move-form");
        var second = await b.Biz.Owner.SubmitAsync(page, fields, "#move-form");

        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        Assert.True(second.Status == HttpStatusCode.Redirect, "The repeat was not sent to the appointment:\n" + second.Text);
        Assert.Equal($"/staff/diary/appointments/{id}", second.Response.Headers.Location!.OriginalString);
        var moved = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/appointments/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(DateTimeOffset.Parse(At(Day(4), 11), CultureInfo.InvariantCulture), moved.GetProperty("start").GetDateTimeOffset());

        // Asked for its current time from a page opened there, it still says so (no repeat: a new form).
        var now = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}/move");
        var same = await b.Biz.Owner.SubmitAsync(now, fields, "#move-form");
        Assert.Contains("That is the appointment's current time and diary.", same.One("#time-error")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_day_the_business_is_closed_is_named_with_its_label_on_Book_and_Move_and_can_still_be_booked()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = (await (await mary.BookAsync(b, At(Day(3), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var closed = Day(5);
        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/closed-days", new { from = Iso(closed), to = Iso(closed), label = "Xmas Eve" }))
            .JsonAsync(HttpStatusCode.Created);
        var words = $"Business {b.Biz.Slug} is closed on {Long(closed)} (Xmas Eve).";

        // Book: the confirm step names the closure, not the diary's hours; Book anyway books it.
        var form = await b.Biz.Owner.PageAsync($"/staff/diary/book?date={Iso(closed)}");
        var asked = await b.Biz.Owner.SubmitAsync(form, BookFields(mary.Id, b.ServiceId, b.DiaryId, closed, "11:00"), "#book-form");
        var box = asked.One("#confirm-booking")?.TextContent;
        Assert.True(box is not null, "No confirm step:\n" + asked.Text);
        Assert.Contains(words, box, StringComparison.Ordinal);
        Assert.DoesNotContain("working hours", box, StringComparison.Ordinal);
        Assert.Contains($"No free times on this day: Business {b.Biz.Slug} is closed (Xmas Eve).", asked.One("#free-times-none")?.TextContent, StringComparison.Ordinal);
        var fields = BookFields(mary.Id, b.ServiceId, b.DiaryId, closed, "11:00");
        fields["Input.ConfirmedFor"] = asked.One("#book-anyway")!.GetAttribute("value")!;
        Assert.Equal(HttpStatusCode.Redirect, (await b.Biz.Owner.SubmitAsync(asked, fields, "#book-form")).Status);
        Assert.Single(await AppointmentsAsync(b.Biz, closed));

        // Move: the same words, not "the diary is closed that day".
        var move = await b.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}/move");
        var onto = await b.Biz.Owner.SubmitAsync(move, new Dictionary<string, string> { ["Input.Date"] = Iso(closed), ["Input.Time"] = "14:00" }, "#move-form");
        var confirm = onto.One("#confirm-move")?.TextContent;
        Assert.Contains(words, confirm, StringComparison.Ordinal);
        Assert.DoesNotContain("diary is closed", confirm, StringComparison.Ordinal);

        // The check route says why: its concern stays outside-hours, with the closure.
        var check = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments/check",
            new { clientId = mary.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(closed, 15) })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["outside-hours"], check.GetProperty("concerns").EnumerateArray().Select(c => c.GetString()));
        var day = Assert.Single(check.GetProperty("closedDays").EnumerateArray());
        Assert.Equal(Iso(closed), day.GetProperty("date").GetString());
        Assert.Equal("Xmas Eve", day.GetProperty("label").GetString());
        var open = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments/check",
            new { clientId = mary.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(6), 15) })).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(open.GetProperty("closedDays").EnumerateArray());
    }

    [Fact]
    public async Task Any_diary_books_a_diary_free_at_that_time_once_and_says_which_or_says_none_is()
    {
        var b = await App.BookableAsync();
        var beta = await b.Biz.DiaryAsync("Dr Beta");
        await b.Biz.RosterEveryDayAsync(beta, "09:00", "17:00");
        await (await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{b.ServiceId}", Setup.SetupApi.ServiceBody("Consultation", [b.DiaryId, beta], duration: 60)))
            .JsonAsync(HttpStatusCode.OK);
        var alice = await App.RegisterClientAsync(b.Biz, "Alice", "Any");
        var bob = await App.RegisterClientAsync(b.Biz, "Bob", "Other");
        var day = Day(3);
        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = bob.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(day, 10), petId = (Guid?)null, note = "" })).JsonAsync(HttpStatusCode.Created);

        // Dr Alpha (first by name) holds 10:00: "Any diary" books Dr Beta, and a repeat of the post books nothing more.
        var form = await b.Biz.Owner.PageAsync($"/staff/diary/book?date={Iso(day)}");
        Assert.Equal("", form.One("#Input_DiaryId option[selected]")?.GetAttribute("value") ?? form.One("#Input_DiaryId option")!.GetAttribute("value"));
        var fields = BookFields(alice.Id, b.ServiceId, null, day, "10:00");
        var booked = await b.Biz.Owner.SubmitAsync(form, fields, "#book-form");
        var repeat = await b.Biz.Owner.SubmitAsync(form, fields, "#book-form");

        Assert.True(booked.Status == HttpStatusCode.Redirect, booked.Text);
        Assert.Equal(HttpStatusCode.Redirect, repeat.Status);
        var alices = (await AppointmentsAsync(b.Biz, day)).Where(a => a.GetProperty("client").GetProperty("id").GetGuid() == alice.Id).ToList();
        Assert.Equal(beta, Assert.Single(alices).GetProperty("diaryId").GetGuid());
        var diary = await b.Biz.Owner.PageAsync(booked.Response.Headers.Location!.OriginalString);
        Assert.Equal("Booked Alice Any for Consultation at 10:00 AM with Dr Beta.", diary.One("p.notice[role=status]")?.TextContent.Trim());

        // 23:00–24:00 runs past Dr Alpha's hours (to 23:30) and is outside Dr Beta's (9–5): no diary a client could book
        // then, so none is chosen for staff; the free times of any diary are listed instead.
        var late = await b.Biz.Owner.PageAsync($"/staff/diary/book?date={Iso(day)}");
        var none = await b.Biz.Owner.SubmitAsync(late, BookFields(alice.Id, b.ServiceId, null, day, "23:00"), "#book-form");
        Assert.Equal(HttpStatusCode.OK, none.Status);
        Assert.Equal($"No diary offering Consultation is free at 11:00 PM on {Long(day)}. Choose a diary (a time outside its hours is asked about first), or pick one of the free times below.",
            none.One("#diary-error")?.TextContent.Trim());
        Assert.NotNull(none.One("#free-times"));
        Assert.Single(await AppointmentsAsync(b.Biz, day), a => a.GetProperty("client").GetProperty("id").GetGuid() == alice.Id);

        // No service chosen with "Any diary": the service is asked for, not a diary.
        var noService = await b.Biz.Owner.SubmitAsync(late, PortalHtml.Fields(("Input.ClientId", alice.Id.ToString()), ("Input.DiaryId", ""),
            ("Input.Date", Iso(day)), ("Input.Time", "12:00")), "#book-form");
        Assert.Contains("Choose a service.", noService.One("#service-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("", noService.One("#diary-error")?.TextContent.Trim() ?? "");
    }

    [Fact]
    public async Task The_admin_booking_route_given_any_as_an_id_field_names_the_field_and_asks_for_an_id()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz, "Alice");

        // diaryId takes "any" since decision 333 (StaffAnyDiaryTests); another id field still asks for an id.
        var refused = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = "any", serviceId = b.ServiceId, diaryId = "any", start = At(Day(3), 10) })).JsonAsync(HttpStatusCode.BadRequest);

        var errors = refused.GetProperty("errors");
        Assert.Equal(["clientId"], errors.EnumerateObject().Select(e => e.Name));
        Assert.StartsWith("Give an id (a UUID", errors.GetProperty("clientId")[0].GetString(), StringComparison.Ordinal);
    }
}
