using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Setup;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// The template preview fills the merge fields with the business's own facts where it has them: a mobile of its
/// country, its first active diary and first current service (read through Roster's and Services' contracts), its zone.
/// </summary>
public sealed class PreviewSampleTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Body = "{ClientMobilePhone} | {DiaryName} | {ServiceName} | {AppointmentStartDateTime} | {AppointmentEndDateTime}";

    [Fact]
    public async Task A_New_York_business_sees_a_US_mobile_its_own_diary_and_service_and_Eastern_time()
    {
        var biz = await SignUpAsync("US", "America/New_York");
        // Ordered by name, the first diary is inactive and the first service retired: neither is the sample.
        var closed = await biz.CreateDiaryAsync("Annex (closed)");
        await Ok(biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{closed}", new { name = "Annex (closed)", contactEmail = "annex@test.example", active = false }));
        var diary = await biz.CreateDiaryAsync("Brooklyn Room");
        await biz.CreateDiaryAsync("Manhattan Room");
        var retired = await CreateServiceAsync(biz, "Aardvark check", 30, diary);
        await Ok(biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/services/{retired}", UriKind.Relative)));
        await CreateServiceAsync(biz, "Teeth cleaning", 90, diary);

        var text = await PreviewTextAsync(biz);

        // As the diary contact dials it, without the area code's brackets, which "({ClientMobilePhone})" would double (decision 296).
        Assert.Matches(@"^201-555-0123 \| Brooklyn Room \| Teeth cleaning \| .*9:00 AM E[SD]T \| .*10:30 AM E[SD]T$", text);
    }

    [Fact]
    public async Task An_Australian_business_without_diaries_or_services_sees_an_Australian_mobile_and_neutral_samples()
    {
        var biz = await SignUpAsync("AU", "Australia/Sydney");

        var text = await PreviewTextAsync(biz);

        Assert.Matches(@"^0412 345 678 \| Sample diary \| Sample service \| .*9:00 AM AE[SD]T \| .*9:45 AM AE[SD]T$", text);
    }

    private static async Task<string> PreviewTextAsync(TestBusiness biz)
    {
        var response = await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates/preview", new { subject = "Preview", body = Body });
        var preview = await response.JsonAsync(HttpStatusCode.OK);
        // The text part is the body, then the layout's footer.
        return preview.GetProperty("text").GetString()!.Split('\n')[0].TrimEnd('\r');
    }

    private static async Task<Guid> CreateServiceAsync(TestBusiness biz, string name, int duration, Guid diary)
    {
        var body = new
        {
            name,
            description = "",
            durationMinutes = duration,
            bufferAfterMinutes = 0,
            price = new { amount = "80.00" },
            bookableOnline = true,
            diaryIds = new[] { diary },
        };
        return (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", body)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    private static async Task Ok(Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<TestBusiness> SignUpAsync(string country, string timeZone)
    {
        var slug = $"preview-{country.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..10]}";
        var client = shared.App.NewClient();
        var email = $"owner@{slug}.example";
        var response = await client.PostAsJsonAsync("/api/v1/tenants", new
        {
            slug,
            name = $"Business {slug}",
            timeZone,
            countryCode = country,
            owner = new { name = "Olive Owner", email, password = TestBusiness.OwnerPassword },
        });
        var id = (await response.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        return new TestBusiness(id, slug, email, client);
    }
}
