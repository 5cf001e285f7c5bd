using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Infrastructure;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// The clash tests' scene (<see cref="RosterClashTests"/>, <see cref="ClashWarningTests"/>): Dr Alpha and Dr Beta work
/// every day 00:00–23:30. On one date: Noah New at 11:00 with Dr Alpha (confirmed), a cancelled appointment with Dr Alpha
/// at <c>cancelledHour</c>, and Dr Beta's 11:00; Dr Alpha also has 11:00 the next day. Only Noah's is Dr Alpha's live
/// appointment on the date. All are Olive Other's but Noah's, all are a 60-minute Massage both diaries offer.
/// </summary>
internal sealed record ClashScene(Bookable B, Guid Second, Guid Noah, Guid Cancelled, Guid OtherDiary, Guid NextDay, LocalDate Day)
{
    public static async Task<ClashScene> CreateAsync(BookingApp app, int cancelledHour)
    {
        var b = await app.BookableAsync();
        var second = await b.Biz.DiaryAsync("Dr Beta");
        await b.Biz.RosterEveryDayAsync(second, "00:00", "23:30");
        var service = await b.Biz.ServiceAsync("Massage", 60, 0, [b.DiaryId, second]);
        var noah = await app.RegisterClientAsync(b.Biz, "Noah", "New");
        var olive = await app.RegisterClientAsync(b.Biz, "Olive", "Other");
        var day = SchedulingApi.Day(6);
        var noahs = await StaffBookAsync(b.Biz, noah.Id, service, b.DiaryId, At(day, 11));
        var cancelled = await StaffBookAsync(b.Biz, olive.Id, service, b.DiaryId, At(day, cancelledHour));
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{cancelled}/cancel", new { reason = "Moved" })).JsonAsync(HttpStatusCode.OK);
        var otherDiary = await StaffBookAsync(b.Biz, olive.Id, service, second, At(day, 11));
        var nextDay = await StaffBookAsync(b.Biz, olive.Id, service, b.DiaryId, At(day.PlusDays(1), 11));
        return new ClashScene(b with { ServiceId = service }, second, noahs, cancelled, otherDiary, nextDay, day);
    }

    /// <summary>The owner books <paramref name="client"/> (no pet, no note); the appointment's id.</summary>
    public static async Task<Guid> StaffBookAsync(TestBusiness biz, Guid client, Guid service, Guid diary, string start) =>
        (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = client, serviceId = service, diaryId = diary, start, petId = (Guid?)null, note = "" })).JsonAsync(HttpStatusCode.Created))
        .GetProperty("id").GetGuid();

    /// <summary>The appointment ids of a save's <c>clashes</c>.</summary>
    public static List<Guid> Ids(JsonElement answer) =>
        answer.GetProperty("clashes").EnumerateArray().Select(c => c.GetProperty("appointmentId").GetGuid()).ToList();

    /// <summary>A save's <c>clashes</c> are Noah's 11:00 alone, with its client, service, status, start and end.</summary>
    public void AssertNoahsClashAlone(JsonElement answer)
    {
        Assert.Equal([Noah], Ids(answer));
        var clash = Assert.Single(answer.GetProperty("clashes").EnumerateArray());
        Assert.Equal("Noah New", clash.GetProperty("clientName").GetString());
        Assert.Equal("Massage", clash.GetProperty("serviceName").GetString());
        Assert.Equal("confirmed", clash.GetProperty("status").GetString());
        Assert.Equal(DateTimeOffset.Parse(At(Day, 11), null), clash.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse(At(Day, 12), null), clash.GetProperty("end").GetDateTimeOffset());
    }

    /// <summary>
    /// Posts the roster page's form for <paramref name="handler"/> (<c>Roster</c>, <c>Exception</c>) with its antiforgery
    /// token and <paramref name="values"/> only.
    /// </summary>
    public static async Task<HttpResponseMessage> PostRosterFormAsync(HttpClient staff, string page, string handler, IEnumerable<KeyValuePair<string, string>> values)
    {
        var document = await new HtmlParser().ParseDocumentAsync(await staff.GetStringAsync(new Uri(page, UriKind.Relative)));
        var form = document.QuerySelectorAll("form").OfType<IHtmlFormElement>().Single(f => f.GetAttribute("action")?.Contains($"handler={handler}", StringComparison.Ordinal) == true);
        var fields = form.QuerySelectorAll("input[type=hidden][name]").Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
            .Where(f => f.Key == "__RequestVerificationToken").Concat(values).ToList();
        return await staff.PostAsync(new Uri(form.GetAttribute("action")!, UriKind.Relative), new FormUrlEncodedContent(fields));
    }
}
