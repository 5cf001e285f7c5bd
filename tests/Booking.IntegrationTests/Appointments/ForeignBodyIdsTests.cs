using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// An id in a body that belongs to another business is answered exactly as an id that exists nowhere (API.md: "another
/// tenant's … id … answered alike"): same status, kind, field and words, so the answer says nothing of the other
/// business. Route ids are checked elsewhere; these are the ids a booking, a busy block, a service and a team member
/// carry in their bodies, and the ids the availability and the staff diary take in their query (a malformed one too).
/// </summary>
public sealed class ForeignBodyIdsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task A_portal_booking_with_another_businesss_service_diary_or_pet_is_answered_as_a_missing_one()
    {
        var (a, b, alice, _, bobsPet) = await TwoBusinessesAsync();
        await a.Biz.SettingsAsync(s => s["booksForPets"] = false);
        var start = At(Day(4), 10);

        object Body(Guid serviceId, Guid diaryId, Guid? petId) =>
            new { serviceId, diaryId, start, petId, acceptedTermsVersion = (int?)null, note = (string?)null };

        await AssertAlikeAsync(
            () => alice.Http.BookAsync(a, Body(b.ServiceId, a.DiaryId, null)),
            () => alice.Http.BookAsync(a, Body(Guid.NewGuid(), a.DiaryId, null)));
        await AssertAlikeAsync(
            () => alice.Http.BookAsync(a, Body(a.ServiceId, b.DiaryId, null)),
            () => alice.Http.BookAsync(a, Body(a.ServiceId, Guid.NewGuid(), null)));
        await AssertAlikeAsync(
            () => alice.Http.BookAsync(a, Body(a.ServiceId, a.DiaryId, bobsPet)),
            () => alice.Http.BookAsync(a, Body(a.ServiceId, a.DiaryId, Guid.NewGuid())));
    }

    [Fact]
    public async Task Staff_bodies_naming_another_businesss_client_service_diary_or_pet_are_answered_as_missing_ones()
    {
        var (a, b, alice, bob, bobsPet) = await TwoBusinessesAsync();
        var start = At(Day(5), 9);
        var owner = a.Biz.Owner;

        Task<HttpResponseMessage> Book(Guid clientId, Guid serviceId, Guid diaryId, Guid? petId) =>
            owner.PostAsJsonAsync("/api/v1/admin/appointments", new { clientId, serviceId, diaryId, start, petId, note = "" });

        await AssertAlikeAsync(() => Book(bob, a.ServiceId, a.DiaryId, null), () => Book(Guid.NewGuid(), a.ServiceId, a.DiaryId, null));
        await AssertAlikeAsync(() => Book(alice.Id, b.ServiceId, a.DiaryId, null), () => Book(alice.Id, Guid.NewGuid(), a.DiaryId, null));
        await AssertAlikeAsync(() => Book(alice.Id, a.ServiceId, b.DiaryId, null), () => Book(alice.Id, a.ServiceId, Guid.NewGuid(), null));
        await AssertAlikeAsync(() => Book(alice.Id, a.ServiceId, a.DiaryId, bobsPet), () => Book(alice.Id, a.ServiceId, a.DiaryId, Guid.NewGuid()));

        Task<HttpResponseMessage> Busy(Guid diaryId) =>
            owner.PostAsJsonAsync("/api/v1/admin/busy-blocks", new { diaryId, start, end = At(Day(5), 10), note = "x" });
        await AssertAlikeAsync(() => Busy(b.DiaryId), () => Busy(Guid.NewGuid()));

        Task<HttpResponseMessage> Service(Guid diaryId) => owner.PostAsJsonAsync("/api/v1/admin/services", new
        {
            name = "Walk",
            description = "",
            durationMinutes = 30,
            bufferAfterMinutes = 0,
            price = new { amount = "10.00", currency = "AUD" },
            bookableOnline = true,
            diaryIds = new[] { diaryId },
        });
        await AssertAlikeAsync(() => Service(b.DiaryId), () => Service(Guid.NewGuid()));

        Task<HttpResponseMessage> Member(Guid diaryId) => owner.PostAsJsonAsync("/api/v1/admin/staff", new
        {
            name = "Pat",
            email = $"pat-{Guid.NewGuid():N}@test.example",
            password = "a long practitioner password 2026",
            role = "practitioner",
            diaryIds = new[] { diaryId },
        });
        await AssertAlikeAsync(() => Member(b.DiaryId), () => Member(Guid.NewGuid()));

        var diary = await (await owner.GetAsync(new Uri($"/api/v1/admin/diary?from={Day(5):yyyy-MM-dd}&to={Day(5):yyyy-MM-dd}", UriKind.Relative))).JsonAsync(System.Net.HttpStatusCode.OK);
        Assert.Empty(diary.GetProperty("appointments").EnumerateArray());
        Assert.Empty(diary.GetProperty("busyBlocks").EnumerateArray());
    }

    [Fact]
    public async Task An_id_in_the_query_that_is_not_an_id_is_answered_as_one_that_does_not_exist()
    {
        var (a, b, _, _, _) = await TwoBusinessesAsync();
        var anon = App.NewClient();
        var day = Day(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        Task<HttpResponseMessage> Slots(string service, string diary) =>
            anon.GetAsync(new Uri($"/api/v1/portal/availability?name={a.Biz.Slug}&service={service}&diary={diary}&from={day}&to={day}", UriKind.Relative));
        foreach (var malformed in new[] { "zzz", "1", "%20x" })
        {
            await AssertAlikeAsync(() => Slots(malformed, "any"), () => Slots(Guid.NewGuid().ToString(), "any"));
            await AssertAlikeAsync(() => Slots(a.ServiceId.ToString(), malformed), () => Slots(a.ServiceId.ToString(), Guid.NewGuid().ToString()));
            await AssertAlikeAsync(() => Slots(a.ServiceId.ToString(), malformed), () => Slots(a.ServiceId.ToString(), b.DiaryId.ToString()));

            Task<HttpResponseMessage> Diary(string diaryId) =>
                a.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={day}&to={day}&diaryId={diaryId}", UriKind.Relative));
            await AssertAlikeAsync(() => Diary(malformed), () => Diary(Guid.NewGuid().ToString()));
            await AssertAlikeAsync(() => Diary(malformed), () => Diary(b.DiaryId.ToString()));
        }

        Assert.Equal("not-found", await (await Slots("zzz", "any")).KindAsync(System.Net.HttpStatusCode.NotFound));
        await (await Slots(a.ServiceId.ToString(), "any")).JsonAsync(System.Net.HttpStatusCode.OK);
        await (await Slots(a.ServiceId.ToString(), a.DiaryId.ToString())).JsonAsync(System.Net.HttpStatusCode.OK);
    }

    private async Task<(Bookable A, Bookable B, PortalClient Alice, Guid Bob, Guid BobsPet)> TwoBusinessesAsync()
    {
        var a = await App.BookableAsync();
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(a.Biz);
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        var pet = Guid.NewGuid();
        await Sql.AdminExecAsync(App.Database.Database, """
            INSERT INTO portalauth.pets (tenant_id, id, client_id, name, species) VALUES (@t, @id, @c, 'Tom', 'cat')
            """, ("t", b.Biz.Id), ("id", pet), ("c", bob.Id));
        return (a, b, alice, bob.Id, pet);
    }

    /// <summary>Both refused, with the same status and the same problem apart from its trace id.</summary>
    private static async Task AssertAlikeAsync(Func<Task<HttpResponseMessage>> foreign, Func<Task<HttpResponseMessage>> missing)
    {
        var (foreignStatus, foreignBody) = await ReadAsync(await foreign());
        var (missingStatus, missingBody) = await ReadAsync(await missing());
        Assert.True((int)foreignStatus >= 400, $"another business's id was taken: {(int)foreignStatus} {foreignBody}");
        Assert.Equal(missingStatus, foreignStatus);
        Assert.Equal(missingBody, foreignBody);
    }

    private static async Task<(System.Net.HttpStatusCode Status, string Body)> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(text)!.AsObject();
        json.Remove("traceId");
        json.Remove("instance");
        return (response.StatusCode, json.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }
}
