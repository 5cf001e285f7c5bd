using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>
/// The staff client page: "Book for this client" opens New appointment with only that client, chosen, and only their
/// pets, and the booking comes back to the client's page; and whether the client's mobile is confirmed, in the staff
/// clients API (<c>mobileVerified</c>) and on the page ("(not confirmed)").
/// </summary>
public sealed class StaffClientBookAndMobileTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static async Task<Guid> PetAsync(PortalClient client, TestBusiness biz, string name, string species) =>
        (await (await client.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={biz.Slug}", new { name, species }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    [Fact]
    public async Task Book_for_this_client_offers_only_that_client_and_their_pets_and_the_booking_comes_back_to_their_page()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(b.Biz, "Alice", "Pawson");
        var bob = await App.RegisterClientAsync(b.Biz, "Bob", "Pawson");
        var rex = await PetAsync(alice, b.Biz, "Rex", "dog");
        var tom = await PetAsync(bob, b.Biz, "Tom", "cat");

        var clientPage = await b.Biz.Owner.PageAsync($"/staff/clients/{alice.Id}");
        var link = clientPage.One("#book-for-client")!;
        Assert.Equal("Book for this client", link.TextContent);
        Assert.Equal($"/staff/diary/book?client={alice.Id}", link.GetAttribute("href"));

        var form = await b.Biz.Owner.PageAsync(link.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        // Alice alone, chosen; no client search; her pets only; back to her page.
        var radios = form.All("input[name='Input.ClientId']");
        Assert.Equal([alice.Id.ToString()], radios.Select(r => r.GetAttribute("value")));
        Assert.True(radios[0].HasAttribute("checked"));
        Assert.Null(form.One("form[role=search]"));
        Assert.Equal(["", rex.ToString()], form.All("select[name='Input.PetId'] option").Select(o => o.GetAttribute("value")));
        Assert.DoesNotContain(tom.ToString(), form.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Bob", form.Text, StringComparison.Ordinal);
        Assert.Equal($"/staff/clients/{alice.Id}", form.One("#back-to-client")!.GetAttribute("href"));
        Assert.Equal("← Alice Pawson", form.One("#back-to-client")!.TextContent);
        Assert.NotNull(form.One("#choose-another-client"));

        var day = Day(3);
        var booked = await b.Biz.Owner.SubmitAsync(form, PortalHtml.Fields(
            ("Input.ServiceId", b.ServiceId.ToString()), ("Input.DiaryId", b.DiaryId.ToString()), ("Input.Date", Iso(day)),
            ("Input.Time", "10:00"), ("Input.PetId", rex.ToString()), ("Input.Note", "Bring the lead")), "#book-form");
        Assert.Equal(HttpStatusCode.Redirect, booked.Status);
        Assert.Equal($"/staff/clients/{alice.Id}", booked.Response.Headers.Location!.OriginalString);

        var after = await b.Biz.Owner.PageAsync($"/staff/clients/{alice.Id}");
        Assert.Equal(
            $"Booked Alice Pawson for Consultation on {day.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture)} at 10:00 AM.",
            after.One("p.notice[role=status]")!.TextContent);
        var upcoming = Assert.Single(after.All("#appointments-upcoming li"));
        Assert.Equal("Rex", upcoming.QuerySelector(".appointment-pet")!.TextContent);
        var made = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{alice.Id}/appointments", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var appointment = Assert.Single(made.GetProperty("upcoming").EnumerateArray());
        Assert.Equal(DateTimeOffset.Parse(At(day, 10), CultureInfo.InvariantCulture), appointment.GetProperty("start").GetDateTimeOffset());
        Assert.Equal("staff", appointment.GetProperty("source").GetString());

        // A failed post keeps the page booking for Alice (and coming back to her page).
        var failed = await b.Biz.Owner.SubmitAsync(form, PortalHtml.Fields(
            ("Input.ServiceId", b.ServiceId.ToString()), ("Input.DiaryId", b.DiaryId.ToString()), ("Input.Date", Iso(day)), ("Input.Time", "")), "#book-form");
        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.Equal([alice.Id.ToString()], failed.All("input[name='Input.ClientId']").Select(r => r.GetAttribute("value")));
        Assert.Equal(alice.Id.ToString(), failed.One("#book-form input[type=hidden][name=client]")!.GetAttribute("value"));

        // Another business's client (or none) is nobody: the ordinary page, nobody chosen, back to the diary.
        var other = await App.BookableAsync();
        var theirs = await App.RegisterClientAsync(other.Biz, "Theo", "Elsewhere");
        foreach (var id in new[] { theirs.Id.ToString(), Guid.NewGuid().ToString(), "not-an-id" })
        {
            var ordinary = await b.Biz.Owner.PageAsync($"/staff/diary/book?client={id}");
            Assert.Equal(HttpStatusCode.OK, ordinary.Status);
            Assert.DoesNotContain("Theo", ordinary.Text, StringComparison.Ordinal);
            Assert.Null(ordinary.One("input[name='Input.ClientId'][checked]"));
            Assert.Null(ordinary.One("#book-form input[type=hidden][name=client]"));
            Assert.Null(ordinary.One("#back-to-client"));
            Assert.NotNull(ordinary.One("form[role=search]"));
        }
    }

    [Fact]
    public async Task Staff_see_whether_a_clients_mobile_is_confirmed_in_the_api_and_on_the_client_page()
    {
        var biz = await App.SignUpBusinessAsync("mobile-proven");
        var claimed = await App.RegisterClientAsync(biz, "Clara", "Claim"); // a mobile typed at registration, never proven
        var added = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Vic", lastName = "Vouched", email = (string?)null, mobile = "0412 000 " + Random.Shared.Next(100, 999).ToString(CultureInfo.InvariantCulture) }))
            .JsonAsync(HttpStatusCode.Created);
        var noMobile = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Nell", lastName = "Nomobile", email = $"nell-{Guid.NewGuid():N}@client.example", mobile = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);

        Assert.True(added.GetProperty("mobileVerified").GetBoolean());
        Assert.False(noMobile.GetProperty("mobileVerified").GetBoolean());
        var one = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{claimed.Id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.False(one.GetProperty("mobileVerified").GetBoolean());
        Assert.StartsWith("+614", one.GetProperty("mobile").GetString(), StringComparison.Ordinal);
        var list = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/clients", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(
            [("Clara Claim", false), ("Nell Nomobile", false), ("Vic Vouched", true)],
            list.GetProperty("items").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("mobileVerified").GetBoolean())).Order());

        // The page says it beside the number: "0412 345 678 (not confirmed)", and why.
        var page = await biz.Owner.PageAsync($"/staff/clients/{claimed.Id}");
        var mobile = page.One("#mobile-not-confirmed")!.ParentElement!;
        Assert.Equal("(not confirmed)", page.One("#mobile-not-confirmed")!.TextContent);
        Assert.StartsWith($"0{one.GetProperty("mobile").GetString()![3..6]} ", mobile.QuerySelector("a.phone")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("hasn't confirmed it with a code by SMS", page.One("#mobile-not-confirmed-why")!.TextContent, StringComparison.Ordinal);

        // Confirmed (staff put it on file) or none: nothing said.
        foreach (var id in new[] { added.GetProperty("id").GetString(), noMobile.GetProperty("id").GetString() })
        {
            var confirmed = await biz.Owner.PageAsync($"/staff/clients/{id}");
            Assert.Equal(HttpStatusCode.OK, confirmed.Status);
            Assert.Null(confirmed.One("#mobile-not-confirmed"));
            Assert.Null(confirmed.One("#mobile-not-confirmed-why"));
        }

        // Saving the same number, typed another way, is no change: it stays the client's unconfirmed claim.
        var number = one.GetProperty("mobile").GetString()!;
        var changed = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/clients/{claimed.Id}",
            new { firstName = "Clara", lastName = "Claim", email = one.GetProperty("email").GetString(), mobile = "+61 4" + number[4..] }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.False(changed.GetProperty("mobileVerified").GetBoolean());
        Assert.NotNull((await biz.Owner.PageAsync($"/staff/clients/{claimed.Id}")).One("#mobile-not-confirmed"));
    }

    [Fact]
    public async Task The_clients_list_says_which_mobiles_are_not_confirmed_as_the_client_page_does()
    {
        var biz = await App.SignUpBusinessAsync("mobile-list");
        await App.RegisterClientAsync(biz, "Clara", "Claim"); // a mobile typed at registration, never proven
        await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Vic", lastName = "Vouched", email = (string?)null, mobile = "0412 001 " + Random.Shared.Next(100, 999).ToString(CultureInfo.InvariantCulture) });
        await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Nell", lastName = "Nomobile", email = $"nell-{Guid.NewGuid():N}@client.example", mobile = (string?)null });

        var list = await biz.Owner.PageAsync("/staff/clients");
        var mobiles = list.All("tbody tr").ToDictionary(r => r.QuerySelector("td a")!.TextContent, r => r.QuerySelectorAll("td")[2]);
        Assert.Equal(["Clara Claim", "Nell Nomobile", "Vic Vouched"], mobiles.Keys.Order());
        // "0412 345 678 (not confirmed)" beside the typed number only; a number staff put on file, or none, says nothing.
        Assert.Equal("(not confirmed)", mobiles["Clara Claim"].QuerySelector(".mobile-not-confirmed")?.TextContent);
        Assert.NotNull(mobiles["Clara Claim"].QuerySelector("a.phone"));
        Assert.Null(mobiles["Vic Vouched"].QuerySelector(".mobile-not-confirmed"));
        Assert.NotNull(mobiles["Vic Vouched"].QuerySelector("a.phone"));
        Assert.Equal("", mobiles["Nell Nomobile"].TextContent.Trim());
        Assert.Contains("hasn't confirmed it with a code by SMS", list.One("#mobile-not-confirmed-why")!.TextContent, StringComparison.Ordinal);

        // A page with no such number has no note.
        var confirmedOnly = await biz.Owner.PageAsync("/staff/clients?search=vouched");
        Assert.Single(confirmedOnly.All("tbody tr"));
        Assert.Null(confirmedOnly.One("#mobile-not-confirmed-why"));
        Assert.DoesNotContain("not confirmed", confirmedOnly.Text, StringComparison.Ordinal);
    }
}
