using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// A client's answers never carry another client's name, service, note or appointment id: this walks the JSON of
/// every portal endpoint a signed-in client can call and fails on any foreign value, anywhere in the tree. A client's
/// own answers carry the note they wrote when booking, and never staff's note on an appointment staff booked for them,
/// a busy block's note or a reason staff gave.
/// </summary>
public sealed class ConfidentialityTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task No_portal_answer_to_a_client_carries_anything_of_another_client()
    {
        var b = await App.BookableAsync();
        var secretService = await b.Biz.ServiceAsync("Zebra Secret Therapy", 60, 15, [b.DiaryId]);
        var alice = await App.RegisterClientAsync(b.Biz, "Alice", "Ordinary");
        var bertha = await App.RegisterClientAsync(b.Biz, "Bertha", "Foreignperson");
        var day = Day(4);

        var berthas = new List<Guid>();
        foreach (var hour in new[] { 9, 13 })
        {
            var response = await bertha.Http.BookAsync(b, new { serviceId = secretService, diaryId = "any", start = At(day, hour), note = "BERTHA-PRIVATE-NOTE" });
            berthas.Add((await response.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid());
        }

        var staffMade = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = bertha.Id, serviceId = secretService, diaryId = b.DiaryId, start = At(day, 16), note = "BERTHA-STAFF-NOTE" })).JsonAsync(HttpStatusCode.Created);
        berthas.Add(staffMade.GetProperty("id").GetGuid());
        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/busy-blocks",
            new { diaryId = b.DiaryId, start = At(day, 18), end = At(day, 19), note = "BUSY-BLOCK-NOTE" })).JsonAsync(HttpStatusCode.Created);
        await (await bertha.Http.CancelAsync(b.Biz.Slug, berthas[1], "BERTHA-CANCEL-REASON")).JsonAsync(HttpStatusCode.OK);

        string[] foreign =
        [
            bertha.Id.ToString(), .. berthas.Select(id => id.ToString()), "Bertha", "Foreignperson", "Zebra Secret Therapy",
            "BERTHA-PRIVATE-NOTE", "BERTHA-STAFF-NOTE", "BERTHA-CANCEL-REASON", "BUSY-BLOCK-NOTE", secretService.ToString(),
        ];

        // Alice's own business with the portal, so every endpoint has something of hers to answer with.
        var mineResponse = await alice.BookAsync(b, At(day, 11));
        var mine = (await mineResponse.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var answers = new List<(string What, HttpResponseMessage Response)>
        {
            ("book", await alice.BookAsync(b, At(day, 14), key: "k1")),
            ("book-replay", await alice.BookAsync(b, At(day, 14), key: "k1")),
            ("book-conflict", await alice.BookAsync(b, At(day, 9))),
            ("book-conflict-staff-made", await alice.BookAsync(b, At(day, 16))),
            ("book-busy-block", await alice.BookAsync(b, At(day, 18))),
            ("upcoming", await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}&when=upcoming", UriKind.Relative))),
            ("past", await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}&when=past", UriKind.Relative))),
            ("one", await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{mine}?name={b.Biz.Slug}", UriKind.Relative))),
            ("availability", await alice.Http.GetAsync(new Uri($"/api/v1/portal/availability?name={b.Biz.Slug}&service={b.ServiceId}&from={Iso(day)}&to={Iso(day)}", UriKind.Relative))),
            ("availability-diary", await alice.Http.GetAsync(new Uri($"/api/v1/portal/availability?name={b.Biz.Slug}&service={b.ServiceId}&diary={b.DiaryId}&from={Iso(day)}&to={Iso(day)}", UriKind.Relative))),
            ("cancel", await alice.Http.CancelAsync(b.Biz.Slug, mine)),
        };
        foreach (var id in berthas)
        {
            answers.Add(($"get-foreign {id}", await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={b.Biz.Slug}", UriKind.Relative))));
            answers.Add(($"cancel-foreign {id}", await alice.Http.CancelAsync(b.Biz.Slug, id)));
        }

        await AssertNoneCarriesAsync(answers, foreign);

        // Bertha's own answers: her portal note is hers to see; staff's note on the appointment staff made for her, the
        // busy block's note and the reason staff give are not.
        var staffCancelled = (await (await bertha.BookAsync(b, At(day, 21), note: "BERTHA-OWN-NOTE-2")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{staffCancelled}/cancel", new { reason = "STAFF-CANCEL-REASON" })).JsonAsync(HttpStatusCode.OK);
        var own = new List<(string What, HttpResponseMessage Response)>
        {
            ("own-upcoming", await bertha.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}&when=upcoming", UriKind.Relative))),
            ("own-past", await bertha.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}&when=past", UriKind.Relative))),
        };
        foreach (var id in berthas.Append(staffCancelled))
        {
            own.Add(($"own-one {id}", await bertha.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={b.Biz.Slug}", UriKind.Relative))));
        }

        var ownTexts = await Task.WhenAll(own.Select(a => a.Response.Content.ReadAsStringAsync()));
        Assert.Contains("BERTHA-PRIVATE-NOTE", ownTexts[0], StringComparison.Ordinal);
        Assert.Contains("BERTHA-PRIVATE-NOTE", ownTexts[1], StringComparison.Ordinal); // the one she cancelled
        Assert.Contains("BERTHA-OWN-NOTE-2", ownTexts[1], StringComparison.Ordinal);
        var staffMadeAnswer = JsonDocument.Parse(ownTexts[4]).RootElement; // berthas[2], the one staff booked
        Assert.Equal(berthas[2], staffMadeAnswer.GetProperty("id").GetGuid());
        Assert.Equal(JsonValueKind.Null, staffMadeAnswer.GetProperty("note").ValueKind);
        await AssertNoneCarriesAsync(own, ["BERTHA-STAFF-NOTE", "BUSY-BLOCK-NOTE", "STAFF-CANCEL-REASON", "Alice", "Ordinary", mine.ToString()]);

        // Busy time is only the absence of slots: each slot has its start, end and diaries, nothing else.
        var slots = JsonDocument.Parse(await answers.Single(a => a.What == "availability").Response.Content.ReadAsStringAsync()).RootElement.GetProperty("slots");
        Assert.All(slots.EnumerateArray(), s => Assert.Equal(["start", "end", "diaryIds"], s.EnumerateObject().Select(p => p.Name).ToArray()));
        Assert.Equal("slot-conflict", await answers.Single(a => a.What == "book-busy-block").Response.KindAsync(HttpStatusCode.Conflict));
    }

    /// <summary>Each answer is below 500 and no property name or value in its JSON contains any of <paramref name="foreign"/>.</summary>
    private static async Task AssertNoneCarriesAsync(List<(string What, HttpResponseMessage Response)> answers, string[] foreign)
    {
        foreach (var (what, response) in answers)
        {
            Assert.True((int)response.StatusCode < 500, $"{what}: {(int)response.StatusCode}");
            var text = await response.Content.ReadAsStringAsync();
            var values = new List<string>();
            Walk(JsonDocument.Parse(text).RootElement, values);
            foreach (var value in values)
            {
                var leak = foreign.FirstOrDefault(f => value.Contains(f, StringComparison.OrdinalIgnoreCase));
                Assert.True(leak is null, $"{what} leaked '{leak}' in '{value}'");
            }
        }
    }

    /// <summary>Every property name and every scalar value in the tree.</summary>
    private static void Walk(JsonElement element, List<string> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    values.Add(property.Name);
                    Walk(property.Value, values);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, values);
                }

                break;
            default:
                values.Add(element.ToString());
                break;
        }
    }
}
