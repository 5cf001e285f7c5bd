using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// Decision 285: after booking for one pet, the Booked page offers the client's other pets the next free time after it
/// that day (same diary first, else anyone offering the service), through the usual confirm page, prefilled.
/// </summary>
public sealed class NextPetOfferTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task A_client_with_three_pets_books_Rex_and_is_offered_Bella_and_Max_at_his_end_then_books_Bella_there()
    {
        var (b, alice) = await PetBusinessAsync();
        var rex = await AddPetAsync(alice, b, "Rex");
        var bella = await AddPetAsync(alice, b, "Bella");
        var max = await AddPetAsync(alice, b, "Max");
        var day = Day(3);

        var form = await alice.Http.PageAsync(ConfirmUrl(b, At(day, 10)));
        var posted = await alice.Http.SubmitAsync(form, PortalHtml.Fields(("Input.PetId", rex.ToString())), "main form");
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        var booked = await alice.Http.PageAsync(posted.Response.Headers.Location!.OriginalString);

        Assert.Equal("Book another pet straight after?", booked.One("#next-pet-heading")?.TextContent.Trim());
        Assert.Equal(At(day, 11), booked.One("#next-pet-time time")?.GetAttribute("datetime"));
        Assert.Contains(", 11:00", booked.One("#next-pet-time")?.TextContent, StringComparison.Ordinal);
        Assert.EndsWith(" with Dr Alpha", booked.One("#next-pet-time")?.TextContent.Trim(), StringComparison.Ordinal);
        Assert.StartsWith(Booking.BuildingBlocks.Time.DateStyle.DayFirst.Short(day), booked.One("#next-pet-time")?.TextContent.Trim(), StringComparison.Ordinal);
        var offers = booked.All("#next-pet a.next-pet");
        Assert.Equal(["Book Bella", "Book Max"], offers.Select(a => a.TextContent.Trim()));
        Assert.Equal(
            $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary={b.DiaryId}&start={Uri.EscapeDataString(At(day, 11))}&pet={bella}",
            offers[0].GetAttribute("href"));

        // The offer is the usual confirm page, "For" opening on Bella: booking it gives her own appointment at 11:00.
        var confirm = await alice.Http.PageAsync(offers[0].GetAttribute("href")!);
        Assert.Equal(bella.ToString(), confirm.One("select[name='Input.PetId'] option[selected]")?.GetAttribute("value"));
        var second = await alice.Http.SubmitAsync(confirm, PortalHtml.Fields(), "main form");
        Assert.Equal(HttpStatusCode.Redirect, second.Status);

        Assert.Equal([(T(At(day, 10)), "Rex", "confirmed"), (T(At(day, 11)), "Bella", "confirmed")], await MineAsync(alice, b));

        // Bella's page offers Max only (Rex has this service that day already), at Bella's end.
        var bellas = await alice.Http.PageAsync(second.Response.Headers.Location!.OriginalString);
        Assert.Equal("Book Max straight after?", bellas.One("#next-pet-heading")?.TextContent.Trim());
        Assert.Equal(At(day, 12), bellas.One("#next-pet-time time")?.GetAttribute("datetime"));
        Assert.Equal(["Book Max"], bellas.All("#next-pet a.next-pet").Select(a => a.TextContent.Trim()));
        Assert.Contains($"pet={max}", bellas.One("#next-pet a.next-pet")?.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_adjacent_time_gives_the_next_free_one_and_a_day_with_nothing_after_says_so_with_a_way_to_book()
    {
        var (b, alice) = await PetBusinessAsync();
        var rex = await AddPetAsync(alice, b, "Rex");
        var bella = await AddPetAsync(alice, b, "Bella");
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        var fido = await AddPetAsync(bob, b, "Fido");
        var day = Day(3);
        await BookAsync(bob, b, At(day, 11), fido);

        var id = await BookAsync(alice, b, At(day, 10), rex);
        var booked = await alice.Http.PageAsync($"/ol/booked?name={b.Biz.Slug}&id={id}");
        Assert.Equal("Book Bella straight after?", booked.One("#next-pet-heading")?.TextContent.Trim());
        Assert.Equal(At(day, 12), booked.One("#next-pet-time time")?.GetAttribute("datetime"));
        Assert.Null(booked.One("#next-pet-none"));

        // The day's last time: nothing after it, said, with the booking page for the service and Bella carried.
        var late = await BookAsync(alice, b, At(Day(4), 22, 30), rex);
        var lastPage = await alice.Http.PageAsync($"/ol/booked?name={b.Biz.Slug}&id={late}");
        Assert.Null(lastPage.One("#next-pet-time"));
        Assert.Null(lastPage.One("#next-pet a.next-pet"));
        Assert.Equal($"Nothing is free for Consultation after this appointment on {Booking.BuildingBlocks.Time.DateStyle.DayFirst.Short(Day(4))}.",
            lastPage.One("#next-pet-none")?.TextContent.Trim());
        var other = lastPage.One("#next-pet a.next-pet-other");
        Assert.Equal("Choose a time for Bella", other?.TextContent.Trim());
        Assert.Equal($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}&date={Iso(Day(4))}&pet={bella}", other?.GetAttribute("href"));
    }

    [Fact]
    public async Task The_same_diary_comes_first_and_another_diary_offering_the_service_only_when_it_has_nothing_after()
    {
        var biz = await App.SignUpBusinessAsync("appt");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var alpha = await biz.DiaryAsync("Dr Alpha");
        var anna = await biz.DiaryAsync("Anna");
        await biz.RosterEveryDayAsync(alpha, "00:00", "14:00");
        await biz.RosterEveryDayAsync(anna, "00:00", "23:30");
        var service = await biz.ServiceAsync("Full groom", 60, 0, [alpha, anna]);
        var b = new Bookable(biz, alpha, service);
        await biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(biz);
        var rex = await AddPetAsync(alice, b, "Rex");
        await AddPetAsync(alice, b, "Bella");
        var bob = await App.RegisterClientAsync(biz, "Bob");
        var fido = await AddPetAsync(bob, b, "Fido");
        var day = Day(3);
        var id = await BookAsync(alice, b, At(day, 11), rex);
        await BookAsync(bob, b, At(day, 12), fido);

        // Dr Alpha is taken at 12:00 while Anna is free: Dr Alpha's next time, 13:00, is offered.
        var page = await alice.Http.PageAsync($"/ol/booked?name={biz.Slug}&id={id}");
        Assert.Equal(At(day, 13), page.One("#next-pet-time time")?.GetAttribute("datetime"));
        Assert.EndsWith("with Dr Alpha", page.One("#next-pet-time")?.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains($"diary={alpha}", page.One("#next-pet a.next-pet")?.GetAttribute("href"), StringComparison.Ordinal);

        // Dr Alpha has nothing more that day: Anna's first free time after Rex's end, with Anna's diary in the link.
        await BookAsync(bob, b, At(day, 13), fido);
        page = await alice.Http.PageAsync($"/ol/booked?name={biz.Slug}&id={id}");
        Assert.Equal(At(day, 12), page.One("#next-pet-time time")?.GetAttribute("datetime"));
        Assert.EndsWith("with Anna", page.One("#next-pet-time")?.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains($"diary={anna}", page.One("#next-pet a.next-pet")?.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_with_one_pet_sees_no_offer_and_nor_does_anyone_once_the_business_stops_booking_for_pets()
    {
        var (b, alice) = await PetBusinessAsync();
        var rex = await AddPetAsync(alice, b, "Rex");
        var id = await BookAsync(alice, b, At(Day(3), 10), rex);
        var page = await alice.Http.PageAsync($"/ol/booked?name={b.Biz.Slug}&id={id}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.One("dl.summary"));
        Assert.Null(page.One("#next-pet"));

        await AddPetAsync(alice, b, "Bella");
        Assert.NotNull((await alice.Http.PageAsync($"/ol/booked?name={b.Biz.Slug}&id={id}")).One("#next-pet"));

        // Pets off: Rex's appointment keeps him, but nothing is offered (a booking now takes no pet).
        await b.Biz.SettingsAsync(s => s["booksForPets"] = false);
        page = await alice.Http.PageAsync($"/ol/booked?name={b.Biz.Slug}&id={id}");
        Assert.NotNull(page.One("dl.summary"));
        Assert.Null(page.One("#next-pet"));
    }

    [Fact]
    public async Task A_client_not_yet_approved_is_asked_for_a_second_request_and_the_waiting_requests_limit_then_speaks()
    {
        var (b, alice) = await PetBusinessAsync(needsApproval: true); // Alice joins not yet approved: her bookings are requests
        var rex = await AddPetAsync(alice, b, "Rex");
        await AddPetAsync(alice, b, "Bella");
        var day = Day(3);
        var id = await BookAsync(alice, b, At(day, 10), rex, expected: "requested");

        var page = await alice.Http.PageAsync($"/ol/booked?name={b.Biz.Slug}&id={id}");
        Assert.Equal("Ask for Bella straight after?", page.One("#next-pet-heading")?.TextContent.Trim());
        Assert.Contains("This sends another booking request", page.One("#next-pet-request")?.TextContent, StringComparison.Ordinal);
        var ask = page.One("#next-pet a.next-pet");
        Assert.Equal("Ask for Bella", ask?.TextContent.Trim());

        var confirm = await alice.Http.PageAsync(ask!.GetAttribute("href")!);
        Assert.Equal("Request booking", confirm.One("main form button[type=submit]")?.TextContent.Trim());
        var posted = await alice.Http.SubmitAsync(confirm, PortalHtml.Fields(), "main form");
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        Assert.Equal([(T(At(day, 10)), "Rex", "requested"), (T(At(day, 11)), "Bella", "requested")], await MineAsync(alice, b));

        // A third pet, with two requests waiting: a household asks once per pet (decision 310), so Max is asked for too.
        var max = await AddPetAsync(alice, b, "Max");
        var bellas = await alice.Http.PageAsync(posted.Response.Headers.Location!.OriginalString);
        Assert.Equal("Ask for Max straight after?", bellas.One("#next-pet-heading")?.TextContent.Trim());
        Assert.Null(bellas.One("#next-pet-limit"));
        var askMax = bellas.One("#next-pet a.next-pet");
        Assert.Equal("Ask for Max", askMax?.TextContent.Trim());
        var third = await alice.Http.SubmitAsync(await alice.Http.PageAsync(askMax!.GetAttribute("href")!), PortalHtml.Fields(), "main form");
        Assert.Equal(HttpStatusCode.Redirect, third.Status);
        Assert.Equal([(T(At(day, 10)), "Rex", "requested"), (T(At(day, 11)), "Bella", "requested"), (T(At(day, 12)), "Max", "requested")], await MineAsync(alice, b));

        // One request per pet is the most: a fourth is refused in the limit's words, naming three.
        var refused = await (await alice.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(4), 10), petId = max, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("waiting-requests", refused.GetProperty("reason").GetString());
        Assert.Equal(3, refused.GetProperty("limit").GetInt32());
        Assert.StartsWith("You already have 3 booking requests waiting", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_next_pet_offer_speaks_the_waiting_limit_instead_of_a_link_when_an_ask_would_be_refused()
    {
        var (b, alice) = await PetBusinessAsync(needsApproval: true);
        var rex = await AddPetAsync(alice, b, "Rex");
        await AddPetAsync(alice, b, "Bella");
        await AddPetAsync(alice, b, "Max");
        await BookAsync(alice, b, At(Day(3), 10), rex, expected: "requested");
        await BookAsync(alice, b, At(Day(4), 10), rex, expected: "requested");
        var id = await BookAsync(alice, b, At(Day(5), 10), rex, expected: "requested"); // three pets: three requests may wait

        var page = await alice.Http.PageAsync($"/ol/booked?name={b.Biz.Slug}&id={id}");
        Assert.Contains("You already have 3 booking requests waiting", page.One("#next-pet-limit")?.TextContent, StringComparison.Ordinal);
        Assert.Null(page.One("#next-pet a"));
        var landing = await alice.Http.PageAsync($"/ol/book?name={b.Biz.Slug}");
        Assert.Contains("You already have 3 booking requests waiting", landing.One("#booking-limit")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_with_several_pets_is_told_on_the_landing_and_confirm_pages_that_the_next_pet_is_offered_after()
    {
        var (b, alice) = await PetBusinessAsync();
        await AddPetAsync(alice, b, "Rex");
        const string hint = "Booking for more than one pet? Book the first, then we'll offer the next pet straight after.";
        Assert.Null((await alice.Http.PageAsync($"/ol/book?name={b.Biz.Slug}")).One("#pets-hint"));
        Assert.Null((await alice.Http.PageAsync(ConfirmUrl(b, At(Day(3), 10)))).One("#pets-hint"));

        await AddPetAsync(alice, b, "Bella");
        Assert.Equal(hint, (await alice.Http.PageAsync($"/ol/book?name={b.Biz.Slug}")).One("#pets-hint")?.TextContent.Trim());
        var confirm = await alice.Http.PageAsync(ConfirmUrl(b, At(Day(3), 10)));
        Assert.Equal(hint, confirm.One("#pets-hint")?.TextContent.Trim());
        Assert.Equal("pets-hint pet-error", confirm.One("select[name='Input.PetId']")?.GetAttribute("aria-describedby"));
    }

    private async Task<(Bookable B, PortalClient Alice)> PetBusinessAsync(bool needsApproval = false)
    {
        var b = await App.BookableAsync(durationMinutes: 60, bufferMinutes: 0);
        await b.Biz.SettingsAsync(s =>
        {
            s["booksForPets"] = true;
            s["newClientsNeedApproval"] = needsApproval;
        });
        return (b, await App.RegisterClientAsync(b.Biz));
    }

    private static string ConfirmUrl(Bookable b, string start) =>
        $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary={b.DiaryId}&start={Uri.EscapeDataString(start)}";

    private static async Task<Guid> AddPetAsync(PortalClient client, Bookable b, string name) =>
        (await (await client.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={b.Biz.Slug}", new { name, species = "dog" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<Guid> BookAsync(PortalClient client, Bookable b, string start, Guid pet, string expected = "confirmed")
    {
        var json = await (await client.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = pet, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal(expected, json.GetProperty("status").GetString());
        return json.GetProperty("id").GetGuid();
    }

    /// <summary>The client's own appointments (the portal's list), as (start, pet, status) in start order.</summary>
    private static async Task<List<(DateTimeOffset Start, string? Pet, string? Status)>> MineAsync(PortalClient client, Bookable b) =>
        [.. (await (await client.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}&when=upcoming", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray()
            .Select(a => (a.GetProperty("start").GetDateTimeOffset(), a.GetProperty("pet").GetProperty("name").GetString(), a.GetProperty("status").GetString()))
            .OrderBy(a => a.Item1)];

    private static DateTimeOffset T(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);
}
