using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.IntegrationTests.Setup;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Staff → New appointment asks before booking a time a client could not book (outside the diary's working hours, over
/// busy time, with a diary that does not offer the service), says why, and books once staff confirm that very booking;
/// an ordinary time books at once. <c>POST /api/v1/admin/appointments/check</c> answers the same question; the booking
/// route itself still books at once.
/// </summary>
public sealed class StaffBookConfirmTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    /// <summary>A business whose one diary works 09:00–17:00 every day, one 60-minute service there, and a client.</summary>
    private async Task<(TestBusiness Biz, Guid Diary, Guid Service, PortalClient Alice)> NineToFiveAsync()
    {
        var biz = await App.SignUpBusinessAsync("confirm");
        await biz.RulesAsync(interval: 15, notice: 0, horizon: 60);
        var diary = await biz.DiaryAsync("Dr Alpha");
        await biz.RosterEveryDayAsync(diary, "09:00", "17:00");
        var service = await biz.ServiceAsync("Consultation", 60, 0, [diary]);
        var alice = await App.RegisterClientAsync(biz);
        return (biz, diary, service, alice);
    }

    private static async Task<HtmlPage> BookAsync(TestBusiness biz, Guid client, Guid service, Guid diary, string date, string time, string? confirmedFor = null)
    {
        var form = await biz.Owner.PageAsync($"/staff/diary/book?date={date}");
        var fields = PortalHtml.Fields(("Input.ClientId", client.ToString()), ("Input.ServiceId", service.ToString()), ("Input.DiaryId", diary.ToString()),
            ("Input.Date", date), ("Input.Time", time));
        if (confirmedFor is not null)
        {
            fields["Input.ConfirmedFor"] = confirmedFor;
        }

        return await biz.Owner.SubmitAsync(form, fields, "#book-form");
    }

    private static async Task<List<JsonElement>> AppointmentsAsync(TestBusiness biz, string date) =>
        [.. (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={date}&to={date}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("appointments").EnumerateArray()];

    [Fact]
    public async Task A_time_outside_working_hours_is_asked_about_in_plain_words_and_booked_only_once_confirmed()
    {
        var (biz, diary, service, alice) = await NineToFiveAsync();
        var date = Iso(Day(3));

        var asked = await BookAsync(biz, alice.Id, service, diary, date, "18:00");

        Assert.Equal(HttpStatusCode.OK, asked.Status);
        var box = asked.One("#confirm-booking");
        Assert.True(box is not null, "No confirm step:\n" + asked.Text);
        Assert.Contains("Not booked yet", box.TextContent, StringComparison.Ordinal);
        Assert.Contains("6:00–7:00 PM is outside Dr Alpha's working hours on", box.TextContent, StringComparison.Ordinal);
        Assert.Contains("(9:00 AM–5:00 PM)", box.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("Check this booking", asked.One("title")!.TextContent, StringComparison.Ordinal);
        Assert.Null(asked.One("#error-summary")); // a question, not an error
        Assert.Empty(await AppointmentsAsync(biz, date));
        var confirm = asked.One("#book-anyway")!;
        Assert.Equal("book-form", confirm.GetAttribute("form"));
        var key = confirm.GetAttribute("value")!;

        // The confirmation is for that booking only: another time is asked about again.
        var other = await BookAsync(biz, alice.Id, service, diary, date, "19:00", key);
        Assert.NotNull(other.One("#confirm-booking"));
        Assert.Empty(await AppointmentsAsync(biz, date));

        var booked = await BookAsync(biz, alice.Id, service, diary, date, "18:00", key);

        Assert.Equal(HttpStatusCode.Redirect, booked.Status);
        var appointment = Assert.Single(await AppointmentsAsync(biz, date));
        Assert.Equal(18, appointment.GetProperty("start").GetDateTimeOffset().Hour);
        Assert.Equal(["outside-hours"], appointment.GetProperty("clashes").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task A_time_inside_working_hours_books_at_once()
    {
        var (biz, diary, service, alice) = await NineToFiveAsync();
        var date = Iso(Day(3));

        var booked = await BookAsync(biz, alice.Id, service, diary, date, "10:00");

        Assert.Equal(HttpStatusCode.Redirect, booked.Status);
        Assert.Single(await AppointmentsAsync(biz, date));
    }

    [Fact]
    public async Task Busy_time_and_a_diary_that_does_not_offer_the_service_are_asked_about_too()
    {
        var (biz, diary, service, alice) = await NineToFiveAsync();
        var day = Day(4);
        var date = Iso(day);
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/busy-blocks", new { diaryId = diary, start = At(day, 12), end = At(day, 13), note = "Lunch" }))
            .JsonAsync(HttpStatusCode.Created);
        var beta = await biz.DiaryAsync("Dr Beta"); // no roster: works all day, but Consultation is not on it

        var busy = await BookAsync(biz, alice.Id, service, diary, date, "12:30");
        var notOffered = await BookAsync(biz, alice.Id, service, beta, date, "10:00");

        Assert.Contains("It overlaps busy time in Dr Alpha's diary: 12:00–1:00 PM (Lunch).", busy.One("#confirm-booking")?.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("working hours", busy.One("#confirm-booking")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Dr Beta doesn't offer Consultation", notOffered.One("#confirm-booking")?.TextContent, StringComparison.Ordinal);
        Assert.Empty(await AppointmentsAsync(biz, date));

        var confirmed = await BookAsync(biz, alice.Id, service, diary, date, "12:30", busy.One("#book-anyway")!.GetAttribute("value"));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.Status);
        Assert.Single(await AppointmentsAsync(biz, date));
    }

    [Fact]
    public async Task A_time_another_appointment_holds_is_refused_at_once_rather_than_asked_about()
    {
        var (biz, diary, service, alice) = await NineToFiveAsync();
        var bob = await App.RegisterClientAsync(biz, "Bob", "Other");
        var day = Day(5);
        var date = Iso(day);
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = bob.Id, serviceId = service, diaryId = diary, start = At(day, 18), petId = (Guid?)null, note = "" })).JsonAsync(HttpStatusCode.Created);

        var refused = await BookAsync(biz, alice.Id, service, diary, date, "18:30");

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Null(refused.One("#confirm-booking"));
        Assert.Contains("Bob Other's Consultation 6:00 PM–7:00 PM holds that time.", refused.One("#error-summary")?.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("no longer", refused.One("#error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Single(await AppointmentsAsync(biz, date));
    }

    [Fact]
    public async Task The_check_route_names_the_concerns_and_the_booking_route_still_books_at_once()
    {
        var (biz, diary, service, alice) = await NineToFiveAsync();
        var day = Day(6);
        var body = new { clientId = alice.Id, serviceId = service, diaryId = diary, start = At(day, 20), petId = (Guid?)null, note = "" };

        var check = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments/check", body)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["outside-hours"], check.GetProperty("concerns").EnumerateArray().Select(c => c.GetString()));
        var hours = Assert.Single(check.GetProperty("workingHours").EnumerateArray());
        Assert.Equal(9, hours.GetProperty("start").GetDateTimeOffset().Hour);
        Assert.Equal(17, hours.GetProperty("end").GetDateTimeOffset().Hour);
        Assert.False(check.GetProperty("taken").GetBoolean());
        var inHours = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments/check", body with { start = At(day, 10) })).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(inHours.GetProperty("concerns").EnumerateArray());
        Assert.Empty(await AppointmentsAsync(biz, Iso(day))); // asking books nothing

        // API.md's route is unchanged: staff book outside hours at once.
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments", body)).JsonAsync(HttpStatusCode.Created);
        Assert.True((await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments/check", body)).JsonAsync(HttpStatusCode.OK)).GetProperty("taken").GetBoolean());

        // Another business's diary is no diary; a missing field is named; a practitioner may not ask.
        var other = await App.SignUpBusinessAsync("confirm");
        var theirs = await other.DiaryAsync("Their diary");
        var foreign = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments/check", body with { diaryId = theirs })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["diaryId"], foreign.ErrorFields());
        var missing = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments/check", new { serviceId = service, diaryId = diary })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["start"], missing.ErrorFields());
        var practitioner = await App.SignInPractitionerAsync(biz);
        Assert.Equal("forbidden", await (await practitioner.PostAsJsonAsync("/api/v1/admin/appointments/check", body)).KindAsync(HttpStatusCode.Forbidden));
    }
}
