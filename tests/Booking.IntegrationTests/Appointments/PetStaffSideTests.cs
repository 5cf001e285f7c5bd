using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Booking.IntegrationTests.PortalPages;
using Booking.PortalAuth.Domain;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// A pet groomer's staff side (decision 338): a merge's overlap warning tells two pets at once from one pet booked twice;
/// a staff booking names the pet (the only one chosen, several asked for); the pet's notes reach the appointment page.
/// </summary>
public sealed class PetStaffSideTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    private sealed record Groomer(TestBusiness Biz, Guid Grace, Guid Tom, Guid Groom);

    private async Task<Groomer> GroomerAsync()
    {
        var biz = await App.SignUpBusinessAsync("paws");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var grace = await biz.DiaryAsync("Grace");
        var tom = await biz.DiaryAsync("Tom");
        await biz.RosterEveryDayAsync(grace, "00:00", "23:30");
        await biz.RosterEveryDayAsync(tom, "00:00", "23:30");
        var groom = await biz.ServiceAsync("Full groom", 60, 0, [grace, tom]);
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        PortalAuthApp.Rules[biz.Id] = PortalRules.Default with { BooksForPets = true };
        return new Groomer(biz, grace, tom, groom);
    }

    private static async Task<Guid> ClientAsync(TestBusiness biz, string first, string last, bool withMobile = false) =>
        (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients", new
        {
            firstName = first, lastName = last, email = withMobile ? null : $"c-{Guid.NewGuid():N}@client.example", mobile = withMobile ? MobileIn(biz.CountryCode) : null,
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<Guid> PetAsync(TestBusiness biz, Guid client, string name, string? notes = null) =>
        (await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/clients/{client}/pets", new { name, species = "dog", notes })).JsonAsync(HttpStatusCode.Created))
        .GetProperty("id").GetGuid();

    private static async Task<Guid> BookAsync(TestBusiness biz, Guid client, Guid service, Guid diary, string start, Guid? petId) =>
        (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments", new { clientId = client, serviceId = service, diaryId = diary, start, petId }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    [Fact]
    public async Task A_merge_lists_the_same_pet_twice_at_once_naming_the_pets_and_not_two_pets_at_once()
    {
        var g = await GroomerAsync();
        var keep = await ClientAsync(g.Biz, "Pat", "Owner");
        var away = await ClientAsync(g.Biz, "Pat", "Owner", withMobile: true);
        var rex = await PetAsync(g.Biz, keep, "Rex");
        var rexAgain = await PetAsync(g.Biz, away, "rex");
        var milo = await PetAsync(g.Biz, away, "Milo");
        // Rex with Grace and Milo with Tom at once: a groomer's normal day.
        await BookAsync(g.Biz, keep, g.Groom, g.Grace, At(Day(2), 10), rex);
        await BookAsync(g.Biz, away, g.Groom, g.Tom, At(Day(2), 10), milo);
        // Rex on file twice (Rex and rex), booked once on each record: the double a merge makes.
        var mine = await BookAsync(g.Biz, keep, g.Groom, g.Grace, At(Day(3), 10), rex);
        var theirs = await BookAsync(g.Biz, away, g.Groom, g.Tom, At(Day(3), 10), rexAgain);

        var hint = Assert.Single((await (await g.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{keep}/duplicates", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray());
        var pair = Assert.Single(hint.GetProperty("overlappingAppointments").EnumerateArray());
        Assert.Equal((mine, theirs), (pair.GetProperty("mine").GetProperty("appointmentId").GetGuid(), pair.GetProperty("theirs").GetProperty("appointmentId").GetGuid()));
        Assert.Equal("Rex", pair.GetProperty("mine").GetProperty("pet").GetProperty("name").GetString());
        Assert.Equal("rex", pair.GetProperty("theirs").GetProperty("pet").GetProperty("name").GetString());

        var page = await g.Biz.Owner.PageAsync($"/staff/clients/{keep}/merge?with={away}");
        var links = page.All("#merge-overlap-list a").ToList();
        Assert.Equal([$"/staff/diary/appointments/{mine}", $"/staff/diary/appointments/{theirs}"], links.Select(a => a.GetAttribute("href")).ToList());
        Assert.EndsWith(" for Rex", links[0].TextContent.Trim(), StringComparison.Ordinal);
        Assert.EndsWith(" for rex", links[1].TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_staff_booking_chooses_the_only_pet_and_asks_which_of_several_and_books_a_client_with_none_without()
    {
        var g = await GroomerAsync();
        var bo = await ClientAsync(g.Biz, "Bo", "Staff");
        var fido = await PetAsync(g.Biz, bo, "Fido");
        var kim = await ClientAsync(g.Biz, "Kim", "Lee");
        await PetAsync(g.Biz, kim, "Luna");
        await PetAsync(g.Biz, kim, "Max");
        var ann = await ClientAsync(g.Biz, "Ann", "Nopets");

        var form = await g.Biz.Owner.PageAsync($"/staff/diary/book?client={bo}");
        Assert.Equal(fido.ToString(), form.One("select[name='Input.PetId'] option[selected]")?.GetAttribute("value"));
        Assert.Equal("Pet", form.One("label[for='Input_PetId']")?.TextContent.Trim());

        // The page asks which pet, on the field (the API still books a visit for no pet: an owner's own, decision 338).
        var kimForm = await g.Biz.Owner.PageAsync($"/staff/diary/book?client={kim}");
        Assert.DoesNotContain(kimForm.All("select[name='Input.PetId'] option[selected]"), o => o.GetAttribute("value") != "");
        var asked = await g.Biz.Owner.SubmitAsync(kimForm, PortalHtml.Fields(("Input.ClientId", kim.ToString()),
            ("Input.ServiceId", g.Groom.ToString()), ("Input.DiaryId", g.Grace.ToString()), ("Input.PetId", ""), ("Input.Date", Iso(Day(2))), ("Input.Time", "10:00")), "#book-form");
        Assert.Equal("Choose which pet.", asked.One("#pet-error")?.TextContent.Trim());

        await BookAsync(g.Biz, ann, g.Groom, g.Grace, At(Day(2), 10), null);
    }

    [Fact]
    public async Task The_appointment_page_names_the_pet_in_its_heading_and_shows_its_notes()
    {
        var g = await GroomerAsync();
        var kim = await ClientAsync(g.Biz, "Kim", "Lee");
        var luna = await PetAsync(g.Biz, kim, "Luna", "Bites when nervous");
        var id = await BookAsync(g.Biz, kim, g.Groom, g.Grace, At(Day(2), 10), luna);

        var page = await g.Biz.Owner.PageAsync($"/staff/diary/appointments/{id}");
        Assert.Equal("Kim Lee (Luna) · Full groom", page.One("h1")?.TextContent.Trim());
        Assert.Equal("Bites when nervous", page.One("#appointment-pet-notes")?.TextContent.Trim());
    }
}
