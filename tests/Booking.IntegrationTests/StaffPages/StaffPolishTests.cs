using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>
/// The staff-side review: a mobile's first three digits as typed find the client, a live service's name is not taken
/// twice, and the message log says statuses in words.
/// </summary>
public sealed class StaffPolishTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task A_mobile_typed_as_its_first_three_digits_finds_the_client()
    {
        var biz = await App.SignUpBusinessAsync("three-digits");
        var casey = await App.RegisterClientAsync(biz, "Casey", "Three");
        var mobile = (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{casey.Id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("mobile").GetString()!; // +614xxxxxxxx, shown 04xx xxx xxx
        var typed = "0" + mobile[3..5]; // "049": three digits as typed, two after the trunk prefix
        var page = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/clients?search=" + typed, UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Contains("Casey Three", page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        var html = await biz.Owner.PageAsync("/staff/clients?search=" + typed);
        Assert.Contains("Casey Three", html.Text, StringComparison.Ordinal);
    }

    private static object Service(string name) => new
    {
        name,
        description = "A service",
        durationMinutes = 30,
        bufferAfterMinutes = 0,
        price = new { amount = "45.00", currency = "AUD" },
        bookableOnline = false,
        diaryIds = Array.Empty<Guid>(),
    };

    [Fact]
    public async Task A_live_services_name_in_any_case_is_refused_naming_name_and_a_retired_ones_is_free()
    {
        var biz = await App.SignUpBusinessAsync("dup-service");
        var other = await App.SignUpBusinessAsync("dup-service");
        var dup = await SchedulingApi.ServiceAsync(biz, "Dup", 30, 0, []);
        await SchedulingApi.ServiceAsync(other, "Dup", 30, 0, []); // another business's name is no clash

        var again = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", Service("  dUP "))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["name"], Booking.IntegrationTests.Setup.SetupApi.ErrorFields(again));
        Assert.Equal("Another service already has this name. Choose a different name.", again.GetProperty("errors").GetProperty("name")[0].GetString());

        var second = await SchedulingApi.ServiceAsync(biz, "Second", 30, 0, []);
        var renamed = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{second}", Service("DUP"))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["name"], Booking.IntegrationTests.Setup.SetupApi.ErrorFields(renamed));
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{dup}", Service("Dup"))).JsonAsync(HttpStatusCode.OK); // its own name

        var names = (await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/services", UriKind.Relative))).JsonAsync(HttpStatusCode.OK));
        Assert.Single(Items(names), s => string.Equals(s.GetProperty("name").GetString(), "Dup", StringComparison.OrdinalIgnoreCase));

        Assert.Equal(HttpStatusCode.NoContent, (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/services/{dup}", UriKind.Relative))).StatusCode);
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", Service("Dup"))).JsonAsync(HttpStatusCode.Created);
    }

    private static IEnumerable<JsonElement> Items(JsonElement json) =>
        json.ValueKind == JsonValueKind.Array ? json.EnumerateArray() : json.GetProperty("items").EnumerateArray();

    [Fact]
    public async Task The_message_log_page_says_statuses_in_words_and_the_api_keeps_the_codes()
    {
        var b = await App.BookableAsync();
        var client = await App.RegisterClientAsync(b.Biz, "Stella", "Status");
        await (await client.BookAsync(b, At(Day(3), 10))).JsonAsync(HttpStatusCode.Created);
        await Eventually.ReturnsAsync(
            async () => await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/messages?status=sent", UriKind.Relative))).JsonAsync(HttpStatusCode.OK),
            j => j.GetProperty("items").GetArrayLength() >= 1, TimeSpan.FromSeconds(30), "a sent message");

        var page = await b.Biz.Owner.PageAsync("/staff/tools/messages");
        var statuses = page.All("table tbody .status").Select(s => s.TextContent.Trim()).ToList();
        Assert.NotEmpty(statuses);
        Assert.Contains("Sent", statuses);
        Assert.All(statuses, s => Assert.True(char.IsUpper(s[0]), $"status shown as '{s}'"));
        Assert.Equal(["All messages", "Queued", "Retrying", "Sent", "Failed", "Withheld", "Refused"], page.All("#status option").Select(o => o.TextContent.Trim()).ToList());
        Assert.Equal(["", "queued", "retrying", "sent", "failed", "withheld", "refused"], page.All("#status option").Select(o => o.GetAttribute("value")).ToList());
    }
}
