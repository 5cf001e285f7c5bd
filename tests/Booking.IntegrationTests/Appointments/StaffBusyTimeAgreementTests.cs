using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// Decision 347: staff have three ways to ask whether a diary is free at a time, and they must give one answer: the staff
/// free times (<c>GET /api/v1/admin/availability</c>), the check (<c>POST …/appointments/check</c>: no <c>busy-time</c>
/// concern and not <c>taken</c>) and "any" (<c>POST …/appointments</c> with <c>"diaryId": "any"</c>, decision 341 (4):
/// "any" = the check). The rule: a busy block counts only where the appointment itself is (the buffer after it is the
/// business's own padding, which may run into the diary's own busy time); another appointment counts with both buffers
/// (the exclusion constraint's rule). Before, the free times left out a start whose buffer met a busy block. Each case
/// is on a day of its own: a 60-minute service with 30 minutes' buffer asked for at 10:00 (so 10:00–11:00, its buffer
/// to 11:30) in Dr Alpha's diary (working 08:00–17:00, the only diary offering it), beside one busy block or appointment.
/// </summary>
public sealed class StaffBusyTimeAgreementTests(SharedApp shared, ITestOutputHelper output) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    /// <summary>What is in the diary that day (a busy block, or another client's appointment of the service), from–to; whether 10:00 is free.</summary>
    public sealed record Case(string Name, bool Block, (int H, int M) From, (int H, int M) To, bool Free);

    private static readonly Case[] Cases =
    [
        new("block inside the appointment", true, (10, 30), (10, 45), false),
        new("block over its start", true, (9, 30), (10, 15), false),
        new("block over its last minute", true, (10, 59), (11, 0), false),
        new("block ending as it starts", true, (9, 0), (10, 0), true),
        new("block starting as it ends, in its buffer", true, (11, 0), (11, 15), true),
        new("block over the end of its buffer", true, (11, 20), (11, 45), true),
        new("block after its buffer", true, (11, 30), (12, 0), true),
        new("appointment starting in its buffer", false, (11, 0), (12, 0), false),
        new("appointment starting as its buffer ends", false, (11, 30), (12, 30), true),
        new("appointment whose buffer reaches its start", false, (9, 0), (10, 0), false),
        new("appointment whose buffer ends as it starts", false, (8, 30), (9, 30), true),
    ];

    [Fact]
    public async Task The_free_times_the_check_and_any_agree_on_every_case()
    {
        var biz = await App.SignUpBusinessAsync("busyagree");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var alpha = await biz.DiaryAsync("Dr Alpha");
        await biz.RosterEveryDayAsync(alpha, "08:00", "17:00");
        var service = await biz.ServiceAsync("Consultation", 60, 30, [alpha]);
        var client = await App.RegisterClientAsync(biz, "Alice");
        var other = await App.RegisterClientAsync(biz, "Bob");

        List<string> wrong = [];
        for (var i = 0; i < Cases.Length; i++)
        {
            var c = Cases[i];
            var day = Day(3 + i);
            var (from, to) = (At(day, c.From.H, c.From.M), At(day, c.To.H, c.To.M));
            if (c.Block)
            {
                await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/busy-blocks", new { diaryId = alpha, start = from, end = to, note = "Own time" }))
                    .JsonAsync(HttpStatusCode.Created);
            }
            else
            {
                await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments", new { clientId = other.Id, serviceId = service, diaryId = alpha, start = from, note = "" }))
                    .JsonAsync(HttpStatusCode.Created);
            }

            var start = At(day, 10);
            var at = DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture);

            // The staff free times, of the diary by name and of any.
            async Task<bool> ListedAsync(string diary)
            {
                var slots = (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/availability?service={service}&diary={diary}&from={Iso(day)}&to={Iso(day)}", UriKind.Relative)))
                    .JsonAsync(HttpStatusCode.OK)).GetProperty("slots");
                return slots.EnumerateArray().Any(s => s.GetProperty("start").GetDateTimeOffset() == at);
            }

            var listed = await ListedAsync(alpha.ToString());
            var listedAny = await ListedAsync("any");

            // The check of the diary by name: nothing about busy time, not taken.
            var check = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments/check",
                new { clientId = client.Id, serviceId = service, diaryId = alpha, start })).JsonAsync(HttpStatusCode.OK);
            var checkFree = !check.GetProperty("concerns").EnumerateArray().Any(x => x.GetString() == "busy-time") && !check.GetProperty("taken").GetBoolean();

            // "any": booked with Dr Alpha (then cancelled, out of the way), or 409 no-free-diary.
            var booking = await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
                new { clientId = client.Id, serviceId = service, diaryId = "any", start, petId = (Guid?)null, note = "" });
            bool anyFree;
            if (booking.StatusCode == HttpStatusCode.Created)
            {
                anyFree = true;
                var made = (await booking.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
                await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{made}/cancel", new { reason = "" })).JsonAsync(HttpStatusCode.OK);
            }
            else
            {
                Assert.Equal("no-free-diary", (await booking.JsonAsync(HttpStatusCode.Conflict)).GetProperty("reason").GetString());
                anyFree = false;
            }

            output.WriteLine($"{c.Name}: free times {listed} (any {listedAny}), check {checkFree}, any {anyFree} (expected {c.Free})");
            if (listed != c.Free || listedAny != c.Free || checkFree != c.Free || anyFree != c.Free)
            {
                wrong.Add($"{c.Name}: free times {listed} (any {listedAny}), check {checkFree}, any {anyFree}, expected {c.Free}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
