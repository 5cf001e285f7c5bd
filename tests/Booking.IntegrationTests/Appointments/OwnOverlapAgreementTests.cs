using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Booking.PortalAuth.Domain;
using Xunit.Abstractions;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// A client's own-overlap rule has three forms (decision 338, decision 341): <c>OwnOverlap</c> (the staff check's
/// <c>client-booked</c>), the portal booking's verdict statement and a portal move's statement under the client's lock
/// (the last two share one SQL text now). One table of cases runs through all three paths and they must agree: the
/// client already holds an appointment (with Grace) and the new time is asked for with Tom (a staff check and a portal
/// booking) and by moving another of their appointments there (with Rook).
/// </summary>
public sealed class OwnOverlapAgreementTests(PortalAuthApp fixture, ITestOutputHelper output) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    /// <summary>
    /// One case: the business books for pets or not; the held appointment's pet ("Rex", "Milo" or null) and status at
    /// 10:00–11:00 (its 30-minute buffer to 11:30); the new time for Rex (no pet outside a pet business); the expected verdict.
    /// </summary>
    public sealed record Case(string Name, bool Pets, string? HeldPet, string HeldStatus, int Hour, int Minute, bool Clash);

    private static readonly Case[] Cases =
    [
        new("same pet, overlapping", true, "Rex", "confirmed", 10, 30, true),
        new("another pet, overlapping", true, "Milo", "confirmed", 10, 30, false),
        new("held for no pet, new for a pet", true, null, "confirmed", 10, 30, true),
        new("same start, same pet", true, "Rex", "confirmed", 10, 0, true),
        new("back to back: starts as it ends, inside its buffer", true, "Rex", "confirmed", 11, 0, false),
        new("touching buffers: the new one's buffer reaches its start", true, "Rex", "confirmed", 9, 0, false),
        new("held one cancelled", true, "Rex", "cancelled", 10, 30, false),
        new("held one a booking request", true, "Rex", "requested", 10, 30, true),
        new("held one asked to be cancelled", true, "Rex", "cancellation-requested", 10, 30, true),
        new("no pets, overlapping", false, null, "confirmed", 10, 30, true),
        new("no pets, back to back", false, null, "confirmed", 11, 0, false),
        new("no pets, cancelled", false, null, "cancelled", 10, 30, false),
    ];

    private sealed record Scene(TestBusiness Biz, Guid Grace, Guid Tom, Guid Rook, Guid Service);

    private async Task<Scene> SceneAsync(bool pets)
    {
        var biz = await App.SignUpBusinessAsync(pets ? "paws" : "plain");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var grace = await biz.DiaryAsync("Grace");
        var tom = await biz.DiaryAsync("Tom");
        var rook = await biz.DiaryAsync("Rook");
        foreach (var d in new[] { grace, tom, rook })
        {
            await biz.RosterEveryDayAsync(d, "00:00", "23:30");
        }

        var service = await biz.ServiceAsync("Full groom", 60, 30, [grace, tom, rook]);
        if (pets)
        {
            await biz.SettingsAsync(s => s["booksForPets"] = true);
            PortalAuthApp.Rules[biz.Id] = PortalRules.Default with { BooksForPets = true };
        }

        return new Scene(biz, grace, tom, rook, service);
    }

    private static async Task<Guid> StaffBookAsync(Scene s, Guid client, Guid diary, string start, Guid? petId) =>
        (await (await s.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments", new { clientId = client, serviceId = s.Service, diaryId = diary, start, petId }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<Guid> AddPetAsync(TestBusiness biz, Guid clientId, string name) =>
        (await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/clients/{clientId}/pets", new { name, species = "dog" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();

    [Fact]
    public async Task The_staff_check_the_portal_booking_and_the_portal_move_agree_on_every_case()
    {
        var scenes = new Dictionary<bool, Scene> { [true] = await SceneAsync(true), [false] = await SceneAsync(false) };
        List<string> wrong = [];
        for (var i = 0; i < Cases.Length; i++)
        {
            var c = Cases[i];
            var s = scenes[c.Pets];
            var day = Day(5 + i);
            var client = await App.RegisterClientAsync(s.Biz, "Pat", "Owner" + i);
            Dictionary<string, Guid> pets = c.Pets ? new() { ["Rex"] = await AddPetAsync(s.Biz, client.Id, "Rex"), ["Milo"] = await AddPetAsync(s.Biz, client.Id, "Milo") } : [];
            Guid? rex = c.Pets ? pets["Rex"] : null;

            var held = await StaffBookAsync(s, client.Id, s.Grace, At(day, 10), c.HeldPet is null ? null : pets[c.HeldPet]);
            switch (c.HeldStatus)
            {
                case "cancelled":
                    await (await s.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{held}/cancel", new { reason = "" })).JsonAsync(HttpStatusCode.OK);
                    break;
                case "requested":
                    await Sql.AdminExecAsync(App.Database.Database,
                        "UPDATE appointments.appointments SET status = 'requested', requested_at = now() WHERE tenant_id = @t AND id = @id", ("t", s.Biz.Id), ("id", held));
                    break;
                case "cancellation-requested":
                    await Sql.AdminExecAsync(App.Database.Database,
                        "UPDATE appointments.appointments SET status = 'cancellation-requested', cancellation_requested_at = now() WHERE tenant_id = @t AND id = @id",
                        ("t", s.Biz.Id), ("id", held));
                    break;
            }

            var start = At(day, c.Hour, c.Minute);

            // Staff: the check's concern.
            var check = await (await s.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments/check",
                new { clientId = client.Id, serviceId = s.Service, diaryId = s.Tom, start, petId = rex })).JsonAsync(HttpStatusCode.OK);
            var staffSays = check.GetProperty("concerns").EnumerateArray().Any(x => x.GetString() == "client-booked");

            // Portal booking (with Tom): refused own-appointment-overlap, or booked (then cancelled by staff, out of the way).
            var booking = await client.Http.BookAsync(new Bookable(s.Biz, s.Tom, s.Service),
                new { serviceId = s.Service, diaryId = s.Tom, start, petId = rex, acceptedTermsVersion = (int?)null, note = (string?)null });
            bool bookingSays;
            if (booking.StatusCode == HttpStatusCode.Created)
            {
                bookingSays = false;
                var made = (await booking.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
                await (await s.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{made}/cancel", new { reason = "" })).JsonAsync(HttpStatusCode.OK);
            }
            else
            {
                Assert.Equal("own-appointment-overlap", await booking.KindAsync(HttpStatusCode.Conflict));
                bookingSays = true;
            }

            // Portal move: another of the client's appointments (with Rook, later that day) moved onto the time.
            var mover = await StaffBookAsync(s, client.Id, s.Rook, At(day, 16), rex);
            var move = await client.Http.PostAsJsonAsync($"/api/v1/portal/appointments/{mover}/move?name={s.Biz.Slug}", new { start });
            bool moveSays;
            if (move.StatusCode == HttpStatusCode.OK)
            {
                moveSays = false;
            }
            else
            {
                Assert.Equal("own-appointment-overlap", await move.KindAsync(HttpStatusCode.Conflict));
                moveSays = true;
            }

            output.WriteLine($"{c.Name}: staff {staffSays}, booking {bookingSays}, move {moveSays} (expected {c.Clash})");
            if (staffSays != c.Clash || bookingSays != c.Clash || moveSays != c.Clash)
            {
                wrong.Add($"{c.Name}: staff {staffSays}, booking {bookingSays}, move {moveSays}, expected {c.Clash}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
