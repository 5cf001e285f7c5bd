using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Booking.Appointments.Features.Scheduling;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// Decision 292: where decision 280 left a room's or equipment's diary named as a person. A resource that stopped
/// offering the service is "no longer available for" it on the confirm page ("Anna does not offer…" stays a person's),
/// and the API's refusal names it; Change time says "Consultation — Grooming table 2" and labels its choice for the kinds
/// on offer ("With or where", "Any available") rather than "With" and "Anyone available".
/// </summary>
public sealed class ResourceDiaryWordsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Table = "Grooming table 2";

    [Fact]
    public async Task A_resource_that_stopped_offering_the_service_is_worded_as_a_thing_on_the_pages_and_in_the_api()
    {
        var b = await shared.App.BookableAsync();
        var table = (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = Table, kind = "resource", active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await b.Biz.RosterEveryDayAsync(table, "00:00", "23:30");
        await PutDiariesAsync(b, b.DiaryId, table);
        var alice = await shared.App.RegisterClientAsync(b.Biz);
        var starts = (await alice.Http.SlotsAsync(b, SchedulingApi.Day(3), SchedulingApi.Day(3), diary: table.ToString())).Starts();
        var id = (await (await alice.BookAsync(b, Iso(starts[2]), diaryId: table)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // Change time: the appointment and the choice read for a room or equipment.
        var move = await alice.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}");
        Assert.Equal(HttpStatusCode.OK, move.Status);
        var current = move.One("#current")!.TextContent;
        Assert.Contains($"Your appointment: Consultation — {Table}", current, StringComparison.Ordinal);
        Assert.DoesNotContain($"with {Table}", current, StringComparison.Ordinal);
        Assert.Equal("With or where", move.One("label[for=diary]")?.TextContent.Trim());
        Assert.Equal("Any available", move.One("#diary option[value=any]")?.TextContent.Trim());

        // The service is taken off the table: the confirm page and the API say so as of a thing.
        await PutDiariesAsync(b, b.DiaryId);
        var gone = await alice.Http.PageAsync(ConfirmUrl(b, table, starts[4]));
        Assert.Equal($"{Table} is no longer available for Consultation online, so this time can't be booked there. Nothing has been booked.",
            gone.One("#diary-gone")?.TextContent.Trim());
        // Only a person offers it now: "anyone available" is true again.
        Assert.Equal("Choose a time with anyone available", gone.One("#choose-anyone")?.TextContent.Trim());

        var refused = await (await alice.BookAsync(b, Iso(starts[4]), diaryId: table)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(BookingDesk.ResourceNotOffering(Table), refused.GetProperty("detail").GetString());
        Assert.StartsWith($"{Table} isn't available for this service online.", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_way_on_from_a_gone_diary_promises_no_person_while_a_resource_still_offers_the_service()
    {
        var b = await shared.App.BookableAsync();
        var beta = await b.Biz.DiaryAsync("Dr Beta");
        var table = (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = Table, kind = "resource", active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await b.Biz.RosterEveryDayAsync(beta, "00:00", "23:30");
        await b.Biz.RosterEveryDayAsync(table, "00:00", "23:30");
        await PutDiariesAsync(b, b.DiaryId, beta, table);
        var alice = await shared.App.RegisterClientAsync(b.Biz);
        var start = (await alice.Http.SlotsAsync(b, SchedulingApi.Day(3), SchedulingApi.Day(3), diary: beta.ToString())).Starts()[4];

        await PutDiariesAsync(b, b.DiaryId, table); // taken off Dr Beta, a person: the person's words stay
        var gone = await alice.Http.PageAsync(ConfirmUrl(b, beta, start));
        Assert.Equal("Dr Beta does not offer Consultation online, so this time can't be booked with them. Nothing has been booked.",
            gone.One("#diary-gone")?.TextContent.Trim());
        Assert.Equal("See every free time that day", gone.One("#choose-anyone")?.TextContent.Trim());
    }

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string ConfirmUrl(Bookable b, Guid diary, DateTimeOffset start) =>
        $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary={diary}&start={Uri.EscapeDataString(Iso(start))}";

    private static async Task PutDiariesAsync(Bookable b, params Guid[] diaries) =>
        await (await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{b.ServiceId}", Setup.SetupApi.ServiceBody("Consultation", diaries))).JsonAsync(HttpStatusCode.OK);
}
