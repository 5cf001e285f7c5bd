using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// A client cannot book, through the portal, a time they already have an appointment of their own at (with another
/// practitioner: the exclusion constraint is per diary), unless the two are for different pets. Staff are not refused.
/// </summary>
public sealed class OwnOverlapTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private Guid beta; // the second practitioner (xUnit makes an instance per test)

    /// <summary>A business whose Follow-up is given by two practitioners, each rostered all day.</summary>
    private async Task<Bookable> TwoPractitionersAsync()
    {
        var b = await App.BookableAsync();
        beta = await b.Biz.DiaryAsync("Dr Beta");
        await b.Biz.RosterEveryDayAsync(beta, "00:00", "23:30");
        var followUp = await b.Biz.ServiceAsync("Follow-up", 60, 0, [b.DiaryId, beta]);
        return b with { ServiceId = followUp };
    }

    private Task<long> LiveCountAsync(Bookable b, Guid clientId) =>
        Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM appointments.appointments WHERE tenant_id = @t AND client_id = @c AND status <> 'cancelled'", ("t", b.Biz.Id), ("c", clientId));

    private static Task<HttpResponseMessage> BookAnyAsync(PortalClient client, Bookable b, string start, Guid? petId = null) =>
        client.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = "any", start, petId, acceptedTermsVersion = (int?)null, note = (string?)null });

    /// <summary>"Tuesday 8 December 2026" for a day of <see cref="SchedulingApi.Day"/> (the test business is Australian: day first).</summary>
    private static string Long(LocalDate day) => day.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_second_booking_at_the_same_time_with_anyone_is_refused_naming_the_clients_own_appointment_and_nothing_is_written()
    {
        var b = await TwoPractitionersAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var first = await (await BookAnyAsync(alice, b, At(Day(3), 9))).JsonAsync(HttpStatusCode.Created);

        var problem = await (await BookAnyAsync(alice, b, At(Day(3), 9))).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("own-appointment-overlap", problem.GetProperty("type").GetString()!.Split('/')[^1]);
        // The client's own appointment, named: its service and times as the portal writes them (AU: a 12-hour clock).
        Assert.Equal($"You already have Follow-up on {Long(Day(3))}, 9:00–10:00 AM. Choose another time, or see your appointments.",
            problem.GetProperty("detail").GetString());
        var named = problem.GetProperty("appointment");
        Assert.Equal(first.GetProperty("id").GetGuid(), named.GetProperty("id").GetGuid());
        Assert.Equal("Follow-up", named.GetProperty("service").GetProperty("name").GetString());
        Assert.Equal(b.ServiceId, named.GetProperty("service").GetProperty("id").GetGuid());
        Assert.Equal(At(Day(3), 9), named.GetProperty("start").GetString());
        Assert.Equal(At(Day(3), 10), named.GetProperty("end").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, named.GetProperty("pet").ValueKind); // for no pet: none named

        // Half an hour later still overlaps the hour; right after it ends does not. Across noon each time keeps its half.
        Assert.Equal("own-appointment-overlap", await (await BookAnyAsync(alice, b, At(Day(3), 9, 30))).KindAsync(HttpStatusCode.Conflict));
        await (await BookAnyAsync(alice, b, At(Day(4), 11, 30))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal($"You already have Follow-up on {Long(Day(4))}, 11:30 AM–12:30 PM. Choose another time, or see your appointments.",
            (await (await BookAnyAsync(alice, b, At(Day(4), 12))).JsonAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString());
        Assert.Equal(2L, await LiveCountAsync(b, alice.Id));
        await (await BookAnyAsync(alice, b, At(Day(3), 10))).JsonAsync(HttpStatusCode.Created);

        // Another client may still take the other practitioner at 9.
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        await (await BookAnyAsync(bob, b, At(Day(3), 9))).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_refusal_names_only_the_clients_own_appointment_never_another_clients_at_that_time()
    {
        var b = await TwoPractitionersAsync();
        var gamma = await b.Biz.DiaryAsync("Dr Gamma");
        await b.Biz.RosterEveryDayAsync(gamma, "00:00", "23:30");
        var checkUp = b with { ServiceId = await b.Biz.ServiceAsync("Check-up", 60, 0, [b.DiaryId, beta, gamma]) };
        var alice = await App.RegisterClientAsync(b.Biz);
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        var alices = await (await BookAnyAsync(alice, checkUp, At(Day(3), 9))).JsonAsync(HttpStatusCode.Created);
        var bobs = await (await BookAnyAsync(bob, b, At(Day(3), 8, 30))).JsonAsync(HttpStatusCode.Created);

        // 9:00 overlaps Alice's Check-up and Bob's Follow-up, and one practitioner is free: Bob is told of his own only.
        var refusal = await (await BookAnyAsync(bob, checkUp, At(Day(3), 9))).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(bobs.GetProperty("id").GetGuid(), refusal.GetProperty("appointment").GetProperty("id").GetGuid());
        Assert.Equal($"You already have Follow-up on {Long(Day(3))}, 8:30–9:30 AM. Choose another time, or see your appointments.",
            refusal.GetProperty("detail").GetString());
        Assert.DoesNotContain(alices.GetProperty("id").GetString()!, refusal.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Check-up", refusal.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pet_business_may_book_two_pets_at_once_but_not_the_same_pet_twice_and_the_refusal_names_the_pet()
    {
        var b = await TwoPractitionersAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(b.Biz);
        var rex = await AddPetAsync(alice, b, "Rex");
        var tess = await AddPetAsync(alice, b, "Tess");
        await (await BookAnyAsync(alice, b, At(Day(3), 9), rex)).JsonAsync(HttpStatusCode.Created);
        var twice = await (await BookAnyAsync(alice, b, At(Day(3), 9), rex)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("own-appointment-overlap", twice.GetProperty("type").GetString()!.Split('/')[^1]);
        // The refusal names the pet the clash is for, in words and in the appointment it names.
        Assert.Equal($"You already have Follow-up for Rex on {Long(Day(3))}, 9:00–10:00 AM. Choose another time, or see your appointments.",
            twice.GetProperty("detail").GetString());
        Assert.Equal(rex, twice.GetProperty("appointment").GetProperty("pet").GetProperty("id").GetGuid());
        Assert.Equal("Rex", twice.GetProperty("appointment").GetProperty("pet").GetProperty("name").GetString());

        await (await BookAnyAsync(alice, b, At(Day(3), 9), tess)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(2L, await LiveCountAsync(b, alice.Id));
    }

    [Fact]
    public async Task Staff_may_book_a_client_twice_at_one_time()
    {
        var b = await TwoPractitionersAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var first = await (await BookAnyAsync(alice, b, At(Day(3), 9))).JsonAsync(HttpStatusCode.Created);
        var taken = first.GetProperty("diary").GetProperty("id").GetGuid();
        var other = taken == b.DiaryId ? beta : b.DiaryId;

        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = other, start = At(Day(3), 9), petId = (Guid?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal(2L, await LiveCountAsync(b, alice.Id));
    }

    [Fact]
    public async Task Two_bookings_of_one_time_sent_at_once_book_exactly_one()
    {
        var b = await TwoPractitionersAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        for (var round = 0; round < 3; round++)
        {
            var start = At(Day(3 + round), 9);
            var answers = await Task.WhenAll(BookAnyAsync(alice, b, start), BookAnyAsync(alice, b, start));

            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
            Assert.Equal("own-appointment-overlap", await answers.Single(a => a.StatusCode != HttpStatusCode.Created).KindAsync(HttpStatusCode.Conflict));
            Assert.Equal(1L + round, await LiveCountAsync(b, alice.Id));
        }
    }

    [Fact]
    public async Task The_confirm_page_says_it_in_plain_words_with_a_way_to_my_appointments()
    {
        var b = await TwoPractitionersAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var first = await (await BookAnyAsync(alice, b, At(Day(3), 9))).JsonAsync(HttpStatusCode.Created);
        var url = $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&start={Uri.EscapeDataString(At(Day(3), 9))}";

        var page = await alice.Http.SubmitAsync(await alice.Http.PageAsync(url), new Dictionary<string, string>(), "main form[data-once]");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal($"You already have Follow-up on {Long(Day(3))}, 9:00–10:00 AM. Choose another time, or see your appointments.",
            page.One("#error-summary li")?.TextContent.Trim());
        Assert.DoesNotContain("own-appointment-overlap", page.Text, StringComparison.Ordinal);
        // The link goes to the appointment on My appointments, whose entry carries that id.
        var href = page.One("#own-overlap a")?.GetAttribute("href");
        Assert.StartsWith("/ol/appointments", href, StringComparison.Ordinal);
        Assert.EndsWith($"#appointment-{first.GetProperty("id").GetGuid()}", href, StringComparison.Ordinal);
        var list = await alice.Http.PageAsync(System.Net.WebUtility.HtmlDecode(href!));
        Assert.Contains("9:00–10:00 AM", list.One($"#appointment-{first.GetProperty("id").GetGuid()} .when")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(1L, await LiveCountAsync(b, alice.Id));
    }

    private static async Task<Guid> AddPetAsync(PortalClient client, Bookable b, string name) =>
        (await (await client.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={b.Biz.Slug}", new { name, species = "dog" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
}
