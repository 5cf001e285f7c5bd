using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>The staff Requests page names the pet each request is for, as the appointment page does (review s20 J5).</summary>
public sealed class RequestsPagePetTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Each_request_names_the_pet_it_is_for()
    {
        var b = await shared.App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var emma = await shared.App.RegisterClientAsync(b.Biz, "Emma");
        var slug = b.Biz.Slug;
        async Task<Guid> PetAsync(string name) =>
            (await (await emma.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={slug}", new { name, species = "dog" }))
                .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var rex = await PetAsync("Rex");
        var tom = await PetAsync("Tom");
        var starts = (await emma.Http.SlotsAsync(b, SchedulingApi.Day(3), SchedulingApi.Day(3), diary: b.DiaryId.ToString())).Starts();
        string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        var ids = new Dictionary<Guid, string>();
        foreach (var (pet, name, start) in new[] { (rex, "Rex", starts[2]), (tom, "Tom", starts[6]) })
        {
            var booked = await (await emma.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = Iso(start), petId = pet, acceptedTermsVersion = (int?)null, note = (string?)null }))
                .JsonAsync(HttpStatusCode.Created);
            Assert.Equal("requested", booked.GetProperty("status").GetString());
            ids[booked.GetProperty("id").GetGuid()] = name;
        }

        var page = await new HtmlParser().ParseDocumentAsync(await b.Biz.Owner.GetStringAsync(new Uri("/staff/requests", UriKind.Relative)));

        foreach (var (id, name) in ids)
        {
            var card = page.GetElementById($"request-{id}")!.Closest("section")!;
            var term = Assert.Single(card.QuerySelectorAll("dl.facts dt"), dt => dt.TextContent == "Pet");
            Assert.Equal($"{name} (dog)", term.NextElementSibling!.TextContent.Trim()); // with its species (decision 311)
        }
    }
}
