using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// The policy's words have one source (decision 341): a cancellation text left blank (saved before the settings required
/// words, decision 250) is said as the window itself by the API's refusal, as the portal's Cancel page always said it;
/// before, the refusal's <c>detail</c> and <c>policyText</c> were empty.
/// </summary>
public sealed class BlankPolicyTextTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task A_blank_policy_text_is_refused_in_the_words_of_the_window_as_the_cancel_page_says_it()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(_ => { }); // the business's settings row, saved as they are (24 hours, refused inside)
        var client = await App.RegisterClientAsync(b.Biz);
        var soon = DateTimeOffset.UtcNow.AddHours(3);
        var start = new DateTimeOffset(soon.Year, soon.Month, soon.Day, soon.Hour, 0, 0, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var id = (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = client.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        await Sql.AdminExecAsync(App.Database.Database, "UPDATE tenancy.portal_settings SET cancellation_text = '' WHERE tenant_id = @t", ("t", b.Biz.Id));
        ((MemoryCache)App.Services.GetRequiredService<IMemoryCache>()).Clear(); // the settings' 30-second copy

        const string Words = "Appointments cannot be cancelled online within 24 hours of their start.";
        var refused = await (await client.Http.CancelAsync(b.Biz.Slug, id)).JsonAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/policy-window", refused.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(Words, refused.GetProperty("policyText").GetString());
        Assert.Equal(Words, refused.GetProperty("detail").GetString());
        Assert.Contains(Words, await client.Http.GetStringAsync(new Uri($"/ol/cancel?name={b.Biz.Slug}&id={id}", UriKind.Relative)), StringComparison.Ordinal);
    }
}
